/* SPDX-License-Identifier: Apache-2.0 */
/* One entry point for both image hash types (TLV 0x10 SHA-256, 0x12 SHA-512). */
#include "keel/crypto.h"
#include "keel/err.h"

size_t keel_hash_len(enum keel_hash_alg alg)
{
	switch (alg) {
	case KEEL_HASH_SHA256:
		return KEEL_SHA256_LEN;
	case KEEL_HASH_SHA512:
		return KEEL_SHA512_LEN;
	}
	return 0;
}

int keel_hash_init(struct keel_hash *ctx, enum keel_hash_alg alg)
{
	ctx->alg = alg;
	switch (alg) {
	case KEEL_HASH_SHA256:
		keel_sha256_init(&ctx->u.sha256);
		return 0;
	case KEEL_HASH_SHA512:
		keel_sha512_init(&ctx->u.sha512);
		return 0;
	}
	return KEEL_ENOTSUP;
}

void keel_hash_update(struct keel_hash *ctx, const void *data, size_t len)
{
	if (ctx->alg == KEEL_HASH_SHA512)
		keel_sha512_update(&ctx->u.sha512, data, len);
	else
		keel_sha256_update(&ctx->u.sha256, data, len);
}

void keel_hash_final(struct keel_hash *ctx, uint8_t *out)
{
	if (ctx->alg == KEEL_HASH_SHA512)
		keel_sha512_final(&ctx->u.sha512, out);
	else
		keel_sha256_final(&ctx->u.sha256, out);
}
