/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-mbr's UART update mode: a minimal request/reply protocol with a
 * CRC-16 over every frame (docs/nrf51.md, "MBR UART protocol").
 *
 *   request: 'K' 'M' cmd len16 addr32 payload[len] crc16   (crc over cmd..payload)
 *   reply:   'k' 'm' status len16 data[len] crc16         (crc over status..data)
 *
 * All integers little endian. Nothing below KEEL_MBR_SIZE can be erased or
 * written, so the MBR cannot overwrite itself. The mode ends with a system
 * reset (command 'B'), which also returns UART0 and NVMC to their reset
 * state for whatever starts next.
 */
#include <stdint.h>

#include "../nrf51.h"
#include "mbr.h"

#define MAX_PAYLOAD 256u

/*
 * Writable window. The default build accepts anything above the MBR; the
 * production-style build (keel-mbr-locked, -DMBR_WRITE_END=KEEL_SLOT0_BASE)
 * only keel-boot's region, so apps arrive signed, through keel-boot.
 */
#ifndef MBR_WRITE_END
#define MBR_WRITE_END NRF51_FLASH_SIZE
#endif

enum { ST_OK = 0, ST_CRC = 1, ST_CMD = 2, ST_RANGE = 3, ST_VERIFY = 4 };

static void tx(uint8_t c)
{
	UART0_TXDRDY = 0;
	UART0_TXD = c;
	while (!UART0_TXDRDY) {
	}
}

static uint8_t rx(void)
{
	while (!UART0_RXDRDY) {
	}
	UART0_RXDRDY = 0;   /* before reading RXD: QEMU re-raises it for queued bytes */
	return (uint8_t)UART0_RXD;
}

static void puts_(const char *s)
{
	while (*s)
		tx((uint8_t)*s++);
}

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void reply(uint8_t status, const uint8_t *data, uint16_t len)
{
	uint8_t h[3] = { status, (uint8_t)len, (uint8_t)(len >> 8) };
	uint16_t crc = mbr_crc16(mbr_crc16(0, h, 3), data, len);

	tx('k');
	tx('m');
	for (unsigned i = 0; i < 3; i++)
		tx(h[i]);
	for (unsigned i = 0; i < len; i++)
		tx(data[i]);
	tx((uint8_t)crc);
	tx((uint8_t)(crc >> 8));
}

static void nvmc(uint32_t mode)
{
	NVMC_CONFIG = mode;
	while (!NVMC_READY) {
	}
}

/* Only whole regions inside flash and above the MBR. */
static int allowed(uint32_t addr, uint32_t len)
{
	return addr >= KEEL_MBR_SIZE && addr < MBR_WRITE_END && len <= MBR_WRITE_END - addr;
}

static uint8_t erase_page(uint32_t addr)
{
	if ((addr & (NRF51_PAGE - 1)) || !allowed(addr, NRF51_PAGE))
		return ST_RANGE;
	nvmc(NVMC_CONFIG_EEN);
	NVMC_ERASEPAGE = addr;
	while (!NVMC_READY) {
	}
	nvmc(NVMC_CONFIG_REN);
	for (uint32_t a = addr; a < addr + NRF51_PAGE; a += 4)
		if (NRF_REG(a) != 0xFFFFFFFFu)
			return ST_VERIFY;
	return ST_OK;
}

static uint8_t write_words(uint32_t addr, const uint8_t *p, uint32_t len)
{
	uint8_t st = ST_OK;

	if ((addr & 3u) || (len & 3u) || !allowed(addr, len))
		return ST_RANGE;
	nvmc(NVMC_CONFIG_WEN);
	for (uint32_t i = 0; i < len; i += 4) {
		NRF_REG(addr + i) = le(p + i, 4);
		while (!NVMC_READY) {
		}
	}
	nvmc(NVMC_CONFIG_REN);
	for (uint32_t i = 0; i < len; i += 4)
		if (NRF_REG(addr + i) != le(p + i, 4))
			st = ST_VERIFY;
	return st;
}

static void handle(uint8_t cmd, uint32_t addr, const uint8_t *p, uint16_t len)
{
	uint8_t out[20];
	uint32_t n;
	uint16_t crc;

	switch (cmd) {
	case 'I': /* flash size, page size, writable from, max payload, writable up to */
		n = NRF51_FLASH_SIZE;
		for (unsigned i = 0; i < 4; i++) {
			out[i] = (uint8_t)(n >> 8 * i);
			out[4 + i] = (uint8_t)(NRF51_PAGE >> 8 * i);
			out[8 + i] = (uint8_t)(KEEL_MBR_SIZE >> 8 * i);
			out[16 + i] = (uint8_t)(MBR_WRITE_END >> 8 * i);
			out[12 + i] = (uint8_t)(MAX_PAYLOAD >> 8 * i);
		}
		reply(ST_OK, out, 20);
		return;
	case 'E':
		reply(erase_page(addr), 0, 0);
		return;
	case 'W':
		reply(write_words(addr, p, len), 0, 0);
		return;
	case 'C': /* CRC-16 of [addr, addr + payload u32) */
		n = len == 4 ? le(p, 4) : 0;
		if (len != 4 || addr >= NRF51_FLASH_SIZE || n > NRF51_FLASH_SIZE - addr) {
			reply(ST_RANGE, 0, 0);
			return;
		}
		crc = mbr_crc16(0, (const uint8_t *)addr, n);
		out[0] = (uint8_t)crc;
		out[1] = (uint8_t)(crc >> 8);
		reply(ST_OK, out, 2);
		return;
	case 'B':
		reply(ST_OK, 0, 0);
		while (!UART0_TXDRDY) {
		}
		mbr_system_reset();
	default:
		reply(ST_CMD, 0, 0);
	}
}

void mbr_update_mode(const char *why)
{
	uint8_t f[7 + MAX_PAYLOAD + 2];

	UART0_PSELTXD = MICROBIT_PIN_TX;
	UART0_PSELRXD = MICROBIT_PIN_RX;
	UART0_BAUDRATE = UART_BAUD_115200;
	UART0_ENABLE = UART_ENABLE_ON;
	UART0_STARTTX = 1;
	UART0_STARTRX = 1;
	puts_("keel-mbr: update mode (");
	puts_(why);
	puts_(")\r\n");
	for (;;) {
		uint16_t len;

		if (rx() != 'K' || rx() != 'M')
			continue;
		for (unsigned i = 0; i < 7; i++)
			f[i] = rx();
		len = (uint16_t)le(f + 1, 2);
		if (len > MAX_PAYLOAD) {
			reply(ST_RANGE, 0, 0);
			continue;
		}
		for (unsigned i = 0; i < len + 2u; i++)
			f[7 + i] = rx();
		if (mbr_crc16(0, f, 7u + len) != le(f + 7 + len, 2)) {
			reply(ST_CRC, 0, 0);
			continue;
		}
		handle(f[0], le(f + 3, 4), f + 7, len);
	}
}
