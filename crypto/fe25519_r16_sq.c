/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dedicated squaring for fe25519_r16.c: each cross product f[i] f[j], i < j,
 * is computed once and doubled, about 55% of the multiplies of a general
 * product. A build that wants the least code links fe25519_r16_sqmul.c.
 */
#include "fe25519.h"

void fe25519_sq(fe25519 h, const fe25519 f)
{
	uint32_t t[32], carry = 0;

	for (unsigned k = 0; k < 31; k++) {
		/* Cross products f[i] f[k - i] for lo <= i < k - i, summed once by the column loop. */
		unsigned lo = k < 16 ? 0 : k - 15, n = (k + 1) / 2 - lo;
		uint32_t diag = (k & 1) ? 0 : f[k / 2] * f[k / 2];
		uint32_t low = 0, high = 0, l;

		if (n != 0)
			high = fe25519_r16_column(f + lo, f + k - lo, n, &low);
		/* column = high * 2^16 + low; doubled, plus the square term and the carry. */
		l = 2 * low + (diag & 0xffff) + carry;
		t[k] = l & 0xffff;
		carry = 2 * high + (diag >> 16) + (l >> 16);
	}
	t[31] = carry;
	fe25519_r16_reduce(h, t);
}
