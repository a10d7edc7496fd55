/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests of the crypto test helpers themselves: a JSON reader that accepted
 * a malformed file, or a vector runner that did not count a failure, would
 * make every runner built on them pass for the wrong reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "oracle.h"
#include "vectors.h"

static int failures;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			failures++;                                        \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

static void test_good_json(void)
{
	static const char doc[] =
		" {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041"
		"\\u00e9\\ud83d\\ude00\", \"e\": {}, \"z\": [], \"big\": 12345678901234}\n";
	char err[200];
	struct json *v = json_parse(doc, strlen(doc), err, sizeof(err));
	const struct json *a;
	const char *s;
	long long i;

	CHECK(v != NULL, "valid document rejected: %s", err);
	if (!v)
		return;
	CHECK(v->type == JSON_OBJECT && v->count == 5, "object with 5 members");
	a = json_get(v, "a");
	CHECK(a && a->type == JSON_ARRAY && a->count == 6, "array of 6");
	CHECK(json_at(a, 0)->is_int && json_at(a, 0)->inum == 1, "1");
	CHECK(json_at(a, 1)->is_int && json_at(a, 1)->inum == -2, "-2");
	CHECK(!json_at(a, 2)->is_int && json_at(a, 2)->num == 350.0, "3.5e2");
	CHECK(json_at(a, 3)->type == JSON_TRUE && json_at(a, 4)->type == JSON_FALSE &&
	      json_at(a, 5)->type == JSON_NULL && json_at(a, 6) == NULL, "literals");
	s = json_get_str(v, "s");
	CHECK(s && strcmp(s, "x\"\\/\b\f\n\r\tA\xc3\xa9\xf0\x9f\x98\x80") == 0, "escapes decoded");
	CHECK(json_get(v, "e")->count == 0 && json_first(json_get(v, "z")) == NULL, "empty containers");
	CHECK(json_get_int(v, "big", &i) == 0 && i == 12345678901234LL, "64-bit integer");
	CHECK(json_get_int(v, "s", &i) == -1 && json_get(v, "missing") == NULL, "missing fields");
	json_free(v);
}

static void test_bad_json(void)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "['a']",
		"[\"a\nb\"]", "[\"\\x\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\u12\"]", "[NaN]",
		"[tru]", "{\"a\" 1}", "{1:2}", "[1] 2", "[\"abc]", "[1 2]", "nul", "[+1]",
	};
	char err[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json *v = json_parse(bad[i], strlen(bad[i]), err, sizeof(err));
		CHECK(v == NULL, "malformed document %zu accepted: %s", i, bad[i]);
		CHECK(v || err[0], "no error message for %zu", i);
		json_free(v);
	}
}

static void test_hex(void)
{
	uint8_t b[4], *p;

	CHECK(json_hex_decode("00fFa5", b, sizeof(b)) == 3 && b[0] == 0 && b[1] == 0xff &&
	      b[2] == 0xa5, "hex decode");
	CHECK(json_hex_decode("abc", b, sizeof(b)) == -1, "odd length");
	CHECK(json_hex_decode("zz", b, sizeof(b)) == -1, "bad digit");
	CHECK(json_hex_decode("0011223344", b, sizeof(b)) == -1, "overflow");
	CHECK(json_hex_alloc("", &p) == 0 && p != NULL, "empty hex gives a buffer");
	free(p);
}

static void test_mutations(void)
{
	uint8_t src[5] = { 1, 2, 3, 4, 5 }, dst[5];
	unsigned seen[5][256] = { { 0 } };

	CHECK(oracle_mut_count(ORACLE_MUT_BIT, 5) == 40, "bit count");
	for (size_t i = 0; i < oracle_mut_count(ORACLE_MUT_BIT, 5); i++) {
		int bits = 0;
		oracle_mutate(dst, src, 5, ORACLE_MUT_BIT, i);
		for (int k = 0; k < 5; k++)
			bits += __builtin_popcount(dst[k] ^ src[k]);
		CHECK(bits == 1, "bit mutation %zu changes %d bits", i, bits);
	}
	for (size_t i = 0; i < oracle_mut_count(ORACLE_MUT_BYTE, 5); i++) {
		int changed = 0;
		oracle_mutate(dst, src, 5, ORACLE_MUT_BYTE, i);
		for (int k = 0; k < 5; k++)
			if (dst[k] != src[k]) {
				changed++;
				seen[k][dst[k]]++;
			}
		CHECK(changed == 1, "byte mutation %zu changes %d bytes", i, changed);
	}
	for (int k = 0; k < 5; k++)
		for (int x = 0; x < 256; x++)
			CHECK(seen[k][x] == (x != src[k]), "byte %d value %d seen %u times", k, x,
			      seen[k][x]);
	for (int i = 0; i < 1000; i++) {
		size_t l = oracle_len(100), c = oracle_chunk(7);
		CHECK(l <= 100 && c <= 7, "length %zu / chunk %zu out of range", l, c);
	}
}

