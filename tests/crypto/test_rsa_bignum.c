/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RSA Montgomery arithmetic (crypto/bignum.c) against OpenSSL's BN on
 * random and edge-case operands: 0, 1, n-1, long runs of 0 and 1 bits,
 * moduli just above 2^(32k-1) and just below 2^(32k), sizes 1..96 limbs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "bignum.h"
#include "oracle.h"

#define CASES 10000
#define MAXB (4 * KEEL_BN_MAX_LIMBS)

static BN_CTX *bctx;

static void die(const char *what)
{
	fprintf(stderr, "test_rsa_bignum: OpenSSL %s failed\n", what);
	exit(2);
}

/* A patterned or random value of len bytes. */
static void fill(uint8_t *b, size_t len)
{
	switch (oracle_below(6)) {
	case 0:
		memset(b, 0xff, len);
		break;
	case 1:
		memset(b, 0, len);
		break;
	case 2: {   /* runs of ones and zeros */
		size_t pos = 0;
		int one = (int)oracle_below(2);

		memset(b, 0, len);
		while (pos < 8 * len) {
			size_t run = 1 + (size_t)oracle_below(64);

			for (size_t i = pos; i < pos + run && i < 8 * len; i++)
				if (one)
					b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
			pos += run;
			one = !one;
		}
		break;
	}
	default:
		oracle_bytes(b, len);
	}
}

/* An operand below n: 0, 1, n-1, or a patterned value reduced mod n. */
static void operand(uint8_t *out, size_t len, const BIGNUM *n)
{
	BIGNUM *v = BN_new();
	uint8_t b[MAXB];

	switch (oracle_below(8)) {
	case 0:
		BN_zero(v);
		break;
	case 1:
		BN_one(v);
		break;
	case 2:
		BN_copy(v, n);
		BN_sub_word(v, 1);
		break;
	default:
		fill(b, len);
		BN_bin2bn(b, (int)len, v);
		BN_mod(v, v, n, bctx);
	}
	if (BN_bn2binpad(v, out, (int)len) != (int)len)
		die("bn2binpad");
	BN_free(v);
}

static void one_case(size_t k)
{
	size_t len = 4 * k;
	uint8_t nb[MAXB], ab[MAXB], bb[MAXB], want[MAXB], got[MAXB];
	uint32_t n[KEEL_BN_MAX_LIMBS], a[KEEL_BN_MAX_LIMBS], b[KEEL_BN_MAX_LIMBS];
	uint32_t t[KEEL_BN_MAX_LIMBS + 1];
	BIGNUM *bn = BN_new(), *ba = BN_new(), *bbn = BN_new(), *r = BN_new(), *rinv;

	fill(nb, len);
	nb[0] |= oracle_below(2) ? 0x80 : 0;   /* full-size moduli half the time */
	nb[len - 1] |= 1;
	if (!BN_bin2bn(nb, (int)len, bn) || BN_is_one(bn)) {
		nb[len - 1] |= 3;
		BN_bin2bn(nb, (int)len, bn);
	}
	operand(ab, len, bn);
	operand(bb, len, bn);
	BN_bin2bn(ab, (int)len, ba);
	BN_bin2bn(bb, (int)len, bbn);
	keel_bn_from_be(n, nb, k);
	keel_bn_from_be(a, ab, k);
	keel_bn_from_be(b, bb, k);

	/* montmul: a * b * R^-1 mod n, the outer operand given as limbs or bytes. */
	BN_set_bit(r, (int)(32 * k));
	rinv = BN_mod_inverse(NULL, r, bn, bctx);
	if (!rinv || !BN_mod_mul(r, ba, bbn, bn, bctx) || !BN_mod_mul(r, r, rinv, bn, bctx) ||
	    BN_bn2binpad(r, want, (int)len) != (int)len)
		die("reference montmul");
	keel_bn_montmul(t, oracle_below(2) ? a : NULL, ab, b, n, keel_bn_n0inv(n[0]), k);
	keel_bn_to_be(got, t, k);
	if (memcmp(got, want, len) || t[k] != 0) {
		oracle_fail("montmul", "k=%zu: result differs", k);
		oracle_hex(stderr, "n", nb, len);
		oracle_hex(stderr, "a", ab, len);
		oracle_hex(stderr, "b", bb, len);
	}
	oracle_count("montmul", 1);

	/* mod_double: 2a mod n. */
	if (!BN_mod_add(r, ba, ba, bn, bctx) || BN_bn2binpad(r, want, (int)len) != (int)len)
		die("reference double");
	keel_bn_mod_double(a, n, k);
	keel_bn_to_be(got, a, k);
	if (memcmp(got, want, len))
		oracle_fail("mod_double", "k=%zu: result differs", k);
	oracle_count("mod_double", 1);

	/* cmp and the byte conversions, against memcmp on big-endian bytes. */
	keel_bn_from_be(a, ab, k);
	if ((keel_bn_cmp(a, b, k) > 0) != (memcmp(ab, bb, len) > 0) ||
	    (keel_bn_cmp(a, b, k) == 0) != (memcmp(ab, bb, len) == 0))
		oracle_fail("cmp", "k=%zu: order differs from the bytes'", k);
	oracle_count("cmp", 1);

	BN_free(bn); BN_free(ba); BN_free(bbn); BN_free(r); BN_free(rinv);
}

int main(void)
{
	unsigned long cases;

	oracle_init("test_rsa_bignum");
	bctx = BN_CTX_new();
	if (!bctx)
		die("BN_CTX_new");
	cases = oracle_scale(CASES);
	for (unsigned long i = 0; i < cases; i++) {
		size_t k;

		switch (i % 4) {
		case 0: k = 64; break;
		case 1: k = 96; break;
		default: k = 1 + (size_t)oracle_below(KEEL_BN_MAX_LIMBS);
		}
		one_case(k);
	}
	for (uint32_t x = 1; x < 2000000; x += 2)   /* n0inv for many odd words */
		if ((uint32_t)(keel_bn_n0inv(x) * x) != 0xffffffffu)
			oracle_fail("n0inv", "n0 = 0x%08x", (unsigned)x);
	oracle_count("n0inv", 1000000);
	oracle_require("montmul", CASES);
	BN_CTX_free(bctx);
	return oracle_finish();
}
