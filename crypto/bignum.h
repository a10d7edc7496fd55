/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Montgomery arithmetic on public numbers for RSA verification. Internal to
 * crypto/: numbers are little-endian arrays of 32-bit limbs, k limbs long.
 * Nothing here is constant time: RSA verify handles public data only.
 */
#ifndef KEEL_CRYPTO_BIGNUM_H
#define KEEL_CRYPTO_BIGNUM_H

#include <stddef.h>
#include <stdint.h>

/* 3072-bit moduli: the largest Keel verifies. */
#define KEEL_BN_MAX_LIMBS 96

/* -n0^-1 mod 2^32 for odd n0. */
uint32_t keel_bn_n0inv(uint32_t n0);

/* Big-endian bytes (4k of them) to limbs and back. */
void keel_bn_from_be(uint32_t *x, const uint8_t *be, size_t k);
void keel_bn_to_be(uint8_t *be, const uint32_t *x, size_t k);

/* -1, 0, 1 as a <, ==, > b. */
int keel_bn_cmp(const uint32_t *a, const uint32_t *b, size_t k);

/* x = 2x mod n, for x < n. */
void keel_bn_mod_double(uint32_t *x, const uint32_t *n, size_t k);

/*
 * t = a * b / 2^(32k) mod n, fully reduced (t < n), for a, b < n, n odd.
 * t has k + 1 limbs and must not overlap a or b. The outer operand a comes
 * either as limbs (a) or as 4k big-endian bytes (a_be, with a == NULL), so a
 * signature is used without a limb copy of it.
 */
void keel_bn_montmul(uint32_t *t, const uint32_t *a, const uint8_t *a_be,
		     const uint32_t *b, const uint32_t *n, uint32_t n0inv,
		     size_t k);

#endif
