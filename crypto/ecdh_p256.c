/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 ECDH (SEC 1 3.3.1): shared = x(priv * peer), constant time in priv.
 *
 * The peer point is public (it comes from the image), so it is validated
 * and its table 1P..15P is built and made affine in variable time. The
 * scalar is then consumed 4 bits at a time from the top: 4 doublings, a
 * table entry picked by scanning all 15 entries with masks, one mixed
 * addition whose result is kept or dropped by masks. No branch and no
 * memory index depends on priv; verdicts are computed as masks too, so the
 * only secret-dependent values leaving this function are shared[] and the
 * return code, which the caller is entitled to see.
 *
 * Why the additions never hit an exceptional case: before adding digit d
 * the accumulator is k' P with 16 <= k' <= k < n (or infinity, handled by
 * mask), and d P has 1 <= d <= 15; k' == d or k' + d == n is impossible
 * for k in [1, n-1].
 */
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "p256_field.h"

#define WIN_ENTRIES 15

/* All-ones if x == y, else 0, without a branch. */
static uint32_t eq_mask(uint32_t x, uint32_t y)
{
	uint32_t d = x ^ y;

	return ((d | (0u - d)) >> 31) - 1;
}

static void select_num(p256_num r, const p256_num a, uint32_t mask)
{
	for (int i = 0; i < P256_LIMBS; i++)
		r[i] ^= (r[i] ^ a[i]) & mask;
}

/* Affine from Jacobian (a must not be infinity). Variable time. */
static void to_affine_var(struct p256_aff *r, const struct p256_jac *a)
{
	p256_num one = { 1 }, zi, zi2;

	p256_div_var(zi, one, a->z, p256_p);
	p256_fe_sqr(zi2, zi);
	p256_fe_mul(r->x, a->x, zi2);
	p256_fe_mul(zi2, zi2, zi);
	p256_fe_mul(r->y, a->y, zi2);
}

/* tab[i] = (i + 1) P, affine; public data, variable time. */
static void peer_table(struct p256_aff tab[WIN_ENTRIES], const struct p256_aff *p)
{
	struct p256_jac acc;

	memcpy(acc.x, p->x, sizeof(acc.x));
	memcpy(acc.y, p->y, sizeof(acc.y));
	memset(acc.z, 0, sizeof(acc.z));
	acc.z[0] = 1;
	tab[0] = *p;
	p256_dbl(&acc, &acc);
	to_affine_var(&tab[1], &acc);
	for (int i = 2; i < WIN_ENTRIES; i++) {
		p256_madd(&acc, &acc, p);
		to_affine_var(&tab[i], &acc);
	}
}

/* r = tab[d - 1] for d in [1, 15]; r = 0 for d == 0. Reads every entry. */
static void lookup(struct p256_aff *r, const struct p256_aff tab[WIN_ENTRIES], uint32_t d)
{
	memset(r, 0, sizeof(*r));
	for (uint32_t i = 0; i < WIN_ENTRIES; i++) {
		uint32_t m = eq_mask(i + 1, d);

		for (int j = 0; j < P256_LIMBS; j++) {
			r->x[j] |= tab[i].x[j] & m;
			r->y[j] |= tab[i].y[j] & m;
		}
	}
}

/* acc = k P with k from the scalar's limbs, most significant nibble first. */
static void ladder(struct p256_jac *acc, const struct p256_aff tab[WIN_ENTRIES],
		   const p256_num k)
{
	static const p256_num one = { 1 };
	struct p256_aff sel;
	struct p256_jac sum;
	uint32_t inf = ~0u;

	memset(acc, 0, sizeof(*acc));
	for (int i = 8 * P256_LIMBS - 1; i >= 0; i--) {
		uint32_t d = (k[i / 8] >> (4 * (i % 8))) & 15, use;

		for (int j = 0; j < 4; j++)
			p256_dbl(acc, acc);
		lookup(&sel, tab, d);
		p256_madd(&sum, acc, &sel);
		/* From infinity the sum is the table point itself. */
		select_num(sum.x, sel.x, inf);
		select_num(sum.y, sel.y, inf);
		select_num(sum.z, one, inf);
		use = ~eq_mask(d, 0);
		select_num(acc->x, sum.x, use);
		select_num(acc->y, sum.y, use);
		select_num(acc->z, sum.z, use);
		inf &= ~use;
	}
	keel_wipe(&sel, sizeof(sel));
	keel_wipe(&sum, sizeof(sum));
}

/* r = z^(p-3) = z^-2 (0 for z = 0); the exponent is public. */
static void inv_sqr(p256_num r, const p256_num z)
{
	p256_num e, t = { 1 };

	memcpy(e, p256_p, sizeof(e));
	e[0] -= 3;
	for (int i = 255; i >= 0; i--) {
		p256_fe_sqr(t, t);
		if ((e[i / 32] >> (i % 32)) & 1)
			p256_fe_mul(t, t, z);
	}
	memcpy(r, t, sizeof(t));
	keel_wipe(t, sizeof(t));
}

int keel_p256_ecdh(uint8_t shared[32], const uint8_t priv[32],
		   const uint8_t peer[65])
{
	struct p256_aff tab[WIN_ENTRIES];
	struct p256_jac acc;
	p256_num k, x;
	uint32_t bad_key, bad_out;

	if (shared == NULL || priv == NULL || peer == NULL)
		return KEEL_EINVAL;
	memset(shared, 0, 32);
	if (p256_point_decode(&tab[0], peer) != 0)
		return KEEL_EACCES;
	peer_table(tab, &tab[0]);
	p256_from_bytes(k, priv);
	bad_key = 0u - (p256_is_zero(k) | (p256_lt(k, p256_n) ^ 1));
	ladder(&acc, tab, k);
	inv_sqr(x, acc.z);
	p256_fe_mul(x, acc.x, x);
	/* x == 0 covers infinity (Z = 0) and a point with x = 0 alike. */
	bad_out = 0u - p256_is_zero(x);
	p256_to_bytes(shared, x);
	for (int i = 0; i < 32; i++)
		shared[i] &= (uint8_t)~(bad_key | bad_out);
	keel_wipe(k, sizeof(k));
	keel_wipe(x, sizeof(x));
	keel_wipe(&acc, sizeof(acc));
	return (int)((bad_key & (uint32_t)KEEL_EINVAL) |
		     (~bad_key & bad_out & (uint32_t)KEEL_EACCES));
}
