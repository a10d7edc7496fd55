/* SPDX-License-Identifier: Apache-2.0 */
/* ECIES-P256 (TLV 0x32): the ephemeral key is an uncompressed point, 04 || X || Y. */
#include "ecies_priv.h"
#include "keel/crypto.h"

static int agree_p256(uint8_t shared[32], const uint8_t priv[32], const uint8_t *point)
{
	return keel_p256_ecdh(shared, priv, point);
}

const struct keel_ecies_curve keel_ecies_p256 = { 65, agree_p256 };
