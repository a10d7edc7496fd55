/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recovers the AES key of an encrypted image with the device's private
 * key, the way keel-boot does (docs/image-format.md, section 4):
 *   ENC_EC256 / ENC_X25519:  ECDH with the ephemeral key, HKDF-SHA256
 *     (info "MCUBoot_ECIES_v1", no salt) -> KEK || MAC key, HMAC-SHA256 tag
 *     over the wrapped key, AES-CTR(KEK, zero counter) unwraps it;
 *   ENC_X25519_SHA512: the same with SHA-512 (64-byte MAC key and tag);
 *   ENC_RSA2048: RSA-OAEP, SHA-256 and MGF1-SHA-256, empty label.
 * OpenSSL 3 EVP / EVP_KDF / EVP_MAC only.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "verify_core.h"

static const char ecies_info[] = "MCUBoot_ECIES_v1";

int verify_enc_tlv_for(const struct keel_key *k, uint16_t tlv_type)
{
	switch (k->type) {
	case KEEL_KT_ECDSA_P256:
		return tlv_type == KEEL_TLV_ENC_EC256;
	case KEEL_KT_X25519:
		return tlv_type == KEEL_TLV_ENC_X25519 || tlv_type == KEEL_TLV_ENC_X25519_SHA512;
	case KEEL_KT_RSA2048:
		return tlv_type == KEEL_TLV_ENC_RSA2048;
	default:
		return 0;
	}
}

int verify_aes_ctr(const uint8_t *key, size_t keylen, uint8_t *buf, size_t len)
{
	static const uint8_t iv[16];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *alg = keylen == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr();
	int ok, n = 0, fin = 0;

	if (len > 0x7fffffff)
		return -1;
	ok = c && EVP_EncryptInit_ex(c, alg, NULL, key, iv) == 1 &&
	     EVP_EncryptUpdate(c, buf, &n, buf, (int)len) == 1 &&
	     EVP_EncryptFinal_ex(c, buf + n, &fin) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* Builds a P-256 public key from an uncompressed point. */
static EVP_PKEY *p256_point(const uint8_t *pt, size_t len)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pk = NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pt, len),
		OSSL_PARAM_END,
	};

	if (!c || EVP_PKEY_fromdata_init(c) != 1 ||
	    EVP_PKEY_fromdata(c, &pk, EVP_PKEY_PUBLIC_KEY, p) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(c);
	return pk;
}

static int ecdh(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	int ok = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
		 EVP_PKEY_derive(c, out, outlen) == 1;

	EVP_PKEY_CTX_free(c);
	return ok ? 0 : -1;
}

static int hkdf(const char *md, const uint8_t *ikm, size_t ikmlen, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *c = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_INFO, (void *)ecies_info,
					sizeof(ecies_info) - 1),
		OSSL_PARAM_END,
	};
	int ok = c && EVP_KDF_derive(c, out, outlen, p) == 1;

	EVP_KDF_CTX_free(c);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

/* ECIES unwrap shared by P-256 and X25519 (see the top of the file). */
static int ecies_unwrap(const struct keel_key *k, uint16_t type, const uint8_t *tlv,
			size_t tlv_len, uint8_t *aes_key, size_t keylen, enum keel_reason *reason)
{
	int p256 = type == KEEL_TLV_ENC_EC256, sha512 = type == KEEL_TLV_ENC_X25519_SHA512;
	size_t eph = p256 ? 65 : 32, tag = sha512 ? 64 : 32, shared_len = 32;
	uint8_t shared[32], okm[32 + 64], mac[64];
	EVP_PKEY *peer;
	int rc = -1;

	*reason = KEEL_R_ENC_UNWRAP_FAILED;
	if (tlv_len != eph + tag + keylen) {
		keel_seterr("%s TLV is %zu bytes, expected %zu for a %zu-bit AES key",
			    keel_tlv_name(type), tlv_len, eph + tag + keylen, keylen * 8);
		return -1;
	}
	peer = p256 ? p256_point(tlv, eph)
		    : EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, tlv, eph);
	if (!peer || ecdh(k->pkey, peer, shared, &shared_len) || shared_len != 32 ||
	    hkdf(sha512 ? "SHA512" : "SHA256", shared, 32, okm, keylen + tag) ||
	    !EVP_Q_mac(NULL, "HMAC", NULL, sha512 ? "SHA512" : "SHA256", NULL, okm + keylen, tag,
		       tlv + eph + tag, keylen, mac, sizeof(mac), NULL)) {
		keel_seterr("%s: key agreement with the image's ephemeral key failed",
			    keel_tlv_name(type));
		goto out;
	}
	if (CRYPTO_memcmp(mac, tlv + eph, tag)) {
		keel_seterr("%s: MAC tag does not verify (wrong encryption key or tampered TLV)",
			    keel_tlv_name(type));
		goto out;
	}
	memcpy(aes_key, tlv + eph + tag, keylen);
	if (verify_aes_ctr(okm, keylen, aes_key, keylen)) {
		keel_seterr("AES-CTR failed in OpenSSL");
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_free(peer);
	OPENSSL_cleanse(shared, sizeof(shared));
	OPENSSL_cleanse(okm, sizeof(okm));
	ERR_clear_error();
	return rc;
}

static int rsa_unwrap(const struct keel_key *k, const uint8_t *tlv, size_t tlv_len,
		      uint8_t *aes_key, size_t keylen, enum keel_reason *reason)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
	uint8_t out[512];
	size_t outlen = sizeof(out);
	int ok;

	*reason = KEEL_R_ENC_UNWRAP_FAILED;
	ok = c && EVP_PKEY_decrypt_init(c) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) == 1 &&
	     EVP_PKEY_decrypt(c, out, &outlen, tlv, tlv_len) == 1;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	if (!ok) {
		keel_seterr("ENCRSA2048: RSA-OAEP decryption failed (wrong encryption key or "
			    "tampered TLV)");
		return -1;
	}
	if (outlen != keylen) {
		OPENSSL_cleanse(out, sizeof(out));
		keel_seterr("ENCRSA2048: unwrapped key is %zu bytes, the header flags say %zu",
			    outlen, keylen);
		return -1;
	}
	memcpy(aes_key, out, keylen);
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

int verify_enc_unwrap(const struct keel_key *k, uint16_t type, const uint8_t *tlv,
		      size_t tlv_len, uint8_t *aes_key, size_t keylen, enum keel_reason *reason)
{
	if (!k->has_private) {
		*reason = KEEL_R_ENC_UNWRAP_FAILED;
		keel_seterr("the encryption key is a public key; decrypting needs the private key");
		return -1;
	}
	if (!verify_enc_tlv_for(k, type)) {
		*reason = KEEL_R_ENC_ALG_UNSUPPORTED;
		keel_seterr("a %s key cannot unwrap a %s TLV", keel_keytype_name(k->type),
			    keel_tlv_name(type));
		return -1;
	}
	if (type == KEEL_TLV_ENC_RSA2048)
		return rsa_unwrap(k, tlv, tlv_len, aes_key, keylen, reason);
	return ecies_unwrap(k, type, tlv, tlv_len, aes_key, keylen, reason);
}
