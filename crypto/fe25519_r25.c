/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GF(2^255 - 19) with ten signed limbs of alternately 26 and 25 bits
 * (limb i has weight 2^ceil(25.5 i)). A product of limbs i and j lands on
 * limb i + j, doubled when both are odd (their weights round up twice), and
 * wraps past limb 9 with a factor 19 because 2^255 = 19 mod p.
 *
 * Magnitudes: "carried" limbs are below 2^25 (26-bit limbs) and 2^24 + 2^17
 * (25-bit limbs). mul/sq accept limbs up to 1.65 * 2^26 / 1.65 * 2^25, i.e.
 * sums of at most three carried values; then 19 * g fits in 31 bits and each
 * 64-bit column stays below 2^61.
 */
#include "fe25519.h"

#define M(a, b) ((int64_t)(a) * (b))

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Floor carries, so every limb ends non-negative; wraps the top with 19. */
static void carry_floor(int32_t h[10])
{
	for (unsigned i = 0; i < 9; i++) {
		unsigned bits = 26 - (i & 1);
		int32_t c = h[i] >> bits;

		h[i] -= c * (int32_t)(1u << bits);
		h[i + 1] += c;
	}
	int32_t c = h[9] >> 25;

	h[9] -= c * (1 << 25);
	h[0] += 19 * c;
}

void fe25519_tobytes(uint8_t s[32], const fe25519 f)
{
	int32_t h[10], q;

	for (unsigned i = 0; i < 10; i++)
		h[i] = f[i];
	/* Two passes leave 0 <= value < 2^255 + 19 with limbs in range. */
	carry_floor(h);
	carry_floor(h);
	/* q = 1 iff value >= p, found as the carry out of value + 19. */
	q = (h[0] + 19) >> 26;
	for (unsigned i = 1; i < 10; i++)
		q = (h[i] + q) >> (26 - (i & 1));
	h[0] += 19 * q;
	for (unsigned i = 0; i < 9; i++) {
		unsigned bits = 26 - (i & 1);
		int32_t c = h[i] >> bits;

		h[i] -= c * (int32_t)(1u << bits);
		h[i + 1] += c;
	}
	h[9] &= (1 << 25) - 1; /* drops 2^255, i.e. subtracts p when q = 1 */
	for (unsigned i = 0; i < 32; i++)
		s[i] = 0;
	for (unsigned i = 0; i < 10; i++) {
		unsigned w = (51 * i + 1) / 2;
		uint32_t v = (uint32_t)h[i] << (w % 8);

		for (unsigned b = 0; b < 4; b++)
			s[w / 8 + b] |= (uint8_t)(v >> (8 * b));
	}
}

void fe25519_set(fe25519 h, uint32_t small)
{
	h[0] = (int32_t)small;
	for (unsigned i = 1; i < 10; i++)
		h[i] = 0;
}

void fe25519_copy(fe25519 h, const fe25519 f)
{
	for (unsigned i = 0; i < 10; i++)
		h[i] = f[i];
}

void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g)
{
	for (unsigned i = 0; i < 10; i++)
		h[i] = f[i] + g[i];
}

void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g)
{
	for (unsigned i = 0; i < 10; i++)
		h[i] = f[i] - g[i];
}

void fe25519_neg(fe25519 h, const fe25519 f)
{
	for (unsigned i = 0; i < 10; i++)
		h[i] = -f[i];
}

void fe25519_cswap(fe25519 f, fe25519 g, uint32_t bit)
{
	int32_t mask = -(int32_t)bit;

	for (unsigned i = 0; i < 10; i++) {
		int32_t x = (f[i] ^ g[i]) & mask;

		f[i] ^= x;
		g[i] ^= x;
	}
}

/*
 * Rounding carries over the ten 64-bit column sums h0..h9 (locals of the
 * caller, so they stay in registers): limbs end in [-2^25, 2^25) and
 * [-2^24, 2^24) (limb 1 slightly more after the wrap). The low part is
 * computed in 32 bits because it is known to fit.
 */
