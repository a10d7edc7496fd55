/* SPDX-License-Identifier: Apache-2.0 */
/* Field functions that do not depend on the limb layout. */
#include "fe25519.h"

void fe25519_sqn(fe25519 h, const fe25519 f, unsigned n)
{
	fe25519_sq(h, f);
	while (--n)
		fe25519_sq(h, h);
}

/*
 * z^(2^250 - 1) into t250 and z^11 into z11: the common prefix of the two
 * exponent chains below (2^255 - 21 = p - 2 and 2^252 - 3 = (p - 5) / 8).
 */
static void pow_2_250_1(fe25519 t250, fe25519 z11, const fe25519 z)
{
	fe25519 a, b, c;

	fe25519_sq(a, z);             /* 2 */
	fe25519_sqn(b, a, 2);         /* 8 */
	fe25519_mul(b, b, z);         /* 9 */
	fe25519_mul(z11, b, a);       /* 11 */
	fe25519_sq(a, z11);           /* 22 */
	fe25519_mul(a, a, b);         /* 2^5 - 1 */
	fe25519_sqn(b, a, 5);
	fe25519_mul(a, b, a);         /* 2^10 - 1 */
	fe25519_sqn(b, a, 10);
	fe25519_mul(b, b, a);         /* 2^20 - 1 */
	fe25519_sqn(c, b, 20);
	fe25519_mul(b, c, b);         /* 2^40 - 1 */
	fe25519_sqn(b, b, 10);
	fe25519_mul(a, b, a);         /* 2^50 - 1 */
	fe25519_sqn(b, a, 50);
	fe25519_mul(b, b, a);         /* 2^100 - 1 */
	fe25519_sqn(c, b, 100);
	fe25519_mul(b, c, b);         /* 2^200 - 1 */
	fe25519_sqn(b, b, 50);
	fe25519_mul(t250, b, a);      /* 2^250 - 1 */
}

void fe25519_invert(fe25519 h, const fe25519 z)
{
	fe25519 t, z11;

	pow_2_250_1(t, z11, z);
	fe25519_sqn(t, t, 5);         /* 2^255 - 32 */
	fe25519_mul(h, t, z11);       /* 2^255 - 21 */
}

void fe25519_pow22523(fe25519 h, const fe25519 z)
{
	fe25519 t, z11;

	pow_2_250_1(t, z11, z);
	fe25519_sqn(t, t, 2);         /* 2^252 - 4 */
	fe25519_mul(h, t, z);         /* 2^252 - 3 */
}

int fe25519_iszero(const fe25519 f)
{
	uint8_t s[32];
	uint32_t acc = 0;

	fe25519_tobytes(s, f);
	for (unsigned i = 0; i < 32; i++)
		acc |= s[i];
	return (int)(1 & ((acc - 1) >> 8));
}

int fe25519_isodd(const fe25519 f)
{
	uint8_t s[32];

	fe25519_tobytes(s, f);
	return s[0] & 1;
}

int fe25519_equal(const fe25519 f, const fe25519 g)
{
	fe25519 d;

	fe25519_sub(d, f, g);
	return fe25519_iszero(d);
}
