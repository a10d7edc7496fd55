/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AES-128/256 encryption and CTR mode (FIPS 197, SP 800-38A), constant time.
 *
 * The key is a device secret and table lookups indexed by secret bytes leak
 * through caches and bus timing, so there is no S-box table: two blocks are
 * processed at once in bitsliced form and the S-box is evaluated as Boyar
 * and Peralta's depth-16 Boolean circuit (128 gates: 94 XOR/XNOR, 34 AND),
 * the same work for every input. Nothing here branches on or indexes by key
 * or data.
 *
 * Bitsliced layout: plane q[i] holds bit i of all 32 bytes of the two
 * blocks. The byte at row r, column c of block b sits at bit 8r + 2c + b.
 * With that choice the state load is a plain little-endian word load per
 * column followed by an 8x8 bit transpose, ShiftRows is a rotation inside
 * each byte of a plane, and MixColumns is a rotation of whole planes.
 *
 * Round keys are stored bitsliced for one block (bits 8r + 2c), two planes
 * per word (even plane in the even bits, odd plane shifted into the odd
 * bits), so the 15 round keys of AES-256 fit struct keel_aes's 60 words.
 */
#include "keel/crypto.h"
#include "keel/err.h"

static void swapmove(uint32_t *a, uint32_t *b, uint32_t mask, unsigned n)
{
	uint32_t t = ((*a >> n) ^ *b) & mask;

	*b ^= t;
	*a ^= t << n;
}

/* 8x8 bit transpose in each byte lane across the eight words (an involution). */
static void transpose(uint32_t w[8])
{
	for (int k = 0; k < 8; k += 2)
		swapmove(&w[k], &w[k + 1], 0x55555555u, 1);
	for (int k = 0; k < 8; k += (k & 1) ? 3 : 1)
		swapmove(&w[k], &w[k + 2], 0x33333333u, 2);
	for (int k = 0; k < 4; k++)
		swapmove(&w[k], &w[k + 4], 0x0f0f0f0fu, 4);
}

/* The S-box on every byte of the planes: Boyar and Peralta's circuit. */
static void sub_bytes(uint32_t q[8])
{
	uint32_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
	uint32_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
	uint32_t t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
	uint32_t t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27;
	uint32_t m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14;
	uint32_t m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27;
	uint32_t m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39;
	uint32_t m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51;
	uint32_t m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63;
	uint32_t l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14;
	uint32_t l15, l16, l17, l18, l19, l20, l21, l22, l23, l24, l25, l26, l27;
	uint32_t l28, l29;

	/* Top linear transform. */
	t1 = u0 ^ u3; t2 = u0 ^ u5; t3 = u0 ^ u6; t4 = u3 ^ u5; t5 = u4 ^ u6;
	t6 = t1 ^ t5; t7 = u1 ^ u2; t8 = u7 ^ t6; t9 = u7 ^ t7; t10 = t6 ^ t7;
	t11 = u1 ^ u5; t12 = u2 ^ u5; t13 = t3 ^ t4; t14 = t6 ^ t11; t15 = t5 ^ t11;
	t16 = t5 ^ t12; t17 = t9 ^ t16; t18 = u3 ^ u7; t19 = t7 ^ t18; t20 = t1 ^ t19;
	t21 = u6 ^ u7; t22 = t7 ^ t21; t23 = t2 ^ t22; t24 = t2 ^ t10; t25 = t20 ^ t17;
	t26 = t3 ^ t16; t27 = t1 ^ t12;

	/* Shared non-linear middle: inversion in GF(2^4)^2. */
	m1 = t13 & t6; m2 = t23 & t8; m3 = t14 ^ m1; m4 = t19 & u7; m5 = m4 ^ m1;
	m6 = t3 & t16; m7 = t22 & t9; m8 = t26 ^ m6; m9 = t20 & t17; m10 = m9 ^ m6;
	m11 = t1 & t15; m12 = t4 & t27; m13 = m12 ^ m11; m14 = t2 & t10; m15 = m14 ^ m11;
	m16 = m3 ^ m2; m17 = m5 ^ t24; m18 = m8 ^ m7; m19 = m10 ^ m15; m20 = m16 ^ m13;
	m21 = m17 ^ m15; m22 = m18 ^ m13; m23 = m19 ^ t25; m24 = m22 ^ m23; m25 = m22 & m20;
	m26 = m21 ^ m25; m27 = m20 ^ m21; m28 = m23 ^ m25; m29 = m28 & m27; m30 = m26 & m24;
	m31 = m20 & m23; m32 = m27 & m31; m33 = m27 ^ m25; m34 = m21 & m22; m35 = m24 & m34;
	m36 = m24 ^ m25; m37 = m21 ^ m29; m38 = m32 ^ m33; m39 = m23 ^ m30; m40 = m35 ^ m36;
	m41 = m38 ^ m40; m42 = m37 ^ m39; m43 = m37 ^ m38; m44 = m39 ^ m40; m45 = m42 ^ m41;
	m46 = m44 & t6; m47 = m40 & t8; m48 = m39 & u7; m49 = m43 & t16; m50 = m38 & t9;
	m51 = m37 & t17; m52 = m42 & t15; m53 = m45 & t27; m54 = m41 & t10; m55 = m44 & t13;
	m56 = m40 & t23; m57 = m39 & t19; m58 = m43 & t3; m59 = m38 & t22; m60 = m37 & t20;
	m61 = m42 & t1; m62 = m45 & t4; m63 = m41 & t2;

	/* Bottom linear transform, including the affine constant 0x63 (the XNORs). */
	l0 = m61 ^ m62; l1 = m50 ^ m56; l2 = m46 ^ m48; l3 = m47 ^ m55; l4 = m54 ^ m58;
	l5 = m49 ^ m61; l6 = m62 ^ l5; l7 = m46 ^ l3; l8 = m51 ^ m59; l9 = m52 ^ m53;
	l10 = m53 ^ l4; l11 = m60 ^ l2; l12 = m48 ^ m51; l13 = m50 ^ l0; l14 = m52 ^ m61;
	l15 = m55 ^ l1; l16 = m56 ^ l0; l17 = m57 ^ l1; l18 = m58 ^ l8; l19 = m63 ^ l4;
	l20 = l0 ^ l1; l21 = l1 ^ l7; l22 = l3 ^ l12; l23 = l18 ^ l2; l24 = l15 ^ l9;
	l25 = l6 ^ l10; l26 = l7 ^ l9; l27 = l8 ^ l10; l28 = l11 ^ l14; l29 = l11 ^ l17;
	q[7] = l6 ^ l24;
	q[6] = ~(l16 ^ l26);
	q[5] = ~(l19 ^ l28);
	q[4] = l6 ^ l21;
	q[3] = l20 ^ l22;
	q[2] = l25 ^ l29;
	q[1] = ~(l13 ^ l27);
	q[0] = ~(l6 ^ l23);
}