#define CARRY(a, b, s)                                                 \
	do {                                                           \
		c = ((a) + ((int64_t)1 << ((s) - 1))) >> (s);          \
		(b) += c;                                              \
		(a) = (int32_t)((uint32_t)(a) - ((uint32_t)c << (s))); \
	} while (0)

#define CARRY_OUT(out)                                                 \
	do {                                                           \
		int64_t c;                                             \
		CARRY(h0, h1, 26); CARRY(h1, h2, 25); CARRY(h2, h3, 26); \
		CARRY(h3, h4, 25); CARRY(h4, h5, 26); CARRY(h5, h6, 25); \
		CARRY(h6, h7, 26); CARRY(h7, h8, 25); CARRY(h8, h9, 26); \
		c = (h9 + ((int64_t)1 << 24)) >> 25;                   \
		h0 += 19 * c;                                          \
		h9 = (int32_t)((uint32_t)h9 - ((uint32_t)c << 25));    \
		CARRY(h0, h1, 26);                                     \
		(out)[0] = (int32_t)h0; (out)[1] = (int32_t)h1;        \
		(out)[2] = (int32_t)h2; (out)[3] = (int32_t)h3;        \
		(out)[4] = (int32_t)h4; (out)[5] = (int32_t)h5;        \
		(out)[6] = (int32_t)h6; (out)[7] = (int32_t)h7;        \
		(out)[8] = (int32_t)h8; (out)[9] = (int32_t)h9;        \
	} while (0)

void fe25519_frombytes(fe25519 h, const uint8_t s[32])
{
	fe25519 t;

	/* Every limb sits inside the 32-bit word at byte w / 8; limb 9 stops at bit 254. */
	for (unsigned i = 0; i < 10; i++) {
		unsigned w = (51 * i + 1) / 2, bits = 26 - (i & 1);

		t[i] = (int32_t)((load32(s + w / 8) >> (w % 8)) & ((1u << bits) - 1));
	}
	/* Centre the limbs so that sums of two decoded values are valid mul inputs. */
	fe25519_mul_small(h, t, 1);
}

void fe25519_mul(fe25519 out, const fe25519 f, const fe25519 g)
{
	int32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
	int32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
	int32_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
	int32_t g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
	int32_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
	int32_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
	int32_t g5_19 = 19 * g5, g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8;
	int32_t g9_19 = 19 * g9;
	int64_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;

	h0 = M(f0, g0) + M(f1_2, g9_19) + M(f2, g8_19) + M(f3_2, g7_19) + M(f4, g6_19) +
	       M(f5_2, g5_19) + M(f6, g4_19) + M(f7_2, g3_19) + M(f8, g2_19) + M(f9_2, g1_19);
	h1 = M(f0, g1) + M(f1, g0) + M(f2, g9_19) + M(f3, g8_19) + M(f4, g7_19) +
	       M(f5, g6_19) + M(f6, g5_19) + M(f7, g4_19) + M(f8, g3_19) + M(f9, g2_19);
	h2 = M(f0, g2) + M(f1_2, g1) + M(f2, g0) + M(f3_2, g9_19) + M(f4, g8_19) +
	       M(f5_2, g7_19) + M(f6, g6_19) + M(f7_2, g5_19) + M(f8, g4_19) + M(f9_2, g3_19);
	h3 = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9_19) +
	       M(f5, g8_19) + M(f6, g7_19) + M(f7, g6_19) + M(f8, g5_19) + M(f9, g4_19);
	h4 = M(f0, g4) + M(f1_2, g3) + M(f2, g2) + M(f3_2, g1) + M(f4, g0) +
	       M(f5_2, g9_19) + M(f6, g8_19) + M(f7_2, g7_19) + M(f8, g6_19) + M(f9_2, g5_19);
	h5 = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) +
	       M(f5, g0) + M(f6, g9_19) + M(f7, g8_19) + M(f8, g7_19) + M(f9, g6_19);
	h6 = M(f0, g6) + M(f1_2, g5) + M(f2, g4) + M(f3_2, g3) + M(f4, g2) +
	       M(f5_2, g1) + M(f6, g0) + M(f7_2, g9_19) + M(f8, g8_19) + M(f9_2, g7_19);
	h7 = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) +
	       M(f5, g2) + M(f6, g1) + M(f7, g0) + M(f8, g9_19) + M(f9, g8_19);
	h8 = M(f0, g8) + M(f1_2, g7) + M(f2, g6) + M(f3_2, g5) + M(f4, g4) +
	       M(f5_2, g3) + M(f6, g2) + M(f7_2, g1) + M(f8, g0) + M(f9_2, g9_19);
	h9 = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) +
	       M(f5, g4) + M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
	CARRY_OUT(out);
}

