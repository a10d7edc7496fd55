/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel_hash reaches SHA-512 only through this descriptor, defined in
 * hash_sha512.c or, in builds that leave SHA-512 out of keel_hash (and so
 * out of HMAC/HKDF), in hash_sha512_off.c. An ECDSA- or RSA-only firmware
 * then does not carry SHA-512 just because the image code calls keel_hash.
 */
#ifndef KEEL_HASH_PRIV_H
#define KEEL_HASH_PRIV_H

#include "keel/crypto.h"

struct keel_hash_impl {
	size_t len;   /* 0: not built */
	void (*init)(struct keel_hash *ctx);
	void (*update)(struct keel_hash *ctx, const void *data, size_t len);
	void (*final)(struct keel_hash *ctx, uint8_t *out);
};

extern const struct keel_hash_impl keel_hash_sha512_impl;

#endif
