#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make demo: a signed update and a revert, on the simulator, step by step.
#
# Builds Keel, makes a signing key and a flash layout with keel-sim, signs three
# firmware versions with `keel sign`, boots v1, installs v2 as a test upgrade that
# the app confirms, then installs v3 that is never confirmed and watch keel-boot
# put v2 back. Everything happens in build/demo/ with the same commands a user types.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc)}

bold='' off=''
if [ -t 1 ]; then bold=$(tput bold 2>/dev/null || true); off=$(tput sgr0 2>/dev/null || true); fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
run() { printf '%s$ %s%s\n' "$bold" "$*" "$off"; "$@"; }

step "Building Keel (scripts/deps.sh installs what is missing)"
scripts/deps.sh host
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" >/dev/null
KEEL=$(cd "$BUILD" && pwd)/tools/keel/keel
SIM=$(cd "$BUILD" && pwd)/ports/sim/keel-sim
D="$BUILD/demo"
rm -rf "$D" && mkdir -p "$D" && cd "$D"
keel() { "$KEEL" "$@"; }
keel-sim() { "$SIM" "$@"; }

step "1. A signing key (ECDSA P-256). keel-boot will trust only images signed with it"
run keel keygen -t ecdsa-p256 -k root.pem

step "2. A device: 4 KiB sectors, swap-offset upgrades, the key built into keel-boot"
run keel-sim init --key root.pem
grep -E '^(sectors|strategy|primary0|secondary0|key) ' keel-sim.conf

step "3. Three firmware builds, signed like imgtool signs them"
for v in 1 2 3; do
  { printf 'demo firmware version %s\n' "$v"; head -c $((20000 + v * 1000)) /dev/urandom; } > app-v$v.raw
  run keel sign -k root.pem --version $v.0.0 -H 0x20 --pad-header -S 0x20000 --align 4 app-v$v.raw app-v$v.bin
done

step "4. Factory programming: v1 into the primary slot, then power on"
run keel-sim flash primary app-v1.bin
run keel-sim boot

step "5. The app downloads v2 into the secondary slot and asks for a test upgrade"
run keel-sim flash secondary app-v2.bin
run keel-sim app upgrade
run keel-sim app state

step "6. Reset: keel-boot verifies v2, swaps it in and starts it (not yet confirmed)"
run keel-sim boot

step "7. v2 runs well and confirms itself; the next boots keep v2 and move nothing"
run keel-sim app confirm
run keel-sim boot

step "8. v3 arrives as a test upgrade, but it is broken: it never confirms"
run keel-sim flash secondary app-v3.bin
run keel-sim app upgrade
run keel-sim boot
echo "(v3 crashes or hangs before it can confirm; the watchdog resets the device)"

step "9. Reset: v3 was not confirmed, so keel-boot swaps v2 back"
run keel-sim boot
run keel-sim boot

step "10. Flash wear so far (every op keel-boot did on the simulated flash)"
run keel-sim stats

printf '\n%sDone.%s Try a power cut yourself: copy a new image with `keel-sim flash secondary`,\n' "$bold" "$off"
printf 'run `keel-sim app upgrade`, then `keel-sim cut --at 40 --torn` and `keel-sim boot`.\n'
printf 'Files are in %s; `keel-sim help` and `keel-sim help config` explain the rest.\n' "$D"

step "nRF51 on QEMU's micro:bit: the same update and revert on an emulated Cortex-M0 with"
printf 'keel-mbr, keel-boot and a sample app that receives updates over its UART\n'
"$ROOT/ports/nrf51/demo.sh"
