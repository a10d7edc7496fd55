#!/usr/bin/env bash
# make bench, ESP32-C3 part: keel-boot's ESP image size (the bytes the ROM loads) with
# serial recovery, and guest instructions from the ROM's hand-off to the app's entry for a
# 256 KiB app, per signature type, under Espressif's QEMU with the real ROM
# (tests/esp32c3/c3_bench.py). Writes the "esp32c3" section of docs/benchmarks.md through
# scripts/doc-section.sh. Usage: ports/esp32c3/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-2}
write_doc=1
[ "${1:-}" = "--no-doc" ] && write_doc=0
scripts/deps.sh host cross esp

prefix=${KEEL_BENCH_DIR:-build-bench}-esp32c3
host=$prefix-host
echo "bench: host keel in $host" >&2
cmake -S . -B $host -DCMAKE_BUILD_TYPE=RelWithDebInfo >$host.log 2>&1 || { cat $host.log; exit 1; }
cmake --build $host --target keel -j "$JOBS" >>$host.log 2>&1 || { tail -30 $host.log; exit 1; }

flags="-march=rv32imc_zicsr -mabi=ilp32 --specs=picolibc.specs -ffreestanding -ffunction-sections -fdata-sections -msave-restore"
rows=$(mktemp)
section=$(mktemp)
trap 'rm -f "$rows" "$section"' EXIT
# alg (KEEL_SIG_ALGS) and key type (keel keygen -t)
for pair in ecdsa_p256:ecdsa-p256 ed25519:ed25519 rsa2048:rsa-2048 rsa3072:rsa-3072; do
  alg=${pair%%:*} kt=${pair#*:}
  dir=$prefix-$alg
  echo "bench: building keel-boot ($alg) in $dir" >&2
  cmake -S . -B $dir -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-unknown-elf.cmake -DKEEL_RISCV_ARCH=rv32imc \
    "-DCMAKE_C_FLAGS=$flags" -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=esp32c3 -DKEEL_SIG_ALGS=$alg \
    -DKEEL_C3_KEY_TYPE=$kt -DKEEL_BOOT_ENC=OFF -DKEEL_HASH_SHA512=OFF -DKEEL_HOST_BUILD=$(realpath $host) \
    >$dir.log 2>&1 || { cat $dir.log; exit 1; }
  cmake --build $dir -j "$JOBS" >>$dir.log 2>&1 || { tail -30 $dir.log; exit 1; }
  KEEL_SHARED=${KEEL_SHARED:-$(cd .. && pwd)/shared} KEEL_BUILD=$(realpath $dir) KEEL_HOST_BUILD=$(realpath $host) \
    /usr/bin/python3 tests/esp32c3/c3_bench.py $dir/ports/esp32c3 "$kt" | grep '^|' >>"$rows"
done
{
  echo "## ESP32-C3: keel-boot behind the real mask ROM (Espressif QEMU)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (ports/esp32c3/bench.sh) at commit"
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' plus local changes')."
  echo "riscv64-unknown-elf-gcc $(riscv64-unknown-elf-gcc -dumpversion), \`-Os -march=rv32imc -msave-restore\`,"
  echo "--gc-sections, picolibc; keel-boot with serial recovery, one signature type each, no encrypted"
  echo "images, no SHA-512, swap-scratch (bootloader.conf). Image = \`keel esp image\` output at flash 0x0;"
  echo "loaded = the segment bytes the ROM copies. Instructions: minstret under \`-icount shift=0\` read"
  echo "at breakpoints on keel-boot's and the app's entry; the app is a 256 KiB payload (hash and signature"
  echo "over all of it), its RAM segments copied and flash segments mapped. Target: <= 24 KB (MCUboot's"
  echo "port loads 48.8 KB with SBv2 + flash encryption)."
  echo
  echo "| keel-boot key | ESP image bytes | same without serial recovery | loaded by the ROM | ROM reset -> keel-boot | keel-boot -> app entry |"
  echo "|---|---|---|---|---|---|"
  cat "$rows"
} >"$section"
cat "$section"
if [ $write_doc -eq 1 ]; then
  scripts/doc-section.sh docs/benchmarks.md esp32c3 ports/esp32c3/bench.sh "$section"
fi
