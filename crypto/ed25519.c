/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ed25519 verify (RFC 8032 PureEdDSA) with libsodium 1.0.18's verdicts:
 *   - S < L;
 *   - R not of small order (its y, bit 255 ignored, is none of 0, 1, -1,
 *     +-y8, also when written as y + p);
 *   - A canonical (y < p), decodable, not of small order;
 *   - k = SHA-512(R || A || M) mod L, and the cofactorless equation checked
 *     by encoding: enc([S]B - [k]A) must equal the 32 bytes of R, which also
 *     rejects every non-canonical R.
 * Everything here is public, so the code may branch on it.
 */
#include <string.h>

#include "ed25519_point.h"
#include "keel/crypto.h"
#include "keel/err.h"

/* Curve constants, little endian (values from RFC 8032 section 5.1). */
static const uint8_t ED_D[32] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
	0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
static const uint8_t ED_SQRTM1[32] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
	0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
static const uint8_t ED_BX[32] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
	0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};
/* B's y is 4/5 = 0x6666...6658. */
#define ED_BY_LOW 0x58
#define ED_BY_REST 0x66

/* L = 2^252 + 27742317777372353535851937790883648493, 32-bit words, little endian. */
static const uint32_t ED_L[8] = {
	0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000,
};

/* ------------------------------------------------------------ points */

void ed25519_ge_identity(struct ge25519 *p)
{
	fe25519_set(p->X, 0);
	fe25519_set(p->Y, 1);
	fe25519_set(p->Z, 1);
	fe25519_set(p->T, 0);
}

void ed25519_ge_base(struct ge25519 *p)
{
	uint8_t by[32];

	memset(by, ED_BY_REST, sizeof(by));
	by[0] = ED_BY_LOW;
	fe25519_frombytes(p->X, ED_BX);
	fe25519_frombytes(p->Y, by);
	fe25519_set(p->Z, 1);
	fe25519_mul(p->T, p->X, p->Y);
}

void ed25519_ge_cache(struct ge25519_cached *c, const struct ge25519 *p)
{
	fe25519 d;

	fe25519_add(c->YpX, p->Y, p->X);
	fe25519_sub(c->YmX, p->Y, p->X);
	fe25519_copy(c->Z, p->Z);
	fe25519_frombytes(d, ED_D);
	fe25519_mul(c->T2d, p->T, d);
	fe25519_add(c->T2d, c->T2d, c->T2d);
}

/* add-2008-hwcd-3 for a = -1; subtracting swaps Y+X / Y-X and negates 2dT. */
void ed25519_ge_add(struct ge25519 *r, const struct ge25519 *p,
		    const struct ge25519_cached *q, int negate)
{
	fe25519 a, b, c, d, e, f, g, h;

	fe25519_sub(a, p->Y, p->X);
	fe25519_mul(a, a, negate ? q->YpX : q->YmX);
	fe25519_add(b, p->Y, p->X);
	fe25519_mul(b, b, negate ? q->YmX : q->YpX);
	fe25519_mul(c, p->T, q->T2d);
	fe25519_mul(d, p->Z, q->Z);
	fe25519_add(d, d, d);
	fe25519_sub(e, b, a);
	fe25519_add(h, b, a);
	if (negate) {
		fe25519_add(f, d, c);
		fe25519_sub(g, d, c);
	} else {
		fe25519_sub(f, d, c);
		fe25519_add(g, d, c);
	}
	fe25519_mul(r->X, e, f);
	fe25519_mul(r->Y, g, h);
	fe25519_mul(r->T, e, h);
	fe25519_mul(r->Z, f, g);
}

