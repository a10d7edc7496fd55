/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field arithmetic mod 2^255 - 19 (crypto/fe25519*.c, the layout this
 * binary was built with) against OpenSSL BIGNUM: random and edge values
 * (0, 1, p - 1, p, p + 1, 2^255 - 1, long runs of ones and zeros), every
 * operation, and chains as deep as the point formulas use (sums of three
 * carried values into a product).
 */
#include <openssl/bn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe25519.h"
#include "oracle.h"

static BIGNUM *P;
static BN_CTX *CTX;

static BIGNUM *bn_le(const uint8_t s[32], int mask255)
{
	uint8_t b[32];

	memcpy(b, s, 32);
	if (mask255)
		b[31] &= 0x7f;
	return BN_lebin2bn(b, 32, NULL);
}

static void bn_out(uint8_t s[32], const BIGNUM *v)
{
	BIGNUM *r = BN_new();

	BN_nnmod(r, v, P, CTX);
	BN_bn2lebinpad(r, s, 32);
	BN_free(r);
}

/* Edge values: the odd cases a carry chain can get wrong. */
static void pick(uint8_t s[32], unsigned long i)
{
	static const uint8_t pm1[32] = { 0xec, [1 ... 30] = 0xff, [31] = 0x7f };
	unsigned kind = i < 40 ? (unsigned)i % 8 : (unsigned)oracle_below(12);

	oracle_bytes(s, 32);
	switch (kind) {
	case 0: memset(s, 0, 32); break;
	case 1: memset(s, 0, 32); s[0] = 1; break;
	case 2: memcpy(s, pm1, 32); break;                     /* p - 1 */
	case 3: memcpy(s, pm1, 32); s[0] = 0xed; break;        /* p */
	case 4: memcpy(s, pm1, 32); s[0] = 0xee; break;        /* p + 1 */
	case 5: memset(s, 0xff, 32); break;                    /* 2^256 - 1 (bit 255 dropped) */
	case 6: memset(s, 0, 32); memset(s, 0xff, 1 + oracle_below(31)); break;
	case 7: memset(s, 0xff, 32); memset(s, 0, 1 + oracle_below(31)); break;
	default: break;
	}
}

static void check(const char *what, const fe25519 got, const BIGNUM *want, unsigned long i)
{
	uint8_t a[32], b[32];

	fe25519_tobytes(a, got);
	bn_out(b, want);
	if (memcmp(a, b, 32) != 0) {
		oracle_fail("field", "case %lu: %s differs", i, what);
		oracle_hex(stderr, "  keel", a, 32);
		oracle_hex(stderr, "  want", b, 32);
	}
	oracle_count("field", 1);
}

