/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every case of the Wycheproof RSA-PSS files Keel's policy covers: SHA-256,
 * MGF1-SHA-256, 2048 and 3072 bits, salt 32 (the boot path) and salt 0 (the
 * salt length is a parameter, so sLen != hLen indexing is exercised).
 * Keys with e != 65537 cannot be expressed through the API; such a case is
 * counted as rejected and printed as a policy difference if Wycheproof
 * calls it valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "vectors.h"

static void digest_sha256(const uint8_t *msg, size_t len, uint8_t out[32])
{
	unsigned int olen = 0;

	if (!EVP_Digest(msg, len, out, &olen, EVP_sha256(), NULL) || olen != 32) {
		fprintf(stderr, "test_rsa_pss_vectors: OpenSSL SHA-256 failed\n");
		exit(2);
	}
}

static int run_file(const char *rel, long long want_bits, long long want_slen)
{
	struct vec_file f;

	vec_open(&f, rel);
	for (const struct json *g = vec_groups(&f); g; g = g->next) {
		const struct json *pk = json_get(g, "publicKey");
		long long slen = vec_int(&f, g, "sLen");
		uint8_t *n, *e;
		size_t n_len, e_len, skip = 0;
		int e_ok;

		if (!pk) {
			fprintf(stderr, "%s: a test group has no publicKey\n", f.name);
			exit(2);
		}
		if (strcmp(vec_str(&f, g, "sha"), "SHA-256") || strcmp(vec_str(&f, g, "mgfSha"), "SHA-256") ||
		    vec_int(&f, g, "keySize") != want_bits || slen != want_slen) {
			fprintf(stderr, "%s: unexpected group parameters\n", f.name);
			exit(2);
		}
		n_len = vec_hex(&f, pk, "modulus", &n);
		e_len = vec_hex(&f, pk, "publicExponent", &e);
		while (skip < n_len && n[skip] == 0)
			skip++;
		e_ok = e_len == 3 && e[0] == 1 && e[1] == 0 && e[2] == 1;
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			uint8_t *msg, *sig, dig[32];
			size_t msg_len = vec_hex(&f, t, "msg", &msg);
			size_t sig_len = vec_hex(&f, t, "sig", &sig);
			int rc = KEEL_EACCES;

			digest_sha256(msg, msg_len, dig);
			if (e_ok)
				rc = keel_rsa_pss_verify(n + skip, n_len - skip, dig, 32, sig, sig_len,
							 (size_t)slen);
			if (rc != 0 && rc != KEEL_EACCES)
				vec_fail(&f, vec_tcid(&f, t), "returned %d, neither 0 nor KEEL_EACCES", rc);
			if (e_ok)
				vec_check(&f, t, rc == 0, -1, NULL);
			else
				vec_check(&f, t, 0, 0, "public exponent is not 65537 (Keel's policy)");
			free(msg);
			free(sig);
		}
		free(n);
		free(e);
	}
	return vec_finish(&f);
}

int main(void)
{
	int bad = 0;

	bad |= run_file("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json", 2048, 32);
	bad |= run_file("wycheproof/rsa_pss_3072_sha256_mgf1_32_test.json", 3072, 32);
	bad |= run_file("wycheproof/rsa_pss_2048_sha256_mgf1_0_test.json", 2048, 0);
	return bad;
}
