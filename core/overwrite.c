/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Overwrite-only: erase the primary sectors the new image needs, copy the
 * secondary over them (decrypting), then erase the secondary trailer so
 * the request cannot fire again. No status records: until the secondary
 * trailer is gone the secondary is intact, so a cut anywhere simply makes
 * the next boot start over. Erases: N + the two trailers.
 */
#include "keel/err.h"
#include "swap_priv.h"

static int ow_check(const struct keel_boot_config *cfg, uint32_t image, const char **why)
{
	return 0;
}

static uint32_t ow_max_image(const struct keel_swap_ctx *c)
{
	uint32_t p = c->tp.status_off, s = c->ts.status_off;

	return p < s ? p : s;
}

static uint32_t ow_sec_image_off(const struct keel_swap_ctx *c, enum keel_swap_type t)
{
	return 0;
}

static uint32_t ow_n_steps(const struct keel_swap_ctx *c)
{
	return 0;
}

static int ow_step(const struct keel_swap_ctx *c, uint32_t i, struct keel_swap_step *s)
{
	return KEEL_ERANGE;
}

const struct keel_strategy_ops keel_overwrite_ops = {
	.name = "overwrite-only",
	.states = 0,
	.tlv_sizes = 0,
	.swaps = 0,
	.check = ow_check,
	.max_image = ow_max_image,
	.sec_image_off = ow_sec_image_off,
	.n_steps = ow_n_steps,
	.step = ow_step,
};

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

int keel_overwrite_install(struct keel_swap_ctx *c, uint32_t new_size)
{
	uint32_t len = align_up(new_size, c->tp.wsize);
	struct keel_swap_step s = {
		.dst = c->pri, .dst_off = 0, .src = c->sec, .src_off = 0, .len = len,
		.crypt = KEEL_CRYPT_SEC, .img_off = 0,
	};
	int rc;

	rc = keel_erase(c->port, c->pri, 0, len);
	if (!rc)
		rc = keel_trailer_clear(c, &c->tp);
	if (!rc)
		rc = keel_swap_copy(c, &s);
	if (!rc)
		rc = keel_trailer_clear(c, &c->ts);
	return rc;
}
