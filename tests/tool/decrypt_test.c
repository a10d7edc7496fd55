/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only decryptor for encrypted MCUboot images, written against the
 * format description (docs/image-format.md, research mcuboot.md 4.4) with
 * OpenSSL directly, so it shares no code with `keel sign`.
 *
 * usage: decrypt_test IMAGE DEVICE_PRIVATE_KEY.pem PLAINTEXT
 *
 * Checks, failing with one line naming the first problem:
 *  - the image parses (core/image.c), has exactly one ENC TLV and the AES
 *    flag matches the unwrapped key length;
 *  - ECIES (0x32 P-256, 0x33 X25519, 0x34 X25519/SHA-512): the HMAC tag
 *    over the wrapped key verifies before the key is unwrapped; RSA-OAEP
 *    (0x30) decrypts;
 *  - AES-CTR-decrypting the payload gives PLAINTEXT followed by the zero
 *    padding imgtool adds so that header + payload is a multiple of 16;
 *  - the image hash TLV is the hash of header, plaintext payload and
 *    protected TLVs (the hash covers the plaintext).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "keel/err.h"
#include "keel/image.h"

static const char *img_path;

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "decrypt_test: FAIL: %s: ", img_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

struct file {
	uint8_t *p;
	size_t n;
};

static int slurp(const char *path, struct file *f)
{
	FILE *fp = fopen(path, "rb");
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		if (fp)
			fclose(fp);
		return -1;
	}
	f->n = (size_t)n;
	f->p = malloc(f->n + 1);
	if (!f->p || fread(f->p, 1, f->n, fp) != f->n) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

static int rd(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct file *f = ctx;

	if (off > f->n || len > f->n - off)
		return KEEL_ERANGE;
	memcpy(buf, f->p + off, len);
	return 0;
}

static int aes_ctr(const uint8_t *key, size_t keylen, uint8_t *d, size_t n)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[16] = { 0 };
	int l = 0, ok;

	ok = c && EVP_DecryptInit_ex(c, keylen == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(), NULL,
				     key, iv) == 1 &&
	     EVP_DecryptUpdate(c, d, &l, d, (int)n) == 1 && (size_t)l == n;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

static EVP_PKEY *peer_p256(const uint8_t *pt, size_t n)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	if (b && c && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, n) &&
	    (p = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(c) == 1)
		EVP_PKEY_fromdata(c, &k, EVP_PKEY_PUBLIC_KEY, p);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(c);
	return k;
}

/* ECIES unwrap; returns the key length or -1 (message printed). */
static int ecies(EVP_PKEY *dev, uint16_t type, const uint8_t *v, size_t len, size_t keylen,
		 uint8_t *key)
{
	size_t eph_len = type == KEEL_TLV_ENC_EC256 ? 65 : 32;
	size_t tag_len = type == KEEL_TLV_ENC_X25519_SHA512 ? 64 : 32;
	const char *md = tag_len == 64 ? "SHA512" : "SHA256";
	uint8_t shared[32], okm[96], tag[64];
	size_t slen = sizeof(shared), tlen = 0;
	EVP_PKEY *eph;
	EVP_PKEY_CTX *dc;
	EVP_KDF *kdf;
	EVP_KDF_CTX *kc;
	OSSL_PARAM kp[4], mp[2];
	int ok;

	if (len != eph_len + tag_len + keylen)
		return fail("ENC TLV 0x%02x is %zu bytes, expected %zu for a %zu-byte key", type, len,
			    eph_len + tag_len + keylen, keylen), -1;
	eph = type == KEEL_TLV_ENC_EC256 ? peer_p256(v, eph_len)
					 : EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, v, 32);
	dc = EVP_PKEY_CTX_new_from_pkey(NULL, dev, NULL);
	ok = eph && dc && EVP_PKEY_derive_init(dc) == 1 && EVP_PKEY_derive_set_peer(dc, eph) == 1 &&
	     EVP_PKEY_derive(dc, shared, &slen) == 1 && slen == 32;
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_free(eph);
	if (!ok)
		return fail("ECDH with the ephemeral key failed (wrong device key type?)"), -1;
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	kp[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0);
	kp[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared, 32);
	kp[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, "MCUBoot_ECIES_v1", 16);
	kp[3] = OSSL_PARAM_construct_end();
	ok = kc && EVP_KDF_derive(kc, okm, keylen + tag_len, kp) == 1;
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	if (!ok)
		return fail("HKDF failed"), -1;
	mp[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)md, 0);
	mp[1] = OSSL_PARAM_construct_end();
	if (!EVP_Q_mac(NULL, "HMAC", NULL, NULL, mp, okm + keylen, tag_len, v + eph_len + tag_len,
		       keylen, tag, sizeof(tag), &tlen) || tlen != tag_len)
		return fail("HMAC failed"), -1;
	if (CRYPTO_memcmp(tag, v + eph_len, tag_len))
		return fail("ECIES tag does not verify (wrong device key or damaged ENC TLV)"), -1;
	memcpy(key, v + eph_len + tag_len, keylen);
	if (aes_ctr(okm, keylen, key, keylen))
		return fail("AES-CTR of the wrapped key failed"), -1;
	return (int)keylen;
}

