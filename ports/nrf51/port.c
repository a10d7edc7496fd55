/* SPDX-License-Identifier: Apache-2.0 */
/* The keel_port of the nRF51: console, request-word trigger, reset, hand-over. */
#include "nrf51.h"
#include "nrf51_port.h"

void nrf51_reset(void)
{
	__asm__ volatile("dsb" ::: "memory");
	SCB_AIRCR = AIRCR_SYSRESETREQ;
	for (;;)
		__asm__ volatile("nop");
}

/* A pending request is consumed when seen, so the next reset boots normally. */
static int recovery_requested(void)
{
	return nrf51_take_request(KEEL_REQ_RECOVERY);
}

const struct keel_port nrf51_port = {
	.console_write = nrf51_console_write,
	.console_read = nrf51_console_read,
	.recovery_requested = recovery_requested,
	.detect_window_ms = 0,
	.millis = nrf51_millis,
	.watchdog_feed = 0,      /* QEMU models no WDT; keel-boot never starts it */
	.reset = nrf51_reset,
	.nv_counter = 0,
};

void nrf51_start(const uint32_t *vt)
{
	/* No VTOR on this core: the MBR forwards through this pointer. */
	KEEL_MBR_FWD_PTR = (uint32_t)vt;
	__asm__ volatile("msr msp, %0\n"
			 "bx  %1\n" ::"r"(vt[0]), "r"(vt[1]) : "memory");
	__builtin_unreachable();
}
