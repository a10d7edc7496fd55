/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constant-time check of keel_p256_ecdh under valgrind memcheck (ctgrind):
 * the private scalar is marked undefined, so any branch or memory index
 * that depends on it fails the run. The shared secret and the return code
 * are declassified only after the call, then checked against OpenSSL (or
 * against the peer's x for the scalars 1 and n - 1); n - 2 takes the
 * ladder's masked doubling on the last digit. Out-of-range scalars
 * (0, n, 2^256 - 1) go through the same path and must come back KEEL_EINVAL
 * without a secret-dependent branch on the way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "ctgrind.h"
#include "keel/crypto.h"
#include "keel/err.h"

#define RANDOM_KEYS 6

static const uint8_t order[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static int failures;

static void die(const char *what)
{
	fprintf(stderr, "test_p256_ct: OpenSSL %s failed\n", what);
	exit(2);
}

static EVP_PKEY *gen_key(uint8_t pub[65], uint8_t priv[32])
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	BIGNUM *d = NULL;
	size_t len = 0;

	if (!k || !EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &len) ||
	    len != 65 || !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) ||
	    BN_bn2binpad(d, priv, 32) != 32)
		die("key generation");
	BN_clear_free(d);
	return k;
}

/* An OpenSSL key for a raw scalar (no public part needed for derive). */
static EVP_PKEY *key_from_scalar(const uint8_t k[32])
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	BIGNUM *d = BN_bin2bn(k, 32, NULL);
	unsigned char le[32];
	EVP_PKEY *key = NULL;

	if (!ctx || !d || BN_bn2lebinpad(d, le, 32) != 32)
		die("BN");
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
	params[1] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, le, 32);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
		die("EVP_PKEY_fromdata");
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(d);
	return key;
}

static void derive(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t out[32])
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(mine, NULL);
	size_t len = 32;

	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 || EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, out, &len) <= 0 || len != 32)
		die("EVP_PKEY_derive");
	EVP_PKEY_CTX_free(ctx);
}

/* Runs ECDH with priv marked secret; checks rc and, when rc == 0, the output. */
static void run(const char *what, const uint8_t priv[32], const uint8_t peer[65],
		int want_rc, const uint8_t *want)
{
	uint8_t k[32], out[32];
	int rc;

	memcpy(k, priv, 32);
	CT_SECRET(k, sizeof(k));
	rc = keel_p256_ecdh(out, k, peer);
	CT_PUBLIC(&rc, sizeof(rc));
	CT_PUBLIC(out, sizeof(out));
	if (rc != want_rc || (want && memcmp(out, want, 32) != 0)) {
		fprintf(stderr, "FAIL %s: returned %d (expected %d)%s\n", what, rc, want_rc,
			rc == want_rc ? ", wrong shared secret" : "");
		failures++;
	}
}

int main(int argc, char **argv)
{
	uint8_t pub_a[65], priv_a[32], pub_b[65], priv_b[32], want[32], k[32];
	unsigned int runs = 0;

	if (ct_canary_main(argc, argv))
		return 0;
	ct_require_valgrind("test_p256_ct");
	for (int i = 0; i < RANDOM_KEYS; i++) {
		EVP_PKEY *a = gen_key(pub_a, priv_a), *b = gen_key(pub_b, priv_b);

		derive(a, b, want);
		run("random scalar", priv_a, pub_b, 0, want);
		runs++;
		EVP_PKEY_free(a);
		EVP_PKEY_free(b);
	}
	/* n - 2: the ladder's last addition is a doubling (fix_same). */
	memcpy(k, order, 32);
	k[31] -= 2;
	{
		EVP_PKEY *b = gen_key(pub_b, priv_b), *a = key_from_scalar(k);

		derive(a, b, want);
		run("scalar n - 2", k, pub_b, 0, want);
		runs++;
		EVP_PKEY_free(a);
		EVP_PKEY_free(b);
	}
	/* 1 * P and (n - 1) * P = -P share P's x. */
	memset(k, 0, 32);
	k[31] = 1;
	run("scalar 1", k, pub_b, 0, pub_b + 1);
	memcpy(k, order, 32);
	k[31] -= 1;
	run("scalar n - 1", k, pub_b, 0, pub_b + 1);
	memset(k, 0, 32);
	run("scalar 0", k, pub_b, KEEL_EINVAL, NULL);
	run("scalar n", order, pub_b, KEEL_EINVAL, NULL);
	memset(k, 0xff, 32);
	run("scalar 2^256 - 1", k, pub_b, KEEL_EINVAL, NULL);
	runs += 5;
	printf("test_p256_ct: %u keel_p256_ecdh calls with a secret scalar, %d failures\n", runs,
	       failures);
	return failures ? 1 : 0;
}
