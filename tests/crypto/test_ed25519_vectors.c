/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ed25519 verify against every public vector set, under Keel's policy
 * (libsodium 1.0.18's verdicts, docs/crypto.md "Ed25519"):
 *   wycheproof  ed25519_test.json: follows Wycheproof's verdicts (a signature
 *               that is not 64 bytes is rejected before the call);
 *   cctv        C2SP CCTV ed25519vectors.json (914): the source gives flags,
 *               not verdicts; the policy verdict is derived from the flags;
 *   speccheck   the 12 "Taming the many EdDSAs" cases, verdicts from the
 *               paper's description of each case.
 * Every case is also run through libsodium's crypto_sign_verify_detached,
 * and Keel's verdict must equal libsodium's, case by case.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/crypto.h"
#include "vectors.h"

static unsigned long sodium_mismatch;

/* Keel one-shot, and streamed byte by byte / in halves: all three must agree. */
static int keel_accepts(const uint8_t pk[32], const uint8_t *msg, size_t len, const uint8_t sig[64])
{
	struct keel_ed25519_stream s;
	int one = keel_ed25519_verify(pk, msg, len, sig) == 0;
	int two;

	keel_ed25519_stream_init(&s, pk, sig);
	keel_ed25519_stream_update(&s, msg, len / 2);
	keel_ed25519_stream_update(&s, msg + len / 2, len - len / 2);
	two = keel_ed25519_stream_final(&s) == 0;
	if (one != two) {
		fprintf(stderr, "FAIL: one-shot and streamed verify disagree\n");
		exit(1);
	}
	return one;
}

static int sodium_accepts(const uint8_t pk[32], const uint8_t *msg, size_t len,
			  const uint8_t *sig, size_t sig_len)
{
	if (sig_len != 64)
		return 0;
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

static void vs_sodium(const char *set, long long id, int keel, int sodium)
{
	if (keel != sodium) {
		sodium_mismatch++;
		fprintf(stderr, "FAIL %s case %lld: Keel %s, libsodium %s\n", set, id,
			keel ? "accepts" : "rejects", sodium ? "accepts" : "rejects");
	}
}

static int run_wycheproof(void)
{
	struct vec_file f;

	vec_open(&f, "wycheproof/ed25519_test.json");
	for (const struct json *g = vec_groups(&f); g; g = g->next) {
		uint8_t *pk;
		size_t pk_len = vec_hex(&f, json_get(g, "publicKey"), "pk", &pk);

		if (pk_len != 32) {
			fprintf(stderr, "%s: public key of %zu bytes\n", f.name, pk_len);
			exit(2);
		}
		for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
			uint8_t *msg, *sig;
			size_t len = vec_hex(&f, t, "msg", &msg), sig_len = vec_hex(&f, t, "sig", &sig);
			int ok = sig_len == 64 && keel_accepts(pk, msg, len, sig);

			vs_sodium("wycheproof", vec_tcid(&f, t), ok, sodium_accepts(pk, msg, len, sig, sig_len));
			vec_check(&f, t, ok, -1, NULL);
			free(msg);
			free(sig);
		}
		free(pk);
	}
	return vec_finish(&f);
}

/* The policy (docs/crypto.md): which CCTV flag rejects a case first. */
static const char *const cctv_rejecting[] = {
	"non_canonical_A",   /* A must encode y < p */
	"non_canonical_R",   /* R compared by its canonical encoding */
	"low_order_A",       /* A of small order refused */
	"low_order_R",       /* R of small order refused */
	"low_order_residue", /* holds only with the cofactored equation */
};
#define N_CCTV_RULES (sizeof(cctv_rejecting) / sizeof(cctv_rejecting[0]))

