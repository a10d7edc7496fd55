/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Swap-scratch, for MCUboot layouts with a scratch area; the one swap that
 * allows mixed sector sizes. The swapped range is cut into regions whose
 * bounds are sector bounds of both slots and whose size fits the scratch,
 * processed from the top down (MCUboot's order). Region j, records 3j..3j+2:
 *   erase scratch, copy S -> scratch;   (value 1)
 *   erase S region, copy P -> S;        (value 2)
 *   erase P region, copy scratch -> P.  (value 3)
 * Unlike MCUboot, the trailer sectors never take part (the image must end
 * below them), so the status always lives in the primary trailer and the
 * scratch never holds a trailer: MCUboot's stuck scratch states cannot
 * arise (docs/design.md).
 */
#include "keel/err.h"
#include "swap_priv.h"

static int is_boundary(const struct keel_area *a, uint32_t x)
{
	struct keel_sector s;

	if (x == a->size)
		return 1;
	return keel_area_sector_at(a, x, &s) == 0 && s.off == x;
}

static int common(const struct keel_area *p, const struct keel_area *s, uint32_t x)
{
	return x <= p->size && x <= s->size && is_boundary(p, x) && is_boundary(s, x);
}

/* Next primary sector bound above x (or x if none). */
static uint32_t next_bound(const struct keel_area *a, uint32_t x)
{
	struct keel_sector s;

	if (x >= a->size || keel_area_sector_at(a, x, &s))
		return x;
	return s.off + s.size;
}

/* Smallest common bound >= x, or 0xffffffff. */
static uint32_t common_ceil(const struct keel_area *p, const struct keel_area *s, uint32_t x)
{
	uint32_t b = 0;

	while (b < x || !common(p, s, b)) {
		uint32_t n = next_bound(p, b);

		if (n == b)
			return UINT32_MAX;
		b = n;
	}
	return b;
}

/* Start of the region ending at e: the lowest common bound >= e - scratch. */
static uint32_t region_start(const struct keel_swap_ctx *c, uint32_t e)
{
	uint32_t lim = e > c->scratch->size ? e - c->scratch->size : 0;
	uint32_t b = common_ceil(c->pri, c->sec, lim);

	return b < e ? b : e;
}

static int scratch_check(const struct keel_boot_config *cfg, uint32_t image, const char **why)
{
	const struct keel_area *p = &cfg->images[image].primary;
	const struct keel_area *s = &cfg->images[image].secondary;
	uint32_t end = p->size < s->size ? p->size : s->size;
	uint32_t prev = 0;

	if (!cfg->scratch.size || keel_area_sector_count(&cfg->scratch) <= 0) {
		*why = "swap-scratch needs a sector-aligned scratch area";
		return KEEL_EINVAL;
	}
	for (uint32_t b = next_bound(p, 0); b <= end;) {
		uint32_t n = next_bound(p, b);

		if (common(p, s, b)) {
			if (b - prev > cfg->scratch.size) {
				*why = "swap-scratch: a region between common sector bounds exceeds the scratch";
				return KEEL_EINVAL;
			}
			prev = b;
		}
		if (n == b)
			break;
		b = n;
	}
	return 0;
}

static uint32_t scratch_max_image(const struct keel_swap_ctx *c)
{
	uint32_t lim = keel_trailer_sectors_off(&c->tp);
	uint32_t ls = keel_trailer_sectors_off(&c->ts);
	uint32_t best = 0;

	if (ls < lim)
		lim = ls;
	for (uint32_t b = 0; b <= lim;) {
		uint32_t n = next_bound(c->pri, b);

		if (common(c->pri, c->sec, b))
			best = b;
		if (n == b)
			break;
		b = n;
	}
	return best;
}

static uint32_t scratch_sec_image_off(const struct keel_swap_ctx *c, enum keel_swap_type t)
{
	return 0;
}

/* Region j from the top: [*b, *e). */
static int region(const struct keel_swap_ctx *c, uint32_t j, uint32_t *b, uint32_t *e)
{
	uint32_t end = common_ceil(c->pri, c->sec, c->swap_size);

	if (end == UINT32_MAX || !c->scratch)
		return KEEL_ERANGE;
	for (uint32_t r = 0;; r++) {
		uint32_t start = region_start(c, end);

		if (start == end)
			return KEEL_ERANGE;
		if (r == j) {
			*b = start;
			*e = end;
			return 0;
		}
		end = start;
	}
}

static uint32_t scratch_n_steps(const struct keel_swap_ctx *c)
{
	uint32_t end = common_ceil(c->pri, c->sec, c->swap_size), n = 0;

	if (end == UINT32_MAX || !c->scratch)
		return 0;
	while (end > 0) {
		uint32_t start = region_start(c, end);

		if (start == end)
			return 0;
		end = start;
		n++;
	}
	return 3 * n;
}

static int scratch_step(const struct keel_swap_ctx *c, uint32_t i, struct keel_swap_step *s)
{
	uint32_t b, e;
	int rc = region(c, i / 3, &b, &e);

	if (rc)
		return rc;
	s->len = e - b;
	s->erase_len = e - b;
	s->record = i;
	s->value = (uint8_t)(i % 3 + 1);
	s->img_off = b;
	switch (i % 3) {
	case 0:
		s->src = c->sec; s->src_off = b; s->dst = c->scratch; s->dst_off = 0;
		s->crypt = KEEL_CRYPT_NONE;
		break;
	case 1:
		s->src = c->pri; s->src_off = b; s->dst = c->sec; s->dst_off = b;
		s->crypt = KEEL_CRYPT_PRI;
		break;
	default:
		s->src = c->scratch; s->src_off = 0; s->dst = c->pri; s->dst_off = b;
		s->crypt = KEEL_CRYPT_SEC;
		break;
	}
	return 0;
}

const struct keel_strategy_ops keel_swap_scratch_ops = {
	.name = "swap-scratch",
	.states = 3,
	.tlv_sizes = 0,
	.swaps = 1,
	.check = scratch_check,
	.max_image = scratch_max_image,
	.sec_image_off = scratch_sec_image_off,
	.n_steps = scratch_n_steps,
	.step = scratch_step,
};
