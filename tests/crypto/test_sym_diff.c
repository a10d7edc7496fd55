/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential tests of the symmetric primitives against OpenSSL 3 (EVP):
 * SHA-256, SHA-512, HMAC-SHA256/512, HKDF-SHA256/512, AES-128/256-CTR.
 * Random lengths biased to the padding and block edges (0, 55, 56, 63..65,
 * 111..129, ...), streaming APIs fed in random odd chunks, CTR at random
 * stream offsets (small, 32-bit and 64-bit) with IVs whose low bytes are
 * all ones so the 128-bit counter carries. oracle_scale(10000) cases per
 * primitive; KEEL_SOAK=1 runs 100 times more.
 *
 *   test_sym_diff [sha|hmac|hkdf|aes]    (default: all)
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "keel/crypto.h"
#include "oracle.h"

#define BASE_CASES 10000
#define MAX_MSG 4200

static uint8_t msg[MAX_MSG], out1[MAX_MSG], out2[MAX_MSG];

static void die_ossl(const char *what)
{
	fprintf(stderr, "OpenSSL failed: %s\n", what);
	exit(2);
}

static void report(const char *name, const char *what, const uint8_t *a, const uint8_t *b,
		   size_t n)
{
	oracle_fail(name, "%s", what);
	if (oracle_failures() <= 20) {
		oracle_hex(stderr, "keel   ", a, n);
		oracle_hex(stderr, "openssl", b, n);
	}
}

/* Feeds len bytes of msg to update() in random chunks, including empty ones. */
#define STREAM(update, ctx, data, len)                                     \
	do {                                                               \
		size_t pos_ = 0;                                           \
		while (pos_ < (len)) {                                     \
			size_t c_ = oracle_chunk((len) - pos_);            \
			update((ctx), (data) + pos_, c_);                  \
			pos_ += c_;                                        \
		}                                                          \
	} while (0)

static void diff_sha(void)
{
	unsigned long n = oracle_scale(BASE_CASES);

	for (unsigned long i = 0; i < n; i++) {
		size_t len = oracle_len(oracle_below(8) ? 1100 : MAX_MSG);
		uint8_t mine[64], ref[64];
		unsigned int rl;
		char what[64];

		oracle_bytes(msg, len);
		if (i % 4 == 3) {   /* the run-time dispatch */
			struct keel_hash h;
			keel_hash_init(&h, KEEL_HASH_SHA256);
			STREAM(keel_hash_update, &h, msg, len);
			keel_hash_final(&h, mine);
		} else if (i & 1) {
			struct keel_sha256 c;
			keel_sha256_init(&c);
			STREAM(keel_sha256_update, &c, msg, len);
			keel_sha256_final(&c, mine);
		} else {
			keel_sha256(msg, len, mine);
		}
		if (!EVP_Digest(msg, len, ref, &rl, EVP_sha256(), NULL))
			die_ossl("EVP_Digest sha256");
		snprintf(what, sizeof(what), "length %zu (%s)", len,
			 i % 4 == 3 ? "keel_hash, chunked" : i & 1 ? "chunked" : "one-shot");
		if (memcmp(mine, ref, 32))
			report("sha256", what, mine, ref, 32);
		oracle_count("sha256", 1);

		if (i % 4 == 3) {
			struct keel_hash h;
			keel_hash_init(&h, KEEL_HASH_SHA512);
			STREAM(keel_hash_update, &h, msg, len);
			keel_hash_final(&h, mine);
		} else if (i & 1) {
			struct keel_sha512 c;
			keel_sha512_init(&c);
			STREAM(keel_sha512_update, &c, msg, len);
			keel_sha512_final(&c, mine);
		} else {
			keel_sha512(msg, len, mine);
		}
		if (!EVP_Digest(msg, len, ref, &rl, EVP_sha512(), NULL))
			die_ossl("EVP_Digest sha512");
		if (memcmp(mine, ref, 64))
			report("sha512", what, mine, ref, 64);
		oracle_count("sha512", 1);
	}
}

