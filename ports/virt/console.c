/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NS16550A console, polled, and the CLINT's 10 MHz mtime as the clock for
 * millis() and read timeouts. No UART set-up at all: QEMU needs no baud
 * rate, and writing FCR would drop bytes the host already sent (qemu.md 3.2).
 */
#include "virt.h"
#include "virt_port.h"

uint64_t virt_mtime(void)
{
	uint32_t hi, lo;

	do {
		hi = VIRT_REG32(VIRT_MTIME_HI);
		lo = VIRT_REG32(VIRT_MTIME_LO);
	} while (hi != VIRT_REG32(VIRT_MTIME_HI));
	return (uint64_t)hi << 32 | lo;
}

/* mtime / 10000 without a 64-bit divide: 2^32 ticks are 429496.7296 ms. */
uint32_t virt_millis(void)
{
	uint64_t t = virt_mtime();
	uint32_t hi = (uint32_t)(t >> 32), lo = (uint32_t)t;

	return hi * 429497u - (uint32_t)(((uint64_t)hi * 2704u) / 10000u) + lo / 10000u;
}

void virt_console_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		while (!(VIRT_UART_LSR & VIRT_LSR_THRE)) {
		}
		VIRT_UART_THR = *p++;
	}
}

void virt_puts(const char *s)
{
	const char *e = s;

	while (*e)
		e++;
	virt_console_write(s, (size_t)(e - s));
}

int virt_console_read(void *buf, size_t len, uint32_t timeout_ms)
{
	uint8_t *p = buf;
	size_t n = 0;
	uint32_t start = virt_millis();

	while (len && !(VIRT_UART_LSR & VIRT_LSR_DR)) {
		if (virt_millis() - start >= timeout_ms)
			return 0;
	}
	/* After the first byte, take only what is already waiting. */
	while (n < len && (VIRT_UART_LSR & VIRT_LSR_DR))
		p[n++] = VIRT_UART_RBR;
	return (int)n;
}
