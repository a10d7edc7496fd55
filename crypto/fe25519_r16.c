/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GF(2^255 - 19) with sixteen 16-bit limbs held in 32-bit words. Built for
 * cores whose multiplier gives only the low 32 bits of a product (ARMv6-M
 * MULS): a 16x16 product is exact in 32 bits, so no 64-bit multiply and no
 * libgcc helper is ever needed, and the loops keep the code small.
 *
 * Values are kept below 2^256 but not below p; 2^256 = 38 mod p folds the
 * top. Every function leaves all limbs below 2^16, so any output may feed
 * any input. Squaring lives in its own file (fe25519_r16_sq*.c) so a build
 * can trade its code for speed.
 */
#include "fe25519.h"

/*
 * Propagates carries of limbs below 2^26, folding the carry out of limb 15
 * back in as 38 times itself. Two passes always suffice: after the first,
 * limb 0 is below 2^16 + 2^11; the second can carry out of limb 15 only if
 * limb 0 itself carried, and then limb 0 is small enough to take the 38.
 */
void fe25519_r16_carry(uint32_t t[16])
{
	for (unsigned pass = 0; pass < 2; pass++) {
		uint32_t c = 0;

		for (unsigned i = 0; i < 16; i++) {
			c += t[i];
			t[i] = c & 0xffff;
			c >>= 16;
		}
		t[0] += 38 * c;
	}
}

void fe25519_frombytes(fe25519 h, const uint8_t s[32])
{
	for (unsigned i = 0; i < 16; i++)
		h[i] = (uint32_t)s[2 * i] | (uint32_t)s[2 * i + 1] << 8;
	h[15] &= 0x7fff;
}

/* t += add19 * 19 after moving bit 255 down as 19; no carry leaves limb 15. */
static void fold255(uint32_t t[16], uint32_t add19)
{
	uint32_t c = 19 * ((t[15] >> 15) + add19);

	t[15] &= 0x7fff;
	for (unsigned i = 0; i < 16; i++) {
		c += t[i];
		t[i] = c & 0xffff;
		c >>= 16;
	}
}

void fe25519_tobytes(uint8_t s[32], const fe25519 f)
{
	uint32_t t[16], c = 19;

	for (unsigned i = 0; i < 16; i++)
		t[i] = f[i];
	/* From below 2^256 to below 2^255 + 19, then below 2^255. */
	fold255(t, 0);
	fold255(t, 0);
	/* value >= p iff value + 19 reaches bit 255. */
	for (unsigned i = 0; i < 15; i++)
		c = (t[i] + c) >> 16;
	c = (t[15] + c) >> 15;
	/* Adding 19 and dropping bit 255 subtracts p. */
	fold255(t, c);
	t[15] &= 0x7fff;
	for (unsigned i = 0; i < 16; i++) {
		s[2 * i] = (uint8_t)t[i];
		s[2 * i + 1] = (uint8_t)(t[i] >> 8);
	}
}

void fe25519_set(fe25519 h, uint32_t small)
{
	h[0] = small;
	for (unsigned i = 1; i < 16; i++)
		h[i] = 0;
}

void fe25519_copy(fe25519 h, const fe25519 f)
{
	for (unsigned i = 0; i < 16; i++)
		h[i] = f[i];
}

void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g)
{
	for (unsigned i = 0; i < 16; i++)
		h[i] = f[i] + g[i];
	fe25519_r16_carry(h);
}

/* h = f - g + 4p, with 4p spread so that every limb stays non-negative. */
void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g)
{
	h[0] = f[0] + 0x20000 - 76 - g[0];
	for (unsigned i = 1; i < 16; i++)
		h[i] = f[i] + 0x20000 - 2 - g[i];
	fe25519_r16_carry(h);
}

void fe25519_neg(fe25519 h, const fe25519 f)
{
	fe25519 zero;

	fe25519_set(zero, 0);
	fe25519_sub(h, zero, f);
}

void fe25519_cswap(fe25519 f, fe25519 g, uint32_t bit)
{
	uint32_t mask = 0u - bit;

	for (unsigned i = 0; i < 16; i++) {
		uint32_t x = (f[i] ^ g[i]) & mask;

		f[i] ^= x;
		g[i] ^= x;
	}
}

/* Folds the 512-bit product t[0..31] (16-bit limbs) into h. */
void fe25519_r16_reduce(fe25519 h, const uint32_t t[32])
{
	uint32_t c = 0;

	/* The first carry pass rides along with the fold (limbs below 2^22). */
	for (unsigned i = 0; i < 16; i++) {
		c += t[i] + 38 * t[i + 16];
		h[i] = c & 0xffff;
		c >>= 16;
	}
	h[0] += 38 * c;
	fe25519_r16_carry(h);
}

/*
 * One column of a product: *t (the carry in, < 2^21) + a[0] b[0] +
 * a[1] b[-1] + ... (n >= 1 terms, each below 2^32). sum keeps the column
 * mod 2^32 and hi the sum of the products' top halves; the rest (< 2^22)
 * is then exactly sum - (hi << 16), so no 64-bit arithmetic is needed.
 * Leaves the low 16 bits in *t and returns the carry out. Kept out of line
 * so that on ARMv6-M the loop has the eight low registers to itself
 * (inlined, the caller's state spills into it).
 */
__attribute__((noinline)) uint32_t fe25519_r16_column(const uint32_t *a, const uint32_t *b,
						      unsigned n, uint32_t *t)
{
	const uint32_t *end = a + n;
	uint32_t sum = *t, hi = 0, low;

	do {
		uint32_t p = *a++ * *b--;

		sum += p;
		hi += p >> 16;
	} while (a != end);
	low = sum - (hi << 16);
	*t = low & 0xffff;
	return hi + (low >> 16);
}

void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g)
{
	uint32_t t[32], carry = 0;
	unsigned k;

	/* Product scanning: column k sums f[i] g[k - i], up to 16 products below 2^32. */
	for (k = 0; k < 16; k++) {
		t[k] = carry;
		carry = fe25519_r16_column(f, g + k, k + 1, &t[k]);
	}
	for (; k < 31; k++) {
		t[k] = carry;
		carry = fe25519_r16_column(f + k - 15, g + 15, 31 - k, &t[k]);
	}
	t[31] = carry;
	fe25519_r16_reduce(h, t);
}

void fe25519_mul_small(fe25519 h, const fe25519 f, uint32_t c)
{
	/* c < 2^17: the low 16 bits multiply exactly, bit 16 adds f[i] one limb up. */
	uint32_t c_lo = c & 0xffff, c_hi = c >> 16, up = 0;

	for (unsigned i = 0; i < 16; i++) {
		uint32_t p = f[i] * c_lo;

		h[i] = (p & 0xffff) + up;
		up = (p >> 16) + f[i] * c_hi;
	}
	h[0] += 38 * up;
	fe25519_r16_carry(h);
}
