/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 differential test against OpenSSL 3 (EVP only).
 *
 * ECDSA: each case is a fresh OpenSSL key, a random message (lengths biased
 * to block edges), OpenSSL's DER signature over SHA-256. Keel must accept
 * the DER form, the raw r || s form, and the high-s twin (r, n - s), which
 * is equally valid ECDSA. On the first EXHAUSTIVE cases every single-bit
 * flip and one random replacement of every byte of the DER signature, the
 * digest and the public key must be rejected; on the other cases one
 * random mutation of one of the three must get OpenSSL's verdict.
 *
 * ECDH: fresh OpenSSL key pairs; Keel's shared secret must equal
 * EVP_PKEY_derive's. Then invalid peers (off curve, coordinate >= p, bad
 * prefix) must be refused, edge scalars (small, next to n, powers of two)
 * must agree with OpenSSL and out-of-range scalars must be refused.
 *
 * The exhaustive subset costs about 1,500 verifies per case (940 of them
 * full ones), so its size is the first argument; the optional second and
 * third set the ECDSA and ECDH case counts (default 10,000 each). The
 * normal build runs 100 / 10,000 / 10,000; the sanitizer build, where this
 * code runs at -O0 under ASan, a smaller set (tests/crypto/p256.cmake).
 * KEEL_SOAK scales the case counts and raises the subset to EXHAUSTIVE_SOAK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "oracle.h"

#define ECDSA_CASES 10000
#define ECDH_CASES 10000
#define EXHAUSTIVE_SOAK 1000
#define MSG_MAX 1024

static const uint8_t order[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static const uint8_t prime[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

struct ecdsa_case {
	uint8_t pub[65];
	uint8_t dig[32];
	uint8_t der[80];
	size_t der_len;
};

static void die(const char *what)
{
	fprintf(stderr, "test_p256_diff: OpenSSL %s failed\n", what);
	exit(2);
}

static EVP_PKEY *gen_key(uint8_t pub[65], uint8_t priv[32])
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	size_t len = 0;

	if (!k)
		die("EVP_EC_gen");
	if (!EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &len) ||
	    len != 65 || pub[0] != 4)
		die("get uncompressed public key");
	if (priv) {
		BIGNUM *d = NULL;

		if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) ||
		    BN_bn2binpad(d, priv, 32) != 32)
			die("get private key");
		BN_clear_free(d);
	}
	return k;
}

/* An EVP_PKEY for a raw point, or NULL if OpenSSL refuses the point. */
static EVP_PKEY *pub_key(const uint8_t pub[65])
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	if (!ctx)
		die("EVP_PKEY_CTX_new_from_name");
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, 65);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	return k;
}

/* OpenSSL's verdict on (pub, digest, DER sig): 1 valid, 0 not. */
static int ossl_verify(const uint8_t pub[65], const uint8_t dig[32], const uint8_t *sig,
		       size_t sig_len)
{
	EVP_PKEY *k = pub_key(pub);
	EVP_PKEY_CTX *ctx;
	int ok = 0;

	if (!k)
		return 0;
	ctx = EVP_PKEY_CTX_new(k, NULL);
	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0)
		die("verify setup");
	ok = EVP_PKEY_verify(ctx, sig, sig_len, dig, 32) == 1;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok;
}

static void make_case(struct ecdsa_case *c)
{
	uint8_t msg[MSG_MAX];
	size_t len = oracle_len(MSG_MAX);
	unsigned int dlen = 0;
	EVP_PKEY *k = gen_key(c->pub, NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	oracle_bytes(msg, len);
	c->der_len = sizeof(c->der);
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) <= 0 ||
	    EVP_DigestSign(md, c->der, &c->der_len, msg, len) <= 0)
		die("EVP_DigestSign");
	if (!EVP_Digest(msg, len, c->dig, &dlen, EVP_sha256(), NULL) || dlen != 32)
		die("EVP_Digest");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
}