/* Row r rotates right by r columns: 2r bits inside byte r of each plane. */
static void shift_rows(uint32_t q[8])
{
	for (int i = 0; i < 8; i++) {
		uint32_t x = q[i];

		q[i] = (x & 0x000000ffu) |
		       ((x >> 2) & 0x00003f00u) | ((x << 6) & 0x0000c000u) |
		       ((x >> 4) & 0x000f0000u) | ((x << 4) & 0x00f00000u) |
		       ((x >> 6) & 0x03000000u) | ((x << 2) & 0xfc000000u);
	}
}

static uint32_t ror8(uint32_t x)
{
	return x >> 8 | x << 24;
}

/*
 * out_r = 2a_r ^ 3a_{r+1} ^ a_{r+2} ^ a_{r+3}
 *       = 2t_r ^ a_{r+1} ^ t_{r+2}  with t_r = a_r ^ a_{r+1};
 * row r+1 moves onto row r by rotating a plane right by 8 bits.
 */
static void mix_columns(uint32_t q[8])
{
	uint32_t t[8], a1[8];

	for (int i = 0; i < 8; i++) {
		a1[i] = ror8(q[i]);
		t[i] = q[i] ^ a1[i];
	}
	/* Doubling in GF(2^8): planes move up one bit, bit 7 folds in as 0x1b. */
	for (int i = 7; i >= 0; i--) {
		uint32_t x2 = i ? t[i - 1] : t[7];
		if (i == 1 || i == 3 || i == 4)
			x2 ^= t[7];
		q[i] = x2 ^ a1[i] ^ ror8(ror8(t[i]));
	}
}

