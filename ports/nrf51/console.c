/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UART0 console, polled, and TIMER1 as a free-running 1 MHz clock for
 * millis() and read timeouts. nrf51_console_deinit() puts both back to
 * their reset state before a stage hands over.
 */
#include "nrf51.h"
#include "nrf51_port.h"

#define TIMER1_BASE 0x40009000u
#define TIMER1_START NRF_REG(TIMER1_BASE + 0x000)
#define TIMER1_STOP NRF_REG(TIMER1_BASE + 0x004)
#define TIMER1_CLEAR NRF_REG(TIMER1_BASE + 0x00C)
#define TIMER1_CAPTURE0 NRF_REG(TIMER1_BASE + 0x040)
#define TIMER1_BITMODE NRF_REG(TIMER1_BASE + 0x508)
#define TIMER1_PRESCALER NRF_REG(TIMER1_BASE + 0x510)
#define TIMER1_CC0 NRF_REG(TIMER1_BASE + 0x540)

void nrf51_console_init(void)
{
	UART0_PSELTXD = MICROBIT_PIN_TX;
	UART0_PSELRXD = MICROBIT_PIN_RX;
	UART0_BAUDRATE = UART_BAUD_115200;
	UART0_ENABLE = UART_ENABLE_ON;
	UART0_STARTTX = 1;
	UART0_STARTRX = 1;
	TIMER1_BITMODE = 3;     /* 32 bit */
	TIMER1_PRESCALER = 4;   /* 16 MHz / 16 = 1 MHz */
	TIMER1_CLEAR = 1;
	TIMER1_START = 1;
}

void nrf51_console_deinit(void)
{
	UART0_STOPRX = 1;
	UART0_STOPTX = 1;
	UART0_ENABLE = 0;
	UART0_PSELTXD = 0xFFFFFFFFu;
	UART0_PSELRXD = 0xFFFFFFFFu;
	UART0_BAUDRATE = 0x04000000u;   /* reset value (9600) */
	UART0_TXDRDY = 0;
	UART0_RXDRDY = 0;
	TIMER1_STOP = 1;
	TIMER1_CLEAR = 1;
	TIMER1_BITMODE = 0;
	TIMER1_PRESCALER = 4;   /* reset value */
	TIMER1_CC0 = 0;
}

void nrf51_console_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		UART0_TXDRDY = 0;
		UART0_TXD = *p++;
		while (!UART0_TXDRDY) {
		}
	}
}

void nrf51_puts(const char *s)
{
	const char *e = s;

	while (*e)
		e++;
	nrf51_console_write(s, (size_t)(e - s));
}

uint32_t nrf51_millis(void)
{
	TIMER1_CAPTURE0 = 1;
	return TIMER1_CC0 / 1000u;
}

int nrf51_console_read(void *buf, size_t len, uint32_t timeout_ms)
{
	uint8_t *p = buf;
	size_t n = 0;
	uint32_t start = nrf51_millis();

	while (n == 0 && len) {
		if (UART0_RXDRDY)
			break;
		if (nrf51_millis() - start >= timeout_ms)
			return 0;
	}
	/* After the first byte, take only what is already waiting. */
	while (n < len && UART0_RXDRDY) {
		UART0_RXDRDY = 0;   /* before RXD: QEMU re-raises it for queued bytes */
		p[n++] = (uint8_t)UART0_RXD;
	}
	return (int)n;
}
