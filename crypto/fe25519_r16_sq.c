/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dedicated squaring for fe25519_r16.c: each cross product f[i] f[j], i < j,
 * is computed once and doubled, about 55% of the multiplies of a general
 * product. The "small" Ed25519 profile links fe25519_r16_sqmul.c instead.
 */
#include "fe25519.h"

void fe25519_sq(fe25519 h, const fe25519 f)
{
	uint32_t t[32];
	uint64_t acc = 0;

	for (unsigned k = 0; k < 31; k++) {
		unsigned lo = k < 16 ? 0 : k - 15;
		uint64_t cross = 0;

		for (unsigned i = lo; 2 * i < k; i++)
			cross += f[i] * f[k - i];
		acc += cross + cross;
		if ((k & 1) == 0)
			acc += f[k / 2] * f[k / 2];
		t[k] = (uint32_t)acc & 0xffff;
		acc >>= 16;
	}
	t[31] = (uint32_t)acc;
	fe25519_r16_reduce(h, t);
}
