/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ECDSA P-256 verify (FIPS 186-4 6.4.2) over a caller-supplied digest.
 *
 * Everything here is public (key, digest, signature), so it may run in
 * variable time. u1 G + u2 Q is one interleaved pass over width-4 NAFs of
 * both scalars: 257 doublings and about 2 * 257 / 5 mixed additions. The
 * odd multiples of G and Q are computed per call (one inversion each).
 * u1 and u2 come from a binary-Euclid division mod n (no mod-n multiply
 * is needed at all), and R is compared in Jacobian form (r Z^2 == X), so
 * the only inversions are the ones that make the tables affine.
 */
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "p256_field.h"

/* Width-4 NAF digits are odd in [-7, 7]: tables of 1, 3, 5, 7 times a point. */
#define NAF_LEN 257
#define TAB_LEN 4

static const struct p256_aff p256_g = {
	{ 0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2 },
	{ 0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2 },
};

/*
 * One DER INTEGER, minimal and non-negative, at most 256 bits of value.
 * Strict DER: short-form length, no leading zero unless the next byte has
 * its top bit set, no negative numbers.
 */
static int der_int(const uint8_t **pp, const uint8_t *end, p256_num out)
{
	const uint8_t *p = *pp;
	uint8_t buf[32];
	size_t len;

	if (end - p < 2 || p[0] != 0x02)
		return -1;
	len = p[1];
	p += 2;
	if (len == 0 || len > 33 || (size_t)(end - p) < len)
		return -1;
	if (p[0] & 0x80)
		return -1;
	if (len > 1 && p[0] == 0 && !(p[1] & 0x80))
		return -1;
	*pp = p + len;
	if (len == 33) {
		if (p[0] != 0)
			return -1;
		p++;
		len--;
	}
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 32 - len, p, len);
	p256_from_bytes(out, buf);
	return 0;
}

/* SEQUENCE { INTEGER r, INTEGER s } filling sig exactly. */
static int der_sig(const uint8_t *sig, size_t len, p256_num r, p256_num s)
{
	const uint8_t *p = sig + 2, *end = sig + len;

	if (len < 2 || sig[0] != 0x30 || sig[1] >= 0x80 || sig[1] != len - 2)
		return -1;
	if (der_int(&p, end, r) || der_int(&p, end, s))
		return -1;
	return p == end ? 0 : -1;
}

size_t keel_ecdsa_der_strip_padding(const uint8_t *sig, size_t sig_len)
{
	size_t n;

	if (sig == NULL || sig_len < 2 || sig[0] != 0x30 || sig[1] >= 0x80)
		return sig_len;
	n = 2 + (size_t)sig[1];
	if (n > sig_len)
		return sig_len;
	for (size_t i = n; i < sig_len; i++)
		if (sig[i] != 0)
			return 0;
	return n;
}

/* Leftmost 256 bits of the digest (FIPS 186-4 6.4), then reduced mod n. */
static void digest_to_num(p256_num e, const uint8_t *digest, size_t len)
{
	uint8_t buf[32];
	p256_num t;

	memset(buf, 0, sizeof(buf));
	if (len >= 32)
		memcpy(buf, digest, 32);
	else
		memcpy(buf + 32 - len, digest, len);
	p256_from_bytes(e, buf);
	if (!p256_sub(t, e, p256_n))
		memcpy(e, t, sizeof(t));
}

/* Width-4 NAF of k (< 2^256) into the nibble at `shift` of naf[i]. */
static void wnaf(uint8_t naf[NAF_LEN], const p256_num k, unsigned shift)
{
	uint32_t t[P256_LIMBS + 1];

	memcpy(t, k, sizeof(p256_num));
	t[P256_LIMBS] = 0;
	for (int i = 0; i < NAF_LEN; i++) {
		int32_t d = 0;

		if (t[0] & 1) {
			int64_t c;

			d = (int32_t)(t[0] & 15);
			if (d >= 8)
				d -= 16;
			c = -(int64_t)d;
			for (int j = 0; j <= P256_LIMBS; j++) {
				c += t[j];
				t[j] = (uint32_t)c;
				c >>= 32;
			}
		}
		naf[i] |= (uint8_t)((d & 15) << shift);
		for (int j = 0; j < P256_LIMBS; j++)
			t[j] = (t[j] >> 1) | (t[j + 1] << 31);
		t[P256_LIMBS] >>= 1;
	}
}

static void lift(struct p256_jac *r, const struct p256_aff *a)
{
	memcpy(r->x, a->x, sizeof(r->x));
	memcpy(r->y, a->y, sizeof(r->y));
	memset(r->z, 0, sizeof(r->z));
	r->z[0] = 1;
}

/*
 * 1Q, 3Q, 5Q, 7Q in affine form: 3Q = 2Q + Q, 5Q = 4Q + Q, 7Q = 8Q - Q
 * (mixed additions with +-Q; Q has prime order, so none of them is
 * exceptional), X and Y going straight into the table, then one inversion
 * for the three Z (Montgomery's trick). Used for G too: a table of G in
 * rodata would save one call (about 2% of a verify) but cost 192 bytes.
 */
