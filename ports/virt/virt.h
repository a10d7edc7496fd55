/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU rv32 `virt`: the devices and the memory map keel-boot and the app use
 * (docs/virt.md). Device facts: ../shared/research/qemu.md section 3.
 */
#ifndef KEEL_VIRT_H
#define KEEL_VIRT_H

#include <stdint.h>

#define VIRT_REG32(a) (*(volatile uint32_t *)(a))
#define VIRT_REG8(a) (*(volatile uint8_t *)(a))

/* sifive_test: 0x5555 power off (exit 0), (code << 16) | 0x3333 exit code, 0x7777 reset. */
#define VIRT_TEST_BASE 0x00100000u
#define VIRT_TEST_PASS 0x5555u
#define VIRT_TEST_FAIL 0x3333u
#define VIRT_TEST_RESET 0x7777u

/* CLINT, 10 MHz mtime. */
#define VIRT_CLINT_BASE 0x02000000u
#define VIRT_MTIMECMP_LO (VIRT_CLINT_BASE + 0x4000u)
#define VIRT_MTIMECMP_HI (VIRT_CLINT_BASE + 0x4004u)
#define VIRT_MTIME_LO (VIRT_CLINT_BASE + 0xBFF8u)
#define VIRT_MTIME_HI (VIRT_CLINT_BASE + 0xBFFCu)
#define VIRT_MTIME_HZ 10000000u

/* NS16550A UART0. FCR is never written (qemu.md 3.2: it drops received bytes). */
#define VIRT_UART_BASE 0x10000000u
#define VIRT_UART_RBR VIRT_REG8(VIRT_UART_BASE + 0)
#define VIRT_UART_THR VIRT_REG8(VIRT_UART_BASE + 0)
#define VIRT_UART_IER VIRT_REG8(VIRT_UART_BASE + 1)
#define VIRT_UART_LSR VIRT_REG8(VIRT_UART_BASE + 5)
#define VIRT_LSR_DR 0x01u
#define VIRT_LSR_THRE 0x20u

/* Two CFI banks (Intel command set, two x16 chips on a 32-bit bus). */
#define VIRT_BANK0 0x20000000u
#define VIRT_BANK1 0x22000000u
#define VIRT_BANK_SIZE 0x02000000u
#define VIRT_SECTOR 0x40000u   /* 2 x 128 KiB erase blocks side by side */

/* Bank 0: keel-boot in sector 0 (executed in place from reset), request words in its last sector. */
#define VIRT_BOOT_BASE VIRT_BANK0
#define VIRT_BOOT_SIZE VIRT_SECTOR
#define VIRT_REQ_SECTOR (VIRT_BANK0 + VIRT_BANK_SIZE - VIRT_SECTOR)
#define VIRT_REQ_RECOVERY VIRT_REQ_SECTOR
#define VIRT_REQ_MAGIC 0x5155514Bu   /* "KQUQ" */

/* Bank 1: the slots (offsets on the bank-1 device). Swap-offset: secondary one sector larger. */
#define VIRT_SLOT0_OFF 0x000000u
#define VIRT_SLOT0_SIZE (4u * VIRT_SECTOR)
#define VIRT_SLOT1_OFF 0x100000u
#define VIRT_SLOT1_SIZE (5u * VIRT_SECTOR)
#define VIRT_IMG_HDR 0x100u

#endif
