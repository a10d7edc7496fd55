/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSASSA-PSS verification (RFC 8017 8.1.2 and 9.1.2) with SHA-256, MGF1-
 * SHA-256 and e = 65537, for 2048- and 3072-bit moduli. Everything handled
 * here is public, so nothing needs to be constant time; correctness and a
 * bounded stack (three limb buffers of the largest size) are what matter.
 */
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "bignum.h"

#define HLEN KEEL_SHA256_LEN

/* R^2 mod n comes from squaring 2^d (Montgomery form) this many times. */
#define R2_SQUARINGS 4

struct rsa_work {
	uint32_t n[KEEL_BN_MAX_LIMBS];
	uint32_t x[KEEL_BN_MAX_LIMBS + 1];
	uint32_t y[KEEL_BN_MAX_LIMBS + 1];
};

/*
 * Montgomery form of 2^(32k), i.e. R^2 mod n, without a division: R mod n
 * is R - n (n has its top bit set), doubling it d times gives 2^d in
 * Montgomery form, and each Montgomery squaring doubles the exponent.
 * d * 2^R2_SQUARINGS = 32k; doublings cost k limb steps, squarings 2k^2.
 */
static uint32_t *rsquared(struct rsa_work *w, size_t k, uint32_t n0inv)
{
	uint32_t *a = w->x, *b = w->y, *tmp;
	uint32_t borrow = 0;

	for (size_t i = 0; i < k; i++) {
		a[i] = 0 - w->n[i] - borrow;
		borrow |= w->n[i] != 0;
	}
	for (size_t d = 0; d < (32 * k) >> R2_SQUARINGS; d++)
		keel_bn_mod_double(a, w->n, k);
	for (int j = 0; j < R2_SQUARINGS; j++) {
		keel_bn_montmul(b, a, NULL, a, w->n, n0inv, k);
		tmp = a; a = b; b = tmp;
	}
	return a;
}

/* em = sig^65537 mod n, big-endian, into the bytes of w->x. */
static uint8_t *rsa_public(struct rsa_work *w, const uint8_t *sig, size_t k)
{
	uint32_t n0inv = keel_bn_n0inv(w->n[0]);
	uint32_t *a = rsquared(w, k, n0inv);
	uint32_t *b = a == w->x ? w->y : w->x, *tmp;

	keel_bn_montmul(b, NULL, sig, a, w->n, n0inv, k);     /* s * R */
	for (int i = 0; i < 16; i++) {
		tmp = a; a = b; b = tmp;
		keel_bn_montmul(b, a, NULL, a, w->n, n0inv, k); /* s^(2^i) * R */
	}
	/* (s^65536 * R) * s / R = s^65537, out of the Montgomery domain. */
	keel_bn_montmul(a, NULL, sig, b, w->n, n0inv, k);
	keel_bn_to_be((uint8_t *)b, a, k);
	return (uint8_t *)b;
}

/* db ^= MGF1-SHA-256(seed, db_len). */
static void mgf1_xor(uint8_t *db, size_t db_len, const uint8_t seed[HLEN])
{
	struct keel_sha256 h;
	uint8_t mask[HLEN], ctr[4] = { 0, 0, 0, 0 };

	for (size_t off = 0; off < db_len; off += HLEN) {
		keel_sha256_init(&h);
		keel_sha256_update(&h, seed, HLEN);
		keel_sha256_update(&h, ctr, 4);
		keel_sha256_final(&h, mask);
		for (size_t i = 0; i < HLEN && off + i < db_len; i++)
			db[off + i] ^= mask[i];
		ctr[3]++;   /* at most 12 blocks: the low byte never wraps */
	}
}

/*
 * EMSA-PSS-VERIFY for emBits = 8 * em_len - 1 (modulus with its top bit
 * set). Every check runs; the verdict is accumulated so no single skipped
 * branch turns a failure into success.
 */
static int emsa_pss_verify(uint8_t *em, size_t em_len, const uint8_t *digest,
			   size_t salt_len)
{
	size_t db_len = em_len - HLEN - 1, ps_len = db_len - salt_len - 1;
	const uint8_t *h = em + db_len;
	static const uint8_t zeros[8];
	struct keel_sha256 ctx;
	uint8_t h2[HLEN];
	unsigned bad = 0;

	bad |= em[em_len - 1] ^ 0xbc;
	bad |= em[0] & 0x80;                 /* the 8 * em_len - emBits top bits */
	mgf1_xor(em, db_len, h);
	em[0] &= 0x7f;
	for (size_t i = 0; i < ps_len; i++)
		bad |= em[i];
	bad |= em[ps_len] ^ 0x01;

	keel_sha256_init(&ctx);
	keel_sha256_update(&ctx, zeros, sizeof(zeros));
	keel_sha256_update(&ctx, digest, HLEN);
	keel_sha256_update(&ctx, em + db_len - salt_len, salt_len);
	keel_sha256_final(&ctx, h2);
	bad |= (unsigned)keel_ct_compare(h, h2, HLEN);
	return bad == 0 ? 0 : KEEL_EACCES;
}

int keel_rsa_pss_verify(const uint8_t *n, size_t n_len, const uint8_t *digest,
			size_t digest_len, const uint8_t *sig, size_t sig_len,
			size_t salt_len)
{
	struct rsa_work w;
	size_t k = n_len / 4;
	uint8_t *em;

	if (!n || !digest || (!sig && sig_len) || digest_len != HLEN)
		return KEEL_EINVAL;
	if (n_len != 256 && n_len != 384)
		return KEEL_EINVAL;
	/* A modulus of exactly 8 * n_len bits, odd: anything else is not a key. */
	if (!(n[0] & 0x80) || !(n[n_len - 1] & 1))
		return KEEL_EINVAL;
	if (salt_len > n_len - HLEN - 2)
		return KEEL_EINVAL;
	if (sig_len != n_len || memcmp(sig, n, n_len) >= 0)
		return KEEL_EACCES;

	keel_bn_from_be(w.n, n, k);
	em = rsa_public(&w, sig, k);
	return emsa_pss_verify(em, n_len, digest, salt_len);
}
