/* SPDX-License-Identifier: Apache-2.0 */
/*
 * a * b + c + d for cores with a 32x32->64 multiplier (UMULL/UMAAL): the
 * compiler's 64-bit product is one or two instructions. Never overflows:
 * (2^32-1)^2 + 2(2^32-1) = 2^64-1.
 */
#ifndef KEEL_BN_MUL_H
#define KEEL_BN_MUL_H
#include <stdint.h>

static inline uint64_t keel_bn_mac(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return (uint64_t)a * b + c + d;
}
#endif