/* DER -> r || s, and the high-s twin in both encodings. */
static void twins(const struct ecdsa_case *c, uint8_t raw[64], uint8_t raw_hi[64],
		  uint8_t *der_hi, size_t *der_hi_len)
{
	const unsigned char *p = c->der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)c->der_len);
	const BIGNUM *r, *s;
	BIGNUM *n = BN_bin2bn(order, 32, NULL), *hs = BN_new(), *r2 = NULL;
	unsigned char *q = der_hi;
	int len;

	if (!sig || !n || !hs)
		die("d2i_ECDSA_SIG");
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32, 32) != 32 ||
	    !BN_sub(hs, n, s))
		die("BN");
	memcpy(raw_hi, raw, 32);
	if (BN_bn2binpad(hs, raw_hi + 32, 32) != 32 || !(r2 = BN_dup(r)))
		die("BN");
	if (!ECDSA_SIG_set0(sig, r2, hs))
		die("ECDSA_SIG_set0");
	len = i2d_ECDSA_SIG(sig, NULL);
	if (len <= 0 || len > 80 || i2d_ECDSA_SIG(sig, &q) != len)
		die("i2d_ECDSA_SIG");
	*der_hi_len = (size_t)len;
	ECDSA_SIG_free(sig);
	BN_free(n);
}

static void report(const char *what, const struct ecdsa_case *c, const uint8_t *sig,
		   size_t sig_len, int rc)
{
	oracle_fail(what, "keel_ecdsa_p256_verify returned %d", rc);
	if (oracle_failures() <= 20) {
		oracle_hex(stderr, "pub", c->pub, 65);
		oracle_hex(stderr, "digest", c->dig, 32);
		oracle_hex(stderr, "sig", sig, sig_len);
	}
}

static int keel_verify(const struct ecdsa_case *c)
{
	return keel_ecdsa_p256_verify(c->pub, c->dig, 32, c->der, c->der_len, KEEL_ECDSA_DER);
}

/* Every bit flip and one random replacement of every byte of buf[len]. */
static void exhaust(struct ecdsa_case *c, uint8_t *buf, size_t len, const char *what)
{
	uint8_t orig[80];

	memcpy(orig, buf, len);
	for (size_t i = 0; i < 9 * len; i++) {
		int rc;

		if (i < 8 * len) {
			oracle_mutate(buf, orig, len, ORACLE_MUT_BIT, i);
		} else {
			size_t b = i - 8 * len;

			memcpy(buf, orig, len);
			buf[b] ^= (uint8_t)(1 + oracle_below(255));
		}
		rc = keel_verify(c);
		if (rc != KEEL_EACCES)
			report(what, c, c->der, c->der_len, rc);
		oracle_count(what, 1);
	}
	memcpy(buf, orig, len);
}

static void random_mutation(struct ecdsa_case *c)
{
	int which = (int)oracle_below(3), rc, want;

	if (which == 0)
		oracle_mutate_random(c->der, c->der_len);
	else if (which == 1)
		oracle_mutate_random(c->dig, 32);
	else
		oracle_mutate_random(c->pub, 65);
	/*
	 * OpenSSL also takes X9.62 hybrid points (prefix 06/07); Keel takes
	 * only 04 (docs/crypto.md), so a mutated prefix must be refused.
	 */
	want = c->pub[0] == 4 && ossl_verify(c->pub, c->dig, c->der, c->der_len) ? 0 : KEEL_EACCES;
	rc = keel_verify(c);
	if (rc != want)
		report("random mutation (OpenSSL disagrees)", c, c->der, c->der_len, rc);
	oracle_count("random mutation", 1);
}

