/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dedicated squaring for fe25519_r16.c: each cross product f[i] f[j], i < j,
 * is computed once and doubled, about 55% of the multiplies of a general
 * product. The "small" Ed25519 profile links fe25519_r16_sqmul.c instead.
 */
#include "fe25519.h"

void fe25519_sq(fe25519 h, const fe25519 f)
{
	uint32_t t[32], carry = 0;

	/* As fe25519_mul's columns; the cross sum is doubled before the square term joins. */
	for (unsigned k = 0; k < 31; k++) {
		unsigned lo = k < 16 ? 0 : k - 15;
		uint32_t sum = 0, hi = 0, low, p;

		for (unsigned i = lo; 2 * i < k; i++) {
			p = f[i] * f[k - i];
			sum += p;
			hi += p >> 16;
		}
		sum += sum;
		hi += hi;
		if ((k & 1) == 0) {
			p = f[k / 2] * f[k / 2];
			sum += p;
			hi += p >> 16;
		}
		low = sum - (hi << 16) + carry;
		t[k] = low & 0xffff;
		carry = hi + (low >> 16);
	}
	t[31] = carry;
	fe25519_r16_reduce(h, t);
}
