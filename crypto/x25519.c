/* SPDX-License-Identifier: Apache-2.0 */
/*
 * X25519 (RFC 7748 section 5): Montgomery ladder over the u-coordinate.
 * Constant time in the scalar: 255 identical ladder steps, the scalar bit
 * only ever feeds fe25519_cswap's mask, and the all-zero check at the end
 * folds into the return value without a branch on secret-derived data.
 */
#include "fe25519.h"
#include "keel/crypto.h"
#include "keel/err.h"

/* (A - 2) / 4 for curve25519's A = 486662. */
#define X25519_A24 121665

/* One ladder step: (x2:z2) <- 2 (x2:z2), (x3:z3) <- (x2:z2) + (x3:z3). */
static void ladder_step(fe25519 x2, fe25519 z2, fe25519 x3, fe25519 z3,
			const fe25519 x1)
{
	fe25519 a, aa, b, bb, e, c, d;

	fe25519_add(a, x2, z2);
	fe25519_sq(aa, a);
	fe25519_sub(b, x2, z2);
	fe25519_sq(bb, b);
	fe25519_sub(e, aa, bb);
	fe25519_add(c, x3, z3);
	fe25519_sub(d, x3, z3);
	fe25519_mul(d, d, a);            /* DA */
	fe25519_mul(c, c, b);            /* CB */
	fe25519_add(x3, d, c);
	fe25519_sq(x3, x3);
	fe25519_sub(z3, d, c);
	fe25519_sq(z3, z3);
	fe25519_mul(z3, z3, x1);
	fe25519_mul(x2, aa, bb);
	fe25519_mul_small(z2, e, X25519_A24);
	fe25519_add(z2, z2, aa);
	fe25519_mul(z2, z2, e);
}

int keel_x25519(uint8_t shared[32], const uint8_t scalar[32],
		const uint8_t peer[32])
{
	uint8_t k[32];
	fe25519 x1, x2, z2, x3, z3;
	uint32_t swap = 0, acc = 0;

	if (shared == NULL || scalar == NULL || peer == NULL)
		return KEEL_EINVAL;
	for (unsigned i = 0; i < 32; i++)
		k[i] = scalar[i];
	k[0] &= 248;
	k[31] = (uint8_t)((k[31] & 127) | 64);

	fe25519_frombytes(x1, peer);     /* drops bit 255; u >= p is reduced */
	fe25519_set(x2, 1);
	fe25519_set(z2, 0);
	fe25519_copy(x3, x1);
	fe25519_set(z3, 1);
	for (unsigned t = 255; t-- > 0;) {
		uint32_t bit = (k[t / 8] >> (t % 8)) & 1;

		swap ^= bit;
		fe25519_cswap(x2, x3, swap);
		fe25519_cswap(z2, z3, swap);
		swap = bit;
		ladder_step(x2, z2, x3, z3, x1);
	}
	fe25519_cswap(x2, x3, swap);
	fe25519_cswap(z2, z3, swap);

	fe25519_invert(z2, z2);
	fe25519_mul(x2, x2, z2);
	fe25519_tobytes(shared, x2);
	keel_wipe(k, sizeof(k));
	keel_wipe(x2, sizeof(x2));
	keel_wipe(z2, sizeof(z2));
	keel_wipe(x3, sizeof(x3));
	keel_wipe(z3, sizeof(z3));
	/* A zero secret means a small-order peer point (RFC 7748 section 6.1). */
	for (unsigned i = 0; i < 32; i++)
		acc |= shared[i];
	return KEEL_EACCES & -(int)((acc - 1) >> 31);
}
