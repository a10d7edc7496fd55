/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private edwards25519 point arithmetic shared by ed25519.c and the
 * double-scalar-multiplication file the build picks (ed25519_dsm_*.c).
 * Extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z (Hisil et al. 2008).
 */
#ifndef KEEL_ED25519_POINT_H
#define KEEL_ED25519_POINT_H

#include "fe25519.h"

struct ge25519 {
	fe25519 X, Y, Z, T;
};

/* A point prepared for being added: Y+X, Y-X, Z and 2d*T. */
struct ge25519_cached {
	fe25519 YpX, YmX, Z, T2d;
};

void ed25519_ge_identity(struct ge25519 *p);
void ed25519_ge_base(struct ge25519 *p);
void ed25519_ge_cache(struct ge25519_cached *c, const struct ge25519 *p);
/* r = p + q, or p - q when negate is nonzero; r may alias p. */
void ed25519_ge_add(struct ge25519 *r, const struct ge25519 *p,
		    const struct ge25519_cached *q, int negate);
/* r = 2p; r may alias p. T is only needed before an addition: without
 * need_t it is left stale, saving one multiplication. */
void ed25519_ge_dbl(struct ge25519 *r, const struct ge25519 *p, int need_t);

/*
 * r = [s]B + [k]p for scalars below 2^253 (little endian). Variable time:
 * only public values (signature, hash, public key) go through it.
 * Implemented by ed25519_dsm_straus.c ("small") or ed25519_dsm_wnaf.c
 * ("fast").
 */
void ed25519_double_scalarmult(struct ge25519 *r, const uint8_t s[32],
			       const uint8_t k[32], const struct ge25519 *p);

#endif
