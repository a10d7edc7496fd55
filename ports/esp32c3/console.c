/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UART0 console, polled (the ROM leaves it at 115200 baud), and SYSTIMER
 * unit 0 as the millisecond clock for read timeouts.
 */
#include "esp32c3.h"
#include "esp32c3_port.h"

#define TX_FIFO_SIZE 128u

void c3_console_init(void)
{
	/* CLK_EN, UNIT0_WORK_EN: the ROM leaves unit 0 stopped. */
	SYSTIMER_CONF |= (1u << 31) | (1u << 30);
}

/*
 * Milliseconds from the 16 MHz count: microseconds (count >> 4, 32 bits,
 * wrapping after 71 minutes) divided in 32 bits, so no 64-bit division
 * routine is linked. Callers only take differences over short timeouts;
 * a wrap makes one timeout at most that much shorter, never endless.
 */
uint32_t c3_millis(void)
{
	uint32_t hi, lo;

	SYSTIMER_UNIT0_OP = 1u << 30;
	hi = SYSTIMER_UNIT0_HI;
	lo = SYSTIMER_UNIT0_LO;
	return ((hi << 28) | (lo >> 4)) / 1000u;
}

void c3_console_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		while (UART_TXCNT(UART0_STATUS) >= TX_FIFO_SIZE - 1)
			;
		UART0_FIFO = *p++;
	}
}

int c3_console_read(void *buf, size_t len, uint32_t timeout_ms)
{
	uint8_t *p = buf;
	uint32_t start = c3_millis();
	size_t n = 0;

	while (n < len) {
		if (UART_RXCNT(UART0_STATUS)) {
			p[n++] = (uint8_t)UART0_FIFO;
			continue;
		}
		if (n || c3_millis() - start >= timeout_ms)
			break;
	}
	return (int)n;
}

void c3_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	c3_console_write(s, n);
}

void c3_puthex(uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15u];
	b[10] = 0;
	c3_puts(b);
}
