/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every case of the Wycheproof P-256 files Keel's policy covers:
 *   ecdsa_secp256r1_sha256_test.json        DER signatures (strict DER)
 *   ecdsa_secp256r1_sha256_p1363_test.json  raw r || s
 *   ecdsa_secp256r1_sha512_test.json        DER, SHA-512 digest truncated
 *   ecdh_secp256r1_ecpoint_test.json        ECDH with X9.62 points
 * plus the DER padding helper the image layer uses. Policy differences
 * (compressed ECDH points) are printed with their reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "vectors.h"

static int failures;

static void digest(const EVP_MD *md, const uint8_t *msg, size_t len, uint8_t *out,
		   unsigned int want)
{
	unsigned int olen = 0;

	if (!EVP_Digest(msg, len, out, &olen, md, NULL) || olen != want) {
		fprintf(stderr, "test_p256_vectors: OpenSSL digest failed\n");
		exit(2);
	}
}

static int run_ecdsa(const char *rel, const EVP_MD *md, unsigned int dlen,
		     enum keel_ecdsa_sig_format fmt)
{
	struct vec_file f;

	vec_open(&f, rel);
	for (const struct json *g = vec_groups(&f); g; g = g->next) {
		const struct json *pk = json_get(g, "publicKey");
		uint8_t *pub;

		if (!pk) {
			fprintf(stderr, "%s: a test group has no publicKey\n", f.name);
			exit(2);
		}
		if (vec_hex(&f, pk, "uncompressed", &pub) != 65) {
			fprintf(stderr, "%s: publicKey.uncompressed is not 65 bytes\n", f.name);
			exit(2);
		}
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			uint8_t *msg, *sig, dig[64];
			size_t msg_len = vec_hex(&f, t, "msg", &msg);
			size_t sig_len = vec_hex(&f, t, "sig", &sig);
			int rc;

			digest(md, msg, msg_len, dig, dlen);
			rc = keel_ecdsa_p256_verify(pub, dig, dlen, sig, sig_len, fmt);
			if (rc != 0 && rc != KEEL_EACCES)
				vec_fail(&f, vec_tcid(&f, t), "returned %d, neither 0 nor KEEL_EACCES", rc);
			vec_check(&f, t, rc == 0, -1, NULL);
			free(msg);
			free(sig);
		}
		free(pub);
	}
	return vec_finish(&f);
}

/* Left-pads (or strips leading zeros of) a big-endian scalar to 32 bytes. */
static int scalar32(uint8_t out[32], const uint8_t *in, size_t len)
{
	while (len > 32 && in[0] == 0) {
		in++;
		len--;
	}
	if (len > 32)
		return -1;
	memset(out, 0, 32);
	memcpy(out + 32 - len, in, len);
	return 0;
}

static int run_ecdh(void)
{
	struct vec_file f;

	vec_open(&f, "wycheproof/ecdh_secp256r1_ecpoint_test.json");
	for (const struct json *g = vec_groups(&f); g; g = g->next) {
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			uint8_t *pub, *priv, *want, point[65], k[32], out[32];
			size_t pub_len = vec_hex(&f, t, "public", &pub);
			size_t priv_len = vec_hex(&f, t, "private", &priv);
			size_t want_len = vec_hex(&f, t, "shared", &want);
			long long id = vec_tcid(&f, t);
			int rc, accepted, compressed;

			if (scalar32(k, priv, priv_len)) {
				fprintf(stderr, "%s: tcId %lld: private key longer than 32 bytes\n", f.name, id);
				exit(2);
			}
			/*
			 * The API takes exactly 65 bytes; shorter encodings are
			 * zero-padded so that Keel itself rejects them (by prefix).
			 */
			memset(point, 0, sizeof(point));
			memcpy(point, pub, pub_len < 65 ? pub_len : 65);
			compressed = pub_len == 33 && (pub[0] == 2 || pub[0] == 3);
			memset(out, 0xa5, sizeof(out));
			rc = keel_p256_ecdh(out, k, point);
			accepted = rc == 0 && pub_len == 65;
			if (rc != 0 && rc != KEEL_EACCES)
				vec_fail(&f, id, "returned %d, neither 0 nor KEEL_EACCES", rc);
			if (rc != 0 && memcmp(out, (uint8_t[32]){ 0 }, 32) != 0)
				vec_fail(&f, id, "rejected but the output is not zeroed");
			if (accepted && (want_len != 32 || memcmp(out, want, 32) != 0))
				vec_fail(&f, id, "shared secret differs from the expected one");
			if (compressed && vec_result(&f, t) == VEC_ACCEPTABLE)
				printf("tcId %lld: acceptable, pinned to rejected: compressed points "
				       "are not accepted (docs/crypto.md)\n", id);
			if (compressed)
				vec_check(&f, t, accepted, 0,
					  "compressed points are not accepted (docs/crypto.md)");
			else if (want_len == 32 && memcmp(want, (uint8_t[32]){ 0 }, 32) == 0)
				vec_check(&f, t, accepted, 0,
					  "an all-zero shared secret is rejected (issue 3 policy)");
			else
				vec_check(&f, t, accepted, -1, NULL);
			free(pub);
			free(priv);
			free(want);
		}
	}
	return vec_finish(&f);
}

struct strip_case {
	const char *what;
	uint8_t sig[12];
	size_t len, want;
};

/* keel_ecdsa_der_strip_padding on hand-made inputs. */
static int run_strip(void)
{
	static const struct strip_case c[] = {
		{ "exact SEQUENCE", { 0x30, 0x06, 2, 1, 1, 2, 1, 1 }, 8, 8 },
		{ "SEQUENCE + zeros", { 0x30, 0x06, 2, 1, 1, 2, 1, 1, 0, 0, 0 }, 11, 8 },
		{ "SEQUENCE + nonzero", { 0x30, 0x06, 2, 1, 1, 2, 1, 1, 0, 1 }, 10, 0 },
		{ "SEQUENCE + 0xff", { 0x30, 0x06, 2, 1, 1, 2, 1, 1, 0xff }, 9, 0 },
		{ "not a SEQUENCE", { 0x31, 0x06, 2, 1, 1, 2, 1, 1, 0 }, 9, 9 },
		{ "long-form length", { 0x30, 0x81, 0x06, 2, 1, 1, 2, 1, 1 }, 9, 9 },
		{ "length past end", { 0x30, 0x09, 2, 1, 1, 2, 1, 1 }, 8, 8 },
		{ "one byte", { 0x30 }, 1, 1 },
		{ "empty", { 0 }, 0, 0 },
	};
	unsigned int bad = 0;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t got = keel_ecdsa_der_strip_padding(c[i].sig, c[i].len);

		if (got != c[i].want) {
			fprintf(stderr, "FAIL strip_padding '%s': got %zu, expected %zu\n",
				c[i].what, got, c[i].want);
			bad++;
		}
	}
	printf("der_strip_padding: %zu cases, %u failures\n", sizeof(c) / sizeof(c[0]), bad);
	return bad != 0;
}

int main(void)
{
	failures |= run_ecdsa("wycheproof/ecdsa_secp256r1_sha256_test.json", EVP_sha256(), 32,
			      KEEL_ECDSA_DER);
	failures |= run_ecdsa("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json", EVP_sha256(),
			      32, KEEL_ECDSA_RAW);
	failures |= run_ecdsa("wycheproof/ecdsa_secp256r1_sha512_test.json", EVP_sha512(), 64,
			      KEEL_ECDSA_DER);
	failures |= run_ecdh();
	failures |= run_strip();
	return failures ? 1 : 0;
}
