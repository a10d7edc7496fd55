/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 arithmetic shared by ECDSA verify and ECDH: numbers mod p and n,
 * Jacobian point doubling and mixed addition, point decoding.
 *
 * Design (docs/crypto.md "ECDSA P-256"): 8 x 32-bit limbs, schoolbook
 * multiplication and the Solinas reduction for p (FIPS 186-4 D.2.3),
 * written as a table so that one short loop does all nine terms. Inversion
 * is the binary extended Euclid, which is variable time and therefore only
 * ever sees public values; ECDH inverts its secret-dependent Z by Fermat in
 * its own file.
 */
#include <string.h>

#include "p256_field.h"

const p256_num p256_p = {
	0xffffffff, 0xffffffff, 0xffffffff, 0x00000000,
	0x00000000, 0x00000000, 0x00000001, 0xffffffff,
};

const p256_num p256_n = {
	0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad,
	0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
};

static const p256_num p256_b = {
	0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0,
	0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
};

/*
 * 32 x 32 -> 64 multiply. ARMv6-M (Cortex-M0) has only MULS (32 x 32 -> 32),
 * and a 64-bit product there becomes a libgcc __aeabi_lmul call that also
 * does the cross terms of a 64 x 64 product; four 16 x 16 products inline
 * are about half the cost. Every other target has a native instruction.
 */
#if defined(__ARM_ARCH_6M__)
static inline uint64_t mul32(uint32_t a, uint32_t b)
{
	uint32_t al = a & 0xffff, ah = a >> 16, bl = b & 0xffff, bh = b >> 16;
	uint32_t lo = al * bl, hi = ah * bh, m1 = al * bh, m2 = ah * bl;
	uint32_t mid = m1 + m2, t;

	hi += (uint32_t)(mid < m1) << 16;
	t = lo + (mid << 16);
	hi += (mid >> 16) + (t < lo);
	return ((uint64_t)hi << 32) | t;
}
#else
static inline uint64_t mul32(uint32_t a, uint32_t b)
{
	return (uint64_t)a * b;
}
#endif

void p256_from_bytes(p256_num r, const uint8_t in[32])
{
	for (int i = 0; i < P256_LIMBS; i++) {
		const uint8_t *q = in + 28 - 4 * i;

		r[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		       (uint32_t)q[2] << 8 | q[3];
	}
}

void p256_to_bytes(uint8_t out[32], const p256_num a)
{
	for (int i = 0; i < P256_LIMBS; i++) {
		uint8_t *q = out + 28 - 4 * i;

		q[0] = (uint8_t)(a[i] >> 24);
		q[1] = (uint8_t)(a[i] >> 16);
		q[2] = (uint8_t)(a[i] >> 8);
		q[3] = (uint8_t)a[i];
	}
}

uint32_t p256_add(p256_num r, const p256_num a, const p256_num b)
{
	uint64_t c = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		c += (uint64_t)a[i] + b[i];
		r[i] = (uint32_t)c;
		c >>= 32;
	}
	return (uint32_t)c;
}

uint32_t p256_sub(p256_num r, const p256_num a, const p256_num b)
{
	int64_t c = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		c += (int64_t)a[i] - b[i];
		r[i] = (uint32_t)c;
		c >>= 32;   /* arithmetic: 0 or -1 */
	}
	return (uint32_t)c & 1;
}

uint32_t p256_lt(const p256_num a, const p256_num m)
{
	p256_num t;

	return p256_sub(t, a, m);
}

uint32_t p256_is_zero(const p256_num a)
{
	uint32_t x = 0;

	for (int i = 0; i < P256_LIMBS; i++)
		x |= a[i];
	return ((x | (0u - x)) >> 31) ^ 1;
}

/* r = mask ? a : r, mask all-ones or zero. */
static void select_num(p256_num r, const p256_num a, uint32_t mask)
{
	for (int i = 0; i < P256_LIMBS; i++)
		r[i] ^= (r[i] ^ a[i]) & mask;
}

void p256_add_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m)
{
	p256_num t;
	uint32_t c = p256_add(r, a, b);
	uint32_t borrow = p256_sub(t, r, m);

	/* a + b - m is right when the sum carried out or did not go below m. */
	select_num(r, t, 0u - (c | (borrow ^ 1)));
}

void p256_sub_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m)
{
	p256_num t;
	uint32_t mask = 0u - p256_sub(r, a, b);

	for (int i = 0; i < P256_LIMBS; i++)
		t[i] = m[i] & mask;
	p256_add(r, r, t);
}

/*
 * Solinas reduction: with the product as words c0..c15, the result is
 * T + 2 S1 + 2 S2 + S3 + S4 - D1 - D2 - D3 - D4 (FIPS 186-4 D.2.3). Per
 * output word j that is c_j plus the high words listed here, in order:
 * low 3 bits = index - 8, RED_NEG = subtract, RED_END = last term of word j.
 */
