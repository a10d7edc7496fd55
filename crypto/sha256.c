/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4). The image hash dominates boot time (a 256 KiB image
 * costs more than any signature check), so the round function is unrolled
 * eight times: the eight working variables then rotate by renaming instead
 * of by moves, while the code stays a fraction of a full unroll. The message
 * schedule is expanded in place, sixteen words at a time, so the stack holds
 * only W[16].
 */
#include <string.h>

#include "keel/crypto.h"

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BS0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BS1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SS0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SS1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

#define ROUND(a, b, c, d, e, f, g, h, j)                                        \
	do {                                                                    \
		uint32_t t1 = h + BS1(e) + CH(e, f, g) + k[j] + x[j];          \
		d += t1;                                                        \
		h = t1 + BS0(a) + MAJ(a, b, c);                                 \
	} while (0)

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * W[i] for the next sixteen rounds, from the previous sixteen, in place.
 * Unrolled so every index is a constant, and kept out of line: inlined, it
 * competes with the eight working variables for registers and the spills
 * cost more than the call.
 */
#define EXPAND(i) (w[i] += SS1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SS0(w[((i) + 1) & 15]))

__attribute__((noinline)) static void expand(uint32_t w[16])
{
	EXPAND(0); EXPAND(1); EXPAND(2); EXPAND(3); EXPAND(4); EXPAND(5); EXPAND(6); EXPAND(7);
	EXPAND(8); EXPAND(9); EXPAND(10); EXPAND(11); EXPAND(12); EXPAND(13); EXPAND(14); EXPAND(15);
}

static void compress(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
	uint32_t w[16];

	while (nblocks--) {
		uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
		uint32_t e = st[4], f = st[5], g = st[6], h = st[7];

		for (int i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		for (int i = 0; i < 64; i += 8) {
			const uint32_t *k = K256 + i, *x = w + (i & 15);

			if (i >= 16 && (i & 15) == 0)
				expand(w);
			ROUND(a, b, c, d, e, f, g, h, 0);
			ROUND(h, a, b, c, d, e, f, g, 1);
			ROUND(g, h, a, b, c, d, e, f, 2);
			ROUND(f, g, h, a, b, c, d, e, 3);
			ROUND(e, f, g, h, a, b, c, d, 4);
			ROUND(d, e, f, g, h, a, b, c, 5);
			ROUND(c, d, e, f, g, h, a, b, 6);
			ROUND(b, c, d, e, f, g, h, a, 7);
		}
		st[0] += a;
		st[1] += b;
		st[2] += c;
		st[3] += d;
		st[4] += e;
		st[5] += f;
		st[6] += g;
		st[7] += h;
		p += 64;
	}
}

void keel_sha256_init(struct keel_sha256 *ctx)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(ctx->state, iv, sizeof(iv));
	ctx->total = 0;
	ctx->fill = 0;
}

void keel_sha256_update(struct keel_sha256 *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (len == 0)
		return;
	ctx->total += len;
	if (ctx->fill) {
		size_t n = 64 - ctx->fill;
		if (n > len)
			n = len;
		memcpy(ctx->block + ctx->fill, p, n);
		ctx->fill += (uint32_t)n;
		p += n;
		len -= n;
		if (ctx->fill < 64)
			return;
		compress(ctx->state, ctx->block, 1);
		ctx->fill = 0;
	}
	/* Whole blocks straight from the caller's buffer: no copy. */
	if (len >= 64) {
		compress(ctx->state, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	memcpy(ctx->block, p, len);
	ctx->fill = (uint32_t)len;
}

void keel_sha256_final(struct keel_sha256 *ctx, uint8_t out[KEEL_SHA256_LEN])
{
	uint64_t bits = ctx->total * 8;
	uint32_t n = ctx->fill;

	ctx->block[n++] = 0x80;
	if (n > 56) {
		memset(ctx->block + n, 0, 64 - n);
		compress(ctx->state, ctx->block, 1);
		n = 0;
	}
	memset(ctx->block + n, 0, 56 - n);
	store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)bits);
	compress(ctx->state, ctx->block, 1);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->state[i]);
	keel_wipe(ctx, sizeof(*ctx));
}

void keel_sha256(const void *data, size_t len, uint8_t out[KEEL_SHA256_LEN])
{
	struct keel_sha256 ctx;

	keel_sha256_init(&ctx);
	keel_sha256_update(&ctx, data, len);
	keel_sha256_final(&ctx, out);
}