static void add_round_key(uint32_t q[8], const uint32_t rk[4])
{
	for (int m = 0; m < 4; m++) {
		uint32_t even = rk[m] & 0x55555555u, odd = (rk[m] >> 1) & 0x55555555u;

		q[2 * m] ^= even | even << 1;
		q[2 * m + 1] ^= odd | odd << 1;
	}
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* SubWord on a little-endian word, through the same circuit. */
static uint32_t sub_word(uint32_t x)
{
	uint32_t w[8] = { x, 0, 0, 0, 0, 0, 0, 0 };

	transpose(w);
	sub_bytes(w);
	transpose(w);
	return w[0];
}

int keel_aes_init(struct keel_aes *ctx, const uint8_t *key, size_t key_len)
{
	uint32_t w[60];
	unsigned nk, total;
	uint8_t rcon = 1;

	if (!ctx || !key || (key_len != 16 && key_len != 32))
		return KEEL_EINVAL;
	nk = (unsigned)key_len / 4;
	ctx->rounds = nk + 6;
	total = 4 * (ctx->rounds + 1);
	for (unsigned i = 0; i < nk; i++)
		w[i] = load_le32(key + 4 * i);
	for (unsigned i = nk; i < total; i++) {
		uint32_t t = w[i - 1];

		if ((i & (nk - 1)) == 0) {
			t = sub_word(ror8(t)) ^ rcon;
			rcon = (uint8_t)(rcon << 1 ^ (rcon >> 7) * 0x1b);
		} else if (nk == 8 && (i & 7) == 4) {
			t = sub_word(t);
		}
		w[i] = w[i - nk] ^ t;
	}
	/* Bitslice each round key for one block and pack two planes per word. */
	for (unsigned r = 0; r <= ctx->rounds; r++) {
		uint32_t q[8];

		for (int c = 0; c < 4; c++) {
			q[2 * c] = w[4 * r + c];
			q[2 * c + 1] = 0;
		}
		transpose(q);
		for (int m = 0; m < 4; m++)
			ctx->round_keys[4 * r + m] = q[2 * m] | q[2 * m + 1] << 1;
		keel_wipe(q, sizeof(q));
	}
	keel_wipe(w, sizeof(w));
	return 0;
}

/* Encrypts two blocks at once: in[0..31] -> out[0..31]. */
static void encrypt2(const struct keel_aes *ctx, const uint8_t in[32], uint8_t out[32])
{
	uint32_t q[8];

	for (int c = 0; c < 4; c++) {
		q[2 * c] = load_le32(in + 4 * c);
		q[2 * c + 1] = load_le32(in + 16 + 4 * c);
	}
	transpose(q);
	add_round_key(q, ctx->round_keys);
	for (unsigned r = 1; r < ctx->rounds; r++) {
		sub_bytes(q);
		shift_rows(q);
		mix_columns(q);
		add_round_key(q, ctx->round_keys + 4 * r);
	}
	sub_bytes(q);
	shift_rows(q);
	add_round_key(q, ctx->round_keys + 4 * ctx->rounds);
	transpose(q);
	for (int c = 0; c < 4; c++) {
		store_le32(out + 4 * c, q[2 * c]);
		store_le32(out + 16 + 4 * c, q[2 * c + 1]);
	}
	keel_wipe(q, sizeof(q));
}

void keel_aes_encrypt_block(const struct keel_aes *ctx, const uint8_t in[16], uint8_t out[16])
{
	uint8_t buf[32];

	for (int i = 0; i < 16; i++) {
		buf[i] = in[i];
		buf[16 + i] = 0;
	}
	encrypt2(ctx, buf, buf);
	for (int i = 0; i < 16; i++)
		out[i] = buf[i];
	keel_wipe(buf, sizeof(buf));
}

/* ctr += v as a 128-bit big-endian number (wrapping at 2^128). */
static void ctr_add(uint8_t ctr[16], uint64_t v)
{
	unsigned carry = 0;

	for (int i = 15; i >= 0; i--) {
		unsigned s = ctr[i] + (unsigned)(v & 0xff) + carry;
		ctr[i] = (uint8_t)s;
		carry = s >> 8;
		v >>= 8;
	}
}

void keel_aes_ctr(const struct keel_aes *ctx, const uint8_t iv[16], uint64_t off,
		  const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t blk[32], ks[32];
	size_t skip = (size_t)(off % 16);

	for (int i = 0; i < 16; i++)
		blk[i] = iv[i];
	ctr_add(blk, off / 16);
	while (len) {
		size_t n = 32 - skip;

		for (int i = 0; i < 16; i++)
			blk[16 + i] = blk[i];
		ctr_add(blk + 16, 1);
		encrypt2(ctx, blk, ks);
		if (n > len)
			n = len;
		for (size_t i = 0; i < n; i++)
			out[i] = in[i] ^ ks[skip + i];
		in += n;
		out += n;
		len -= n;
		skip = 0;
		for (int i = 0; i < 16; i++)
			blk[i] = blk[16 + i];
		ctr_add(blk, 1);
	}
	keel_wipe(ks, sizeof(ks));
}

void keel_aes_wipe(struct keel_aes *ctx)
{
	keel_wipe(ctx, sizeof(*ctx));
}
