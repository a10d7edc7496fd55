/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Swap-offset, Keel's default. The update sits one sector into the
 * secondary. Upgrade, for sector j = 0..k-1 upwards:
 *   step 2j:   erase S[j],   copy P[j]   -> S[j]      (old image down to S offset 0)
 *   step 2j+1: erase P[j],   copy S[j+1] -> P[j]      (new image into place)
 * Revert is the mirror, for sector i = k-1..0 downwards:
 *   step 2j:   erase S[i+1], copy P[i]   -> S[i+1]
 *   step 2j+1: erase P[i],   copy S[i]   -> P[i]
 * Each sector of each slot is erased once: 2k erases plus the trailers.
 */
#include "keel/err.h"
#include "swap_priv.h"

static int offset_check(const struct keel_boot_config *cfg, uint32_t image, const char **why)
{
	const struct keel_image_slots *sl = &cfg->images[image];
	uint32_t sector;
	int rc = keel_swap_equal_sectors(cfg, image,
					 "swap-offset needs equal sector sizes in both slots", why,
					 &sector);

	if (rc)
		return rc;
	if (sl->secondary.size < sl->primary.size + sector) {
		*why = "swap-offset needs a secondary slot one sector larger than the primary";
		return KEEL_EINVAL;
	}
	return 0;
}

static uint32_t round_down(uint32_t v, uint32_t a)
{
	return v / a * a;
}

static uint32_t offset_max_image(const struct keel_swap_ctx *c)
{
	uint32_t p = keel_trailer_sectors_off(&c->tp);
	uint32_t s = round_down(keel_trailer_sectors_off(&c->ts), c->sector);

	s = s > c->sector ? s - c->sector : 0;
	return p < s ? p : s;
}

static uint32_t offset_sec_image_off(const struct keel_swap_ctx *c, enum keel_swap_type t)
{
	return t == KEEL_SWAP_REVERT ? 0 : c->sector;
}

static uint32_t offset_ops(const struct keel_swap_ctx *c)
{
	return (c->swap_size + c->sector - 1) / c->sector;
}

static uint32_t offset_n_steps(const struct keel_swap_ctx *c)
{
	return 2 * offset_ops(c);
}

static int offset_step(const struct keel_swap_ctx *c, uint32_t i, struct keel_swap_step *s)
{
	uint32_t k = offset_ops(c), j = i / 2, sz = c->sector;
	int down = i % 2 == 0;
	uint32_t sec_idx = c->type == KEEL_SWAP_REVERT ? k - 1 - j : j;

	if (j >= k)
		return KEEL_ERANGE;
	s->len = sz;
	s->erase_len = sz;
	s->record = i;
	s->value = (uint8_t)(down ? 1 : 2);
	if (down) {
		/* primary sector -> secondary: the image that started in the primary */
		s->src = c->pri;
		s->src_off = sec_idx * sz;
		s->dst = c->sec;
		s->dst_off = (sec_idx + (c->type == KEEL_SWAP_REVERT)) * sz;
		s->crypt = KEEL_CRYPT_PRI;
		s->img_off = sec_idx * sz;
		return 0;
	}
	s->dst = c->pri;
	s->dst_off = sec_idx * sz;
	s->src = c->sec;
	s->src_off = (sec_idx + (c->type != KEEL_SWAP_REVERT)) * sz;
	s->crypt = KEEL_CRYPT_SEC;
	s->img_off = sec_idx * sz;
	return 0;
}

const struct keel_strategy_ops keel_swap_offset_ops = {
	.name = "swap-offset",
	.states = 2,
	.tlv_sizes = 1,
	.swaps = 1,
	.check = offset_check,
	.max_image = offset_max_image,
	.sec_image_off = offset_sec_image_off,
	.n_steps = offset_n_steps,
	.step = offset_step,
};