void fe25519_sq(fe25519 out, const fe25519 f)
{
	int32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
	int32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
	int32_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
	int32_t f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8, f9_2 = 2 * f9;
	int32_t f1_4 = 4 * f1, f3_4 = 4 * f3, f5_4 = 4 * f5, f7_4 = 4 * f7;
	int32_t f5_19 = 19 * f5, f6_19 = 19 * f6, f7_19 = 19 * f7, f8_19 = 19 * f8;
	int32_t f9_19 = 19 * f9;
	int64_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;

	h0 = M(f0, f0) + M(f1_4, f9_19) + M(f2_2, f8_19) + M(f3_4, f7_19) + M(f4_2, f6_19) +
	       M(f5_2, f5_19);
	h1 = M(f0_2, f1) + M(f2_2, f9_19) + M(f3_2, f8_19) + M(f4_2, f7_19) + M(f5_2, f6_19);
	h2 = M(f0_2, f2) + M(f1_2, f1) + M(f3_4, f9_19) + M(f4_2, f8_19) + M(f5_4, f7_19) +
	       M(f6, f6_19);
	h3 = M(f0_2, f3) + M(f1_2, f2) + M(f4_2, f9_19) + M(f5_2, f8_19) + M(f6_2, f7_19);
	h4 = M(f0_2, f4) + M(f1_4, f3) + M(f2, f2) + M(f5_4, f9_19) + M(f6_2, f8_19) +
	       M(f7_2, f7_19);
	h5 = M(f0_2, f5) + M(f1_2, f4) + M(f2_2, f3) + M(f6_2, f9_19) + M(f7_2, f8_19);
	h6 = M(f0_2, f6) + M(f1_4, f5) + M(f2_2, f4) + M(f3_2, f3) + M(f7_4, f9_19) +
	       M(f8, f8_19);
	h7 = M(f0_2, f7) + M(f1_2, f6) + M(f2_2, f5) + M(f3_2, f4) + M(f8_2, f9_19);
	h8 = M(f0_2, f8) + M(f1_4, f7) + M(f2_2, f6) + M(f3_4, f5) + M(f4, f4) +
	       M(f9_2, f9_19);
	h9 = M(f0_2, f9) + M(f1_2, f8) + M(f2_2, f7) + M(f3_2, f6) + M(f4_2, f5);
	CARRY_OUT(out);
}

void fe25519_mul_small(fe25519 out, const fe25519 f, uint32_t m)
{
	int32_t k = (int32_t)m;
	int64_t h0 = M(f[0], k), h1 = M(f[1], k), h2 = M(f[2], k), h3 = M(f[3], k);
	int64_t h4 = M(f[4], k), h5 = M(f[5], k), h6 = M(f[6], k), h7 = M(f[7], k);
	int64_t h8 = M(f[8], k), h9 = M(f[9], k);

	CARRY_OUT(out);
}
