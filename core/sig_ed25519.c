/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ed25519 (TLV 0x24): PureEdDSA whose message is the image digest, or,
 * with SIG_PURE, the whole hashed region streamed from flash.
 */
#include "boot_priv.h"
#include "keel/err.h"

static int ed_verify(const struct keel_pubkey *key, const uint8_t *digest, size_t digest_len,
		     const uint8_t *sig, size_t sig_len)
{
	if (key->raw_len != 32 || sig_len != 64)
		return KEEL_EINVAL;
	return keel_ed25519_verify(key->raw, digest, digest_len, sig);
}

static void ed_update(void *ctx, const uint8_t *p, size_t n)
{
	keel_ed25519_stream_update(ctx, p, n);
}

static int ed_verify_pure(const struct keel_pubkey *key, const uint8_t *sig, size_t sig_len,
			  const struct keel_port *port, const struct keel_img_loc *loc,
			  const struct keel_image_layout *lay)
{
	struct keel_ed25519_stream st;
	int rc;

	if (key->raw_len != 32 || sig_len != 64)
		return KEEL_EINVAL;
	keel_ed25519_stream_init(&st, key->raw, sig);
	rc = keel_image_stream(port, loc, &lay->hdr, lay->hashed_end, ed_update, &st);
	if (rc)
		return KEEL_EACCES;
	return keel_ed25519_stream_final(&st);
}

const struct keel_sig_alg keel_sig_ed25519 = {
	.name = "Ed25519",
	.tlv_type = KEEL_TLV_ED25519,
	.key_type = KEEL_KEY_ED25519,
	.verify = ed_verify,
	.verify_pure = ed_verify_pure,
};
