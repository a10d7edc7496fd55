/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nRF51 glue for the sample app: console and layout from ports/nrf51, and
 * the self test that TIMER0's interrupt and SVC reach the app's handlers
 * through keel-mbr's forwarding. QEMU's M0 has a VTOR the real nRF51
 * lacks; nothing writes it, and every handler checks it still reads 0, so
 * the handlers can only have been reached through the table at 0x0.
 */
#include <stdint.h>

#include "../app.h"
#include "nrf51.h"
#include "nrf51_port.h"

#define SCB_VTOR NRF_REG(SCB_VTOR_ADDR)

static volatile uint32_t timer_irqs, svc_calls, vtor_seen;

void TIMER0_IRQHandler(void);
void SVC_Handler(void);
void app_svc(uint32_t *frame);

void TIMER0_IRQHandler(void)
{
	TIMER0_COMPARE0 = 0;   /* level-triggered: clear the event */
	vtor_seen |= SCB_VTOR;
	/* Count to 10 and stop: a compare that fired while a loaded host ran the
	 * handler late still arrives, but is not counted. */
	if (timer_irqs < 10)
		timer_irqs++;
	if (timer_irqs == 10)
		TIMER0_STOP = 1;
}

/* SVC #imm: r0 = r0 + imm, through the stacked frame. */
void app_svc(uint32_t *frame)
{
	const uint16_t *pc = (const uint16_t *)frame[6];
	uint32_t imm = pc[-1] & 0xFFu;

	vtor_seen |= SCB_VTOR;
	svc_calls++;
	frame[0] += imm;
}

__attribute__((naked)) void SVC_Handler(void)
{
	__asm__ volatile(".syntax unified\n"
			 "movs r0, #4\n"
			 "mov  r1, lr\n"
			 "tst  r0, r1\n"
			 "beq  1f\n"
			 "mrs  r0, psp\n"
			 "b    app_svc\n"
			 "1:\n"
			 "mrs  r0, msp\n"
			 "b    app_svc\n");
}

static uint32_t svc42(uint32_t x)
{
	register uint32_t r0 __asm__("r0") = x;

	__asm__ volatile("svc #42" : "+r"(r0) : : "memory");
	return r0;
}

static int timer_test(void)
{
	uint32_t start;

	TIMER0_MODE = 0;
	TIMER0_BITMODE = 3;
	TIMER0_PRESCALER = 4;      /* 1 MHz */
	TIMER0_CC0 = 1000;         /* 1 ms */
	TIMER0_SHORTS = 1;         /* COMPARE0 -> CLEAR */
	TIMER0_INTENSET = 1u << 16;
	NVIC_ICPR = 1u << TIMER0_IRQ;
	NVIC_ISER = 1u << TIMER0_IRQ;
	__asm__ volatile("cpsie i" ::: "memory");
	TIMER0_CLEAR = 1;
	TIMER0_START = 1;
	start = nrf51_millis();
	while (timer_irqs < 10 && nrf51_millis() - start < 2000) {
	}
	/* TIMER0 back to its reset state; PRIMASK stays clear, or the SVC
	 * below would escalate to HardFault (ARMv6-M). */
	TIMER0_STOP = 1;
	TIMER0_INTENCLR = 1u << 16;
	NVIC_ICER = 1u << TIMER0_IRQ;
	TIMER0_SHORTS = 0;
	TIMER0_COMPARE0 = 0;
	NVIC_ICPR = 1u << TIMER0_IRQ;
	return timer_irqs >= 10 ? 0 : -1;
}

static int self_test(char *msg, size_t cap)
{
	int t = timer_test();
	uint32_t r = svc42(7);
	int ok = t == 0 && r == 49 && svc_calls == 1 && vtor_seen == 0 && SCB_VTOR == 0;
	char *p = msg;

	(void)cap;   /* the line below is under 120 characters */
	p = app_fmt_str(p, "app: TIMER0 irqs ");
	p = app_fmt_u32(p, timer_irqs);
	p = app_fmt_str(p, ", SVC #42 -> ");
	p = app_fmt_u32(p, r);
	p = app_fmt_str(p, ", VTOR ");
	p = app_fmt_str(p, vtor_seen || SCB_VTOR ? "WRITTEN" : "0");
	p = app_fmt_str(p, ", forwarded through keel-mbr: ");
	app_fmt_str(p, ok ? "ok" : "FAILED");
	return ok ? 0 : -1;
}

int main(void)
{
	static struct app_board b;

	nrf51_console_init();
	b.name = "nrf51";
	b.port = &nrf51_port;
	b.boot = nrf51_boot_config();
	b.self_test = self_test;
	app_main(&b);
}
