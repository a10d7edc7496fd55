/* SPDX-License-Identifier: Apache-2.0 */
/*
 * [s]B + [k]P for the "small" Ed25519 profile: one shared doubling chain
 * over the 253 bit positions, adding B, P or B + P where the bits say so
 * (Straus/Shamir). Three cached points of state and no scalar recoding:
 * the least code, about 25% more point additions than the wNAF profile.
 */
#include "ed25519_point.h"

static unsigned bit_at(const uint8_t s[32], unsigned i)
{
	return (s[i / 8] >> (i % 8)) & 1;
}

void ed25519_double_scalarmult(struct ge25519 *r, const uint8_t s[32],
			       const uint8_t k[32], const struct ge25519 *p)
{
	struct ge25519_cached tab[3];
	struct ge25519 t;

	ed25519_ge_base(&t);
	ed25519_ge_cache(&tab[0], &t);
	ed25519_ge_cache(&tab[1], p);
	ed25519_ge_add(&t, &t, &tab[1], 0);
	ed25519_ge_cache(&tab[2], &t);

	ed25519_ge_identity(r);
	for (unsigned i = 253; i-- > 0;) {
		unsigned sel = bit_at(s, i) | bit_at(k, i) << 1;

		ed25519_ge_dbl(r, r, sel != 0);
		if (sel != 0)
			ed25519_ge_add(r, r, &tab[sel - 1], 0);
	}
}
