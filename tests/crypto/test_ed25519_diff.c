/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ed25519 differential test. One case = a fresh key pair and a random
 * message signed by an oracle (libsodium on even cases, OpenSSL 3 on odd
 * ones); Keel must accept it one-shot and streamed in random odd chunks.
 * Then mutations, all of which must be rejected:
 *   - the first E cases (E = --exhaustive, default 100): every single-bit
 *     flip of signature, public key and message (messages kept <= 16 bytes
 *     there); the first B of them (--bytes, default 1) also every byte
 *     replaced by each of its 255 other values;
 *   - every other case: one random bit or byte change of one of the three,
 *     where libsodium's verdict is checked too (it must also reject, so a
 *     mutation that stayed valid would show as an oracle disagreement).
 *
 * usage: test_ed25519_diff [--cases N] [--exhaustive E] [--bytes B]
 * (N is scaled by KEEL_SOAK; defaults N = 10000).
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "oracle.h"

#define MAX_MSG 1100

struct triple {
	uint8_t pk[32], sig[64], msg[MAX_MSG];
	size_t len;
};

static void sign_sodium(struct triple *t)
{
	uint8_t sk[64];

	crypto_sign_keypair(t->pk, sk);
	crypto_sign_detached(t->sig, NULL, t->msg, t->len, sk);
}

static void sign_openssl(struct triple *t)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t pk_len = 32, sig_len = 64;

	if (!key || !md || EVP_DigestSignInit(md, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(md, t->sig, &sig_len, t->msg, t->len) != 1 || sig_len != 64 ||
	    EVP_PKEY_get_raw_public_key(key, t->pk, &pk_len) != 1 || pk_len != 32) {
		fprintf(stderr, "test_ed25519_diff: OpenSSL Ed25519 signing failed\n");
		exit(2);
	}
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
}

static int keel_stream(const struct triple *t)
{
	struct keel_ed25519_stream s;
	size_t off = 0;

	keel_ed25519_stream_init(&s, t->pk, t->sig);
	while (off < t->len) {
		size_t c = oracle_chunk(t->len - off);

		keel_ed25519_stream_update(&s, t->msg + off, c);
		off += c;
	}
	return keel_ed25519_stream_final(&s);
}

/* A mutated triple: Keel and libsodium must both reject it. */
static void expect_reject(const struct triple *m, const char *what, size_t i, int with_sodium)
{
	int keel = keel_ed25519_verify(m->pk, m->msg, m->len, m->sig);

	if (keel != KEEL_EACCES)
		oracle_fail("ed25519-mutation", "%s mutation %zu: Keel returned %d", what, i, keel);
	if (with_sodium && crypto_sign_verify_detached(m->sig, m->msg, m->len, m->pk) == 0)
		oracle_fail("ed25519-mutation", "%s mutation %zu: libsodium accepts", what, i);
	oracle_count("ed25519-mutation", 1);
}

static void mutate_all(const struct triple *t, enum oracle_mut kind)
{
	struct triple m = *t;

	for (size_t i = 0; i < oracle_mut_count(kind, 64); i++) {
		oracle_mutate(m.sig, t->sig, 64, kind, i);
		expect_reject(&m, "signature", i, 0);
	}
	memcpy(m.sig, t->sig, 64);
	for (size_t i = 0; i < oracle_mut_count(kind, 32); i++) {
		oracle_mutate(m.pk, t->pk, 32, kind, i);
		expect_reject(&m, "public key", i, 0);
	}
	memcpy(m.pk, t->pk, 32);
	for (size_t i = 0; i < oracle_mut_count(kind, t->len); i++) {
		oracle_mutate(m.msg, t->msg, t->len, kind, i);
		expect_reject(&m, "message", i, 0);
	}
}

static void mutate_one(const struct triple *t)
{
	struct triple m = *t;
	uint64_t which = m.len ? oracle_below(3) : oracle_below(2);

	if (which == 0)
		oracle_mutate_random(m.sig, 64);
	else if (which == 1)
		oracle_mutate_random(m.pk, 32);
	else
		oracle_mutate_random(m.msg, m.len);
	expect_reject(&m, "random", 0, 1);
}

static unsigned long arg(int argc, char **argv, const char *name, unsigned long def)
{
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], name) == 0)
			return strtoul(argv[i + 1], NULL, 0);
	}
	return def;
}

int main(int argc, char **argv)
{
	unsigned long n, exhaustive, bytes;
	static struct triple t;

	if (sodium_init() < 0)
		return 2;
	oracle_init("test_ed25519_diff");
	n = oracle_scale(arg(argc, argv, "--cases", 10000));
	exhaustive = arg(argc, argv, "--exhaustive", 100);
	bytes = arg(argc, argv, "--bytes", 1);
	for (unsigned long i = 0; i < n; i++) {
		t.len = i < exhaustive ? (size_t)oracle_below(17) : oracle_len(MAX_MSG);
		oracle_bytes(t.msg, t.len);
		if (i % 2 == 0)
			sign_sodium(&t);
		else
			sign_openssl(&t);
		if (keel_ed25519_verify(t.pk, t.msg, t.len, t.sig) != 0)
			oracle_fail("ed25519-valid", "case %lu (%s, %zu-byte message): rejected", i,
				    i % 2 ? "OpenSSL" : "libsodium", t.len);
		if (keel_stream(&t) != 0)
			oracle_fail("ed25519-valid", "case %lu: streamed verify rejected", i);
		oracle_count("ed25519-valid", 1);
		if (i < exhaustive)
			mutate_all(&t, ORACLE_MUT_BIT);
		if (i < bytes)
			mutate_all(&t, ORACLE_MUT_BYTE);
		if (i >= exhaustive)
			mutate_one(&t);
	}
	oracle_require("ed25519-valid", n);
	oracle_require("ed25519-mutation", (n > exhaustive ? n - exhaustive : 0) + 768 * (exhaustive < n ? exhaustive : n));
	return oracle_finish();
}
