#!/usr/bin/env bash
# make bench, nRF51 part: flash/RAM of keel-mbr and keel-boot (with and
# without serial recovery) and exact instructions from reset to the app's
# main() for a 64 KiB app under QEMU microbit (tests/nrf51/bench_nrf51.py,
# insncount plugin from tools/bench). Writes the "nRF51" section of
# docs/benchmarks.md between its markers. Usage: ports/nrf51/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-2}
write_doc=1
[ "${1:-}" = "--no-doc" ] && write_doc=0
scripts/deps.sh host cross qemu

dir=${KEEL_BENCH_DIR:-build-bench}-nrf51
echo "bench: building the nRF51 board in $dir" >&2
cmake -S . -B $dir -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=cortex-m0 \
  -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=nrf51 -DKEEL_SIG_ALGS=ed25519 -DKEEL_BOOT_ENC=OFF \
  >$dir.log 2>&1 || { cat $dir.log; exit 1; }
cmake --build $dir -j "$JOBS" >>$dir.log 2>&1 || { tail -30 $dir.log; exit 1; }

section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
  echo "## nRF51 boot chain (QEMU microbit)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (ports/nrf51/bench.sh) at commit"
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' plus local changes')."
  echo "arm-none-eabi-gcc $(arm-none-eabi-gcc -dumpversion), \`-Os -mcpu=cortex-m0 -mthumb\`, --gc-sections;"
  echo "keel-boot built with Ed25519 only (fast profile), no encrypted images, swap-offset;"
  echo "$(qemu-system-arm --version | head -1). Layout and stages: docs/nrf51.md."
  echo
  /usr/bin/python3 tests/nrf51/bench_nrf51.py $dir/ports/nrf51 $dir/host/tools/bench/libinsncount.so \
    arm-none-eabi-size
} >"$section"

cat "$section"
if [ $write_doc -eq 1 ]; then scripts/doc-section.sh docs/benchmarks.md nrf51 ports/nrf51/bench.sh "$section"; fi
