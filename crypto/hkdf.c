/* SPDX-License-Identifier: Apache-2.0 */
/* HKDF (RFC 5869): extract with HMAC(salt, IKM), then expand block by block. */
#include "keel/crypto.h"
#include "keel/err.h"

static const uint8_t zero_salt[KEEL_SHA512_LEN];

int keel_hkdf(enum keel_hash_alg alg, const uint8_t *salt, size_t salt_len,
	      const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
	      size_t info_len, uint8_t *out, size_t out_len)
{
	struct keel_hmac h;
	uint8_t prk[KEEL_SHA512_LEN], t[KEEL_SHA512_LEN];
	size_t hl = keel_hash_len(alg), tl = 0;
	uint8_t ctr = 0;
	int rc;

	if (hl == 0)
		return KEEL_ENOTSUP;
	if (out_len > 255 * hl || (!out && out_len) || (!ikm && ikm_len) || (!info && info_len))
		return KEEL_EINVAL;
	/* An absent salt is HashLen zero bytes (RFC 5869 2.2). */
	if (!salt || salt_len == 0) {
		salt = zero_salt;
		salt_len = hl;
	}
	rc = keel_hmac_init(&h, alg, salt, salt_len);
	if (rc)
		return rc;
	keel_hmac_update(&h, ikm, ikm_len);
	keel_hmac_final(&h, prk);

	while (out_len) {
		size_t n = out_len < hl ? out_len : hl;

		ctr++;
		keel_hmac_init(&h, alg, prk, hl);
		keel_hmac_update(&h, t, tl);
		keel_hmac_update(&h, info, info_len);
		keel_hmac_update(&h, &ctr, 1);
		keel_hmac_final(&h, t);
		tl = hl;
		for (size_t i = 0; i < n; i++)
			out[i] = t[i];
		out += n;
		out_len -= n;
	}
	keel_wipe(prk, sizeof(prk));
	keel_wipe(t, sizeof(t));
	return 0;
}