static void ecdsa_one(unsigned long i, unsigned long exhaustive)
{
	struct ecdsa_case c;
	uint8_t raw[64], raw_hi[64], der_hi[80];
	size_t der_hi_len;
	int rc;

	make_case(&c);
	twins(&c, raw, raw_hi, der_hi, &der_hi_len);
	if ((rc = keel_verify(&c)) != 0)
		report("valid DER", &c, c.der, c.der_len, rc);
	if ((rc = keel_ecdsa_p256_verify(c.pub, c.dig, 32, raw, 64, KEEL_ECDSA_RAW)) != 0)
		report("valid raw", &c, raw, 64, rc);
	if ((rc = keel_ecdsa_p256_verify(c.pub, c.dig, 32, raw_hi, 64, KEEL_ECDSA_RAW)) != 0)
		report("valid raw high-s", &c, raw_hi, 64, rc);
	if ((rc = keel_ecdsa_p256_verify(c.pub, c.dig, 32, der_hi, der_hi_len, KEEL_ECDSA_DER)) != 0)
		report("valid DER high-s", &c, der_hi, der_hi_len, rc);
	oracle_count("ecdsa valid", 1);
	if (i < exhaustive) {
		exhaust(&c, c.der, c.der_len, "ecdsa sig mutations");
		exhaust(&c, c.dig, 32, "ecdsa digest mutations");
		exhaust(&c, c.pub, 65, "ecdsa key mutations");
	} else {
		random_mutation(&c);
	}
}

static int ossl_derive(EVP_PKEY *mine, const uint8_t peer[65], uint8_t out[32])
{
	EVP_PKEY *p = pub_key(peer);
	EVP_PKEY_CTX *ctx;
	size_t len = 32;
	int ok;

	if (!p)
		return 0;
	ctx = EVP_PKEY_CTX_new(mine, NULL);
	ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, p) > 0 &&
	     EVP_PKEY_derive(ctx, out, &len) > 0 && len == 32;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(p);
	return ok;
}

/* An invalid variant of a valid point: off curve, x or y >= p, bad prefix. */
static void spoil_point(uint8_t pt[65], unsigned int kind)
{
	switch (kind % 4) {
	case 0:
		oracle_mutate_random(pt + 1, 64);           /* almost surely off curve */
		break;
	case 1:
		if (oracle_below(2))
			memcpy(pt + 1, prime, 32);          /* x = p */
		else
			memset(pt + 1, 0xff, 32);           /* x = 2^256 - 1 */
		break;
	case 2:
		memset(pt + 33, 0xff, 32);                  /* y >= p */
		break;
	default:
		pt[0] = (uint8_t)(2 + oracle_below(2));    /* compressed prefix */
		break;
	}
}

static void ecdh_one(unsigned long i)
{
	uint8_t pub_a[65], priv_a[32], pub_b[65], priv_b[32], mine[32], theirs[32], bad[65];
	EVP_PKEY *a = gen_key(pub_a, priv_a), *b = gen_key(pub_b, priv_b);
	int rc, ossl_ok;

	if (!ossl_derive(a, pub_b, theirs))
		die("EVP_PKEY_derive");
	rc = keel_p256_ecdh(mine, priv_a, pub_b);
	if (rc != 0 || memcmp(mine, theirs, 32) != 0) {
		oracle_fail("ecdh valid", "keel_p256_ecdh returned %d or a different secret", rc);
		oracle_hex(stderr, "priv", priv_a, 32);
		oracle_hex(stderr, "peer", pub_b, 65);
	}
	oracle_count("ecdh valid", 1);
	memcpy(bad, pub_b, 65);
	spoil_point(bad, (unsigned int)i);
	ossl_ok = ossl_derive(a, bad, theirs);
	rc = keel_p256_ecdh(mine, priv_a, bad);
	if (rc != KEEL_EACCES || ossl_ok) {
		oracle_fail("ecdh invalid peer", "keel returned %d, OpenSSL %s", rc,
			    ossl_ok ? "accepted" : "refused");
		oracle_hex(stderr, "peer", bad, 65);
	}
	oracle_count("ecdh invalid peer", 1);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

/* An OpenSSL key for a raw scalar (no public part needed for derive). */
static EVP_PKEY *priv_key(const uint8_t k[32])
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
		die("EVP_PKEY_fromdata (private key)");
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(d);
	return key;
}

