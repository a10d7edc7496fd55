/* SPDX-License-Identifier: Apache-2.0 */
/* Builds without encrypted-image support: every encrypted image is refused. */
#include <string.h>

#include "keel/err.h"
#include "swap_priv.h"

int keel_enc_unwrap(const struct keel_boot_config *cfg, const struct keel_img_loc *loc,
		    const struct keel_image_layout *lay, uint8_t *key, uint8_t *key_len,
		    enum keel_reason *reason)
{
	if (!(lay->hdr.flags & KEEL_IMAGE_ENC_FLAGS))
		return KEEL_ENOENT;
	*reason = KEEL_R_ENC_ALG_UNSUPPORTED;
	return KEEL_EBADIMG;
}

int keel_enc_prepare(struct keel_img_state *st, const struct keel_img_loc *pri,
		     const struct keel_img_loc *sec, enum keel_reason *reason)
{
	memset(&st->enc, 0, sizeof(st->enc));
	if (st->sec.lay.hdr.flags & KEEL_IMAGE_ENC_FLAGS) {
		*reason = KEEL_R_ENC_ALG_UNSUPPORTED;
		return KEEL_EBADIMG;
	}
	/* A flagged primary would leave in clear and fail a revert (core/enc.c). */
	if (st->pri_ok && (st->pri.lay.hdr.flags & KEEL_IMAGE_ENC_FLAGS) &&
	    st->pending != KEEL_SWAP_REVERT && keel_strategy(st->c.cfg->strategy)->swaps) {
		st->sec.detail = "the primary image is encrypted, so the swap could not be reverted";
		*reason = KEEL_R_ENC_ALG_UNSUPPORTED;
		return KEEL_EBADIMG;
	}
	return 0;
}

int keel_enc_resume(struct keel_img_state *st, uint32_t done)
{
	return 0;
}

int keel_enc_save(const struct keel_swap_ctx *c)
{
	return 0;
}
