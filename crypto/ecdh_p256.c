/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 ECDH (SEC 1 3.3.1): shared = x(priv * peer), constant time in priv.
 *
 * The peer point is public (it comes from the image), so it is validated
 * and its table 1P..8P is built and made affine in variable time. The
 * scalar is recoded into 65 signed digits in [-8, 8] (Booth) and consumed
 * from the top: 4 doublings, the entry for |digit| picked by scanning all
 * 8 entries with masks, y negated under a mask for a negative digit, one
 * mixed addition whose result is kept or dropped by masks. No branch and
 * no memory index depends on priv; verdicts are computed as masks too, so
 * the only secret-dependent values leaving this function are shared[] and
 * the return code, which the caller is entitled to see.
 *
 * Exceptional sums: with K the value of the digits above the current one
 * (K = floor(k / 16^j) + one bit), the accumulator is 16 K P (or infinity,
 * handled by mask) and the entry d P with 1 <= |d| <= 8. Before the last
 * digit 16 K is below n - 8, so 16 K = +-d (mod n) needs K = 0 and
 * 16 K + d = 0 (mod n) too. On the last digit 16 K = k - d may reach n - d:
 * equal points for k = n - 2 (Wycheproof's "edge case private key"),
 * handled by fix_same(); the sum is k P, never infinity, for k in [1, n-1].
 */
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "p256_field.h"

/* Signed 4-bit digits in [-8, 8]: a table of 1P..8P, 65 digits. */
#define WIN_ENTRIES 8
#define DIGITS 65

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

/* r = tab[d - 1] for d in [1, 8]; r = 0 for d == 0. Reads every entry. */
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

/*
 * Digit i of k's signed (Booth) recoding: -8 b[4i+3] + 4 b[4i+2] +
 * 2 b[4i+1] + b[4i] + b[4i-1], with b[-1] and bits above 255 zero, so
 * k = sum of digit i * 16^i. Only the bit positions, which are public,
 * decide the branches.
 */
static int32_t booth_digit(const p256_num k, int i)
{
	int lo = 4 * i - 1;
	uint32_t v;

	if (i == 0) {
		v = (k[0] << 1) & 31;
	} else {
		v = k[lo / 32] >> (lo % 32);
		if (lo % 32 > 27 && lo / 32 + 1 < P256_LIMBS)
			v |= k[lo / 32 + 1] << (32 - lo % 32);
		v &= 31;
	}
	return (int32_t)((v + 1) >> 1) - 16 * (int32_t)(v >> 4);
}

/*
 * The one exceptional sum the ladder can meet: on the last digit d < 0,
 * the accumulator 16 K P equals d P when k = n + 2d. The last digit comes
 * from k's low nibble x (d = x - 16 for x >= 8), and n = 1 mod 16, so that
 * means x = 15, d = -1: the valid key k = n - 2 alone. p256_madd flags the
 * case as a value, and the doubling of the table point replaces the sum
 * under a mask.
 */
static void fix_same(struct p256_jac *sum, const struct p256_aff *sel, int code)
{
	struct p256_jac dbl;
	uint32_t same = eq_mask((uint32_t)code, P256_MADD_SAME);

	memcpy(dbl.x, sel->x, sizeof(dbl.x));
	memcpy(dbl.y, sel->y, sizeof(dbl.y));
	memset(dbl.z, 0, sizeof(dbl.z));
	dbl.z[0] = 1;
	p256_dbl(&dbl, &dbl);
	select_num(sum->x, dbl.x, same);
	select_num(sum->y, dbl.y, same);
	select_num(sum->z, dbl.z, same);
	keel_wipe(&dbl, sizeof(dbl));
}

/* acc = k P, digits from the most significant; |digit| picks, the sign negates y. */
static void ladder(struct p256_jac *acc, const struct p256_aff tab[WIN_ENTRIES],
		   const p256_num k)
{
	static const p256_num one = { 1 };
	struct p256_aff sel;
	struct p256_jac sum;
	p256_num ny;
	uint32_t inf = ~0u;
	int code;

	memset(acc, 0, sizeof(*acc));
	for (int i = DIGITS - 1; i >= 0; i--) {
		int32_t d = booth_digit(k, i);
		uint32_t neg = (uint32_t)d >> 31, mag = ((uint32_t)d ^ (0u - neg)) + neg, use;

		for (int j = 0; i < DIGITS - 1 && j < 4; j++)
			p256_dbl(acc, acc);
		lookup(&sel, tab, mag);
		p256_sub(ny, p256_p, sel.y);
		select_num(sel.y, ny, 0u - neg);
		code = p256_madd(&sum, acc, &sel);
		if (i == 0)
			fix_same(&sum, &sel, code);
		/* From infinity the sum is the table point itself. */
		select_num(sum.x, sel.x, inf);
		select_num(sum.y, sel.y, inf);
		select_num(sum.z, one, inf);
		use = ~eq_mask(mag, 0);
		select_num(acc->x, sum.x, use);
		select_num(acc->y, sum.y, use);
		select_num(acc->z, sum.z, use);
		inf &= ~use;
	}
	keel_wipe(&sel, sizeof(sel));
	keel_wipe(&sum, sizeof(sum));
	keel_wipe(ny, sizeof(ny));
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
