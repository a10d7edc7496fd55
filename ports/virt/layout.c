/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virt slot layout (docs/virt.md): both slots on CFI bank 1, 256 KiB
 * sectors, write size 4, trailer alignment 8. Swap-offset by default
 * (primary 4 sectors at bank-1 offset 0, secondary 5 sectors at 1 MiB);
 * the layout_move.c, layout_scratch.c and layout_overwrite.c builds use
 * the other strategies for the per-strategy benchmark. Keys: the `keel getpub` blob generated at
 * build time, parsed once.
 */
#include "keel/crypto.h"
#include "virt.h"
#include "virt_port.h"

extern const unsigned char *const keel_virt_keys[];
extern const unsigned int keel_virt_key_lens[];
extern const unsigned int keel_virt_n_keys;

#define MAX_KEYS 2

static struct keel_pubkey keys[MAX_KEYS];
static struct keel_boot_config cfg;

const struct keel_boot_config *virt_boot_config(void)
{
	size_t n = 0;

	if (cfg.strategy)
		return &cfg;
	for (unsigned i = 0; i < keel_virt_n_keys && n < MAX_KEYS; i++)
		if (keel_pubkey_parse(&keys[n], keel_virt_keys[i], keel_virt_key_lens[i]) == 0)
			n++;
	cfg.strategy = virt_layout.strategy;
	cfg.n_images = 1;
	cfg.images[0].primary = (struct keel_area){ &virt_flash_slots, virt_layout.slot0_off,
						    virt_layout.slot0_size, KEEL_AREA_PRIMARY_0 };
	cfg.images[0].secondary = (struct keel_area){ &virt_flash_slots, virt_layout.slot1_off,
						      virt_layout.slot1_size, KEEL_AREA_SECONDARY_0 };
	cfg.images[0].rom_addr = VIRT_BANK1 + virt_layout.slot0_off;
	if (virt_layout.scratch_size)
		cfg.scratch = (struct keel_area){ &virt_flash_slots, virt_layout.scratch_off,
						  virt_layout.scratch_size, KEEL_AREA_SCRATCH };
	cfg.trailer_align = 8;
	cfg.keys = keys;
	cfg.n_keys = n;
	cfg.hash_alg = KEEL_HASH_SHA256;
	cfg.flags = KEEL_BOOT_VALIDATE_PRIMARY;
	return &cfg;
}
