/* SPDX-License-Identifier: Apache-2.0 */
/*
 * X25519 (crypto/x25519.c):
 *   wycheproof  x25519_test.json: valid cases give the stated secret;
 *               'acceptable' cases are pinned: an all-zero secret is
 *               rejected (Keel's policy, as libsodium and OpenSSL), every
 *               other one (twist points, u >= p, bit 255 set) accepted with
 *               the RFC 7748 result;
 *   rfc         RFC 7748 section 5.2 iterations (1 and 1000) and the
 *               section 6.1 key exchange;
 *   diff        random scalars and u-coordinates (including u >= p, bit 255
 *               set, tiny u) against libsodium crypto_scalarmult, every 8th
 *               case also against OpenSSL; `diff --cases N`, default 10000
 *               (x KEEL_SOAK);
 *   smallorder  the 7 small-order u values and their bit-255 twins with
 *               random scalars: all must be rejected, as libsodium does.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "keel/crypto.h"
#include "keel/err.h"
#include "oracle.h"
#include "vectors.h"

static void hex32(uint8_t out[32], const char *hex)
{
	if (json_hex_decode(hex, out, 32) != 32) {
		fprintf(stderr, "test_x25519: bad constant %s\n", hex);
		exit(2);
	}
}

static int is_zero(const uint8_t *b, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

static int run_wycheproof(void)
{
	struct vec_file f;

	vec_open(&f, "wycheproof/x25519_test.json");
	for (const struct json *g = vec_groups(&f); g; g = g->next) {
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			uint8_t *priv, *pub, *shared, out[32];
			size_t lp = vec_hex(&f, t, "private", &priv), lu = vec_hex(&f, t, "public", &pub);
			size_t ls = vec_hex(&f, t, "shared", &shared);
			int rc = -1, accepted, policy = -1;
			const char *why = NULL;

			if (lp == 32 && lu == 32)
				rc = keel_x25519(out, priv, pub);
			accepted = rc == 0;
			if (accepted && (ls != 32 || memcmp(out, shared, 32) != 0))
				vec_fail(&f, vec_tcid(&f, t), "accepted with a wrong shared secret");
			if (vec_result(&f, t) == VEC_ACCEPTABLE) {
				policy = !is_zero(shared, ls);
				why = policy ? "non-zero secret of a twist/non-canonical/bit-255 input: computed per RFC 7748"
					     : "all-zero shared secret (small-order peer point) is rejected";
			}
			vec_check(&f, t, accepted, policy, why);
			free(priv);
			free(pub);
			free(shared);
		}
	}
	return vec_finish(&f);
}

static int run_rfc(void)
{
	uint8_t k[32] = { 9 }, u[32] = { 9 }, r[32], want[32];
	uint8_t a_priv[32], b_priv[32], a_pub[32], b_pub[32], s1[32], s2[32], nine[32] = { 9 };
	unsigned long iters = 1000;
	int fails = 0;

	for (unsigned long i = 1; i <= iters; i++) {
		if (keel_x25519(r, k, u) != 0) {
			fprintf(stderr, "FAIL rfc7748 iteration %lu rejected\n", i);
			return 1;
		}
		memcpy(u, k, 32);
		memcpy(k, r, 32);
		if (i == 1 || i == 1000) {
			hex32(want, i == 1 ? "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"
					   : "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
			if (memcmp(k, want, 32) != 0) {
				fprintf(stderr, "FAIL rfc7748 after %lu iterations\n", i);
				fails++;
			}
			printf("rfc7748 section 5.2: %lu iteration(s) ok\n", i);
		}
	}
	hex32(a_priv, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	hex32(b_priv, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	hex32(want, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	if (keel_x25519(a_pub, a_priv, nine) != 0 || memcmp(a_pub, want, 32) != 0)
		fails++, fprintf(stderr, "FAIL rfc7748 6.1: Alice's public key\n");
	hex32(want, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	if (keel_x25519(b_pub, b_priv, nine) != 0 || memcmp(b_pub, want, 32) != 0)
		fails++, fprintf(stderr, "FAIL rfc7748 6.1: Bob's public key\n");
	hex32(want, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	if (keel_x25519(s1, a_priv, b_pub) != 0 || keel_x25519(s2, b_priv, a_pub) != 0 ||
	    memcmp(s1, want, 32) != 0 || memcmp(s2, want, 32) != 0)
		fails++, fprintf(stderr, "FAIL rfc7748 6.1: shared secret\n");
	printf("rfc7748 section 6.1: %s\n", fails ? "FAILED" : "ok");
	return fails != 0;
}

static int openssl_x25519(uint8_t out[32], const uint8_t priv[32], const uint8_t pub[32])
{
	EVP_PKEY *a = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	EVP_PKEY *b = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, 32);
	EVP_PKEY_CTX *ctx = a ? EVP_PKEY_CTX_new(a, NULL) : NULL;
	size_t len = 32;
	int ok = ctx && b && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, b) == 1 &&
		 EVP_PKEY_derive(ctx, out, &len) == 1 && len == 32;

	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return ok ? 0 : -1;
}

static void random_u(uint8_t u[32], unsigned long i)
{
	oracle_bytes(u, 32);
	switch (i % 16) {
	case 0: /* p <= u < 2^255: non-canonical, reduced by the ladder */
		memset(u + 1, 0xff, 31);
		u[31] = 0x7f;
		u[0] = (uint8_t)(0xed + oracle_below(19));
		break;
	case 1: /* tiny u */
		memset(u + 1, 0, 31);
		break;
	case 2: /* bit 255 set, must be ignored */
		u[31] |= 0x80;
		break;
	default:
		break;
	}
}

