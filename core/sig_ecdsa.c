/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ECDSA-P256 over the image digest (TLV 0x22). imgtool --pad-sig and old
 * MCUboot pad the DER signature with zeros; the padding is stripped here so
 * the primitive stays strict DER.
 */
#include "boot_priv.h"
#include "keel/err.h"

static int ecdsa_verify(const struct keel_pubkey *key, const uint8_t *digest, size_t digest_len,
			const uint8_t *sig, size_t sig_len)
{
	size_t der_len;

	if (key->raw_len != 65 || sig_len == 0 || sig_len > 128)
		return KEEL_EINVAL;
	der_len = keel_ecdsa_der_strip_padding(sig, sig_len);
	if (der_len == 0)
		return KEEL_EACCES;
	return keel_ecdsa_p256_verify(key->raw, digest, digest_len, sig, der_len, KEEL_ECDSA_DER);
}

const struct keel_sig_alg keel_sig_ecdsa_p256 = {
	.name = "ECDSA-P256",
	.tlv_type = KEEL_TLV_ECDSA_SIG,
	.key_type = KEEL_KEY_ECDSA_P256,
	.verify = ecdsa_verify,
	.verify_pure = NULL,
};