static void one_case(unsigned long i)
{
	uint8_t sa[32], sb[32], sc[32];
	fe25519 a, b, c, t, u;
	BIGNUM *A, *B, *C, *W = BN_new(), *X = BN_new();
	uint32_t small = (uint32_t)oracle_below(1u << 17);

	pick(sa, i);
	pick(sb, i + 7);
	pick(sc, i + 3);
	fe25519_frombytes(a, sa);
	fe25519_frombytes(b, sb);
	fe25519_frombytes(c, sc);
	A = bn_le(sa, 1);
	B = bn_le(sb, 1);
	C = bn_le(sc, 1);

	check("frombytes/tobytes", a, A, i);
	fe25519_mul(t, a, b); BN_mod_mul(W, A, B, P, CTX); check("mul", t, W, i);
	fe25519_sq(t, a); BN_mod_sqr(W, A, P, CTX); check("sq", t, W, i);
	fe25519_add(t, a, b); BN_add(W, A, B); check("add", t, W, i);
	fe25519_sub(t, a, b); BN_sub(W, A, B); check("sub", t, W, i);
	fe25519_neg(t, a); BN_sub(W, BN_value_one(), A); BN_sub_word(W, 1); check("neg", t, W, i);
	fe25519_mul_small(t, a, small); BN_copy(W, A); BN_mul_word(W, small); check("mul_small", t, W, i);
	/* (a + b - c) * (a - b + c)^2: three-term sums feeding mul and sq. */
	fe25519_add(t, a, b); fe25519_sub(t, t, c);
	fe25519_sub(u, a, b); fe25519_add(u, u, c); fe25519_sq(u, u); fe25519_mul(t, t, u);
	BN_add(W, A, B); BN_sub(W, W, C); BN_sub(X, A, B); BN_add(X, X, C);
	BN_mod_sqr(X, X, P, CTX); BN_mod_mul(W, W, X, P, CTX);
	check("chain", t, W, i);
	/* Same chain on reduced outputs of mul (the other input range). */
	fe25519_mul(a, a, c); fe25519_sq(b, b); BN_mod_mul(A, A, C, P, CTX); BN_mod_sqr(B, B, P, CTX);
	fe25519_add(t, a, b); fe25519_add(t, t, a); fe25519_mul(t, t, t);
	BN_add(W, A, B); BN_add(W, W, A); BN_mod_sqr(W, W, P, CTX); check("chain2", t, W, i);
	fe25519_sub(t, a, b); fe25519_sub(t, t, a); fe25519_mul(t, t, b);
	BN_sub(W, A, B); BN_sub(W, W, A); BN_mod_mul(W, W, B, P, CTX); check("chain3", t, W, i);
	/* invert (0 maps to 0) and the square-root exponent. */
	fe25519_invert(t, c);
	if (BN_is_zero(C) || BN_is_zero(P) || BN_mod_inverse(W, C, P, CTX) == NULL) {
		BN_nnmod(X, C, P, CTX);
		BN_zero(W);
	}
	check("invert", t, W, i);
	fe25519_pow22523(t, c);
	BN_set_word(X, 5); BN_sub(X, P, X); BN_rshift(X, X, 3); BN_mod_exp(W, C, X, P, CTX);
	check("pow22523", t, W, i);
	/* cswap and the predicates. */
	fe25519_copy(t, a); fe25519_copy(u, b);
	fe25519_cswap(t, u, 1); check("cswap1", t, B, i); check("cswap1b", u, A, i);
	fe25519_cswap(t, u, 0); check("cswap0", t, B, i);
	BN_nnmod(W, A, P, CTX);
	if (fe25519_iszero(a) != BN_is_zero(W) || fe25519_isodd(a) != BN_is_odd(W))
		oracle_fail("field", "case %lu: iszero/isodd wrong", i);
	if (fe25519_equal(a, a) != 1 || fe25519_equal(a, b) != (BN_mod_sub(X, A, B, P, CTX) && BN_is_zero(X)))
		oracle_fail("field", "case %lu: equal wrong", i);
	BN_free(A); BN_free(B); BN_free(C); BN_free(W); BN_free(X);
}

/*
 * Sums of three carried values whose total lies in [p, 2^255): only the
 * final conditional subtraction of tobytes makes them canonical, and random
 * values essentially never land there. x = (p + t) / 3 for t = 2, 5, 17.
 */
static void edge_sums(void)
{
	static const unsigned ts[3] = { 2, 5, 17 };

	for (unsigned i = 0; i < 3; i++) {
		BIGNUM *x = BN_dup(P), *w = BN_new();
		uint8_t s[32];
		fe25519 a, t;

		BN_add_word(x, ts[i]);
		BN_div_word(x, 3);
		BN_bn2lebinpad(x, s, 32);
		fe25519_frombytes(a, s);
		fe25519_add(t, a, a);
		fe25519_add(t, t, a);
		BN_set_word(w, ts[i]);
		check("sum of three in [p, 2^255)", t, w, i);
		BN_free(x);
		BN_free(w);
	}
}

int main(int argc, char **argv)
{
	unsigned long n, base = argc > 1 ? strtoul(argv[1], NULL, 0) : 3000;

	oracle_init("test_25519_field");
	CTX = BN_CTX_new();
	P = BN_new();
	BN_set_bit(P, 255);
	BN_sub_word(P, 19);
	edge_sums();
	n = oracle_scale(base);
	for (unsigned long i = 0; i < n; i++)
		one_case(i);
	oracle_require("field", base * 15 + 3);
	BN_free(P);
	BN_CTX_free(CTX);
	return oracle_finish();
}
