/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NVMC driver: 1 KiB pages, 32-bit word programming, erased value 0xFF.
 * Flash is memory-mapped, so reads are plain copies. Every program and
 * erase is read back: a mismatch is KEEL_EFAULT, never ignored. Writes and
 * erases below the primary slot (keel-mbr, keel-boot) are refused here, so
 * no caller can damage the boot chain through the driver.
 */
#include <string.h>

#include "keel/err.h"
#include "nrf51.h"
#include "nrf51_port.h"

static void nvmc(uint32_t mode)
{
	NVMC_CONFIG = mode;
	while (!NVMC_READY) {
	}
}

static int writable(uint32_t off, uint32_t len)
{
	return off >= KEEL_SLOT0_BASE && off <= NRF51_FLASH_SIZE && len <= NRF51_FLASH_SIZE - off;
}

static int nrf_read(const struct keel_flash *dev, uint32_t off, void *buf, uint32_t len)
{
	if (off > NRF51_FLASH_SIZE || len > NRF51_FLASH_SIZE - off)
		return KEEL_ERANGE;
	memcpy(buf, (const void *)off, len);
	return 0;
}

static int nrf_prog(const struct keel_flash *dev, uint32_t off, const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	int rc = 0;

	if ((off | len) & 3u)
		return KEEL_EINVAL;
	if (!writable(off, len))
		return KEEL_ERANGE;
	nvmc(NVMC_CONFIG_WEN);
	for (uint32_t i = 0; i < len; i += 4) {
		uint32_t w;

		memcpy(&w, p + i, 4);
		NRF_REG(off + i) = w;
		while (!NVMC_READY) {
		}
	}
	nvmc(NVMC_CONFIG_REN);
	if (memcmp((const void *)off, buf, len))
		rc = KEEL_EFAULT;
	return rc;
}

static int nrf_erase(const struct keel_flash *dev, uint32_t off, uint32_t len)
{
	if ((off | len) & (NRF51_PAGE - 1))
		return KEEL_EINVAL;
	if (!writable(off, len))
		return KEEL_ERANGE;
	for (uint32_t a = off; a < off + len; a += NRF51_PAGE) {
		nvmc(NVMC_CONFIG_EEN);
		NVMC_ERASEPAGE = a;
		while (!NVMC_READY) {
		}
		nvmc(NVMC_CONFIG_REN);
		for (uint32_t w = a; w < a + NRF51_PAGE; w += 4)
			if (NRF_REG(w) != 0xFFFFFFFFu)
				return KEEL_EFAULT;
	}
	return 0;
}

static const struct keel_flash_ops nrf51_flash_ops = { nrf_read, nrf_prog, nrf_erase };
static const struct keel_sector_run nrf51_runs[] = { { NRF51_FLASH_SIZE / NRF51_PAGE, NRF51_PAGE } };

const struct keel_flash nrf51_flash = {
	.ops = &nrf51_flash_ops,
	.size = NRF51_FLASH_SIZE,
	.write_size = 4,
	.erased_val = 0xFF,
	.n_runs = 1,
	.runs = nrf51_runs,
};

/* The request page is outside every slot, so it has its own tiny writer. */
int nrf51_take_request(uint32_t addr)
{
	if (NRF_REG(addr) != KEEL_REQ_MAGIC)
		return 0;
	nvmc(NVMC_CONFIG_WEN);
	NRF_REG(addr) = 0;
	while (!NVMC_READY) {
	}
	nvmc(NVMC_CONFIG_REN);
	return 1;
}

int nrf51_set_request(uint32_t addr)
{
	uint32_t page = addr & ~(NRF51_PAGE - 1);
	uint32_t keep[2] = { NRF_REG(KEEL_REQ_MBR_UART), NRF_REG(KEEL_REQ_RECOVERY) };

	if (page != KEEL_REQ_PAGE)
		return KEEL_EINVAL;
	if (NRF_REG(addr) != 0xFFFFFFFFu) {
		nvmc(NVMC_CONFIG_EEN);
		NVMC_ERASEPAGE = page;
		while (!NVMC_READY) {
		}
		nvmc(NVMC_CONFIG_WEN);
		/* Other pending requests survive the erase; consumed ones (0) stay erased. */
		for (unsigned i = 0; i < 2; i++)
			if (keep[i] == KEEL_REQ_MAGIC && page + 4 * i != addr)
				NRF_REG(page + 4 * i) = KEEL_REQ_MAGIC;
	}
	nvmc(NVMC_CONFIG_WEN);
	NRF_REG(addr) = KEEL_REQ_MAGIC;
	while (!NVMC_READY) {
	}
	nvmc(NVMC_CONFIG_REN);
	return NRF_REG(addr) == KEEL_REQ_MAGIC ? 0 : KEEL_EFAULT;
}