static int run_cctv(void)
{
	struct vec_file f;
	unsigned long by_rule[N_CCTV_RULES] = { 0 }, accepted_n = 0;

	vec_open_any(&f, "cctv-ed25519/ed25519vectors.json");
	for (const struct json *t = json_first(f.root); t; t = t->next) {
		uint8_t *pk, *sig;
		size_t pk_len = vec_hex(&f, t, "key", &pk), sig_len = vec_hex(&f, t, "sig", &sig);
		const char *msg = vec_str(&f, t, "msg");
		long long id = vec_int(&f, t, "number");
		const struct json *flags = json_get(t, "flags");
		int want = 1, ok;
		const char *reason = "no rejecting flag: valid under the cofactorless equation";

		if (pk_len != 32 || sig_len != 64) {
			fprintf(stderr, "%s: case %lld: key/sig length %zu/%zu\n", f.name, id, pk_len, sig_len);
			exit(2);
		}
		for (size_t r = 0; r < N_CCTV_RULES && want; r++) {
			if (json_array_has_str(flags, cctv_rejecting[r])) {
				want = 0;
				reason = cctv_rejecting[r];
				by_rule[r]++;
			}
		}
		ok = keel_accepts(pk, (const uint8_t *)msg, strlen(msg), sig);
		accepted_n += ok;
		vs_sodium("cctv", id, ok, sodium_accepts(pk, (const uint8_t *)msg, strlen(msg), sig, 64));
		vec_case(&f, id, msg, VEC_ACCEPTABLE, flags, ok, want, reason);
		free(pk);
		free(sig);
	}
	printf("%s: Keel accepts %lu of %lu; rejected by first matching rule:", f.name, accepted_n,
	       f.cases);
	for (size_t r = 0; r < N_CCTV_RULES; r++)
		printf(" %s %lu%s", cctv_rejecting[r], by_rule[r], r + 1 < N_CCTV_RULES ? "," : "\n");
	if (f.cases != 914) {
		fprintf(stderr, "%s: %lu cases, expected 914\n", f.name, f.cases);
		f.failures++;
	}
	return vec_finish(&f);
}

/* Case order of cases.json, described in Chalkias et al., "Taming the many EdDSAs" (2020). */
static const struct { int valid; const char *why; } speccheck[12] = {
	{ 0, "small-order A and R" },
	{ 0, "small-order A" },
	{ 0, "small-order R" },
	{ 1, "mixed-order A and R, valid cofactored and cofactorless" },
	{ 0, "valid only with the cofactored equation" },
	{ 0, "valid only with the cofactored equation, k not reduced mod L (cofactorless fails)" },
	{ 0, "S >= L" },
	{ 0, "S >= L (S well above L)" },
	{ 0, "non-canonical R" },
	{ 0, "non-canonical R" },
	{ 0, "non-canonical A" },
	{ 0, "non-canonical A" },
};

static int run_speccheck(void)
{
	struct vec_file f;
	long long id = 0;

	vec_open_any(&f, "ed25519-speccheck/cases.json");
	for (const struct json *t = json_first(f.root); t; t = t->next, id++) {
		uint8_t *pk, *sig, *msg;
		size_t len = vec_hex(&f, t, "message", &msg);
		size_t pk_len = vec_hex(&f, t, "pub_key", &pk), sig_len = vec_hex(&f, t, "signature", &sig);
		int ok;

		if (id >= 12 || pk_len != 32 || sig_len != 64) {
			fprintf(stderr, "%s: case %lld: unexpected case count or key/sig length\n", f.name, id);
			exit(2);
		}
		ok = keel_accepts(pk, msg, len, sig);
		vs_sodium("speccheck", id, ok, sodium_accepts(pk, msg, len, sig, sig_len));
		vec_case(&f, id, speccheck[id].why, VEC_ACCEPTABLE, NULL, ok, speccheck[id].valid,
			 speccheck[id].why);
		free(pk);
		free(sig);
		free(msg);
	}
	if (id != 12) {
		fprintf(stderr, "%s: %lld cases, expected 12\n", f.name, id);
		return 1;
	}
	return vec_finish(&f);
}

int main(int argc, char **argv)
{
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "test_ed25519_vectors: sodium_init failed\n");
		return 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: test_ed25519_vectors wycheproof|cctv|speccheck|all\n");
		return 2;
	}
	if (strcmp(argv[1], "wycheproof") == 0)
		rc = run_wycheproof();
	else if (strcmp(argv[1], "cctv") == 0)
		rc = run_cctv();
	else if (strcmp(argv[1], "speccheck") == 0)
		rc = run_speccheck();
	else if (strcmp(argv[1], "all") == 0)
		rc = run_wycheproof() | run_cctv() | run_speccheck();
	else {
		fprintf(stderr, "test_ed25519_vectors: unknown set '%s'\n", argv[1]);
		return 2;
	}
	printf("libsodium 1.0.18 verdict mismatches: %lu\n", sodium_mismatch);
	return rc || sodium_mismatch != 0;
}
