/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rv32 virt glue for the sample app: console and layout from ports/virt,
 * and the self test that the app's own trap vector (set by its start-up,
 * not keel-boot's) takes CLINT timer interrupts and an ecall.
 */
#include <stdint.h>

#include "../app.h"
#include "virt.h"
#include "virt_port.h"

#define TICK (VIRT_MTIME_HZ / 1000u)   /* 1 ms */

static volatile uint32_t timer_irqs, ecalls;
extern void virt_trap_entry(void);

static void arm(uint64_t when)
{
	VIRT_REG32(VIRT_MTIMECMP_HI) = 0xFFFFFFFFu;
	VIRT_REG32(VIRT_MTIMECMP_LO) = (uint32_t)when;
	VIRT_REG32(VIRT_MTIMECMP_HI) = (uint32_t)(when >> 32);
}

uint32_t virt_trap_handler(uint32_t mcause, uint32_t mepc, uint32_t *frame)
{
	if (mcause == 0x80000007u) {           /* machine timer */
		if (++timer_irqs < 10)
			arm(virt_mtime() + TICK);
		else
			__asm__ volatile("csrc mie, %0" : : "r"(1u << 7));
		return mepc;
	}
	if (mcause == 11u) {                   /* ecall from M-mode: a0 += a7 */
		ecalls++;
		frame[4] += frame[11];
		return mepc + 4;
	}
	virt_puts("app: unexpected trap\r\n");
	virt_poweroff(4);
}

static uint32_t ecall42(uint32_t x)
{
	register uint32_t a0 __asm__("a0") = x;
	register uint32_t a7 __asm__("a7") = 42;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return a0;
}

static int self_test(char *msg, size_t cap)
{
	uint32_t mtvec, start, r;
	int ok;
	char *p = msg;

	(void)cap;   /* the line below is under 100 characters */
	__asm__ volatile("csrr %0, mtvec" : "=r"(mtvec));
	arm(virt_mtime() + TICK);
	__asm__ volatile("csrs mie, %0\n csrsi mstatus, 8" : : "r"(1u << 7) : "memory");
	start = virt_millis();
	while (timer_irqs < 10 && virt_millis() - start < 2000) {
	}
	__asm__ volatile("csrci mstatus, 8\n csrc mie, %0" : : "r"(1u << 7) : "memory");
	r = ecall42(7);
	ok = timer_irqs == 10 && r == 49 && ecalls == 1 && mtvec == (uint32_t)virt_trap_entry;
	p = app_fmt_str(p, "app: CLINT timer irqs ");
	p = app_fmt_u32(p, timer_irqs);
	p = app_fmt_str(p, ", ecall -> ");
	p = app_fmt_u32(p, r);
	p = app_fmt_str(p, ", trap vector in the app: ");
	app_fmt_str(p, ok ? "ok" : "FAILED");
	return ok ? 0 : -1;
}

int main(void)
{
	static struct app_board b;

	b.name = "rv32 virt";
	b.port = &virt_port;
	b.boot = virt_boot_config();
	b.self_test = self_test;
	app_main(&b);
}