/* The runner must count a wrong verdict and a policy verdict without reason as failures. */
static void test_vec_accounting(void)
{
	struct vec_file f;
	static const char doc[] = "[{\"tcId\":1,\"result\":\"valid\",\"flags\":[\"A\"]},"
				  "{\"tcId\":2,\"result\":\"invalid\",\"flags\":[\"A\",\"B\"]},"
				  "{\"tcId\":3,\"result\":\"acceptable\"}]";
	char err[100];

	memset(&f, 0, sizeof(f));
	snprintf(f.name, sizeof(f.name), "selftest");
	f.expected_total = 3;
	f.root = json_parse(doc, strlen(doc), err, sizeof(err));
	CHECK(f.root, "%s", err);
	if (!f.root)
		return;
	vec_check(&f, json_at(f.root, 0), 1, -1, NULL);
	vec_check(&f, json_at(f.root, 1), 0, -1, NULL);
	vec_check(&f, json_at(f.root, 2), 1, 1, "pinned");
	CHECK(f.failures == 0 && f.cases == 3 && f.nflags == 2, "clean run counted");
	printf("(runner self-test: the next FAIL lines are expected)\n");
	fflush(stdout);
	vec_check(&f, json_at(f.root, 1), 1, -1, NULL);          /* wrong verdict */
	vec_check(&f, json_at(f.root, 2), 1, -1, NULL);          /* acceptable, unpinned */
	vec_check(&f, json_at(f.root, 0), 0, 0, NULL);           /* policy without reason */
	vec_check(&f, json_at(f.root, 0), 0, 0, "policy");       /* a documented difference */
	CHECK(f.failures == 3 && f.policy_diff == 1, "failures %lu, policy %lu", f.failures,
	      f.policy_diff);
	CHECK(vec_finish(&f) == 1, "vec_finish must fail after failures");
}

static const char *const files[] = {
	"wycheproof/ecdh_secp256r1_ecpoint_test.json", "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
	"wycheproof/ecdsa_secp256r1_sha256_test.json", "wycheproof/ecdsa_secp256r1_sha512_test.json",
	"wycheproof/ed25519_test.json", "wycheproof/hkdf_sha256_test.json",
	"wycheproof/hkdf_sha512_test.json", "wycheproof/hmac_sha256_test.json",
	"wycheproof/hmac_sha512_test.json", "wycheproof/rsa_pss_2048_sha256_mgf1_0_test.json",
	"wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json",
	"wycheproof/rsa_pss_3072_sha256_mgf1_32_test.json", "wycheproof/x25519_test.json",
};

static void test_vector_files(void)
{
	unsigned long total = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct vec_file f;
		unsigned long n = 0;

		vec_open(&f, files[i]);
		for (const struct json *g = vec_groups(&f); g; g = g->next)
			for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
				vec_tcid(&f, t);
				vec_result(&f, t);
				n++;
			}
		CHECK(f.expected_total == (long long)n, "%s: numberOfTests %lld, walked %lu",
		      f.name, f.expected_total, n);
		printf("%s: parsed, %lu tests\n", f.name, n);
		total += n;
		json_free(f.root);
	}
	{
		struct vec_file f;
		vec_open_any(&f, "cctv-ed25519/ed25519vectors.json");
		CHECK(f.root->type == JSON_ARRAY && f.root->count == 914, "CCTV: %zu vectors",
		      f.root->count);
		total += f.root->count;
		json_free(f.root);
		vec_open_any(&f, "ed25519-speccheck/cases.json");
		CHECK(f.root->type == JSON_ARRAY && f.root->count == 12, "speccheck: %zu vectors",
		      f.root->count);
		total += f.root->count;
		json_free(f.root);
	}
	printf("all vector files: %lu tests parsed\n", total);
}

/* Mutated and truncated documents: parsed or refused, never a crash or an overread. */
static void test_json_garbage(void)
{
	static const char doc[] =
		"{\"testGroups\":[{\"tests\":[{\"tcId\":1,\"msg\":\"00ff\",\"flags\":[\"A\"],"
		"\"x\":-1.5e3,\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"ok\":true,\"no\":null}]}]}";
	unsigned long n = oracle_scale(20000), parsed = 0;
	char err[200];

	for (unsigned long i = 0; i < n; i++) {
		size_t len = sizeof(doc) - 1;
		char *b = malloc(len);
		struct json *v;

		memcpy(b, doc, len);
		for (uint64_t k = oracle_below(3) + 1; k; k--)
			oracle_mutate_random((uint8_t *)b, len);
		if (oracle_below(4) == 0)
			len = (size_t)oracle_below(len + 1);
		v = json_parse(b, len, err, sizeof(err));   /* exact-size buffer, not NUL-terminated */
		parsed += v != NULL;
		CHECK(v || err[0], "refusal without a message");
		json_free(v);
		free(b);
	}
	printf("json: %lu mutated documents, %lu still valid JSON\n", n, parsed);
}

int main(void)
{
	oracle_init("test_sym_infra");
	test_good_json();
	test_bad_json();
	test_json_garbage();
	test_hex();
	test_mutations();
	test_vec_accounting();
	test_vector_files();
	if (failures) {
		fprintf(stderr, "test_sym_infra: %d failures\n", failures);
		return 1;
	}
	printf("test_sym_infra: ok\n");
	return oracle_finish();
}
