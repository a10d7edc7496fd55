# SPDX-License-Identifier: Apache-2.0
# RV32 builds with Debian's riscv64-unknown-elf toolchain. KEEL_RISCV_ARCH:
# rv32imac (QEMU virt) or rv32imc (ESP32-C3).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_OBJCOPY riscv64-unknown-elf-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE riscv64-unknown-elf-size CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(KEEL_RISCV_ARCH "rv32imac" CACHE STRING "RISC-V ISA string")
set(KEEL_ARCH "riscv" CACHE STRING "")
set(CMAKE_C_FLAGS_INIT "-march=${KEEL_RISCV_ARCH}_zicsr -mabi=ilp32 -ffreestanding -ffunction-sections -fdata-sections")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
