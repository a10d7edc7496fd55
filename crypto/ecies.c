/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCUboot's ECIES key unwrap (TLVs 0x32, 0x33, 0x34):
 *
 *   TLV    = ephemeral public key || tag || AES-CTR(KEK, iv 0)(image key)
 *   shared = ECDH(device key, ephemeral key)
 *   KEK || MAC key = HKDF(IKM = shared, no salt, info "MCUBoot_ECIES_v1",
 *                         L = key_len + MacLen)
 *   tag    = HMAC(MAC key, wrapped key), full length
 *
 * Everything after the ECDH depends on the device's secret key, and so does
 * whether ECDH failed and whether the tag matched. So this file does not
 * branch on either: it always derives, checks and decrypts, then releases
 * the key through a mask that is all ones only when ECDH succeeded and the
 * tag matched, and forms the return code from the same mask. Only the
 * caller, with the verdict in hand, branches.
 */
#include "ecies_priv.h"
#include "keel/crypto.h"
#include "keel/err.h"

static const uint8_t ecies_info[16] = "MCUBoot_ECIES_v1";

/* All ones if x != 0, else 0, without a branch. */
static uint32_t nonzero_mask(uint32_t x)
{
	return 0u - ((x | (0u - x)) >> 31);
}

int keel_ecies_unwrap(enum keel_enc_kind kind, const uint8_t priv[32], const uint8_t *tlv,
		      size_t tlv_len, uint8_t *key, size_t key_len)
{
	const struct keel_ecies_curve *curve;
	enum keel_hash_alg alg = KEEL_HASH_SHA256;
	uint8_t shared[32], okm[32 + KEEL_SHA512_LEN], tag[KEEL_SHA512_LEN], plain[32];
	const uint8_t *mac, *wrapped;
	size_t mac_len;
	union {
		struct keel_hmac h;
		struct keel_aes aes;
	} u;
	uint32_t fail;
	int rc;

	if (kind == KEEL_ENC_EC256) {
		curve = &keel_ecies_p256;
	} else if (kind == KEEL_ENC_X25519 || kind == KEEL_ENC_X25519_SHA512) {
		curve = &keel_ecies_x25519;
		if (kind == KEEL_ENC_X25519_SHA512)
			alg = KEEL_HASH_SHA512;
	} else {
		return KEEL_EINVAL;
	}
	if (!curve->agree)
		return KEEL_ENOTSUP;
	mac_len = keel_hash_len(alg);
	if (!priv || !tlv || !key || (key_len != 16 && key_len != 32) ||
	    tlv_len != curve->point_len + mac_len + key_len)
		return KEEL_EINVAL;
	mac = tlv + curve->point_len;
	wrapped = mac + mac_len;

	rc = curve->agree(shared, priv, tlv);
	keel_hkdf(alg, NULL, 0, shared, sizeof(shared), ecies_info, sizeof(ecies_info), okm,
		  key_len + mac_len);
	keel_hmac_init(&u.h, alg, okm + key_len, mac_len);
	keel_hmac_update(&u.h, wrapped, key_len);
	keel_hmac_final(&u.h, tag);
	fail = nonzero_mask((uint32_t)rc) |
	       nonzero_mask((uint32_t)keel_ct_compare(tag, mac, mac_len));

	keel_aes_init(&u.aes, okm, key_len);
	keel_aes_ctr(&u.aes, (const uint8_t[16]){ 0 }, 0, wrapped, plain, key_len);
	for (size_t i = 0; i < key_len; i++)
		key[i] = plain[i] & (uint8_t)~fail;

	keel_wipe(&u, sizeof(u));
	keel_wipe(shared, sizeof(shared));
	keel_wipe(okm, sizeof(okm));
	keel_wipe(plain, sizeof(plain));
	return (int)(fail & (uint32_t)KEEL_EACCES);
}
