/* SPDX-License-Identifier: Apache-2.0 */
/* ECIES-X25519 (TLVs 0x33, 0x34): the ephemeral key is a 32-byte u-coordinate. */
#include "ecies_priv.h"
#include "keel/crypto.h"

static int agree_x25519(uint8_t shared[32], const uint8_t priv[32], const uint8_t *point)
{
	return keel_x25519(shared, priv, point);
}

const struct keel_ecies_curve keel_ecies_x25519 = { 32, agree_x25519 };
