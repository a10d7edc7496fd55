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

/* HMAC over the wrapped key; returns all ones unless the tag matches. */
__attribute__((noinline)) static uint32_t tag_mismatch(enum keel_hash_alg alg, const uint8_t *mac_key,
						    const uint8_t *wrapped, size_t key_len,
						    const uint8_t *mac)
{
	struct keel_hmac h;
	uint8_t tag[KEEL_SHA512_LEN];
	size_t mac_len = keel_hash_len(alg);
	uint32_t m;

	keel_hmac_init(&h, alg, mac_key, mac_len);
	keel_hmac_update(&h, wrapped, key_len);
	keel_hmac_final(&h, tag);
	m = nonzero_mask((uint32_t)keel_ct_compare(tag, mac, mac_len));
	keel_wipe(tag, sizeof(tag));
	return m;
}

/* key = AES-CTR(kek, iv 0)(wrapped), released only where fail is zero. */
__attribute__((noinline)) static void unwrap_key(const uint8_t *kek, const uint8_t *wrapped,
						 uint8_t *key, size_t key_len, uint32_t fail)
{
	static const uint8_t iv0[16];
	struct keel_aes aes;
	uint8_t plain[32];

	keel_aes_init(&aes, kek, key_len);
	keel_aes_ctr(&aes, iv0, 0, wrapped, plain, key_len);
	for (size_t i = 0; i < key_len; i++)
		key[i] = plain[i] & (uint8_t)~fail;
	keel_aes_wipe(&aes);
	keel_wipe(plain, sizeof(plain));
}

/*
 * Everything after the ECDH. Out of line, like the two steps above, so the
 * large buffers of each step are never on the stack together with the
 * ECDH's own frame or with each other.
 */
__attribute__((noinline)) static int finish(enum keel_hash_alg alg, const uint8_t shared[32],
					    int agree_rc, const uint8_t *mac, uint8_t *key,
					    size_t key_len)
{
	uint8_t okm[32 + KEEL_SHA512_LEN];
	size_t mac_len = keel_hash_len(alg);
	const uint8_t *wrapped = mac + mac_len;
	uint32_t fail;

	keel_hkdf(alg, NULL, 0, shared, 32, ecies_info, sizeof(ecies_info), okm, key_len + mac_len);
	fail = nonzero_mask((uint32_t)agree_rc) |
	       tag_mismatch(alg, okm + key_len, wrapped, key_len, mac);
	unwrap_key(okm, wrapped, key, key_len, fail);
	keel_wipe(okm, sizeof(okm));
	return (int)(fail & (uint32_t)KEEL_EACCES);
}

int keel_ecies_unwrap(enum keel_enc_kind kind, const uint8_t priv[32], const uint8_t *tlv,
		      size_t tlv_len, uint8_t *key, size_t key_len)
{
	const struct keel_ecies_curve *curve;
	enum keel_hash_alg alg = KEEL_HASH_SHA256;
	uint8_t shared[32];
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
	if (!curve->agree || keel_hash_len(alg) == 0)
		return KEEL_ENOTSUP;
	if (!priv || !tlv || !key || (key_len != 16 && key_len != 32) ||
	    tlv_len != curve->point_len + keel_hash_len(alg) + key_len)
		return KEEL_EINVAL;

	/* Defined contents even where the ECDH refuses the point and writes nothing. */
	keel_wipe(shared, sizeof(shared));
	rc = curve->agree(shared, priv, tlv);
	rc = finish(alg, shared, rc, tlv + curve->point_len, key, key_len);
	keel_wipe(shared, sizeof(shared));
	return rc;
}
