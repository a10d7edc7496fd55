/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 field and scalar arithmetic (crypto/p256_field.h) against OpenSSL's
 * BN: multiply and square mod p, add and subtract mod p and mod n, the
 * binary-Euclid division mod p and mod n, and the comparisons.
 *
 * Random 256-bit numbers almost never reach the rare paths of the
 * reduction (a top word that survives the first fold), so most operands
 * are built from long runs of 0 and 1 bits, words of 0 / 1 / ffffffff,
 * and values next to 0, p, n and 2^k, the shapes Wycheproof's
 * EdgeCase and ArithmeticError vectors use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "oracle.h"
#include "p256_field.h"

#define CASES 200000
#define DIV_CASES 5000

static BN_CTX *bn_ctx;
static BIGNUM *bn_p, *bn_n;

static void die(const char *what)
{
	fprintf(stderr, "test_p256_field: OpenSSL %s failed\n", what);
	exit(2);
}

static BIGNUM *to_bn(const p256_num a)
{
	uint8_t b[32];
	BIGNUM *r;

	p256_to_bytes(b, a);
	r = BN_bin2bn(b, 32, NULL);
	if (!r)
		die("BN_bin2bn");
	return r;
}

static void from_bn(p256_num r, const BIGNUM *a)
{
	uint8_t b[32];

	if (BN_bn2binpad(a, b, 32) != 32)
		die("BN_bn2binpad");
	p256_from_bytes(r, b);
}

/* A 256-bit operand of one of several edge shapes, or uniform. */
static void edge_num(p256_num r)
{
	switch (oracle_below(6)) {
	case 0: {                           /* runs of 0 and 1 bits */
		unsigned bit = 0, v = (unsigned)oracle_below(2);

		memset(r, 0, sizeof(p256_num));
		while (bit < 256) {
			unsigned run = 1 + (unsigned)oracle_below(oracle_below(2) ? 8 : 96);

			for (; run && bit < 256; run--, bit++)
				r[bit / 32] |= (uint32_t)v << (bit % 32);
			v ^= 1;
		}
		break;
	}
	case 1:                             /* words of 0, 1, ffffffff, fffffffe */
		for (int i = 0; i < P256_LIMBS; i++) {
			static const uint32_t w[] = { 0, 1, 0xffffffff, 0xfffffffe, 0x80000000 };

			r[i] = w[oracle_below(5)];
		}
		break;
	case 2:                             /* p or n minus a small number */
	case 3: {
		p256_num small = { 0 };

		small[0] = (uint32_t)oracle_below(1000);
		if (oracle_below(4) == 0)
			small[oracle_below(P256_LIMBS)] = oracle_rand32();
		p256_sub(r, oracle_below(2) ? p256_p : p256_n, small);
		break;
	}
	case 4: {                           /* 2^k +- small */
		unsigned k = (unsigned)oracle_below(256);

		memset(r, 0, sizeof(p256_num));
		r[k / 32] = (uint32_t)1 << (k % 32);
		r[0] ^= (uint32_t)oracle_below(4);
		if (oracle_below(2)) {
			p256_num one = { 1 };

			p256_sub(r, r, one);
		}
		break;
	}
	default:
		oracle_bytes(r, sizeof(p256_num));
		break;
	}
}

/* An operand reduced below m (the API's precondition). */
static void operand(p256_num r, const p256_num m)
{
	do
		edge_num(r);
	while (!p256_lt(r, m));
}

static void expect(const char *what, const p256_num got, const BIGNUM *want,
		   const p256_num a, const p256_num b)
{
	p256_num w;

	from_bn(w, want);
	if (memcmp(got, w, sizeof(w)) != 0) {
		oracle_fail(what, "result differs from OpenSSL");
		if (oracle_failures() <= 20) {
			oracle_hex(stderr, "a (limbs)", a, sizeof(p256_num));
			oracle_hex(stderr, "b (limbs)", b, sizeof(p256_num));
		}
	}
	oracle_count(what, 1);
}