static void diff_hmac_one(EVP_MAC *mac, enum keel_hash_alg alg, const char *name)
{
	uint8_t key[300], mine[64], ref[64];
	size_t klen = oracle_len(sizeof(key)), len = oracle_len(1100), rl, hl = keel_hash_len(alg);
	struct keel_hmac h;
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
	OSSL_PARAM p[2];
	char what[64];

	oracle_bytes(key, klen);
	oracle_bytes(msg, len);
	if (keel_hmac_init(&h, alg, key, klen) != 0)
		oracle_fail(name, "keel_hmac_init refused key length %zu", klen);
	STREAM(keel_hmac_update, &h, msg, len);
	keel_hmac_final(&h, mine);

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						alg == KEEL_HASH_SHA256 ? "SHA256" : "SHA512", 0);
	p[1] = OSSL_PARAM_construct_end();
	/* OpenSSL refuses a NULL key even for length 0; any valid pointer will do. */
	if (!ctx || !EVP_MAC_init(ctx, klen ? key : (const uint8_t *)"", klen, p) ||
	    !EVP_MAC_update(ctx, msg, len) || !EVP_MAC_final(ctx, ref, &rl, sizeof(ref)) ||
	    rl != hl)
		die_ossl("HMAC");
	EVP_MAC_CTX_free(ctx);
	snprintf(what, sizeof(what), "key length %zu, message length %zu", klen, len);
	if (memcmp(mine, ref, hl))
		report(name, what, mine, ref, hl);
	oracle_count(name, 1);
}

static void diff_hmac(void)
{
	unsigned long n = oracle_scale(BASE_CASES);
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

	if (!mac)
		die_ossl("EVP_MAC_fetch HMAC");
	for (unsigned long i = 0; i < n; i++) {
		diff_hmac_one(mac, KEEL_HASH_SHA256, "hmac-sha256");
		diff_hmac_one(mac, KEEL_HASH_SHA512, "hmac-sha512");
	}
	EVP_MAC_free(mac);
}

static void diff_hkdf_one(EVP_KDF *kdf, enum keel_hash_alg alg, const char *name)
{
	uint8_t ikm[200], salt[200], info[200];
	size_t il = oracle_len(sizeof(ikm)), sl = oracle_len(sizeof(salt));
	size_t nl = oracle_len(sizeof(info)), ol = oracle_len(oracle_below(8) ? 200 : 1100);
	EVP_KDF_CTX *ctx;
	OSSL_PARAM p[5], *pp = p;
	char what[96];
	int rc;

	oracle_bytes(ikm, il);
	oracle_bytes(salt, sl);
	oracle_bytes(info, nl);
	rc = keel_hkdf(alg, sl ? salt : NULL, sl, ikm, il, info, nl, out1, ol);
	snprintf(what, sizeof(what), "ikm %zu, salt %zu, info %zu, out %zu bytes", il, sl, nl, ol);
	if (rc != 0) {
		oracle_fail(name, "keel_hkdf returned %d for %s", rc, what);
		return;
	}
	oracle_count(name, 1);
	if (ol == 0)
		return;   /* OpenSSL refuses an empty output; keel_hkdf returned 0 above. */
	*pp++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						 alg == KEEL_HASH_SHA256 ? "SHA256" : "SHA512", 0);
	*pp++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, il ? ikm : salt, il);
	if (sl)
		*pp++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt, sl);
	if (nl)
		*pp++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, nl);
	*pp = OSSL_PARAM_construct_end();
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx || EVP_KDF_derive(ctx, out2, ol, p) <= 0)
		die_ossl("HKDF derive");
	EVP_KDF_CTX_free(ctx);
	if (memcmp(out1, out2, ol))
		report(name, what, out1, out2, ol < 64 ? ol : 64);
}

static void diff_hkdf(void)
{
	unsigned long n = oracle_scale(BASE_CASES);
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);

	if (!kdf)
		die_ossl("EVP_KDF_fetch HKDF");
	for (unsigned long i = 0; i < n; i++) {
		diff_hkdf_one(kdf, KEEL_HASH_SHA256, "hkdf-sha256");
		diff_hkdf_one(kdf, KEEL_HASH_SHA512, "hkdf-sha512");
	}
	EVP_KDF_free(kdf);
}

