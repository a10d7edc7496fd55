/* SPDX-License-Identifier: Apache-2.0 */
/* keel-mbr's default target: keel-boot, accepted only with its magic and CRC. */
#include "../nrf51.h"
#include "mbr.h"

const char mbr_target_missing[] = "keel-boot missing or corrupt";

const uint32_t *mbr_target(void)
{
	const struct keel_stage1_hdr *h = (const struct keel_stage1_hdr *)KEEL_BOOT_BASE;
	const uint8_t *body = (const uint8_t *)(KEEL_BOOT_BASE + KEEL_BOOT_HDR_SIZE);

	if (h->magic != KEEL_BOOT_MAGIC || h->hdr_check != ~(h->magic ^ h->size ^ h->crc16))
		return 0;
	if (h->size < 8 || h->size > KEEL_BOOT_SIZE - KEEL_BOOT_HDR_SIZE)
		return 0;
	if (mbr_crc16(0, body, h->size) != (h->crc16 & 0xFFFFu))
		return 0;
	return (const uint32_t *)body;
}