static void mod_ops(const p256_num m, BIGNUM *bm, const char *add_name, const char *sub_name)
{
	p256_num a, b, r;
	BIGNUM *x, *y, *z = BN_new();

	operand(a, m);
	operand(b, m);
	x = to_bn(a);
	y = to_bn(b);
	if (!z || !BN_mod_add(z, x, y, bm, bn_ctx))
		die("BN_mod_add");
	p256_add_mod(r, a, b, m);
	expect(add_name, r, z, a, b);
	if (!BN_mod_sub(z, x, y, bm, bn_ctx))
		die("BN_mod_sub");
	p256_sub_mod(r, a, b, m);
	expect(sub_name, r, z, a, b);
	BN_free(x);
	BN_free(y);
	BN_free(z);
}

static void mul_ops(void)
{
	p256_num a, b, r;
	BIGNUM *x, *y, *z = BN_new();

	operand(a, p256_p);
	operand(b, p256_p);
	if (oracle_below(8) == 0)
		memcpy(b, a, sizeof(b));
	x = to_bn(a);
	y = to_bn(b);
	if (!z || !BN_mod_mul(z, x, y, bn_p, bn_ctx))
		die("BN_mod_mul");
	p256_fe_mul(r, a, b);
	expect("fe_mul", r, z, a, b);
	memcpy(r, a, sizeof(r));
	p256_fe_mul(r, r, b);               /* aliasing r == a */
	expect("fe_mul in place", r, z, a, b);
	if (!BN_mod_sqr(z, x, bn_p, bn_ctx))
		die("BN_mod_sqr");
	p256_fe_sqr(r, a);
	expect("fe_sqr", r, z, a, a);
	BN_free(x);
	BN_free(y);
	BN_free(z);
}

/* num / a mod m by the binary Euclid, against a^-1 * num from BN. */
static void div_ops(const p256_num m, BIGNUM *bm, const char *name)
{
	p256_num a, num, r;
	BIGNUM *x, *y, *z = BN_new();

	do
		operand(a, m);
	while (p256_is_zero(a));
	operand(num, m);
	x = to_bn(a);
	y = to_bn(num);
	if (!z || !BN_mod_inverse(z, x, bm, bn_ctx) || !BN_mod_mul(z, z, y, bm, bn_ctx))
		die("BN_mod_inverse");
	if (p256_div_var(r, num, a, m) != 0)
		oracle_fail(name, "refused a nonzero divisor");
	expect(name, r, z, num, a);
	BN_free(x);
	BN_free(y);
	BN_free(z);
}

static void fixed_checks(void)
{
	p256_num zero = { 0 }, one = { 1 }, r, pm1;

	if (p256_div_var(r, one, zero, p256_p) != -1)
		oracle_fail("fixed", "division by zero not refused");
	if (p256_lt(p256_p, p256_p) || !p256_lt(zero, p256_p) || p256_is_zero(one) ||
	    !p256_is_zero(zero))
		oracle_fail("fixed", "comparison helpers wrong");
	p256_sub(pm1, p256_p, one);
	p256_fe_mul(r, pm1, pm1);           /* (-1)^2 = 1 */
	if (memcmp(r, one, sizeof(r)) != 0)
		oracle_fail("fixed", "(p-1)^2 mod p != 1");
	p256_add_mod(r, pm1, one, p256_p);  /* p - 1 + 1 = 0 */
	if (!p256_is_zero(r))
		oracle_fail("fixed", "(p-1) + 1 mod p != 0");
	oracle_count("fixed", 4);
}

int main(void)
{
	unsigned long n, nd;

	oracle_init("test_p256_field");
	bn_ctx = BN_CTX_new();
	bn_p = to_bn(p256_p);
	bn_n = to_bn(p256_n);
	if (!bn_ctx)
		die("BN_CTX_new");
	n = oracle_scale(CASES);
	nd = oracle_scale(DIV_CASES);
	fixed_checks();
	for (unsigned long i = 0; i < n; i++) {
		mul_ops();
		mod_ops(p256_p, bn_p, "add mod p", "sub mod p");
		mod_ops(p256_n, bn_n, "add mod n", "sub mod n");
	}
	for (unsigned long i = 0; i < nd; i++) {
		div_ops(p256_p, bn_p, "div mod p");
		div_ops(p256_n, bn_n, "div mod n");
	}
	oracle_require("fe_mul", CASES);
	oracle_require("fe_sqr", CASES);
	oracle_require("add mod n", CASES);
	oracle_require("div mod p", DIV_CASES);
	oracle_require("div mod n", DIV_CASES);
	BN_free(bn_p);
	BN_free(bn_n);
	BN_CTX_free(bn_ctx);
	return oracle_finish();
}
