#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The simulator's part of make bench (called by scripts/bench.sh): flash wear per
# upgrade and per revert as a function of the image size for each strategy (exact
# counts from the simulated flash), and host instructions (callgrind) for keel-boot
# to validate a 256 KiB and a 1 MiB image. Writes the "Upgrades on the simulator"
# section of docs/benchmarks.md between its markers and prints it.
# Usage: ports/sim/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-2}
write_doc=1
[ "${1:-}" = "--no-doc" ] && write_doc=0
scripts/deps.sh host crypto   # valgrind comes with the crypto group

dir=${KEEL_BENCH_DIR:-build-bench}-sim
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cmake --build "$dir" --target pf_bench keel -j "$JOBS" >>"$dir.log" 2>&1 || { tail -30 "$dir.log"; exit 1; }
export KEEL_BUILD
KEEL_BUILD=$(cd "$dir" && pwd)
bench=$KEEL_BUILD/tests/powerfail/pf_bench

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# callgrind Ir inside keel_boot() for one boot that validates the primary.
insns() {
  valgrind --tool=callgrind --toggle-collect=keel_boot --callgrind-out-file="$tmp/cg" \
    "$bench" validate "$1" "$2" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; exit 1; }
  awk '$1 == "summary:" { print $2 }' "$tmp/cg"
}
mil() { awk -v x="$1" 'BEGIN { printf "%.1f M", x / 1e6 }'; }

section=$tmp/section
{
  echo "## Upgrades on the simulator"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (ports/sim/bench.sh) at commit"
  echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' plus local changes')."
  echo
  echo "### Flash wear per upgrade and per revert"
  echo
  echo "Exact counts from the simulated flash (ports/sim/simflash.c) for one test"
  echo "upgrade (the boot that swaps the new image in) and the revert that follows when"
  echo "the app does not confirm. Layout: 4 KiB sectors, write size 4, slots of 72"
  echo "sectors (swap-offset: secondary one sector larger; swap-move: primary one sector"
  echo "larger; swap-scratch: a one-sector scratch area). N = sectors the images occupy"
  echo "(header, payload and TLVs). \"erases\" counts sectors erased, KiB are bytes"
  echo "programmed (images and trailer writes). Overwrite-only has no revert."
  echo
  "$bench" wear
  echo
  echo "The target for Keel's default strategy (swap-offset) is at most 2N + 4 erases"
  echo "per upgrade."
  echo
  echo "### Host instructions to validate an image"
  echo
  echo "One \`keel_boot()\` with nothing to install and the primary re-verified (hash of"
  echo "header + payload + protected TLVs, key lookup, signature), counted by"
  echo "\`valgrind --tool=callgrind --toggle-collect=keel_boot\` (instructions executed"
  echo "inside keel_boot and everything it calls, including the simulated flash reads)."
  echo "x86-64, gcc $(gcc -dumpversion), CMAKE_BUILD_TYPE=RelWithDebInfo (-O2), Keel's own crypto."
  echo
  echo "| Image | Ed25519 | ECDSA-P256 |"
  echo "|---|---:|---:|"
  for sz in 262144 1048576; do
    e=$(insns $sz ed25519); p=$(insns $sz ecdsa-p256)
    echo "| $((sz / 1024)) KiB | $(mil "$e") ($e) | $(mil "$p") ($p) |"
  done
} >"$section"

cat "$section"
if [ $write_doc -eq 1 ]; then scripts/doc-section.sh docs/benchmarks.md simulator ports/sim/bench.sh "$section"; fi
