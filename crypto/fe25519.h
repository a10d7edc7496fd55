/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private arithmetic modulo p = 2^255 - 19, shared by Ed25519 verify and
 * X25519. Not part of Keel's API.
 *
 * Two limb layouts exist, chosen by the build (crypto/CMakeLists.txt):
 *   fe25519_r25.h/.c  ten signed limbs of 26/25 bits, 32x32->64 products:
 *                     fast where the core has a 64-bit multiply (M3/M4, host)
 *   fe25519_r16.h/.c  sixteen 16-bit limbs, 16x16->32 products only: the
 *                     Cortex-M0 has no UMULL, so a 64-bit product would be a
 *                     libgcc call per limb pair
 * Both provide the same functions with the same contract:
 *   - frombytes ignores bit 255 and accepts values >= p (RFC 7748, and the
 *     Ed25519 code checks canonicity itself);
 *   - tobytes always writes the canonical encoding (< p);
 *   - add/sub/neg outputs may feed mul/sq/mul_small, or one more add/sub
 *     whose result then feeds mul/sq (at most three carried terms summed);
 *   - every function is constant time (X25519 relies on it).
 */
#ifndef KEEL_FE25519_H
#define KEEL_FE25519_H

#include <stdint.h>

#ifndef KEEL_FE25519_LIMBS_H
#define KEEL_FE25519_LIMBS_H "fe25519_r25.h"
#endif
#include KEEL_FE25519_LIMBS_H /* typedef ... fe25519[N] */

/* Layout-specific (fe25519_r25.c or fe25519_r16.c). */
void fe25519_frombytes(fe25519 h, const uint8_t s[32]);
void fe25519_tobytes(uint8_t s[32], const fe25519 h);
void fe25519_set(fe25519 h, uint32_t small);
void fe25519_copy(fe25519 h, const fe25519 f);
void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_neg(fe25519 h, const fe25519 f);
void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g);
void fe25519_sq(fe25519 h, const fe25519 f);
/* h = f * c for c < 2^17. */
void fe25519_mul_small(fe25519 h, const fe25519 f, uint32_t c);
/* Swaps f and g when bit is 1, without a branch or a bit-dependent address. */
void fe25519_cswap(fe25519 f, fe25519 g, uint32_t bit);

/* Layout-independent (fe25519.c), built on the functions above. */
void fe25519_sqn(fe25519 h, const fe25519 f, unsigned n);
void fe25519_invert(fe25519 h, const fe25519 z);
/* z^((p-5)/8), the core of the Ed25519 square root. */
void fe25519_pow22523(fe25519 h, const fe25519 z);
/* 1 if f == 0 mod p. */
int fe25519_iszero(const fe25519 f);
/* Bit 0 of the canonical encoding: the "sign" of x in RFC 8032. */
int fe25519_isodd(const fe25519 f);
/* 1 if f == g mod p. */
int fe25519_equal(const fe25519 f, const fe25519 g);

#endif
