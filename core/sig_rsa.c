/* SPDX-License-Identifier: Apache-2.0 */
/* RSA-PSS (TLV 0x20 / 0x23): SHA-256 digest, MGF1-SHA-256, salt pinned at 32. */
#include "boot_priv.h"
#include "keel/err.h"

static int rsa_verify(const struct keel_pubkey *key, const uint8_t *digest, size_t digest_len,
		      const uint8_t *sig, size_t sig_len)
{
	if (sig_len != key->raw_len || digest_len != KEEL_SHA256_LEN)
		return KEEL_EINVAL;
	return keel_rsa_pss_verify(key->raw, key->raw_len, digest, digest_len, sig, sig_len, 32);
}

const struct keel_sig_alg keel_sig_rsa2048 = {
	.name = "RSA-2048-PSS",
	.tlv_type = KEEL_TLV_RSA2048_PSS,
	.key_type = KEEL_KEY_RSA2048,
	.verify = rsa_verify,
	.verify_pure = NULL,
};

const struct keel_sig_alg keel_sig_rsa3072 = {
	.name = "RSA-3072-PSS",
	.tlv_type = KEEL_TLV_RSA3072_PSS,
	.key_type = KEEL_KEY_RSA3072,
	.verify = rsa_verify,
	.verify_pure = NULL,
};
