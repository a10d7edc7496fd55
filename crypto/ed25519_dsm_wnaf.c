/* SPDX-License-Identifier: Apache-2.0 */
/*
 * [s]B + [k]P for the "fast" Ed25519 profile: both scalars recoded in
 * width-w NAF (odd digits |d| < 2^(w-1), at least w-1 zeros after each
 * nonzero digit), one shared doubling chain, and tables of the odd
 * multiples 1, 3, ..., 2^(w-1) - 1 of B and P built at run time (no
 * constant tables in flash). About 253/(w+1) additions per scalar.
 *
 * KEEL_ED25519_WNAF_W is the profile's tuning constant: 5 by default
 * (8 cached points per table); the build may pass 4 to halve the tables'
 * stack on cores with large limbs (fe25519_r16 uses 256 bytes per point).
 */
#include "ed25519_point.h"

#ifndef KEEL_ED25519_WNAF_W
#define KEEL_ED25519_WNAF_W 5
#endif
#define WNAF_W KEEL_ED25519_WNAF_W
#define WNAF_TAB (1 << (WNAF_W - 2))

/* naf[i] in {0, +-1, +-3, ...}; s < 2^253 so the recoding fits 256 digits. */
static void wnaf(int8_t naf[256], const uint8_t s[32])
{
	uint32_t x[9] = { 0 };

	for (unsigned i = 0; i < 32; i++)
		x[i / 4] |= (uint32_t)s[i] << (8 * (i % 4));
	for (unsigned i = 0; i < 256; i++)
		naf[i] = 0;
	for (unsigned i = 0; i < 256;) {
		uint64_t win = (x[i / 32] | (uint64_t)x[i / 32 + 1] << 32) >> (i % 32);
		int32_t d;
		int64_t c;

		if ((win & 1) == 0) {
			i++;
			continue;
		}
		d = (int32_t)(win & ((1u << WNAF_W) - 1));
		if (d >= (1 << (WNAF_W - 1)))
			d -= 1 << WNAF_W;
		naf[i] = (int8_t)d;
		/* x -= d * 2^i: clears the window, or carries upward when d < 0. */
		c = -(int64_t)d * ((int64_t)1 << (i % 32));
		for (unsigned j = i / 32; j < 9 && c != 0; j++) {
			c += x[j];
			x[j] = (uint32_t)c;
			c = (c - (int64_t)(uint32_t)c) / ((int64_t)1 << 32);
		}
		i += WNAF_W;
	}
}

static void odd_multiples(struct ge25519_cached tab[WNAF_TAB], const struct ge25519 *p)
{
	struct ge25519 p2, acc = *p;
	struct ge25519_cached c2;

	ed25519_ge_dbl(&p2, p, 1);
	ed25519_ge_cache(&c2, &p2);
	ed25519_ge_cache(&tab[0], p);
	for (unsigned j = 1; j < WNAF_TAB; j++) {
		ed25519_ge_add(&acc, &acc, &c2, 0);
		ed25519_ge_cache(&tab[j], &acc);
	}
}

static void add_digit(struct ge25519 *r, const struct ge25519_cached tab[WNAF_TAB], int d)
{
	if (d > 0)
		ed25519_ge_add(r, r, &tab[d / 2], 0);
	else if (d < 0)
		ed25519_ge_add(r, r, &tab[-d / 2], 1);
}

void ed25519_double_scalarmult(struct ge25519 *r, const uint8_t s[32],
			       const uint8_t k[32], const struct ge25519 *p)
{
	struct ge25519_cached tab_b[WNAF_TAB], tab_p[WNAF_TAB];
	int8_t naf_s[256], naf_k[256];
	struct ge25519 b;
	unsigned i = 256;

	wnaf(naf_s, s);
	wnaf(naf_k, k);
	ed25519_ge_base(&b);
	odd_multiples(tab_b, &b);
	odd_multiples(tab_p, p);

	ed25519_ge_identity(r);
	while (i > 0 && naf_s[i - 1] == 0 && naf_k[i - 1] == 0)
		i--;
	while (i-- > 0) {
		ed25519_ge_dbl(r, r, naf_s[i] != 0 || naf_k[i] != 0);
		add_digit(r, tab_b, naf_s[i]);
		add_digit(r, tab_p, naf_k[i]);
	}
}
