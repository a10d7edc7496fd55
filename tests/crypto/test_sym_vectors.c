/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wycheproof HMAC and HKDF files, every case's verdict checked.
 *
 *   test_sym_vectors hmac-sha256|hmac-sha512|hkdf-sha256|hkdf-sha512
 *
 * HMAC: a case is accepted when the tag has exactly tagSize/8 bytes and
 * equals the leading bytes of the MAC (keel_ct_compare). Keel itself only
 * ever checks full-length tags (ECIES), but the truncated cases test the
 * same comparison. HKDF: accepted when keel_hkdf returns 0 and the output
 * equals okm; a refused size must be KEEL_EINVAL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "vectors.h"

static int hmac_case(struct vec_file *f, const struct json *g, const struct json *t,
		     enum keel_hash_alg alg)
{
	uint8_t *key, *msg, *tag, mac[KEEL_SHA512_LEN];
	size_t klen = vec_hex(f, t, "key", &key);
	size_t mlen = vec_hex(f, t, "msg", &msg);
	size_t tlen = vec_hex(f, t, "tag", &tag);
	size_t want = (size_t)vec_int(f, g, "tagSize") / 8;
	struct keel_hmac h;
	int accepted = 0;

	if (keel_hmac_init(&h, alg, key, klen) != 0)
		vec_fail(f, vec_tcid(f, t), "keel_hmac_init refused a %zu-byte key", klen);
	/* Split the message once so the streaming path is exercised too. */
	keel_hmac_update(&h, msg, mlen / 3);
	keel_hmac_update(&h, msg + mlen / 3, mlen - mlen / 3);
	keel_hmac_final(&h, mac);
	if (tlen == want && want <= keel_hash_len(alg))
		accepted = keel_ct_compare(mac, tag, tlen) == 0;
	free(key);
	free(msg);
	free(tag);
	return accepted;
}

static int hkdf_case(struct vec_file *f, const struct json *t, enum keel_hash_alg alg)
{
	uint8_t *ikm, *salt, *info, *okm, *out;
	size_t ilen = vec_hex(f, t, "ikm", &ikm);
	size_t slen = vec_hex(f, t, "salt", &salt);
	size_t nlen = vec_hex(f, t, "info", &info);
	size_t olen = vec_hex(f, t, "okm", &okm);
	long long size = vec_int(f, t, "size");
	int rc, accepted = 0;

	out = calloc((size_t)size + 1, 1);
	if (!out) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	rc = keel_hkdf(alg, salt, slen, ikm, ilen, info, nlen, out, (size_t)size);
	if (rc == 0)
		accepted = olen == (size_t)size && memcmp(out, okm, olen) == 0;
	else if (rc != KEEL_EINVAL)
		vec_fail(f, vec_tcid(f, t), "keel_hkdf returned %d, expected 0 or KEEL_EINVAL", rc);
	free(ikm);
	free(salt);
	free(info);
	free(okm);
	free(out);
	return accepted;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name, *file;
		enum keel_hash_alg alg;
		int hkdf;
	} kinds[] = {
		{ "hmac-sha256", "wycheproof/hmac_sha256_test.json", KEEL_HASH_SHA256, 0 },
		{ "hmac-sha512", "wycheproof/hmac_sha512_test.json", KEEL_HASH_SHA512, 0 },
		{ "hkdf-sha256", "wycheproof/hkdf_sha256_test.json", KEEL_HASH_SHA256, 1 },
		{ "hkdf-sha512", "wycheproof/hkdf_sha512_test.json", KEEL_HASH_SHA512, 1 },
	};
	struct vec_file f;
	size_t k;

	for (k = 0; argc == 2 && k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(argv[1], kinds[k].name) == 0)
			break;
	if (argc != 2 || k == sizeof(kinds) / sizeof(kinds[0])) {
		fprintf(stderr, "usage: test_sym_vectors hmac-sha256|hmac-sha512|hkdf-sha256|hkdf-sha512\n");
		return 2;
	}
	vec_open(&f, kinds[k].file);
	for (const struct json *g = vec_groups(&f); g; g = g->next)
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			int ok = kinds[k].hkdf ? hkdf_case(&f, t, kinds[k].alg)
					       : hmac_case(&f, g, t, kinds[k].alg);
			vec_check(&f, t, ok, -1, NULL);
		}
	return vec_finish(&f);
}
