#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# keel-sim as a user drives it: init, flash, boot, test upgrade, a power cut by hand,
# revert, confirm, a refused layout and a refused image. Each check names what failed.
set -uo pipefail
B=${KEEL_BUILD:?KEEL_BUILD not set}
SIM="$B/ports/sim/keel-sim"
KEEL="$B/tools/keel/keel"
W=$(mktemp -d "${TMPDIR:-/tmp}/keel-sim-test-XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
fails=0
check() { # check DESCRIPTION COMMAND... ; the command's output is in $out
  local what=$1; shift
  if out=$("$@" 2>&1); then echo "ok   $what"; else echo "FAIL $what"; echo "$out" | sed 's/^/     /'; fails=$((fails+1)); fi
}
expect() { # expect DESCRIPTION PATTERN (in $out)
  if grep -qE -- "$2" <<<"$out"; then echo "ok   $1"; else echo "FAIL $1: no '$2' in:"; echo "$out" | sed 's/^/     /'; fails=$((fails+1)); fi
}

check "keygen" "$KEEL" keygen -t ecdsa-p256 -k root.pem
head -c 30000 /dev/urandom > a.raw; head -c 33000 /dev/urandom > b.raw; head -c 31000 /dev/urandom > c.raw
for v in 1 2 3; do
  f=$(printf 'a\nb\nc' | sed -n "${v}p")
  check "sign v$v" "$KEEL" sign -k root.pem --version $v.0.0 -H 0x20 --pad-header -S 0x20000 --align 4 $f.raw v$v.bin
done
check "init" "$SIM" init --key root.pem
expect "init writes the layout" "wrote layout keel-sim.conf"
check "help config" "$SIM" help config
expect "help config names the settings" "sectors = RUNS"

check "flash v1" "$SIM" flash primary v1.bin
check "boot v1" "$SIM" boot
expect "v1 boots" "booted image 0 version 1.0.0\+0 from slot primary0"

check "flash v2 into the secondary" "$SIM" flash secondary v2.bin
expect "swap-offset upload offset is one sector" "slot offset 0x1000"
check "app upgrade (test)" "$SIM" app upgrade
check "app state" "$SIM" app state
expect "next boot is TEST" "next boot: TEST"
check "cut power at op 30" "$SIM" cut --at 30 --torn
expect "the cut is reported" "POWER LOST at flash op 30"
check "boot after the cut" "$SIM" boot
expect "v2 runs after resuming" "booted image 0 version 2.0.0\+0 .*not confirmed"
check "boot without confirming" "$SIM" boot
expect "unconfirmed v2 reverts to v1" "booted image 0 version 1.0.0\+0 .*swap REVERT"
check "boot again" "$SIM" boot
expect "a settled device moves nothing" "flash: 0 ops"

check "flash v3" "$SIM" flash secondary v3.bin
check "app upgrade --permanent" "$SIM" app upgrade --permanent
check "boot v3" "$SIM" boot
expect "permanent v3 is confirmed at once" "version 3.0.0\+0 .*swap PERM.*, confirmed"
check "stats" "$SIM" stats
expect "stats show no rule violations" " 0 rule violations"

# A tampered image is refused and v3 keeps running.
cp v2.bin bad.bin; printf '\x00' | dd of=bad.bin bs=1 seek=200 conv=notrunc 2>/dev/null
check "flash a tampered image" "$SIM" flash secondary bad.bin
check "request it" "$SIM" app upgrade
check "boot with a tampered upgrade" "$SIM" boot
expect "tampered image refused with its reason" "secondary refused: image hash mismatch"
expect "v3 still runs" "booted image 0 version 3.0.0\+0"

# The key as `keel getpub -e raw` DER instead of PEM.
check "getpub -e raw" "$KEEL" getpub -k root.pem -e raw -o root.der
sed -i 's|^key .*|key = root.der|' keel-sim.conf
check "boot with the DER key" "$SIM" boot
expect "the DER key verifies v3" "booted image 0 version 3.0.0\+0"

# Security counter in the NV counter file: raised after a permanent upgrade, older counters refused.
mkdir nv && cd nv || exit 1
head -c 9000 /dev/urandom > n.raw
check "sign s5" "$KEEL" sign -k ../root.pem --version 1.0.0 -s 5 -H 0x20 --pad-header -S 0x20000 --align 4 n.raw s5.bin
check "sign s7" "$KEEL" sign -k ../root.pem --version 1.1.0 -s 7 -H 0x20 --pad-header -S 0x20000 --align 4 n.raw s7.bin
check "sign s6" "$KEEL" sign -k ../root.pem --version 1.2.0 -s 6 -H 0x20 --pad-header -S 0x20000 --align 4 n.raw s6.bin
check "init with an NV counter" "$SIM" init --key ../root.pem --nv-counter nv.txt
check "flash s5" "$SIM" flash primary s5.bin
check "boot s5" "$SIM" boot
check "flash s7" "$SIM" flash secondary s7.bin
check "upgrade s7 (permanent)" "$SIM" app upgrade --permanent
check "boot s7" "$SIM" boot
if [ "$(head -1 nv.txt 2>/dev/null)" = 7 ]; then echo "ok   NV counter raised to 7"; else echo "FAIL NV counter is '$(head -1 nv.txt 2>/dev/null)', expected 7"; fails=$((fails+1)); fi
check "flash s6 (lower counter)" "$SIM" flash secondary s6.bin
check "upgrade s6" "$SIM" app upgrade --permanent
check "boot with s6 pending" "$SIM" boot
expect "lower security counter refused" "secondary refused: .*security counter"
expect "s7 keeps running" "booted image 0 version 1.1.0"
cd .. || exit 1

# Swap-move on mixed sectors is refused when the layout is loaded.
mkdir mixed && cd mixed || exit 1
check "init mixed swap-move" "$SIM" init --strategy swap-move --geometry mixed --key ../root.pem
if out=$("$SIM" boot 2>&1); then echo "FAIL swap-move on mixed sectors booted"; fails=$((fails+1)); else echo "ok   swap-move on mixed sectors fails"; fi
expect "the refusal names the layout" "layout refused"
cd .. || exit 1

# Bad layout lines are named.
printf 'sectors = 4x4K\nbogus = 1\n' > bad.conf
if out=$("$SIM" -c bad.conf boot 2>&1); then echo "FAIL bad layout accepted"; fails=$((fails+1)); fi
expect "unknown setting named with its line" "bad.conf:2: unknown setting 'bogus'"

echo "keel-sim: $fails failure(s)"
[ "$fails" -eq 0 ]
