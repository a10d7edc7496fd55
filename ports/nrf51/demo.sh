#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make demo, nRF51 part (called by scripts/demo.sh): builds the nRF51 board
# (Cortex-M0 cross build) and runs the boot chain on QEMU's micro:bit:
# boot through keel-mbr and keel-boot, update v1 -> v2 over the UART, and a
# v3 that never confirms being reverted.
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-$(nproc)}
dir=${BUILD:-build}-nrf51
scripts/deps.sh host cross qemu
echo "== Building the nRF51 board in $dir (keel-mbr, keel-boot, app; keys made by keel keygen)"
cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=cortex-m0 \
  -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_BOARD=nrf51 -DKEEL_SIG_ALGS=ed25519 -DKEEL_BOOT_ENC=OFF \
  >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cmake --build "$dir" -j "$JOBS" >>"$dir.log" 2>&1 || { tail -30 "$dir.log"; exit 1; }
exec /usr/bin/python3 tests/nrf51/demo_nrf51.py "$dir/ports/nrf51"
