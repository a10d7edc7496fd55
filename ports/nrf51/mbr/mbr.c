/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-mbr: stage 0 of the nRF51 chain, at flash 0x0 (docs/nrf51.md).
 *
 * The nRF51's Cortex-M0 has no VTOR, so the table at 0x0 is the only one
 * the core ever reads. Every entry but SP and reset points at mbr_forward,
 * which jumps to entry IPSR of the table whose address sits in the first
 * RAM word: the stage that runs stores its own table there. The MBR
 * reserves RAM 0x20000000-0x20000007 for that (pointer + marker) and uses
 * no other RAM except its stack, which the next stage takes over.
 *
 * Start-up: a pending request word, or a stage 1 whose magic/CRC does not
 * check, puts the MBR into its UART update mode (mbr_uart.c); otherwise it
 * starts its target (keel-boot, or the app in a "no stage 1" build).
 */
#include <stdint.h>

#include "../nrf51.h"
#include "mbr.h"

extern uint32_t _mbr_stack_top[];
void mbr_reset(void) __attribute__((noreturn));
void mbr_forward(void);
static void mbr_fault(void);

__attribute__((naked)) void mbr_forward(void)
{
	/* r0/r1 are already stacked by exception entry; LR keeps EXC_RETURN. */
	__asm__ volatile(".syntax unified\n"
			 "ldr  r0, =0x20000000\n"
			 "ldr  r0, [r0]\n"
			 "mrs  r1, ipsr\n"
			 "lsls r1, r1, #2\n"
			 "ldr  r0, [r0, r1]\n"
			 "bx   r0\n"
			 ".ltorg\n");
}

__attribute__((section(".vectors"), used))
static const void *const mbr_vectors[MBR_N_VECTORS] = {
	[0] = _mbr_stack_top,
	[1] = (const void *)mbr_reset,
	[2 ... MBR_N_VECTORS - 1] = (const void *)mbr_forward,
};

/* Where exceptions go while the MBR itself runs: nowhere useful, so reset. */
static const void *const mbr_self_table[MBR_N_VECTORS] = {
	[0 ... MBR_N_VECTORS - 1] = (const void *)mbr_fault,
};

static void mbr_fault(void)
{
	mbr_system_reset();
}

void mbr_system_reset(void)
{
	__asm__ volatile("dsb" ::: "memory");
	SCB_AIRCR = AIRCR_SYSRESETREQ;
	for (;;)
		__asm__ volatile("nop");
}

/* CRC-16/XMODEM with a 16-entry table: 32 bytes of table, ~4x the bitwise speed. */
static const uint16_t crc_nibble[16] = {
	0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
	0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
};

uint16_t mbr_crc16(uint16_t crc, const uint8_t *p, uint32_t len)
{
	while (len--) {
		crc ^= (uint16_t)(*p++ << 8);
		crc = (uint16_t)((crc << 4) ^ crc_nibble[crc >> 12]);
		crc = (uint16_t)((crc << 4) ^ crc_nibble[crc >> 12]);
	}
	return crc;
}

/* A vector table worth jumping to: SP inside RAM, Thumb reset vector above the MBR. */
static int table_ok(const uint32_t *vt)
{
	uint32_t sp = vt[0], pc = vt[1];

	return sp > NRF51_RAM + KEEL_MBR_RAM_RESERVED && sp <= NRF51_RAM_END && (sp & 3u) == 0 &&
	       (pc & 1u) && pc > KEEL_MBR_SIZE && pc < NRF51_FLASH_SIZE;
}

__attribute__((noreturn)) static void start(const uint32_t *vt)
{
	/* Interrupts were never enabled here and NVMC is back to read-only:
	 * the next stage finds the peripherals as reset left them. */
	KEEL_MBR_FWD_PTR = (uint32_t)vt;
	__asm__ volatile("msr msp, %0\n"
			 "bx  %1\n" ::"r"(vt[0]), "r"(vt[1]) : "memory");
	__builtin_unreachable();
}

/* Reads a request word and, if set, consumes it (programs it to 0). */
int mbr_take_request(uint32_t addr)
{
	if (NRF_REG(addr) != KEEL_REQ_MAGIC)
		return 0;
	NVMC_CONFIG = NVMC_CONFIG_WEN;
	while (!NVMC_READY) {
	}
	NRF_REG(addr) = 0;
	while (!NVMC_READY) {
	}
	NVMC_CONFIG = NVMC_CONFIG_REN;
	while (!NVMC_READY) {
	}
	return 1;
}

void mbr_reset(void)
{
	const uint32_t *vt;

	KEEL_MBR_FWD_PTR = (uint32_t)mbr_self_table;
	KEEL_MBR_FWD_MARK = KEEL_MBR_FWD_MAGIC;
	if (mbr_take_request(KEEL_REQ_MBR_UART))
		mbr_update_mode("requested");
	vt = mbr_target();
	if (!vt)
		mbr_update_mode(mbr_target_missing);
	if (!table_ok(vt))
		mbr_update_mode("bad vector table");
	start(vt);
}
