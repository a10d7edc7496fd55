/* SPDX-License-Identifier: Apache-2.0 */
/*
 * a * b + c + d for cores whose multiplier gives only the low 32 bits
 * (ARMv6-M MULS): four 16x16 products instead of the compiler's general
 * 64x64 library multiply.
 */
#ifndef KEEL_BN_MUL_H
#define KEEL_BN_MUL_H
#include <stdint.h>

static inline uint64_t keel_bn_mac(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t al = a & 0xffff, ah = a >> 16, bl = b & 0xffff, bh = b >> 16;
	uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint32_t mid = lh + hl;             /* may wrap: carry worth 2^48 */
	uint32_t midc = mid < lh;
	uint32_t lo = ll + (mid << 16);
	uint32_t hi = hh + (mid >> 16) + (midc << 16) + (lo < ll);

	lo += c;
	hi += lo < c;
	lo += d;
	hi += lo < d;
	return (uint64_t)hi << 32 | lo;
}
#endif
