/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nRF51 slot layout (docs/nrf51.md): swap-offset, primary 103 pages at
 * 0xC000, secondary 104 pages at 0x25C00, 1 KiB sectors, write size 4,
 * trailer alignment 8. Keys: the `keel getpub` blobs generated at build
 * time (keel_keys.c), parsed once.
 */
#include "keel/crypto.h"
#include "nrf51.h"
#include "nrf51_port.h"

extern const unsigned char *const keel_nrf51_keys[];
extern const unsigned int keel_nrf51_key_lens[];
extern const unsigned int keel_nrf51_n_keys;

#define MAX_KEYS 4

static struct keel_pubkey keys[MAX_KEYS];
static struct keel_boot_config cfg;

const struct keel_boot_config *nrf51_boot_config(void)
{
	size_t n = 0;

	if (cfg.strategy)
		return &cfg;
	for (unsigned i = 0; i < keel_nrf51_n_keys && n < MAX_KEYS; i++)
		if (keel_pubkey_parse(&keys[n], keel_nrf51_keys[i], keel_nrf51_key_lens[i]) == 0)
			n++;
	cfg.strategy = KEEL_STRATEGY_SWAP_OFFSET;
	cfg.n_images = 1;
	cfg.images[0].primary = (struct keel_area){ &nrf51_flash, KEEL_SLOT0_BASE, KEEL_SLOT0_SIZE,
						    KEEL_AREA_PRIMARY_0 };
	cfg.images[0].secondary = (struct keel_area){ &nrf51_flash, KEEL_SLOT1_BASE, KEEL_SLOT1_SIZE,
						      KEEL_AREA_SECONDARY_0 };
	cfg.trailer_align = 8;
	cfg.keys = keys;
	cfg.n_keys = n;
	cfg.hash_alg = KEEL_HASH_SHA256;
	cfg.flags = KEEL_BOOT_VALIDATE_PRIMARY;
	return &cfg;
}
