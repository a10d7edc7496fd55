/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The curve half of MCUboot's ECIES key unwrap. Each curve lives in its own
 * file (ecies_p256.c, ecies_x25519.c) with an "_off" twin that a build
 * links instead when it leaves the curve out; ecies.c only sees this
 * descriptor, so no build carries code for a curve it does not use.
 */
#ifndef KEEL_ECIES_PRIV_H
#define KEEL_ECIES_PRIV_H

#include <stddef.h>
#include <stdint.h>

struct keel_ecies_curve {
	size_t point_len;   /* ephemeral public key at the start of the TLV; 0 = not built */
	/* shared = ECDH(priv, point); 0 or a negative keel_err. */
	int (*agree)(uint8_t shared[32], const uint8_t priv[32], const uint8_t *point);
};

extern const struct keel_ecies_curve keel_ecies_p256;
extern const struct keel_ecies_curve keel_ecies_x25519;

#endif