/* dbl-2008-hwcd for a = -1, every intermediate negated (same result, fewer sums). */
void ed25519_ge_dbl(struct ge25519 *r, const struct ge25519 *p, int need_t)
{
	fe25519 a, b, c, e, f, g, h;

	fe25519_sq(a, p->X);
	fe25519_sq(b, p->Y);
	fe25519_sq(c, p->Z);
	fe25519_mul_small(c, c, 2);
	fe25519_add(h, a, b);
	fe25519_add(e, p->X, p->Y);
	fe25519_sq(e, e);
	fe25519_sub(e, h, e);
	fe25519_sub(g, a, b);
	fe25519_add(f, c, g);
	fe25519_mul(r->X, e, f);
	fe25519_mul(r->Y, g, h);
	if (need_t)
		fe25519_mul(r->T, e, h);
	fe25519_mul(r->Z, f, g);
}

static void ge_encode(uint8_t s[32], const struct ge25519 *p)
{
	fe25519 zi, x, y;

	fe25519_invert(zi, p->Z);
	fe25519_mul(x, p->X, zi);
	fe25519_mul(y, p->Y, zi);
	fe25519_tobytes(s, y);
	s[31] |= (uint8_t)(fe25519_isodd(x) << 7);
}

/*
 * The eight points of order dividing 8 have y in {0, 1, -1, +-y8}, and y8
 * satisfies d y^4 + 2 y^2 - 1 = 0 (doubling it gives y = 0, a point of
 * order 4); the other root y^2 of that equation is not a square. So
 * y (y^2 - 1) (d y^4 + 2 y^2 - 1) = 0 exactly for them. This is libsodium's
 * 7-entry blocklist without storing it.
 */
static int y_small_order(const fe25519 y)
{
	fe25519 y2, t, u, one;

	fe25519_set(one, 1);
	fe25519_sq(y2, y);
	fe25519_sq(t, y2);
	fe25519_frombytes(u, ED_D);
	fe25519_mul(t, t, u);            /* d y^4 */
	fe25519_mul_small(u, y2, 2);
	fe25519_sub(u, u, one);          /* 2 y^2 - 1 */
	fe25519_add(t, t, u);
	fe25519_sub(u, y2, one);
	fe25519_mul(t, t, u);
	fe25519_mul(t, t, y);
	return fe25519_iszero(t);
}

/* Strict decoding of A (RFC 8032 5.1.3 plus canonical y and no small order). */
static int ge_decode(struct ge25519 *p, const uint8_t s[32])
{
	uint8_t chk[32];
	fe25519 u, v, w, one;
	unsigned sign = s[31] >> 7;

	fe25519_frombytes(p->Y, s);
	fe25519_tobytes(chk, p->Y);
	chk[31] |= (uint8_t)(sign << 7);
	if (memcmp(chk, s, 32) != 0 || y_small_order(p->Y))
		return -1;
	/* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; x = u v^3 (u v^7)^((p-5)/8). */
	fe25519_set(one, 1);
	fe25519_set(p->Z, 1);
	fe25519_sq(u, p->Y);
	fe25519_frombytes(w, ED_D);
	fe25519_mul(v, u, w);
	fe25519_sub(u, u, one);
	fe25519_add(v, v, one);
	fe25519_sq(w, v);
	fe25519_mul(w, w, v);            /* v^3 */
	fe25519_mul(p->X, w, u);         /* u v^3 */
	fe25519_sq(w, w);
	fe25519_mul(w, w, v);            /* v^7 */
	fe25519_mul(w, w, u);            /* u v^7 */
	fe25519_pow22523(w, w);
	fe25519_mul(p->X, p->X, w);
	fe25519_sq(w, p->X);
	fe25519_mul(w, w, v);            /* v x^2 */
	if (!fe25519_equal(w, u)) {
		fe25519_neg(u, u);
		if (!fe25519_equal(w, u))
			return -1;       /* u / v is not a square: no such point */
		fe25519_frombytes(w, ED_SQRTM1);
		fe25519_mul(p->X, p->X, w);
	}
	/* x = 0 cannot happen here: y = +-1 was refused as small order above. */
	if ((unsigned)fe25519_isodd(p->X) != sign)
		fe25519_neg(p->X, p->X);
	fe25519_mul(p->T, p->X, p->Y);
	return 0;
}

