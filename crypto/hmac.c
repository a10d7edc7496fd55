/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HMAC (RFC 2104) over keel_hash. The key only ever meets XOR and the hash
 * compression function, so nothing branches on or indexes by key bytes; the
 * padded key block is wiped before returning.
 */
#include "keel/crypto.h"
#include "keel/err.h"

#define HMAC_MAX_BLOCK 128

static size_t block_len(enum keel_hash_alg alg)
{
	return alg == KEEL_HASH_SHA512 ? 128 : 64;
}

static void keyed_start(struct keel_hash *h, enum keel_hash_alg alg, uint8_t *k0, size_t bl,
			uint8_t pad)
{
	for (size_t i = 0; i < bl; i++)
		k0[i] ^= pad;
	keel_hash_init(h, alg);
	keel_hash_update(h, k0, bl);
	for (size_t i = 0; i < bl; i++)
		k0[i] ^= pad;
}

int keel_hmac_init(struct keel_hmac *ctx, enum keel_hash_alg alg, const uint8_t *key,
		   size_t key_len)
{
	uint8_t k0[HMAC_MAX_BLOCK];
	size_t bl = block_len(alg);

	if (keel_hash_len(alg) == 0)
		return KEEL_ENOTSUP;
	if (!key && key_len)
		return KEEL_EINVAL;
	for (size_t i = 0; i < bl; i++)
		k0[i] = 0;
	if (key_len > bl) {
		keel_hash_init(&ctx->inner, alg);
		keel_hash_update(&ctx->inner, key, key_len);
		keel_hash_final(&ctx->inner, k0);
	} else {
		for (size_t i = 0; i < key_len; i++)
			k0[i] = key[i];
	}
	keyed_start(&ctx->inner, alg, k0, bl, 0x36);
	keyed_start(&ctx->outer, alg, k0, bl, 0x5c);
	keel_wipe(k0, sizeof(k0));
	return 0;
}

void keel_hmac_update(struct keel_hmac *ctx, const void *data, size_t len)
{
	keel_hash_update(&ctx->inner, data, len);
}

void keel_hmac_final(struct keel_hmac *ctx, uint8_t *mac)
{
	uint8_t ih[KEEL_SHA512_LEN];
	size_t n = keel_hash_len(ctx->inner.alg);

	keel_hash_final(&ctx->inner, ih);
	keel_hash_update(&ctx->outer, ih, n);
	keel_hash_final(&ctx->outer, mac);
	keel_wipe(ih, sizeof(ih));
	keel_wipe(ctx, sizeof(*ctx));
}
