/* SPDX-License-Identifier: Apache-2.0 */
/* An unexpected trap: say what and where, then reset (never run on in an unknown state). */
#include "esp32c3_port.h"

void c3_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	c3_puts("\r\ntrap: mcause ");
	c3_puthex(mcause);
	c3_puts(" mepc ");
	c3_puthex(mepc);
	c3_puts(" mtval ");
	c3_puthex(mtval);
	c3_puts("\r\n");
	c3_reset();
}
