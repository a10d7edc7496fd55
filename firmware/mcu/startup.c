/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "mcu.h"

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];

void keel_mcu_reset(void) __attribute__((noreturn));
void keel_mcu_fault(void) __attribute__((noreturn));

void keel_mcu_reset(void)
{
	memcpy(_sdata, _sidata, (size_t)((char *)_edata - (char *)_sdata));
	memset(_sbss, 0, (size_t)((char *)_ebss - (char *)_sbss));
	mcu_exit(main());
}

/* Any exception is a test failure with a distinct status. */
void keel_mcu_fault(void)
{
	mcu_puts("mcu: unexpected exception\n");
	mcu_exit(99);
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
	(void (*)(void))_estack, keel_mcu_reset, keel_mcu_fault, keel_mcu_fault,
	keel_mcu_fault, keel_mcu_fault, keel_mcu_fault, 0, 0, 0, 0,
	keel_mcu_fault, keel_mcu_fault, 0, keel_mcu_fault, keel_mcu_fault,
};