static int rsa_oaep(EVP_PKEY *dev, const uint8_t *v, size_t len, uint8_t *key)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, dev, NULL);
	uint8_t out[512];
	size_t n = sizeof(out);
	int ok;

	ok = c && EVP_PKEY_decrypt_init(c) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_decrypt(c, out, &n, v, len) == 1;
	EVP_PKEY_CTX_free(c);
	if (!ok || (n != 16 && n != 32))
		return fail("RSA-OAEP decryption of the ENC_RSA2048 TLV failed"), -1;
	memcpy(key, out, n);
	return (int)n;
}

int main(int argc, char **argv)
{
	struct file img = { 0 }, plain = { 0 };
	struct keel_image_src src;
	struct keel_image_layout lay;
	struct keel_tlv_iter it;
	struct keel_tlv t, enc = { 0 }, hash = { 0 };
	enum keel_reason why;
	EVP_PKEY *dev;
	FILE *kf;
	uint8_t key[32], dig[64], *pay;
	size_t keylen, plen, padded;
	unsigned int dlen = 0;
	int nenc = 0, got, rc;
	const EVP_MD *md;

	if (argc != 4) {
		fprintf(stderr, "usage: decrypt_test IMAGE DEVICE_KEY.pem PLAINTEXT\n");
		return 2;
	}
	img_path = argv[1];
	if (slurp(argv[1], &img) || slurp(argv[3], &plain))
		return fail("cannot read the image or %s", argv[3]);
	kf = fopen(argv[2], "r");
	dev = kf ? PEM_read_PrivateKey(kf, NULL, NULL, NULL) : NULL;
	if (kf)
		fclose(kf);
	if (!dev)
		return fail("cannot load the device key %s", argv[2]);
	src = (struct keel_image_src){ rd, &img, (uint32_t)img.n };
	if (keel_image_parse(&src, &lay, &why))
		return fail("does not parse: %s", keel_reason_str(why));
	if (lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES128)
		keylen = 16;
	else if (lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256)
		keylen = 32;
	else
		return fail("no ENCRYPTED_AES128/256 flag in the header (flags 0x%x)", lay.hdr.flags);
	keel_tlv_iter_init(&it, &src, &lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		if (t.type >= KEEL_TLV_ENC_RSA2048 && t.type <= KEEL_TLV_ENC_X25519_SHA512) {
			enc = t;
			nenc++;
		}
		if (t.type >= KEEL_TLV_SHA256 && t.type <= KEEL_TLV_SHA512 && !t.protected_area)
			hash = t;
	}
	if (rc < 0 || nenc != 1 || enc.protected_area)
		return fail("%d unprotected ENC TLVs (need exactly 1)", nenc);
	if (enc.type == KEEL_TLV_ENC_RSA2048)
		got = rsa_oaep(dev, img.p + enc.value_off, enc.len, key);
	else if (enc.type == KEEL_TLV_ENC_KW)
		return fail("ENC_KW (AES key wrap) is not produced by imgtool or keel");
	else
		got = ecies(dev, enc.type, img.p + enc.value_off, enc.len, keylen, key);
	if (got < 0)
		return 1;
	if ((size_t)got != keylen)
		return fail("unwrapped a %d-byte key but the header flag says %zu", got, keylen);
	pay = img.p + lay.hdr.hdr_size;
	if (aes_ctr(key, keylen, pay, lay.hdr.img_size))
		return fail("AES-CTR failed");
	plen = plain.n;
	padded = plen + (16 - (lay.hdr.hdr_size + plen) % 16) % 16;
	if (lay.hdr.img_size != padded)
		return fail("img_size %u, expected %zu (plaintext %zu + zero padding to 16)",
			    lay.hdr.img_size, padded, plen);
	if (memcmp(pay, plain.p, plen)) {
		for (size_t i = 0; i < plen; i++)
			if (pay[i] != plain.p[i])
				return fail("decrypted payload differs from %s at byte %zu", argv[3], i);
	}
	for (size_t i = plen; i < padded; i++)
		if (pay[i])
			return fail("padding byte %zu after the plaintext is 0x%02x, not 0", i, pay[i]);
	md = hash.type == KEEL_TLV_SHA512 ? EVP_sha512() :
	     hash.type == KEEL_TLV_SHA384 ? EVP_sha384() : EVP_sha256();
	if (!hash.len || !EVP_Digest(img.p, lay.hashed_end, dig, &dlen, md, NULL) ||
	    dlen != hash.len || memcmp(dig, img.p + hash.value_off, dlen))
		return fail("hash TLV is not the hash of the plaintext image");
	printf("decrypt_test: OK %s: ENC TLV 0x%02x, AES-%zu, %zu plaintext bytes + %zu zero "
	       "padding, hash TLV 0x%02x over the plaintext\n", argv[1], enc.type, keylen * 8, plen,
	       padded - plen, hash.type);
	EVP_PKEY_free(dev);
	free(img.p);
	free(plain.p);
	return 0;
}
