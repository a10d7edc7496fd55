/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Start-up for the stages after keel-mbr (keel-boot, the app): an ordinary
 * Cortex-M0 vector table, reached through the MBR's forwarding (no VTOR on
 * the nRF51), .data/.bss set-up, then main(). Handlers are weak: a stage
 * defines the ones it uses.
 */
#include <stdint.h>
#include <string.h>

#include "nrf51.h"

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int main(void);
void nrf51_reset_handler(void) __attribute__((noreturn));
void nrf51_default_handler(void);

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("nrf51_default_handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(TIMER0_IRQHandler);
WEAK_HANDLER(UART0_IRQHandler);

/* Stops here with the exception number visible in a debugger (IPSR). */
void nrf51_default_handler(void)
{
	for (;;)
		__asm__ volatile("nop");
}

__attribute__((section(".vectors"), used))
const void *const nrf51_vectors[48] = {
	[0] = _estack,
	[1] = (const void *)nrf51_reset_handler,
	[2] = (const void *)NMI_Handler,
	[3] = (const void *)HardFault_Handler,
	[4 ... 10] = (const void *)nrf51_default_handler,
	[11] = (const void *)SVC_Handler,
	[12 ... 13] = (const void *)nrf51_default_handler,
	[14] = (const void *)PendSV_Handler,
	[15] = (const void *)SysTick_Handler,
	[16 ... 17] = (const void *)nrf51_default_handler,
	[16 + 2] = (const void *)UART0_IRQHandler,
	[19 ... 23] = (const void *)nrf51_default_handler,
	[16 + TIMER0_IRQ] = (const void *)TIMER0_IRQHandler,
	[25 ... 47] = (const void *)nrf51_default_handler,
};

void nrf51_reset_handler(void)
{
	KEEL_MBR_FWD_PTR = (uint32_t)nrf51_vectors;
	memcpy(_sdata, _sidata, (size_t)((char *)_edata - (char *)_sdata));
	memset(_sbss, 0, (size_t)((char *)_ebss - (char *)_sbss));
	main();
	for (;;)
		__asm__ volatile("nop");
}
