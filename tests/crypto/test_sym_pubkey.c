/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel_pubkey_parse against OpenSSL's encodings of the vector keys (P-256,
 * P-384, Ed25519, RSA-2048, and a fresh RSA-3072 key): SPKI DER from
 * i2d_PUBKEY, PKCS#1 RSAPublicKey from OSSL_ENCODER "type-specific" (the
 * bytes `imgtool getpub` prints). Type, raw component and pointers must
 * match OpenSSL's view of the key. Then the strictness: every single-byte
 * change (all 255 values at every position) is refused outside the key
 * material and accepted inside it (except the 04 point prefix, and an RSA
 * modulus whose top bit would clear); every truncation and extension is
 * refused; and hand-made encodings that a lenient parser would take
 * (non-minimal lengths, NULL parameters, compressed points, other exponents
 * and modulus sizes) are refused.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "keel/crypto.h"
#include "keel/err.h"
#include "oracle.h"

static EVP_PKEY *load_pem(const char *name)
{
	char path[1024];
	const char *shared = getenv("KEEL_SHARED");
	FILE *f;
	EVP_PKEY *pk;

	if (!shared) {
		fprintf(stderr, "KEEL_SHARED is not set\n");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/vectors/imgtool/%s", shared, name);
	f = fopen(path, "r");
	pk = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (!pk) {
		fprintf(stderr, "cannot load %s\n", path);
		exit(2);
	}
	fclose(f);
	return pk;
}

/* The blob `keel getpub` embeds; *expect_raw gets OpenSSL's view of the key material. */
static size_t blob(EVP_PKEY *pk, uint8_t **der, uint8_t *expect_raw, size_t *raw_len)
{
	size_t len = 0;

	*raw_len = 0;
	if (EVP_PKEY_is_a(pk, "RSA")) {
		OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(
			pk, OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "DER", "type-specific", NULL);
		BIGNUM *n = NULL;
		*der = NULL;
		if (!ec || !OSSL_ENCODER_to_data(ec, der, &len) ||
		    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n))
			goto fail;
		*raw_len = (size_t)BN_num_bytes(n);
		BN_bn2bin(n, expect_raw);
		BN_free(n);
		OSSL_ENCODER_CTX_free(ec);
		return len;
	}
	{
		int l = i2d_PUBKEY(pk, der);
		if (l <= 0)
			goto fail;
		len = (size_t)l;
	}
	if (EVP_PKEY_is_a(pk, "ED25519")) {
		*raw_len = 32;
		if (!EVP_PKEY_get_raw_public_key(pk, expect_raw, raw_len))
			goto fail;
	} else if (!EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, expect_raw, 97,
						    raw_len)) {
		goto fail;
	}
	return len;
fail:
	fprintf(stderr, "OpenSSL could not encode the key\n");
	exit(2);
}

/* Whether a parser that is exactly as strict as documented accepts der[pos] = v. */
static int mutation_ok(enum keel_key_type t, size_t pos, uint8_t v, size_t raw_off, size_t raw_len)
{
	if (pos < raw_off || pos >= raw_off + raw_len)
		return 0;
	if (pos == raw_off && (t == KEEL_KEY_ECDSA_P256 || t == KEEL_KEY_ECDSA_P384))
		return 0;
	if (pos == raw_off && (t == KEEL_KEY_RSA2048 || t == KEEL_KEY_RSA3072))
		return v >= 0x80;
	return 1;
}

static void key_case_inner(const char *name, EVP_PKEY *pk, enum keel_key_type want, size_t want_len)
{
	uint8_t *der = NULL, raw[512], *m;
	size_t raw_len, len = blob(pk, &der, raw, &raw_len), raw_off;
	struct keel_pubkey k;
	unsigned long rejected = 0, accepted = 0;

	if (len != want_len)
		oracle_fail(name, "OpenSSL's blob is %zu bytes, expected %zu", len, want_len);
	if (keel_pubkey_parse(&k, der, len) != 0) {
		oracle_fail(name, "refused");
		OPENSSL_free(der);
		return;
	}
	if (k.type != want || k.der != der || k.der_len != len || k.raw_len != raw_len ||
	    k.raw < der || k.raw + k.raw_len > der + len || memcmp(k.raw, raw, raw_len) != 0) {
		oracle_fail(name, "wrong type %d, raw (%zu bytes) or pointers", k.type, k.raw_len);
		OPENSSL_free(der);
		return;
	}
	raw_off = (size_t)(k.raw - der);
	oracle_count("keys parsed", 1);

	m = malloc(len + 1);
	for (size_t i = 0; i < oracle_mut_count(ORACLE_MUT_BYTE, len); i++) {
		int rc, ok;

		oracle_mutate(m, der, len, ORACLE_MUT_BYTE, i);
		rc = keel_pubkey_parse(&k, m, len);
		ok = mutation_ok(want, i / 255, m[i / 255], raw_off, raw_len);
		if (ok && (rc != 0 || k.type != want || k.raw != m + raw_off))
			oracle_fail(name, "byte %zu = %02x (key material) refused", i / 255, m[i / 255]);
		else if (!ok && (rc != KEEL_EINVAL || k.type != KEEL_KEY_NONE))
			oracle_fail(name, "byte %zu = %02x accepted", i / 255, m[i / 255]);
		if (rc)
			rejected++;
		else
			accepted++;
	}
	for (size_t l = 0; l < len; l++)
		if (keel_pubkey_parse(&k, der, l) != KEEL_EINVAL)
			oracle_fail(name, "truncated to %zu bytes accepted", l);
	memcpy(m, der, len);
	for (int v = 0; v < 256; v += 85) {
		m[len] = (uint8_t)v;
		if (keel_pubkey_parse(&k, m, len + 1) != KEEL_EINVAL)
			oracle_fail(name, "trailing byte %02x accepted", v);
	}
	printf("%s: %zu-byte blob parsed; %lu single-byte changes refused, %lu (key material) "
	       "accepted; %zu truncations and 4 extensions refused\n", name, len, rejected,
	       accepted, len);
	oracle_count("mutations", oracle_mut_count(ORACLE_MUT_BYTE, len));
	free(m);
	OPENSSL_free(der);
}

