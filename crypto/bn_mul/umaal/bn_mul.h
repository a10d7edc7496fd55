/* SPDX-License-Identifier: Apache-2.0 */
/*
 * a * b + c + d for ARMv7E-M (Cortex-M4/M7): exactly one UMAAL. GCC 12 does
 * not form UMAAL from C, and the RSA inner loop is two of these plus loads
 * and stores, so this one instruction roughly halves RSA verify time there.
 */
#ifndef KEEL_BN_MUL_H
#define KEEL_BN_MUL_H
#include <stdint.h>

static inline uint64_t keel_bn_mac(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t lo = c, hi = d;

	__asm__("umaal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b));
	return (uint64_t)hi << 32 | lo;
}
#endif
