/* SPDX-License-Identifier: Apache-2.0 */
/* Limb layout for fe25519_r16.c: value = sum f[i] * 2^(16 * i), f[i] < 2^16. */
#ifndef KEEL_FE25519_R16_H
#define KEEL_FE25519_R16_H
#include <stdint.h>
typedef uint32_t fe25519[16];

/* Shared by the squaring files. */
void fe25519_r16_carry(uint32_t t[16]);
void fe25519_r16_reduce(uint32_t h[16], const uint32_t t[32]);
uint32_t fe25519_r16_column(const uint32_t *a, const uint32_t *b, unsigned n, uint32_t *t);
#endif
