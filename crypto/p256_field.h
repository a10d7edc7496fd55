/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface of Keel's P-256 code (crypto/p256.c), shared by
 * crypto/ecdsa_p256.c (verify) and crypto/ecdh_p256.c (key agreement).
 *
 * Numbers are 8 little-endian 32-bit limbs. Field elements are always kept
 * fully reduced, in [0, p). Unless a comment says "variable time", every
 * function here runs in time independent of the values it is given, because
 * ECDH feeds them the device's secret scalar.
 */
#ifndef KEEL_P256_FIELD_H
#define KEEL_P256_FIELD_H

#include <stddef.h>
#include <stdint.h>

#define P256_LIMBS 8

typedef uint32_t p256_num[P256_LIMBS];

/* Jacobian (X, Y, Z) for x = X/Z^2, y = Y/Z^3; Z = 0 is the point at infinity. */
struct p256_jac {
	p256_num x, y, z;
};

struct p256_aff {
	p256_num x, y;
};

extern const p256_num p256_p;   /* the field prime */
extern const p256_num p256_n;   /* the group order */

/* Outcome of p256_madd beyond the sum itself. */
enum p256_madd_case {
	P256_MADD_OK = 0,        /* distinct x: the result is the sum */
	P256_MADD_SAME = 1,      /* the inputs are equal: the caller must double */
	P256_MADD_OPPOSITE = 2,  /* the inputs are opposite: the sum is infinity */
};

/* Big-endian bytes <-> limbs; no reduction. */
void p256_from_bytes(p256_num r, const uint8_t in[32]);
void p256_to_bytes(uint8_t out[32], const p256_num a);

/* r = a + b (resp. a - b) over 256 bits; returns the carry (borrow), 0 or 1. */
uint32_t p256_add(p256_num r, const p256_num a, const p256_num b);
uint32_t p256_sub(p256_num r, const p256_num a, const p256_num b);

/* 1 if a < m, else 0. */
uint32_t p256_lt(const p256_num a, const p256_num m);
/* 1 if a == 0, else 0. */
uint32_t p256_is_zero(const p256_num a);

/* Modular add/sub for a, b in [0, m); m is p or n. */
void p256_add_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m);
void p256_sub_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m);

/* Field multiplication mod p (Solinas reduction); r may alias a or b. */
void p256_fe_mul(p256_num r, const p256_num a, const p256_num b);
void p256_fe_sqr(p256_num r, const p256_num a);

/*
 * r = num / a mod m by the binary extended Euclidean algorithm.
 * Variable time: only for public values (verify inputs, the peer's point).
 * Requires m odd prime, a in [1, m-1], num in [0, m-1]; returns 0, or -1
 * if a is zero.
 */
int p256_div_var(p256_num r, const p256_num num, const p256_num a, const p256_num m);

/* r = 2a. Safe for r == a. Handles Z = 0 (infinity stays infinity). */
void p256_dbl(struct p256_jac *r, const struct p256_jac *a);

/*
 * r = a + b with b affine (b != infinity). When a and b share x, the sum
 * formula does not apply and the return value says which case it is (the
 * caller decides what to do). Z = 0 in a gives garbage with Z = 0 in r.
 * Constant time, including the computation of the return value.
 */
int p256_madd(struct p256_jac *r, const struct p256_jac *a, const struct p256_aff *b);

/*
 * Decodes 04 || X || Y; 0 if both coordinates are < p and the point is on
 * the curve (so it is not infinity, which has no such encoding), else -1.
 */
int p256_point_decode(struct p256_aff *r, const uint8_t in[65]);

#endif
