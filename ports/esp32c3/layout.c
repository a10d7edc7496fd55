/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The slot layout and policy from bootloader.conf (keel_layout.h is
 * generated from it by CMakeLists.txt): one or two images, the strategy,
 * downgrade prevention. Keys: the `keel getpub` blobs made at build time.
 */
#include "keel/crypto.h"
#include "esp32c3_port.h"
#include "keel_layout.h"

extern const unsigned char *const keel_c3_keys[];
extern const unsigned int keel_c3_key_lens[];
extern const unsigned int keel_c3_n_keys;

#define MAX_KEYS 2

static struct keel_pubkey keys[MAX_KEYS];
static struct keel_boot_config cfg;

static struct keel_area area(uint32_t off, uint32_t size, uint8_t id)
{
	return (struct keel_area){ &c3_flash, off, size, id };
}

const struct keel_boot_config *c3_boot_config(void)
{
	size_t n = 0;

	if (cfg.strategy)
		return &cfg;
	for (unsigned i = 0; i < keel_c3_n_keys && n < MAX_KEYS; i++)
		if (keel_pubkey_parse(&keys[n], keel_c3_keys[i], keel_c3_key_lens[i]) == 0)
			n++;
	cfg.strategy = KEEL_C3_STRATEGY;
	cfg.n_images = KEEL_C3_IMAGES;
	cfg.images[0].primary = area(KEEL_C3_IMG0_PRIMARY, KEEL_C3_SLOT_SIZE, KEEL_AREA_PRIMARY_0);
	cfg.images[0].secondary = area(KEEL_C3_IMG0_SECONDARY, KEEL_C3_SLOT_SIZE, KEEL_AREA_SECONDARY_0);
	cfg.images[1].primary = area(KEEL_C3_IMG1_PRIMARY, KEEL_C3_IMG1_SLOT_SIZE, KEEL_AREA_PRIMARY_1);
	cfg.images[1].secondary = area(KEEL_C3_IMG1_SECONDARY, KEEL_C3_IMG1_SLOT_SIZE,
				       KEEL_AREA_SECONDARY_1);
	cfg.scratch = area(KEEL_C3_SCRATCH_OFF, KEEL_C3_SCRATCH_SIZE, KEEL_AREA_SCRATCH);
	cfg.trailer_align = 8;
	cfg.keys = keys;
	cfg.n_keys = n;
	cfg.hash_alg = KEEL_HASH_SHA256;
	cfg.flags = KEEL_BOOT_VALIDATE_PRIMARY | KEEL_C3_DOWNGRADE;
	return &cfg;
}
