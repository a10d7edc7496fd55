#!/usr/bin/env bash
# Runs Keel's test suites and prints each suite's wall time.
# Usage: scripts/test.sh [SUITE...]   (default: all suites)
# Suites: host, asan, cross (includes nrf51 and virt), nrf51, virt, virt-powerfail, fuzz (ctest labels within them are listed in README.md).
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

scripts/deps.sh host crypto cross qemu serial fuzz esp || exit 1

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(host asan cross fuzz)

total_pass=0 total_fail=0 failed_suites=()
summary=()

# ctest_suite NAME BUILD_DIR CMAKE_ARGS... -- CTEST_ARGS...
ctest_suite() {
  local name=$1 dir=$2; shift 2
  local cm=() ct=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do cm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  ct=("$@")
  local t0=$SECONDS log="$dir/suite.log"
  echo "=== suite $name ($dir)"
  mkdir -p "$dir"
  if ! cmake -S . -B "$dir" "${cm[@]}" >"$dir/configure.log" 2>&1; then
    cat "$dir/configure.log"; record "$name" 0 1 $t0; return
  fi
  if ! cmake --build "$dir" -j "$JOBS" >"$dir/build.log" 2>&1; then
    tail -40 "$dir/build.log"; record "$name" 0 1 $t0; return
  fi
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$JOBS" "${ct[@]}" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} line pass fail total skipped
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  # A skipped test (e.g. no emulator) did not pass: it counts as a failure.
  skipped=$(grep -cE '\*\*\*Skipped' "$log")
  if [ -z "$line" ]; then
    pass=0 fail=1
  else
    fail=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    fail=$((fail + skipped))
    pass=$((total - fail))
  fi
  [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
  record "$name" "$pass" "$fail" $t0
}

record() {
  local name=$1 pass=$2 fail=$3 t0=$4
  total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail))
  [ "$fail" -ne 0 ] && failed_suites+=("$name")
  summary+=("$(printf '%-12s %4d passed %3d failed %5ds' "$name" "$pass" "$fail" $((SECONDS - t0)))")
}

# The nRF51 board (QEMU microbit, docs/nrf51.md): its own M0 build, Ed25519 only.
nrf51_suite() {
  ctest_suite nrf51 build-nrf51 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=cortex-m0 \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=nrf51 -DKEEL_SIG_ALGS=ed25519 -DKEEL_BOOT_ENC=OFF -- -L nrf51
}

# The rv32 virt board (QEMU virt, CFI flash, docs/virt.md): its own RV32 build. The toolchain
# file passes no libc headers; picolibc's specs give them (so its C flags are spelled out here).
# virt_suite [CTEST_ARGS...] (default: label virt without the long tests)
virt_suite() {
  local ct=("$@")
  [ ${#ct[@]} -eq 0 ] && ct=(-L virt -LE long)
  ctest_suite virt build-virt -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-unknown-elf.cmake \
    "-DCMAKE_C_FLAGS=-march=rv32imac_zicsr -mabi=ilp32 -ffreestanding -ffunction-sections -fdata-sections --specs=picolibc.specs" \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=virt "-DKEEL_SIG_ALGS=ed25519;ecdsa_p256" -DKEEL_BOOT_ENC=OFF \
    -- "${ct[@]}"
}

# The ESP32-C3 board (Espressif's QEMU with the real mask ROM, docs/esp32c3.md): rv32imc, ECDSA-P256.
esp32c3_suite() {
  ctest_suite esp32c3 build-esp32c3 -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-unknown-elf.cmake -DKEEL_RISCV_ARCH=rv32imc \
    "-DCMAKE_C_FLAGS=-march=rv32imc_zicsr -mabi=ilp32 --specs=picolibc.specs -ffreestanding -ffunction-sections -fdata-sections -msave-restore" \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=esp32c3 -DKEEL_SIG_ALGS=ecdsa_p256 -DKEEL_BOOT_ENC=OFF -DKEEL_HASH_SHA512=OFF -- -L esp32c3
}

for s in "${suites[@]}"; do
  case "$s" in
    host)  ctest_suite host build -DCMAKE_BUILD_TYPE=RelWithDebInfo -- -LE 'sanitize-only|soak|long' ;;
    asan)  ctest_suite asan build-asan -DCMAKE_BUILD_TYPE=Debug -DKEEL_SANITIZE=ON -- -LE 'no-sanitize|soak|long' ;;
    cross) ctest_suite m0 build-m0 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=cortex-m0 -DCMAKE_BUILD_TYPE=MinSizeRel --
           ctest_suite m4 build-m4 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=cortex-m4 -DCMAKE_BUILD_TYPE=MinSizeRel --
           nrf51_suite
           virt_suite
           esp32c3_suite ;;
    nrf51) nrf51_suite ;;
    esp32c3) esp32c3_suite ;;
    virt)  virt_suite ;;
    virt-powerfail) virt_suite -L long ;;   # the virt power-cut tests with a cut at every command
    crypto) ctest_suite crypto build -DCMAKE_BUILD_TYPE=RelWithDebInfo -- -L crypto ;;
    powerfail) ctest_suite powerfail build -DCMAKE_BUILD_TYPE=RelWithDebInfo -- -L powerfail ;;
    fuzz)  ctest_suite fuzz build-fuzz -DCMAKE_C_COMPILER=clang -DKEEL_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug -- -L fuzz ;;
    *) echo "test.sh: unknown suite '$s'" >&2; exit 2 ;;
  esac
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
[ ${#failed_suites[@]} -gt 0 ] && echo "failed suites: ${failed_suites[*]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
