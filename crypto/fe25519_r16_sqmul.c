/* SPDX-License-Identifier: Apache-2.0 */
/* Squaring as a general product: the smallest code for fe25519_r16.c. */
#include "fe25519.h"

void fe25519_sq(fe25519 h, const fe25519 f)
{
	fe25519_mul(h, f, f);
}
