/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a slot holds, fully verified, for serial recovery's image list and
 * upload decisions. Read-only: nothing here writes flash.
 */
#include <string.h>

#include "keel/err.h"
#include "swap_priv.h"

/* Copies the image's own hash TLV (the one the build checks) into out. */
static int read_hash_tlv(const struct keel_img_loc *loc, const struct keel_image_layout *lay,
			 enum keel_hash_alg alg, struct keel_slot_info *out)
{
	uint16_t want = alg == KEEL_HASH_SHA512 ? KEEL_TLV_SHA512 : KEEL_TLV_SHA256;
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, want, 0);
	rc = keel_tlv_next(&it, &t);
	if (rc < 0)
		return rc;
	if (rc == 0 || t.len > sizeof(out->hash))
		return KEEL_ENOENT;
	out->hash_len = (uint8_t)t.len;
	return keel_area_read(loc->area, loc->base + t.value_off, out->hash, t.len);
}

/* Validates the image at base; fills out on success or with the reason. */
static int inspect_at(const struct keel_swap_ctx *c, const struct keel_area *a, uint32_t base,
		      struct keel_slot_info *out)
{
	struct keel_img_loc loc = { a, base, keel_strategy(c->cfg->strategy)->max_image(c), NULL };
	struct keel_image_info info;
	struct keel_aes aes;
	uint8_t key[32], key_len = 0;
	int rc;

	out->base = base;
	rc = keel_image_probe(&loc, &info, &out->reason);
	if (rc)
		return rc;
	out->present = 1;
	out->hdr = info.lay.hdr;
	/* A secondary holds its payload encrypted; a primary never does. */
	if (a == c->sec) {
		rc = keel_enc_unwrap(c->cfg, &loc, &info.lay, key, &key_len, &out->reason);
		if (rc && rc != KEEL_ENOENT)
			return rc;
		if (!rc && keel_aes_init(&aes, key, key_len) == 0)
			loc.aes = &aes;
		keel_wipe(key, sizeof(key));
	}
	rc = keel_image_validate(c->cfg, c->port, c->image, &loc, &info, &out->reason);
	if (loc.aes)
		keel_aes_wipe(&aes);
	if (rc)
		return rc;
	out->valid = 1;
	return read_hash_tlv(&loc, &info.lay, c->cfg->hash_alg, out);
}

int keel_boot_slot_info(const struct keel_boot_config *cfg, const struct keel_port *port,
			uint32_t image, uint32_t slot, struct keel_slot_info *out)
{
	const struct keel_strategy_ops *ops = keel_strategy(cfg->strategy);
	struct keel_swap_ctx c;
	uint32_t pending_off, old_off;
	int rc;

	memset(out, 0, sizeof(*out));
	out->reason = KEEL_R_NO_IMAGE;
	if (slot > 1)
		return KEEL_EINVAL;
	rc = keel_swap_ctx_init(&c, cfg, port, image);
	if (rc)
		return rc;
	if (slot == 0)
		return inspect_at(&c, c.pri, 0, out);
	/*
	 * The secondary holds either an upload waiting to be installed, or,
	 * after a swap, the previous image; the strategy says where each sits.
	 */
	pending_off = ops->sec_image_off(&c, KEEL_SWAP_TEST);
	old_off = ops->sec_image_off(&c, KEEL_SWAP_REVERT);
	rc = inspect_at(&c, c.sec, pending_off, out);
	if (rc == KEEL_EBADIMG && !out->present && old_off != pending_off) {
		memset(out, 0, sizeof(*out));
		rc = inspect_at(&c, c.sec, old_off, out);
	}
	return rc;
}
