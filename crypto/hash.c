/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One entry point for both image hash types (TLV 0x10 SHA-256, 0x12
 * SHA-512). SHA-512 is reached through a descriptor (hash_priv.h) so a
 * build can leave it out.
 */
#include "hash_priv.h"
#include "keel/err.h"

size_t keel_hash_len(enum keel_hash_alg alg)
{
	if (alg == KEEL_HASH_SHA256)
		return KEEL_SHA256_LEN;
	if (alg == KEEL_HASH_SHA512)
		return keel_hash_sha512_impl.len;
	return 0;
}

int keel_hash_init(struct keel_hash *ctx, enum keel_hash_alg alg)
{
	if (keel_hash_len(alg) == 0)
		return KEEL_ENOTSUP;
	ctx->alg = alg;
	if (alg == KEEL_HASH_SHA512)
		keel_hash_sha512_impl.init(ctx);
	else
		keel_sha256_init(&ctx->u.sha256);
	return 0;
}

void keel_hash_update(struct keel_hash *ctx, const void *data, size_t len)
{
	if (ctx->alg == KEEL_HASH_SHA512)
		keel_hash_sha512_impl.update(ctx, data, len);
	else
		keel_sha256_update(&ctx->u.sha256, data, len);
}

void keel_hash_final(struct keel_hash *ctx, uint8_t *out)
{
	if (ctx->alg == KEEL_HASH_SHA512)
		keel_hash_sha512_impl.final(ctx, out);
	else
		keel_sha256_final(&ctx->u.sha256, out);
}
