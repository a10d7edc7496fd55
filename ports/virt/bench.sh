#!/usr/bin/env bash
# make bench, rv32 virt part: exact instructions from reset to the app for a
# 256 KiB image (Ed25519, ECDSA-P256), the swap of a 256 KiB test upgrade per
# strategy (swap-offset, swap-move) in emulated instructions and CFI commands,
# and keel-boot's size for rv32imac (tests/virt/bench_virt.py, insncount plugin
# from tools/bench). Writes the "virt" section of docs/benchmarks.md through
# scripts/doc-section.sh. Usage: ports/virt/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-2}
write_doc=1
[ "${1:-}" = "--no-doc" ] && write_doc=0
scripts/deps.sh host cross qemu

dir=${KEEL_BENCH_DIR:-build-bench}-virt
echo "bench: building the rv32 virt board in $dir" >&2
cmake -S . -B $dir -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-unknown-elf.cmake \
  "-DCMAKE_C_FLAGS=-march=rv32imac_zicsr -mabi=ilp32 -ffreestanding -ffunction-sections -fdata-sections --specs=picolibc.specs" \
  -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=virt "-DKEEL_SIG_ALGS=ed25519;ecdsa_p256" -DKEEL_BOOT_ENC=OFF \
  ${KEEL_HOST_BUILD:+-DKEEL_HOST_BUILD=$KEEL_HOST_BUILD} >$dir.log 2>&1 || { cat $dir.log; exit 1; }
cmake --build $dir -j "$JOBS" >>$dir.log 2>&1 || { tail -30 $dir.log; exit 1; }
host=${KEEL_HOST_BUILD:-$dir/host}

section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
  echo "## rv32 virt (QEMU virt, CFI flash)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (ports/virt/bench.sh) at commit"
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' plus local changes')."
  echo "riscv64-unknown-elf-gcc $(riscv64-unknown-elf-gcc -dumpversion), \`-Os -march=rv32imac_zicsr -mabi=ilp32\`,"
  echo "--gc-sections; keel-boot with Ed25519 (fast profile) and ECDSA-P256, no encrypted images;"
  echo "$(qemu-system-riscv32 --version | head -1). Layout and driver: docs/virt.md."
  echo
  /usr/bin/python3 tests/virt/bench_virt.py $dir/ports/virt "$host"
} >"$section"

cat "$section"
if [ $write_doc -eq 1 ]; then
  scripts/doc-section.sh docs/benchmarks.md virt ports/virt/bench.sh "$section"
fi
