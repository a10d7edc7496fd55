/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSA-PSS differential test against OpenSSL 3. A pool of 16 keys per size
 * is made once per run (key generation dominates otherwise); each case is a
 * fresh random digest signed by OpenSSL with PSS, SHA-256, MGF1-SHA-256,
 * salt 32. Keel must accept it. On the first EXHAUSTIVE cases every
 * single-bit flip and one random replacement of every byte of signature,
 * digest and modulus must be rejected; on the others one random mutation of
 * one of the three must get OpenSSL's verdict (rejection for the modulus).
 *
 * The exhaustive subset costs about 5,000 (2048) or 7,200 (3072) verifies
 * per case, so its size is the first argument (the build passes a smaller
 * one to sanitizer builds); KEEL_SOAK scales the case count (at most x10), raises the
 * subset to EXHAUSTIVE_SOAK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "oracle.h"

#define POOL 16
#define CASES 10000
#define EXHAUSTIVE_SOAK 100

struct key {
	EVP_PKEY *pkey;
	uint8_t n[384];
	size_t n_len;
};

static struct key pool[2][POOL];

static void die(const char *what)
{
	fprintf(stderr, "test_rsa_pss_diff: OpenSSL %s failed\n", what);
	exit(2);
}

static void make_pool(void)
{
	for (int s = 0; s < 2; s++) {
		for (int i = 0; i < POOL; i++) {
			struct key *k = &pool[s][i];
			BIGNUM *bn = NULL;

			k->n_len = s ? 384 : 256;
			k->pkey = EVP_RSA_gen((unsigned)(8 * k->n_len));
			if (!k->pkey)
				die("EVP_RSA_gen");
			if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &bn) ||
			    BN_bn2binpad(bn, k->n, (int)k->n_len) != (int)k->n_len)
				die("get modulus");
			BN_free(bn);
		}
	}
}

static EVP_PKEY_CTX *pss_ctx(EVP_PKEY *pkey, int sign)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

	if (!c || (sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(c, 32) <= 0)
		die("PSS context");
	return c;
}

static size_t ossl_sign(const struct key *k, const uint8_t dig[32], uint8_t *sig)
{
	EVP_PKEY_CTX *c = pss_ctx(k->pkey, 1);
	size_t len = k->n_len;

	if (EVP_PKEY_sign(c, sig, &len, dig, 32) <= 0 || len != k->n_len)
		die("EVP_PKEY_sign");
	EVP_PKEY_CTX_free(c);
	return len;
}

static int ossl_verify(const struct key *k, const uint8_t dig[32], const uint8_t *sig)
{
	EVP_PKEY_CTX *c = pss_ctx(k->pkey, 0);
	int r = EVP_PKEY_verify(c, sig, k->n_len, dig, 32);

	EVP_PKEY_CTX_free(c);
	return r == 1;
}

static void report(const char *what, const uint8_t *n, size_t n_len, const uint8_t *dig,
		   const uint8_t *sig, int rc)
{
	oracle_fail(what, "rsa-%zu: keel returned %d", 8 * n_len, rc);
	if (oracle_failures() <= 3) {
		oracle_hex(stderr, "n", n, n_len);
		oracle_hex(stderr, "digest", dig, 32);
		oracle_hex(stderr, "sig", sig, n_len);
	}
}

/* Every bit flip and one random byte replacement per byte of buf[len] is rejected. */
static void mutate_all(const struct key *k, const uint8_t *dig, const uint8_t *sig,
		       int field, const char *name)
{
	const uint8_t *src = field == 0 ? sig : field == 1 ? dig : k->n;
	size_t len = field == 1 ? 32 : k->n_len;
	uint8_t buf[384];

	for (size_t i = 0; i < 9 * len; i++) {
		const uint8_t *m_sig = sig, *m_dig = dig, *m_n = k->n;
		int rc;

		memcpy(buf, src, len);
		if (i < 8 * len)
			buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		else
			buf[i - 8 * len] ^= (uint8_t)(oracle_below(255) + 1);
		if (field == 0)
			m_sig = buf;
		else if (field == 1)
			m_dig = buf;
		else
			m_n = buf;
		rc = keel_rsa_pss_verify(m_n, k->n_len, m_dig, 32, m_sig, k->n_len, 32);
		if (rc == 0)
			report(name, m_n, k->n_len, m_dig, m_sig, rc);
		oracle_count(name, 1);
	}
}

static void mutate_one(const struct key *k, uint8_t *dig, uint8_t *sig)
{
	int field = (int)oracle_below(3);
	uint8_t n[384];
	int rc, want;

	memcpy(n, k->n, k->n_len);
	if (field == 0)
		oracle_mutate_random(sig, k->n_len);
	else if (field == 1)
		oracle_mutate_random(dig, 32);
	else
		oracle_mutate_random(n, k->n_len);
	want = field == 2 ? 0 : ossl_verify(k, dig, sig);
	rc = keel_rsa_pss_verify(n, k->n_len, dig, 32, sig, k->n_len, 32);
	if ((rc == 0) != want)
		report("random mutation", n, k->n_len, dig, sig, rc);
	oracle_count("random mutation", 1);
}

int main(int argc, char **argv)
{
	unsigned long cases, exhaustive;
	char *end;

	oracle_init("test_rsa_pss_diff");
	if (argc != 2 || (exhaustive = strtoul(argv[1], &end, 10), *end || end == argv[1])) {
		fprintf(stderr, "usage: test_rsa_pss_diff EXHAUSTIVE_CASES\n");
		return 2;
	}
	/* RSA-3072 signing alone costs ~2 ms: the soak multiplier is capped at 10. */
	cases = CASES * (oracle_soak() < 10 ? oracle_soak() : 10);
	if (oracle_soak() > 1 && exhaustive < EXHAUSTIVE_SOAK)
		exhaustive = EXHAUSTIVE_SOAK;
	printf("test_rsa_pss_diff: %lu cases, exhaustive mutations on the first %lu\n", cases,
	       exhaustive);
	make_pool();
	for (unsigned long i = 0; i < cases; i++) {
		const struct key *k = &pool[i & 1][oracle_below(POOL)];
		uint8_t dig[32], sig[384];
		int rc;

		oracle_bytes(dig, sizeof(dig));
		ossl_sign(k, dig, sig);
		rc = keel_rsa_pss_verify(k->n, k->n_len, dig, 32, sig, k->n_len, 32);
		if (rc != 0)
			report("valid", k->n, k->n_len, dig, sig, rc);
		oracle_count(k->n_len == 256 ? "valid rsa-2048" : "valid rsa-3072", 1);
		if (i < exhaustive) {
			mutate_all(k, dig, sig, 0, "signature mutations");
			mutate_all(k, dig, sig, 1, "digest mutations");
			mutate_all(k, dig, sig, 2, "modulus mutations");
		} else {
			mutate_one(k, dig, sig);
		}
	}
	oracle_require("valid rsa-2048", CASES / 2);
	oracle_require("valid rsa-3072", CASES / 2);
	oracle_require("signature mutations", exhaustive ? 9 * 256 : 0);
	oracle_require("random mutation", CASES - exhaustive);
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < POOL; i++)
			EVP_PKEY_free(pool[s][i].pkey);
	return oracle_finish();
}