#define RED_NEG 0x08
#define RED_END 0x10
#define A(i) ((i) - 8)
#define S(i) (((i) - 8) | RED_NEG)
static const uint8_t red_terms[] = {
	A(8), A(9), S(11), S(12), S(13), S(14) | RED_END,
	A(9), A(10), S(12), S(13), S(14), S(15) | RED_END,
	A(10), A(11), S(13), S(14), S(15) | RED_END,
	A(11), A(11), A(12), A(12), A(13), S(15), S(8), S(9) | RED_END,
	A(12), A(12), A(13), A(13), A(14), S(9), S(10) | RED_END,
	A(13), A(13), A(14), A(14), A(15), S(10), S(11) | RED_END,
	A(14), A(14), A(14), A(15), A(15), A(13), S(8), S(9) | RED_END,
	A(15), A(15), A(15), A(8), S(10), S(11), S(12), S(13) | RED_END,
};
#undef A
#undef S

/*
 * r + top * 2^256 mod p, as r + top * (2^256 - p) with
 * 2^256 - p = 2^224 - 2^192 - 2^96 + 1; returns the new top word.
 */
static int32_t fold(p256_num r, int32_t top)
{
	static const int8_t k[P256_LIMBS] = { 1, 0, 0, -1, 0, 0, -1, 1 };
	int64_t acc = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		acc += (int64_t)r[i] + k[i] * top;
		r[i] = (uint32_t)acc;
		acc >>= 32;
	}
	return (int32_t)acc;
}

/*
 * The signed sum above lies in (-4 * 2^256, 6 * 2^256). One fold leaves
 * a top word in {-1, 0, 1}; a second fold cannot carry again (the part
 * below 2^256 is then small, resp. large, enough), and one conditional
 * subtraction brings [0, 2^256) into [0, p).
 */
static void reduce(p256_num r, const uint32_t c[16])
{
	const uint8_t *e = red_terms;
	int64_t acc = 0;
	uint32_t borrow;
	p256_num t;

	for (int j = 0; j < P256_LIMBS; j++) {
		uint8_t term;

		acc += c[j];
		do {
			term = *e++;
			if (term & RED_NEG)
				acc -= c[8 + (term & 7)];
			else
				acc += c[8 + (term & 7)];
		} while (!(term & RED_END));
		r[j] = (uint32_t)acc;
		acc >>= 32;
	}
	fold(r, fold(r, (int32_t)acc));
	borrow = p256_sub(t, r, p256_p);
	select_num(r, t, borrow - 1);
}

void p256_fe_mul(p256_num r, const p256_num a, const p256_num b)
{
	uint32_t c[16];

	memset(c, 0, P256_LIMBS * sizeof(c[0]));
	for (int i = 0; i < P256_LIMBS; i++) {
		uint32_t carry = 0;

		for (int j = 0; j < P256_LIMBS; j++) {
			uint64_t v = mul32(a[i], b[j]) + c[i + j] + carry;

			c[i + j] = (uint32_t)v;
			carry = (uint32_t)(v >> 32);
		}
		c[i + P256_LIMBS] = carry;
	}
	reduce(r, c);
}

static void shr1(p256_num a, uint32_t top)
{
	for (int i = 0; i < P256_LIMBS - 1; i++)
		a[i] = (a[i] >> 1) | (a[i + 1] << 31);
	a[P256_LIMBS - 1] = (a[P256_LIMBS - 1] >> 1) | (top << 31);
}

/* x / 2 mod m (m odd): add m first when x is odd. Variable time. */
static void halve_mod(p256_num x, const p256_num m)
{
	uint32_t c = 0;

	if (x[0] & 1)
		c = p256_add(x, x, m);
	shr1(x, c);
}

static int is_one(const p256_num a)
{
	uint32_t x = a[0] ^ 1;

	for (int i = 1; i < P256_LIMBS; i++)
		x |= a[i];
	return x == 0;
}

/* Invariants: x1 * a == num * u and x2 * a == num * v (mod m). */
int p256_div_var(p256_num r, const p256_num num, const p256_num a, const p256_num m)
{
	p256_num u, v, x1, x2, t;

	if (p256_is_zero(a))
		return -1;
	memcpy(u, a, sizeof(u));
	memcpy(v, m, sizeof(v));
	memcpy(x1, num, sizeof(x1));
	memset(x2, 0, sizeof(x2));
	for (;;) {
		while (!(u[0] & 1)) {
			shr1(u, 0);
			halve_mod(x1, m);
		}
		while (!(v[0] & 1)) {
			shr1(v, 0);
			halve_mod(x2, m);
		}
		if (is_one(u)) {
			memcpy(r, x1, sizeof(x1));
			return 0;
		}
		if (is_one(v)) {
			memcpy(r, x2, sizeof(x2));
			return 0;
		}
		if (!p256_sub(t, u, v)) {
			memcpy(u, t, sizeof(t));
			p256_sub_mod(x1, x1, x2, m);
		} else {
			p256_sub(v, v, u);
			p256_sub_mod(x2, x2, x1, m);
		}
	}
}

