/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "bignum.h"
#include "bn_mul.h"

uint32_t keel_bn_n0inv(uint32_t n0)
{
	/* Newton's iteration doubles the correct low bits: 3 -> 6 -> ... -> 48. */
	uint32_t x = n0;

	for (int i = 0; i < 4; i++)
		x *= 2 - n0 * x;
	return 0 - x;
}

static uint32_t be_limb(const uint8_t *be, size_t k, size_t i)
{
	const uint8_t *p = be + 4 * (k - 1 - i);

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void keel_bn_from_be(uint32_t *x, const uint8_t *be, size_t k)
{
	for (size_t i = 0; i < k; i++)
		x[i] = be_limb(be, k, i);
}

void keel_bn_to_be(uint8_t *be, const uint32_t *x, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		uint8_t *p = be + 4 * (k - 1 - i);

		p[0] = (uint8_t)(x[i] >> 24);
		p[1] = (uint8_t)(x[i] >> 16);
		p[2] = (uint8_t)(x[i] >> 8);
		p[3] = (uint8_t)x[i];
	}
}

int keel_bn_cmp(const uint32_t *a, const uint32_t *b, size_t k)
{
	while (k--) {
		if (a[k] != b[k])
			return a[k] > b[k] ? 1 : -1;
	}
	return 0;
}

static void sub_n(uint32_t *x, const uint32_t *n, size_t k)
{
	uint32_t borrow = 0;

	for (size_t i = 0; i < k; i++) {
		uint32_t d = x[i] - n[i] - borrow;

		borrow = (x[i] < n[i]) | ((x[i] == n[i]) & borrow);
		x[i] = d;
	}
}

void keel_bn_mod_double(uint32_t *x, const uint32_t *n, size_t k)
{
	uint32_t carry = 0;

	for (size_t i = 0; i < k; i++) {
		uint32_t top = x[i] >> 31;

		x[i] = x[i] << 1 | carry;
		carry = top;
	}
	/* 2x < 2n: one subtraction reduces it; a carry out means 2x >= 2^32k > n. */
	if (carry || keel_bn_cmp(x, n, k) >= 0)
		sub_n(x, n, k);
}

/*
 * One step of the interleaved Montgomery product for limbs 1..k-1:
 * t[j-1] = low(t[j] + ai*b[j] + m*n[j] + carries). Kept out of line so the
 * compiler gives the loop all registers. Returns the two carries' sum.
 */
__attribute__((noinline))
static uint64_t mont_row(uint32_t ai, uint32_t m, uint32_t *t, const uint32_t *b,
			 const uint32_t *n, size_t count, uint32_t c1, uint32_t c2)
{
	while (count--) {
		uint64_t p = keel_bn_mac(ai, *b++, t[1], c1);
		uint64_t q = keel_bn_mac(m, *n++, (uint32_t)p, c2);

		c1 = (uint32_t)(p >> 32);
		c2 = (uint32_t)(q >> 32);
		*t++ = (uint32_t)q;
	}
	return (uint64_t)c1 + c2;
}

/*
 * Coarsely integrated operand scanning: each outer step adds a_i * b and a
 * multiple m * n that clears the low limb, then shifts down one limb, in a
 * single pass. With a, b < n the running value stays below 2n, so one top
 * bit (t[k]) and one final subtraction suffice.
 */
void keel_bn_montmul(uint32_t *t, const uint32_t *a, const uint8_t *a_be,
		     const uint32_t *b, const uint32_t *n, uint32_t n0inv,
		     size_t k)
{
	memset(t, 0, (k + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < k; i++) {
		uint32_t ai = a ? a[i] : be_limb(a_be, k, i);
		uint64_t p = keel_bn_mac(ai, b[0], t[0], 0);
		uint32_t m = (uint32_t)p * n0inv;
		uint64_t q = keel_bn_mac(m, n[0], (uint32_t)p, 0);

		p = mont_row(ai, m, t, b + 1, n + 1, k - 1, (uint32_t)(p >> 32),
			     (uint32_t)(q >> 32)) + t[k];
		t[k - 1] = (uint32_t)p;
		t[k] = (uint32_t)(p >> 32);
	}
	if (t[k] || keel_bn_cmp(t, n, k) >= 0)
		sub_n(t, n, k);
	t[k] = 0;
}
