/* SPDX-License-Identifier: Apache-2.0 */
/* The keel_port of rv32 virt: console, request-word trigger, reset through sifive_test. */
#include "keel/err.h"
#include "virt.h"
#include "virt_port.h"

void virt_reset(void)
{
	VIRT_REG32(VIRT_TEST_BASE) = VIRT_TEST_RESET;
	for (;;)
		__asm__ volatile("wfi");
}

void virt_poweroff(uint32_t code)
{
	VIRT_REG32(VIRT_TEST_BASE) = code ? (code << 16 | VIRT_TEST_FAIL) : VIRT_TEST_PASS;
	for (;;)
		__asm__ volatile("wfi");
}

/*
 * A pending request is consumed when seen (programmed to 0, which only
 * clears bits), so the next reset boots normally. The harness, or an app,
 * sets it in an erased request sector.
 */
int virt_take_request(void)
{
	static const uint32_t zero;
	const uint32_t off = VIRT_REQ_RECOVERY - VIRT_BANK0;

	if (VIRT_REG32(VIRT_REQ_RECOVERY) != VIRT_REQ_MAGIC)
		return 0;
	if (virt_flash_boot.ops->prog(&virt_flash_boot, off, &zero, 4))
		virt_puts("keel: could not consume the recovery request word\r\n");
	return 1;
}

static int recovery_requested(void)
{
	return virt_take_request();
}

const struct keel_port virt_port = {
	.console_write = virt_console_write,
	.console_read = virt_console_read,
	.recovery_requested = recovery_requested,
	.detect_window_ms = 0,
	.millis = virt_millis,
	.watchdog_feed = 0,      /* virt has no watchdog */
	.reset = virt_reset,
	.nv_counter = 0,
};

static void hex32(char *p, uint32_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15u];
	p[8] = 0;
}

/* Any trap in a stage without its own handler is a bug: say so and stop QEMU (exit 3). */
__attribute__((weak)) uint32_t virt_trap_handler(uint32_t mcause, uint32_t mepc, uint32_t *frame)
{
	char h[9];

	(void)frame;
	virt_puts("keel: unexpected trap mcause 0x");
	hex32(h, mcause);
	virt_puts(h);
	virt_puts(" mepc 0x");
	hex32(h, mepc);
	virt_puts(h);
	virt_puts("\r\n");
	virt_poweroff(3);
}

void virt_start(uint32_t addr)
{
	__asm__ volatile("csrci mstatus, 8\n"
			 "csrw mie, zero\n"
			 ".4byte 0x0000100f\n"   /* fence.i */
			 "jr %0\n" : : "r"(addr) : "memory");
	__builtin_unreachable();
}