static void fe_add(p256_num r, const p256_num a, const p256_num b)
{
	p256_add_mod(r, a, b, p256_p);
}

static void fe_sub(p256_num r, const p256_num a, const p256_num b)
{
	p256_sub_mod(r, a, b, p256_p);
}

/* dbl-2001-b for a = -3, with Z3 = 2 Y Z: 3M + 5S. */
void p256_dbl(struct p256_jac *r, const struct p256_jac *a)
{
	p256_num delta, gamma, beta, alpha, t;

	p256_fe_mul(delta, a->z, a->z);
	p256_fe_mul(gamma, a->y, a->y);
	p256_fe_mul(beta, a->x, gamma);
	fe_sub(t, a->x, delta);
	fe_add(alpha, a->x, delta);
	p256_fe_mul(alpha, alpha, t);
	fe_add(t, alpha, alpha);
	fe_add(alpha, alpha, t);            /* 3 (X - delta)(X + delta) */
	p256_fe_mul(r->z, a->y, a->z);      /* a is not read after this */
	fe_add(r->z, r->z, r->z);
	fe_add(beta, beta, beta);
	fe_add(beta, beta, beta);           /* 4 beta */
	p256_fe_mul(r->x, alpha, alpha);
	fe_add(t, beta, beta);
	fe_sub(r->x, r->x, t);
	fe_sub(t, beta, r->x);
	p256_fe_mul(t, alpha, t);
	p256_fe_mul(gamma, gamma, gamma);
	fe_add(gamma, gamma, gamma);
	fe_add(gamma, gamma, gamma);
	fe_add(gamma, gamma, gamma);        /* 8 gamma^2 */
	fe_sub(r->y, t, gamma);
}

/* Jacobian + affine: 8M + 3S. */
int p256_madd(struct p256_jac *r, const struct p256_jac *a, const struct p256_aff *b)
{
	p256_num z2, u2, s2, h, rr, hh, hhh, v;
	uint32_t hz, rz;

	p256_fe_mul(z2, a->z, a->z);
	p256_fe_mul(u2, b->x, z2);
	p256_fe_mul(s2, a->z, z2);
	p256_fe_mul(s2, s2, b->y);
	fe_sub(h, u2, a->x);
	fe_sub(rr, s2, a->y);
	hz = p256_is_zero(h);
	rz = p256_is_zero(rr);
	p256_fe_mul(hh, h, h);
	p256_fe_mul(hhh, h, hh);
	p256_fe_mul(v, a->x, hh);
	p256_fe_mul(u2, a->y, hhh);         /* Y1 H^3 */
	p256_fe_mul(r->z, a->z, h);         /* a is not read after this */
	p256_fe_mul(r->x, rr, rr);
	fe_sub(r->x, r->x, hhh);
	fe_sub(r->x, r->x, v);
	fe_sub(r->x, r->x, v);
	fe_sub(v, v, r->x);
	p256_fe_mul(v, rr, v);
	fe_sub(r->y, v, u2);
	return (int)(hz * (2 - rz));
}

int p256_point_decode(struct p256_aff *r, const uint8_t in[65])
{
	static const p256_num three = { 3 };
	p256_num lhs, rhs;
	uint32_t diff = 0;

	if (in[0] != 0x04)
		return -1;
	p256_from_bytes(r->x, in + 1);
	p256_from_bytes(r->y, in + 33);
	if (!p256_lt(r->x, p256_p) || !p256_lt(r->y, p256_p))
		return -1;
	p256_fe_mul(lhs, r->y, r->y);
	p256_fe_mul(rhs, r->x, r->x);
	fe_sub(rhs, rhs, three);
	p256_fe_mul(rhs, rhs, r->x);
	fe_add(rhs, rhs, p256_b);           /* x^3 - 3x + b */
	for (int i = 0; i < P256_LIMBS; i++)
		diff |= lhs[i] ^ rhs[i];
	return diff ? -1 : 0;
}

void p256_to_affine_var(struct p256_aff *r, const struct p256_jac *a)
{
	static const p256_num one = { 1 };
	p256_num zi, zi2;

	p256_div_var(zi, one, a->z, p256_p);
	p256_fe_mul(zi2, zi, zi);
	p256_fe_mul(r->x, a->x, zi2);
	p256_fe_mul(zi2, zi2, zi);
	p256_fe_mul(r->y, a->y, zi2);
}
