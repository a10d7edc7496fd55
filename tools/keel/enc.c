/* SPDX-License-Identifier: Apache-2.0 */
#include "enc.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#define ECIES_INFO "MCUBoot_ECIES_v1"

int keel_random(uint8_t *buf, size_t n)
{
	if (RAND_bytes(buf, (int)n) != 1) {
		ERR_clear_error();
		keel_seterr("OpenSSL's random generator failed");
		return -1;
	}
	return 0;
}

int keel_aes_ctr(const uint8_t *key, size_t keylen, uint8_t *data, size_t len)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[16] = { 0 };
	size_t done = 0;
	int outl, ok;

	ok = c && EVP_EncryptInit_ex(c, keylen == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(),
				     NULL, key, iv) == 1;
	/* EVP lengths are int: feed large images in pieces. */
	while (ok && done < len) {
		size_t n = len - done > (1u << 30) ? (1u << 30) : len - done;

		ok = EVP_EncryptUpdate(c, data + done, &outl, data + done, (int)n) == 1 &&
		     (size_t)outl == n;
		done += n;
	}
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("AES-CTR failed in OpenSSL");
		return -1;
	}
	return 0;
}

static int hkdf(const char *md, const uint8_t *ikm, size_t ikmlen, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *k = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[4];
	int ok;

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)ECIES_INFO,
						 strlen(ECIES_INFO));
	p[3] = OSSL_PARAM_construct_end();
	ok = k && EVP_KDF_derive(k, out, outlen, p) == 1;
	EVP_KDF_CTX_free(k);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

static int hmac(const char *md, const uint8_t *key, size_t keylen, const uint8_t *msg,
		size_t len, uint8_t *out, size_t *outlen)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *m = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM p[2];
	int ok;

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)md, 0);
	p[1] = OSSL_PARAM_construct_end();
	ok = m && EVP_MAC_init(m, key, keylen, p) == 1 && EVP_MAC_update(m, msg, len) == 1 &&
	     EVP_MAC_final(m, out, outlen, 64) == 1;
	EVP_MAC_CTX_free(m);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

static int ecdh(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	int ok;

	ok = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
	     EVP_PKEY_derive(c, out, outlen) == 1;
	EVP_PKEY_CTX_free(c);
	return ok ? 0 : -1;
}

static int ecies_wrap(const struct keel_key *encpub, int hmac_sha, const uint8_t *key,
		      size_t keylen, struct kbuf *out)
{
	struct keel_key eph;
	struct kbuf ephpub = { 0 };
	uint8_t shared[32], derived[32 + 64], wrapped[32], tag[64];
	size_t slen = sizeof(shared), maclen = hmac_sha == 512 ? 64 : 32, taglen = 0;
	const char *md = hmac_sha == 512 ? "SHA512" : "SHA256";
	int rc = -1;

	if (keel_key_generate(&eph, encpub->type))
		return -1;
	if (ecdh(eph.pkey, encpub->pkey, shared, &slen) || slen != 32) {
		keel_seterr("ECDH with the encryption key failed in OpenSSL");
		goto out;
	}
	if (hkdf(md, shared, slen, derived, keylen + maclen)) {
		keel_seterr("HKDF failed in OpenSSL");
		goto out;
	}
	memcpy(wrapped, key, keylen);
	if (keel_aes_ctr(derived, keylen, wrapped, keylen))
		goto out;
	if (hmac(md, derived + keylen, maclen, wrapped, keylen, tag, &taglen) || taglen != maclen) {
		keel_seterr("HMAC failed in OpenSSL");
		goto out;
	}
	if (keel_key_pub_raw(&eph, &ephpub))
		goto out;
	rc = kbuf_append(out, ephpub.data, ephpub.len) || kbuf_append(out, tag, taglen) ||
	     kbuf_append(out, wrapped, keylen) ? -1 : 0;
out:
	ERR_clear_error();
	OPENSSL_cleanse(shared, sizeof(shared));
	OPENSSL_cleanse(derived, sizeof(derived));
	OPENSSL_cleanse(wrapped, sizeof(wrapped));
	kbuf_free(&ephpub);
	keel_key_free(&eph);
	return rc;
}

static int rsa_oaep_wrap(const struct keel_key *encpub, const uint8_t *key, size_t keylen,
			 struct kbuf *out)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, encpub->pkey, NULL);
	uint8_t ct[512];
	size_t n = sizeof(ct);
	int ok;

	ok = c && EVP_PKEY_encrypt_init(c) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_encrypt(c, ct, &n, key, keylen) == 1;
	EVP_PKEY_CTX_free(c);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("RSA-OAEP encryption failed in OpenSSL");
		return -1;
	}
	return kbuf_append(out, ct, n);
}

int keel_wrap_key(const struct keel_key *encpub, int hmac_sha, const uint8_t *key,
		  size_t keylen, struct kbuf *out, uint16_t *tlv_type)
{
	switch (encpub->type) {
	case KEEL_KT_ECDSA_P256:
		*tlv_type = 0x32;
		return ecies_wrap(encpub, 256, key, keylen, out);
	case KEEL_KT_X25519:
		*tlv_type = hmac_sha == 512 ? 0x34 : 0x33;
		return ecies_wrap(encpub, hmac_sha, key, keylen, out);
	case KEEL_KT_RSA2048:
		*tlv_type = 0x30;
		return rsa_oaep_wrap(encpub, key, keylen, out);
	default:
		keel_seterr("a %s key cannot encrypt images (ecdsa-p256, x25519 or rsa-2048)",
			    keel_keytype_name(encpub->type));
		return -1;
	}
}