/*
 * Scalars at the ends of [1, n-1] against OpenSSL: 1..17, n-17..n-1 (with
 * k = n - 2 the ladder's last addition is a doubling), 2^31, 2^63, ...,
 * 2^255; and 0, n, n+1, 2^256-1 refused.
 */
static void ecdh_scalar_edges(void)
{
	uint8_t k[32], pub[65], out[32], want[32];
	EVP_PKEY *peer = gen_key(pub, NULL);

	EVP_PKEY_free(peer);
	for (int v = 0; v < 17 + 17 + 8; v++) {
		EVP_PKEY *mine;
		int rc;

		memset(k, 0, 32);
		if (v < 17) {
			k[31] = (uint8_t)(v + 1);                 /* 1..17 */
		} else if (v < 34) {
			memcpy(k, order, 32);                      /* n - 17 .. n - 1 */
			k[31] = (uint8_t)(k[31] - (v - 16));
		} else {
			int bit = 32 * (v - 34) + 31;              /* 2^31, 2^63, ..., 2^255 */

			k[31 - bit / 8] = (uint8_t)(1 << (bit % 8));
		}
		mine = priv_key(k);
		if (!ossl_derive(mine, pub, want))
			die("EVP_PKEY_derive (edge scalar)");
		rc = keel_p256_ecdh(out, k, pub);
		if (rc != 0 || memcmp(out, want, 32) != 0) {
			oracle_fail("ecdh scalar edges", "returned %d or a different secret", rc);
			oracle_hex(stderr, "scalar", k, 32);
		}
		oracle_count("ecdh scalar edges", 1);
		EVP_PKEY_free(mine);
	}
	for (int v = 0; v < 4; v++) {
		memset(k, v == 3 ? 0xff : 0, 32);
		if (v == 1 || v == 2) {
			memcpy(k, order, 32);                      /* n, n + 1 */
			k[31] = (uint8_t)(k[31] + v - 1);
		}
		if (keel_p256_ecdh(out, k, pub) != KEEL_EINVAL)
			oracle_fail("ecdh scalar edges", "out-of-range scalar %d not refused", v);
		oracle_count("ecdh scalar edges", 1);
	}
}

static int arg_count(const char *s, unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	return *end || end == s ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long exhaustive, base_ecdsa = ECDSA_CASES, base_ecdh = ECDH_CASES, n_ecdsa, n_ecdh;

	if ((argc != 2 && argc != 4) || arg_count(argv[1], &exhaustive) ||
	    (argc == 4 && (arg_count(argv[2], &base_ecdsa) || arg_count(argv[3], &base_ecdh))) ||
	    exhaustive > base_ecdsa) {
		fprintf(stderr, "usage: test_p256_diff EXHAUSTIVE_CASES [ECDSA_CASES ECDH_CASES]\n");
		return 2;
	}
	oracle_init("test_p256_diff");
	if (oracle_soak() > 1 && exhaustive < EXHAUSTIVE_SOAK)
		exhaustive = EXHAUSTIVE_SOAK;
	n_ecdsa = oracle_scale(base_ecdsa);
	n_ecdh = oracle_scale(base_ecdh);
	for (unsigned long i = 0; i < n_ecdsa; i++)
		ecdsa_one(i, exhaustive);
	for (unsigned long i = 0; i < n_ecdh; i++)
		ecdh_one(i);
	ecdh_scalar_edges();
	oracle_require("ecdsa valid", base_ecdsa);
	oracle_require("random mutation", base_ecdsa - exhaustive);
	oracle_require("ecdsa sig mutations", exhaustive * 9 * 60);
	oracle_require("ecdsa digest mutations", exhaustive * 9 * 32);
	oracle_require("ecdsa key mutations", exhaustive * 9 * 65);
	oracle_require("ecdh valid", base_ecdh);
	oracle_require("ecdh invalid peer", base_ecdh);
	oracle_require("ecdh scalar edges", 46);
	return oracle_finish();
}