static void odd_table(struct p256_aff tab[TAB_LEN], const struct p256_aff *q)
{
	struct p256_jac d, t;
	struct p256_aff nq;
	p256_num z[TAB_LEN - 1], pre[TAB_LEN - 1], inv, zi, zi2;

	tab[0] = *q;
	nq = *q;
	p256_sub(nq.y, p256_p, q->y);
	lift(&d, q);
	for (int i = 1; i < TAB_LEN; i++) {
		p256_dbl(&d, &d);
		p256_madd(&t, &d, i < TAB_LEN - 1 ? q : &nq);
		memcpy(&tab[i], &t, sizeof(tab[i]));  /* X and Y */
		memcpy(z[i - 1], t.z, sizeof(t.z));
		if (i == 1)
			memcpy(pre[0], t.z, sizeof(t.z));
		else
			p256_fe_mul(pre[i - 1], pre[i - 2], t.z);
	}
	memset(zi, 0, sizeof(zi));
	zi[0] = 1;
	p256_div_var(inv, zi, pre[TAB_LEN - 2], p256_p);
	for (int i = TAB_LEN - 1; i > 0; i--) {
		memcpy(zi, inv, sizeof(zi));
		if (i > 1) {
			p256_fe_mul(zi, inv, pre[i - 2]);
			p256_fe_mul(inv, inv, z[i - 1]);
		}
		p256_fe_sqr(zi2, zi);
		p256_fe_mul(tab[i].x, tab[i].x, zi2);
		p256_fe_mul(zi2, zi2, zi);
		p256_fe_mul(tab[i].y, tab[i].y, zi2);
	}
}

/* acc += pt, with the point at infinity and the exceptional sums handled. */
static void add_var(struct p256_jac *acc, int *inf, const struct p256_aff *pt)
{
	if (*inf) {
		lift(acc, pt);
		*inf = 0;
		return;
	}
	switch (p256_madd(acc, acc, pt)) {
	case P256_MADD_SAME:
		lift(acc, pt);
		p256_dbl(acc, acc);
		break;
	case P256_MADD_OPPOSITE:
		*inf = 1;
		break;
	default:
		break;
	}
}

static void add_digit(struct p256_jac *acc, int *inf, const struct p256_aff *tab, int d)
{
	struct p256_aff pt;

	if (d == 0)
		return;
	pt = tab[(d < 0 ? -d : d) >> 1];
	/* -y = p - y: y != 0, as P-256 has no point of order 2. */
	if (d < 0)
		p256_sub(pt.y, p256_p, pt.y);
	add_var(acc, inf, &pt);
}

/* x(R) mod n == r with R = (X/Z^2, ...): X == r Z^2 or, if r + n < p, (r + n) Z^2. */
static int x_matches(const struct p256_jac *a, const p256_num r)
{
	p256_num z2, t, rn;

	p256_fe_sqr(z2, a->z);
	p256_fe_mul(t, r, z2);
	if (memcmp(t, a->x, sizeof(t)) == 0)
		return 0;
	if (p256_add(rn, r, p256_n) || !p256_lt(rn, p256_p))
		return -1;
	p256_fe_mul(t, rn, z2);
	return memcmp(t, a->x, sizeof(t)) == 0 ? 0 : -1;
}

/* acc = u1 G + u2 Q; returns 1 if that is infinity. The NAF lives only here. */
static int __attribute__((noinline)) sum(struct p256_jac *acc, const p256_num u1,
					  const p256_num u2, const struct p256_aff g_tab[TAB_LEN],
					  const struct p256_aff q_tab[TAB_LEN])
{
	uint8_t naf[NAF_LEN];
	int inf = 1;

	memset(naf, 0, sizeof(naf));
	wnaf(naf, u1, 0);
	wnaf(naf, u2, 4);
	memset(acc, 0, sizeof(*acc));
	for (int i = NAF_LEN - 1; i >= 0; i--) {
		if (!inf)
			p256_dbl(acc, acc);
		add_digit(acc, &inf, g_tab, ((naf[i] & 15) ^ 8) - 8);
		add_digit(acc, &inf, q_tab, ((naf[i] >> 4) ^ 8) - 8);
	}
	return inf;
}

/* 0 iff x(u1 G + u2 Q) == r (mod n) and the sum is not infinity. */
static int check_sum(const p256_num u1, const p256_num u2,
		     const struct p256_aff *q, const p256_num r)
{
	struct p256_aff g_tab[TAB_LEN], q_tab[TAB_LEN];
	struct p256_jac acc;

	odd_table(g_tab, &p256_g);
	odd_table(q_tab, q);
	if (sum(&acc, u1, u2, g_tab, q_tab))
		return -1;
	return x_matches(&acc, r);
}

static int parse_sig(const uint8_t *sig, size_t sig_len,
		     enum keel_ecdsa_sig_format format, p256_num r, p256_num s)
{
	if (format == KEEL_ECDSA_RAW) {
		if (sig_len != 64)
			return -1;
		p256_from_bytes(r, sig);
		p256_from_bytes(s, sig + 32);
		return 0;
	}
	return der_sig(sig, sig_len, r, s);
}

int keel_ecdsa_p256_verify(const uint8_t pub[65], const uint8_t *digest,
			   size_t digest_len, const uint8_t *sig, size_t sig_len,
			   enum keel_ecdsa_sig_format format)
{
	p256_num r, s, e, u1, u2;
	struct p256_aff q;

	if (pub == NULL || digest == NULL || sig == NULL || digest_len == 0)
		return KEEL_EINVAL;
	if (format != KEEL_ECDSA_RAW && format != KEEL_ECDSA_DER)
		return KEEL_EINVAL;
	if (parse_sig(sig, sig_len, format, r, s) != 0)
		return KEEL_EACCES;
	if (p256_is_zero(r) || p256_is_zero(s) ||
	    !p256_lt(r, p256_n) || !p256_lt(s, p256_n))
		return KEEL_EACCES;
	if (p256_point_decode(&q, pub) != 0)
		return KEEL_EACCES;
	digest_to_num(e, digest, digest_len);
	if (p256_div_var(u1, e, s, p256_n) || p256_div_var(u2, r, s, p256_n))
		return KEEL_EACCES;
	return check_sum(u1, u2, &q, r) == 0 ? 0 : KEEL_EACCES;
}