/* iv + blocks as 128-bit big-endian, computed independently of crypto/aes.c. */
static void iv_add(uint8_t out[16], const uint8_t iv[16], uint64_t blocks)
{
	unsigned __int128 v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 8 | iv[i];
	v += blocks;
	for (int i = 15; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t random_offset(void)
{
	switch (oracle_below(4)) {
	case 0:
		return oracle_below(1024);
	case 1:
		return oracle_rand32();
	case 2:
		return oracle_rand64();
	default:
		return UINT64_MAX - oracle_below(4096);
	}
}

static void random_iv(uint8_t iv[16])
{
	static const int tails[] = { 0, 4, 8, 16 };
	int t = tails[oracle_below(4)];

	oracle_bytes(iv, 16);
	memset(iv + 16 - t, 0xff, (size_t)t);
}

static void diff_ctr_one(size_t key_len, const char *name)
{
	uint8_t key[32], iv[16], iv2[16], skip[16] = { 0 };
	size_t len = oracle_len(2100);
	uint64_t off = random_offset();
	struct keel_aes aes;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int ol;
	char what[96];

	/* A byte offset is a uint64_t: the stream ends at 2^64 bytes. */
	if (off > UINT64_MAX - len)
		off = UINT64_MAX - len - oracle_below(64);
	oracle_bytes(key, key_len);
	random_iv(iv);
	oracle_bytes(msg, len);
	if (keel_aes_init(&aes, key, key_len) != 0) {
		oracle_fail(name, "keel_aes_init refused");
		return;
	}
	/* In random pieces, each decrypted at its own stream offset, in place. */
	memcpy(out1, msg, len);
	for (size_t pos = 0; pos < len;) {
		size_t ch = oracle_chunk(len - pos);
		keel_aes_ctr(&aes, iv, off + pos, out1 + pos, out1 + pos, ch);
		pos += ch;
	}
	iv_add(iv2, iv, off / 16);
	if (!c || !EVP_EncryptInit_ex(c, key_len == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr(),
				      NULL, key, iv2) ||
	    !EVP_EncryptUpdate(c, skip, &ol, skip, (int)(off % 16)) ||
	    !EVP_EncryptUpdate(c, out2, &ol, msg, (int)len))
		die_ossl("AES-CTR");
	EVP_CIPHER_CTX_free(c);
	snprintf(what, sizeof(what), "length %zu at offset %llu", len, (unsigned long long)off);
	if (memcmp(out1, out2, len))
		report(name, what, out1, out2, len < 64 ? len : 64);
	oracle_count(name, 1);
	keel_aes_wipe(&aes);
}

static void diff_aes(void)
{
	unsigned long n = oracle_scale(BASE_CASES);

	for (unsigned long i = 0; i < n; i++) {
		diff_ctr_one(16, "aes128-ctr");
		diff_ctr_one(32, "aes256-ctr");
	}
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : "all";
	int all = strcmp(only, "all") == 0, ran = 0;

	oracle_init("test_sym_diff");
	if (all || strcmp(only, "sha") == 0) {
		diff_sha();
		oracle_require("sha256", BASE_CASES);
		oracle_require("sha512", BASE_CASES);
		ran = 1;
	}
	if (all || strcmp(only, "hmac") == 0) {
		diff_hmac();
		oracle_require("hmac-sha256", BASE_CASES);
		oracle_require("hmac-sha512", BASE_CASES);
		ran = 1;
	}
	if (all || strcmp(only, "hkdf") == 0) {
		diff_hkdf();
		oracle_require("hkdf-sha256", BASE_CASES);
		oracle_require("hkdf-sha512", BASE_CASES);
		ran = 1;
	}
	if (all || strcmp(only, "aes") == 0) {
		diff_aes();
		oracle_require("aes128-ctr", BASE_CASES);
		oracle_require("aes256-ctr", BASE_CASES);
		ran = 1;
	}
	if (!ran) {
		fprintf(stderr, "usage: test_sym_diff [sha|hmac|hkdf|aes]\n");
		return 2;
	}
	return oracle_finish();
}
