/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Swap-move, for MCUboot layouts with a primary one sector larger. Move
 * phase, for i = k-1..0: erase P[i+1], copy P[i] -> P[i+1] (records 0..,
 * value 1). Swap phase, for i = 0..k-1: erase P[i], copy S[i] -> P[i]
 * (record N + 2i, value 1); erase S[i], copy P[i+1] -> S[i] (record
 * N + 2i + 1, value 2). N = the status area's sector count, so the record
 * positions are MCUboot's. A revert is the same procedure again.
 * Primary sectors are erased twice, secondary once: 3k erases.
 */
#include "keel/err.h"
#include "swap_priv.h"

static int move_check(const struct keel_boot_config *cfg, uint32_t image, const char **why)
{
	uint32_t sector;

	return keel_swap_equal_sectors(cfg, image, "swap-move needs equal sector sizes in both slots",
				       why, &sector);
}

static uint32_t move_max_image(const struct keel_swap_ctx *c)
{
	uint32_t p = keel_trailer_sectors_off(&c->tp);
	uint32_t s = keel_trailer_sectors_off(&c->ts);

	p = p > c->sector ? p - c->sector : 0;
	return p < s ? p : s;
}

static uint32_t move_sec_image_off(const struct keel_swap_ctx *c, enum keel_swap_type t)
{
	return 0;
}

static uint32_t move_ops(const struct keel_swap_ctx *c)
{
	return (c->swap_size + c->sector - 1) / c->sector;
}

static uint32_t move_n_steps(const struct keel_swap_ctx *c)
{
	return 3 * move_ops(c);
}

static uint32_t status_sectors(const struct keel_swap_ctx *c)
{
	return c->tp.status_len / (3 * c->tp.wsize);
}

static int move_step(const struct keel_swap_ctx *c, uint32_t i, struct keel_swap_step *s)
{
	uint32_t k = move_ops(c), sz = c->sector;

	if (i >= 3 * k)
		return KEEL_ERANGE;
	s->len = sz;
	s->erase_len = sz;
	if (i < k) {
		uint32_t idx = k - 1 - i;

		s->src = c->pri;
		s->src_off = idx * sz;
		s->dst = c->pri;
		s->dst_off = (idx + 1) * sz;
		s->record = i;
		s->value = 1;
		s->crypt = KEEL_CRYPT_NONE;
		return 0;
	}
	i -= k;
	s->record = status_sectors(c) + i;
	s->value = (uint8_t)(i % 2 + 1);
	s->img_off = i / 2 * sz;
	if (i % 2 == 0) {
		s->src = c->sec;
		s->src_off = i / 2 * sz;
		s->dst = c->pri;
		s->dst_off = i / 2 * sz;
		s->crypt = KEEL_CRYPT_SEC;
		return 0;
	}
	s->src = c->pri;
	s->src_off = (i / 2 + 1) * sz;
	s->dst = c->sec;
	s->dst_off = i / 2 * sz;
	s->crypt = KEEL_CRYPT_PRI;
	return 0;
}

const struct keel_strategy_ops keel_swap_move_ops = {
	.name = "swap-move",
	.states = 3,
	.tlv_sizes = 0,
	.swaps = 1,
	.check = move_check,
	.max_image = move_max_image,
	.sec_image_off = move_sec_image_off,
	.n_steps = move_n_steps,
	.step = move_step,
};