static void key_case(const char *name, EVP_PKEY *pk, enum keel_key_type want, size_t want_len)
{
	key_case_inner(name, pk, want, want_len);
	EVP_PKEY_free(pk);
}

static void must_refuse(const char *what, const char *hex_prefix, size_t fill, const char *hex_suffix)
{
	uint8_t buf[1024];
	size_t n = 0;
	struct keel_pubkey k;

	for (const char *h = hex_prefix; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &buf[n++]);
	for (size_t i = 0; i < fill; i++)
		buf[n++] = (uint8_t)(0x80 | i);
	for (const char *h = hex_suffix; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &buf[n++]);
	if (keel_pubkey_parse(&k, buf, n) != KEEL_EINVAL)
		oracle_fail("crafted", "%s accepted", what);
	oracle_count("crafted encodings refused", 1);
}

static void crafted(void)
{
	/* Control: the same builder with correct encodings is accepted. */
	struct keel_pubkey k;
	uint8_t ok[44] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

	if (keel_pubkey_parse(&k, ok, sizeof(ok)) != 0 || k.type != KEEL_KEY_ED25519)
		oracle_fail("crafted", "control Ed25519 blob refused");
	must_refuse("Ed25519 with NULL parameters", "302c300706032b65700500032100", 32, "");
	must_refuse("Ed25519 with a non-minimal length", "30812a300506032b6570032100", 32, "");
	must_refuse("Ed25519 with an indefinite length", "3080300506032b6570032100", 32, "0000");
	must_refuse("Ed25519 with unused bits", "302a300506032b6570032101", 32, "");
	must_refuse("Ed25519 key of 31 bytes", "3029300506032b6570032000", 31, "");
	must_refuse("X25519 OID", "302a300506032b656e032100", 32, "");
	must_refuse("EC with NULL curve", "3051300b06072a8648ce3d0201050003420004", 64, "");
	must_refuse("compressed P-256 point",
		    "3039301306072a8648ce3d020106082a8648ce3d03010703220002", 32, "");
	must_refuse("P-256 OID with a P-384-sized point",
		    "3079301306072a8648ce3d020106082a8648ce3d03010703620004", 96, "");
	must_refuse("truncated RSA header", "3082010802820101", 0, "");
	must_refuse("RSA-2048 with e = 3",
		    "308201080282010100", 256, "020103");
	must_refuse("RSA-2048 without the 00 in front (negative)",
		    "3082010902820100", 256, "0203010001");
	must_refuse("RSA-2048 with two 00 in front",
		    "3082010b028201020000", 256, "0203010001");
	must_refuse("RSA-4096", "3082020a0282020100", 512, "0203010001");
	must_refuse("RSA-2048 with the exponent first",
		    "30820109020301000102820101", 0, "");
	must_refuse("RSA e = 65537 with a leading zero",
		    "3082010b0282010100", 256, "020400010001");
	must_refuse("empty", "", 0, "");
	must_refuse("empty SEQUENCE", "3000", 0, "");
}

/* Random blobs, and valid ones cut and changed at random: refused or parsed, never out of bounds. */
static void garbage(void)
{
	static const uint8_t ed[44] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
					0x03, 0x21, 0x00 };
	unsigned long n = oracle_scale(100000), accepted = 0;

	for (unsigned long i = 0; i < n; i++) {
		size_t len = oracle_len(600);
		uint8_t *b = malloc(len ? len : 1);
		struct keel_pubkey k;

		if (i & 1) {
			oracle_bytes(b, len);
			if (len)
				b[0] = 0x30;
		} else {
			memset(b, 0, len);
			memcpy(b, ed, len < sizeof(ed) ? len : sizeof(ed));
			if (len)
				oracle_mutate_random(b, len);
		}
		/* Exact-size heap buffer: ASan catches any read past len. */
		if (keel_pubkey_parse(&k, b, len) == 0) {
			accepted++;
			if (k.raw < b || k.raw + k.raw_len > b + len)
				oracle_fail("garbage", "raw outside the blob");
		}
		free(b);
		oracle_count("random blobs", 1);
	}
	printf("random blobs: %lu parsed, %lu accepted\n", n, accepted);
}

int main(void)
{
	EVP_PKEY *rsa3072;

	oracle_init("test_sym_pubkey");
	key_case("key-ec-p256.pem", load_pem("key-ec-p256.pem"), KEEL_KEY_ECDSA_P256, 91);
	key_case("key-ec-p384.pem", load_pem("key-ec-p384.pem"), KEEL_KEY_ECDSA_P384, 120);
	key_case("key-ed25519.pem", load_pem("key-ed25519.pem"), KEEL_KEY_ED25519, 44);
	key_case("key-rsa2048.pem", load_pem("key-rsa2048.pem"), KEEL_KEY_RSA2048, 270);
	key_case("enc-ec256.pem", load_pem("enc-ec256.pem"), KEEL_KEY_ECDSA_P256, 91);
	rsa3072 = EVP_RSA_gen(3072);
	if (!rsa3072) {
		fprintf(stderr, "EVP_RSA_gen(3072) failed\n");
		return 2;
	}
	key_case("fresh RSA-3072", rsa3072, KEEL_KEY_RSA3072, 398);
	crafted();
	garbage();
	oracle_require("keys parsed", 6);
	return oracle_finish();
}
