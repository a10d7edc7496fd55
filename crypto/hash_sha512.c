/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-512 behind keel_hash (image hash TLV 0x12, HMAC/HKDF-SHA512). */
#include "hash_priv.h"

static void init512(struct keel_hash *ctx)
{
	keel_sha512_init(&ctx->u.sha512);
}

static void update512(struct keel_hash *ctx, const void *data, size_t len)
{
	keel_sha512_update(&ctx->u.sha512, data, len);
}

static void final512(struct keel_hash *ctx, uint8_t *out)
{
	keel_sha512_final(&ctx->u.sha512, out);
}

const struct keel_hash_impl keel_hash_sha512_impl = { KEEL_SHA512_LEN, init512, update512,
						       final512 };
