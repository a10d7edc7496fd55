/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPI1 NOR flash driver: 4 KiB sectors, byte-programmable (write size 4
 * for the trailers), erased value 0xFF. Every command is polled to
 * completion with a timeout; program and erase are preceded by WREN whose
 * WEL bit is checked (a chip ignores PP/SE without it, silently), followed
 * by a WIP poll and a read-back, so nothing that did not reach the flash
 * passes as done. Program and erase below the first slot (keel-boot) are
 * refused here.
 */
#include <string.h>

#include "esp32c3.h"
#include "esp32c3_port.h"
#include "keel/err.h"
#include "keel_layout.h"

#define CHUNK 64u
#define PAGE 256u
#define SECTOR 4096u
#define CMD_TIMEOUT_MS 10u
#define PROG_TIMEOUT_MS 20u
#define ERASE_TIMEOUT_MS 2000u

volatile uint32_t c3_flash_cmds;
/* Set by a debugger (power-cut tests) before the run; neither the ROM nor start-up touches it. */
volatile uint32_t c3_cut_at __attribute__((section(".noinit")));

__attribute__((noinline)) void c3_flash_cmd_done(uint32_t count)
{
	__asm__ volatile("" : : "r"(count) : "memory");
}

static void cmd_completed(void)
{
	c3_flash_cmds++;
	if (c3_flash_cmds == c3_cut_at)
		c3_flash_cmd_done(c3_flash_cmds);
}

static int run(uint32_t cmd)
{
	uint32_t start = c3_millis();

	SPI1_CMD = cmd;
	while (SPI1_CMD & cmd)
		if (c3_millis() - start > CMD_TIMEOUT_MS)
			return KEEL_ETIMEDOUT;
	return 0;
}

static int status(uint32_t *sr)
{
	int rc = run(SPI_CMD_RDSR);

	*sr = SPI1_RD_STATUS & 0xFFu;
	return rc;
}

static int wait_idle(uint32_t timeout_ms)
{
	uint32_t start = c3_millis(), sr;
	int rc;

	for (;;) {
		rc = status(&sr);
		if (rc)
			return rc;
		if (!(sr & FLASH_SR_WIP))
			return 0;
		if (c3_millis() - start > timeout_ms)
			return KEEL_ETIMEDOUT;
	}
}

static int write_enable(void)
{
	uint32_t sr;
	int rc = run(SPI_CMD_WREN);

	if (!rc)
		rc = status(&sr);
	if (!rc && !(sr & FLASH_SR_WEL))
		rc = KEEL_EIO;
	return rc;
}

static int in_range(uint32_t off, uint32_t len)
{
	return off <= KEEL_FLASH_SIZE && len <= KEEL_FLASH_SIZE - off;
}

static int spi_read(const struct keel_flash *dev, uint32_t off, void *buf, uint32_t len)
{
	uint8_t *p = buf;
	uint32_t w[CHUNK / 4];
	int rc;

	if (!in_range(off, len))
		return KEEL_ERANGE;
	while (len) {
		uint32_t n = len < CHUNK ? len : CHUNK;

		SPI1_ADDR = off;
		SPI1_MISO_DLEN = n * 8u - 1u;
		rc = run(SPI_CMD_READ);
		if (rc)
			return rc;
		for (uint32_t i = 0; i < (n + 3u) / 4u; i++)
			w[i] = SPI1_W(i);
		memcpy(p, w, n);
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int verify(uint32_t off, const uint8_t *want, uint8_t fill, uint32_t len)
{
	uint8_t got[CHUNK];

	for (uint32_t i = 0; i < len; i += CHUNK) {
		uint32_t n = len - i < CHUNK ? len - i : CHUNK;
		int rc = spi_read(0, off + i, got, n);

		if (rc)
			return rc;
		for (uint32_t j = 0; j < n; j++)
			if (got[j] != (want ? want[i + j] : fill))
				return KEEL_EFAULT;
	}
	return 0;
}

static int writable(uint32_t off, uint32_t len)
{
	return off >= KEEL_WRITABLE_START && in_range(off, len);
}

static int prog_chunk(uint32_t off, const uint8_t *p, uint32_t n)
{
	uint32_t w[CHUNK / 4];
	int rc = write_enable();

	if (rc)
		return rc;
	memset(w, 0xFF, sizeof(w));
	memcpy(w, p, n);
	for (uint32_t i = 0; i < (n + 3u) / 4u; i++)
		SPI1_W(i) = w[i];
	SPI1_ADDR = off | (n << 24);
	rc = run(SPI_CMD_PP);
	if (!rc)
		rc = wait_idle(PROG_TIMEOUT_MS);
	if (!rc)
		cmd_completed();
	return rc ? rc : verify(off, p, 0, n);
}

static int spi_prog(const struct keel_flash *dev, uint32_t off, const void *buf, uint32_t len)
{
	const uint8_t *p = buf;

	if ((off | len) & 3u)
		return KEEL_EINVAL;
	if (!writable(off, len))
		return KEEL_ERANGE;
	while (len) {
		/* A page program wraps inside its 256-byte page: never cross one. */
		uint32_t room = PAGE - (off & (PAGE - 1u));
		uint32_t n = len < CHUNK ? len : CHUNK;
		int rc;

		if (n > room)
			n = room;
		rc = prog_chunk(off, p, n);
		if (rc)
			return rc;
		c3_watchdog_feed();
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int spi_erase(const struct keel_flash *dev, uint32_t off, uint32_t len)
{
	if ((off | len) & (SECTOR - 1u))
		return KEEL_EINVAL;
	if (!writable(off, len))
		return KEEL_ERANGE;
	for (; len; off += SECTOR, len -= SECTOR) {
		int rc = write_enable();

		if (rc)
			return rc;
		SPI1_ADDR = off;
		rc = run(SPI_CMD_SE);
		if (!rc)
			rc = wait_idle(ERASE_TIMEOUT_MS);
		if (rc)
			return rc;
		cmd_completed();
		rc = verify(off, 0, 0xFF, SECTOR);
		if (rc)
			return rc;
		c3_watchdog_feed();
	}
	return 0;
}

static const struct keel_flash_ops ops = { spi_read, spi_prog, spi_erase };
static const struct keel_sector_run runs[] = { { KEEL_FLASH_SIZE / SECTOR, SECTOR } };

const struct keel_flash c3_flash = {
	.ops = &ops,
	.ctx = 0,
	.size = KEEL_FLASH_SIZE,
	.write_size = 4,
	.erased_val = 0xFF,
	.n_runs = 1,
	.runs = runs,
};