static int run_diff(unsigned long base)
{
	unsigned long n = oracle_scale(base);
	uint8_t k[32], u[32], mine[32], theirs[32];

	for (unsigned long i = 0; i < n; i++) {
		int rc, src;

		oracle_bytes(k, 32);
		random_u(u, i);
		rc = keel_x25519(mine, k, u);
		src = crypto_scalarmult(theirs, k, u);
		if ((rc == 0) != (src == 0))
			oracle_fail("x25519", "case %lu: Keel rc %d, libsodium rc %d", i, rc, src);
		else if (rc == 0 && memcmp(mine, theirs, 32) != 0)
			oracle_fail("x25519", "case %lu: shared secret differs from libsodium", i);
		if (i % 8 == 0) {
			src = openssl_x25519(theirs, k, u);
			if ((rc == 0) != (src == 0) || (rc == 0 && memcmp(mine, theirs, 32) != 0))
				oracle_fail("x25519", "case %lu: differs from OpenSSL", i);
			oracle_count("x25519-openssl", 1);
		}
		oracle_count("x25519", 1);
	}
	oracle_require("x25519", n);
	return 0;
}

static const char *const small_order[7] = {
	"0000000000000000000000000000000000000000000000000000000000000000", /* 0 */
	"0100000000000000000000000000000000000000000000000000000000000000", /* 1 */
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", /* order 8 */
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", /* order 8 */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p = 0 */
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p + 1 = 1 */
};

static int run_smallorder(void)
{
	uint8_t u[32], k[32], out[32], so[32];

	for (unsigned i = 0; i < 14; i++) {
		hex32(u, small_order[i % 7]);
		if (i >= 7)
			u[31] |= 0x80;
		for (unsigned j = 0; j < 50; j++) {
			int rc;

			oracle_bytes(k, 32);
			memset(out, 0x55, 32);
			rc = keel_x25519(out, k, u);
			if (rc != KEEL_EACCES || !is_zero(out, 32))
				oracle_fail("x25519-smallorder", "u #%u: rc %d (want KEEL_EACCES, zero output)", i, rc);
			if (crypto_scalarmult(so, k, u) == 0)
				oracle_fail("x25519-smallorder", "u #%u: libsodium accepts", i);
			oracle_count("x25519-smallorder", 1);
		}
	}
	oracle_require("x25519-smallorder", 14 * 50);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (sodium_init() < 0)
		return 2;
	if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--cases") == 0)) {
		fprintf(stderr, "usage: test_x25519 wycheproof|rfc|diff [--cases N]|smallorder\n");
		return 2;
	}
	oracle_init("test_x25519");
	if (strcmp(argv[1], "wycheproof") == 0)
		rc = run_wycheproof();
	else if (strcmp(argv[1], "rfc") == 0)
		rc = run_rfc();
	else if (strcmp(argv[1], "diff") == 0)
		rc = run_diff(argc == 4 ? strtoul(argv[3], NULL, 0) : 10000);
	else if (strcmp(argv[1], "smallorder") == 0)
		rc = run_smallorder();
	else {
		fprintf(stderr, "test_x25519: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	return oracle_finish() | rc;
}