/* ----------------------------------------------------------- scalars */

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* r >= L, for r below 2^256 in eight words. */
static int sc_ge_l(const uint32_t r[8])
{
	for (unsigned i = 8; i-- > 0;) {
		if (r[i] != ED_L[i])
			return r[i] > ED_L[i];
	}
	return 1;
}

static int sc_is_canonical(const uint8_t s[32])
{
	uint32_t w[8];

	for (unsigned i = 0; i < 8; i++)
		w[i] = load32(s + 4 * i);
	return !sc_ge_l(w);
}

/*
 * out = h mod L for the 512-bit digest, one bit at a time from the top:
 * r < L < 2^253 keeps 2r + 1 inside eight words, and one subtraction
 * restores r < L. About 25k instructions on a Cortex-M: small next to the
 * point arithmetic, and a few dozen bytes of code.
 */
static void sc_reduce512(uint8_t out[32], const uint8_t h[64])
{
	uint32_t r[8] = { 0 };

	for (unsigned bit = 512; bit-- > 0;) {
		uint32_t in = (h[bit / 8] >> (bit % 8)) & 1;

		for (unsigned i = 0; i < 8; i++) {
			uint32_t top = r[i] >> 31;

			r[i] = (r[i] << 1) | in;
			in = top;
		}
		if (sc_ge_l(r)) {
			uint32_t borrow = 0;

			for (unsigned i = 0; i < 8; i++) {
				uint64_t d = (uint64_t)r[i] - ED_L[i] - borrow;

				r[i] = (uint32_t)d;
				borrow = (uint32_t)(d >> 63);
			}
		}
	}
	for (unsigned i = 0; i < 32; i++)
		out[i] = (uint8_t)(r[i / 4] >> (8 * (i % 4)));
}

/* ------------------------------------------------------------ verify */

void keel_ed25519_stream_init(struct keel_ed25519_stream *ctx,
			      const uint8_t pub[32], const uint8_t sig[64])
{
	memcpy(ctx->pub, pub, 32);
	memcpy(ctx->sig, sig, 64);
	keel_sha512_init(&ctx->h);
	keel_sha512_update(&ctx->h, sig, 32);
	keel_sha512_update(&ctx->h, pub, 32);
}

void keel_ed25519_stream_update(struct keel_ed25519_stream *ctx,
				const void *msg, size_t len)
{
	keel_sha512_update(&ctx->h, msg, len);
}

int keel_ed25519_stream_final(struct keel_ed25519_stream *ctx)
{
	uint8_t h[64], k[32], chk[32];
	struct ge25519 a, r;
	fe25519 ry;
	uint8_t diff = 0;

	keel_sha512_final(&ctx->h, h);
	if (!sc_is_canonical(ctx->sig + 32))
		return KEEL_EACCES;
	fe25519_frombytes(ry, ctx->sig);
	if (y_small_order(ry) || ge_decode(&a, ctx->pub) != 0)
		return KEEL_EACCES;
	fe25519_neg(a.X, a.X);
	fe25519_neg(a.T, a.T);
	sc_reduce512(k, h);
	ed25519_double_scalarmult(&r, ctx->sig + 32, k, &a);
	ge_encode(chk, &r);
	for (unsigned i = 0; i < 32; i++)
		diff |= chk[i] ^ ctx->sig[i];
	return diff == 0 ? 0 : KEEL_EACCES;
}

int keel_ed25519_verify(const uint8_t pub[32], const uint8_t *msg,
			size_t msg_len, const uint8_t sig[64])
{
	struct keel_ed25519_stream ctx;

	if (pub == NULL || sig == NULL || (msg == NULL && msg_len != 0))
		return KEEL_EINVAL;
	keel_ed25519_stream_init(&ctx, pub, sig);
	if (msg_len != 0)
		keel_ed25519_stream_update(&ctx, msg, msg_len);
	return keel_ed25519_stream_final(&ctx);
}
