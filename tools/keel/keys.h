/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key handling for the `keel` tool, on OpenSSL 3 (EVP / OSSL_PARAM only).
 *
 * The public-key bytes that matter to MCUboot are "imgtool getpub" bytes
 * (keel_key_pub_der): SubjectPublicKeyInfo DER for ECDSA, Ed25519 and
 * X25519, PKCS#1 RSAPublicKey DER for RSA. keel-boot embeds exactly these
 * and the KEYHASH TLV is their hash.
 *
 * Every function returns 0 on success or -1 with keel_seterr() set to a
 * one-line message (see util.h).
 */
#ifndef KEEL_TOOL_KEYS_H
#define KEEL_TOOL_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "util.h"

enum keel_keytype {
	KEEL_KT_NONE = 0,
	KEEL_KT_ECDSA_P256,
	KEEL_KT_ECDSA_P384,
	KEEL_KT_ED25519,
	KEEL_KT_RSA2048,
	KEEL_KT_RSA3072,
	KEEL_KT_X25519,
};

enum keel_hashalg {
	KEEL_HASH_SHA256 = 256,
	KEEL_HASH_SHA384 = 384,
	KEEL_HASH_SHA512 = 512,
};

struct keel_key {
	EVP_PKEY *pkey;
	enum keel_keytype type;
	int has_private;
};

/* "ecdsa-p256", ... as keygen -t spells them; "unknown" for NONE. */
const char *keel_keytype_name(enum keel_keytype t);
/* Parses a keygen -t name. */
int keel_keytype_parse(const char *name, enum keel_keytype *t);
/* imgtool's C identifier prefix: rsa, ecdsa, ecdsap384, ed25519, x25519. */
const char *keel_keytype_shortname(enum keel_keytype t);
/* Signature TLV type for a signing key (0x20/0x22/0x23/0x24), 0 for x25519. */
uint16_t keel_keytype_sig_tlv(enum keel_keytype t);

/* Digest length in bytes (32/48/64), the image hash TLV type, and EVP_MD. */
size_t keel_hash_len(enum keel_hashalg h);
uint16_t keel_hash_tlv(enum keel_hashalg h);
const EVP_MD *keel_hash_md(enum keel_hashalg h);
const char *keel_hash_name(enum keel_hashalg h); /* "SHA256" ... */
/* out must hold 64 bytes; returns the digest length or -1. */
int keel_hash(enum keel_hashalg h, const void *data, size_t len, uint8_t *out);

/*
 * Loads a private or public key, PEM or DER (PKCS#8, SPKI, or the
 * traditional SEC1 / PKCS#1 forms). password may be NULL; an encrypted key
 * without a password fails with a message saying so. Unsupported curves
 * or RSA sizes fail with the type named.
 */
int keel_key_load(struct keel_key *k, const char *path, const char *password);
int keel_key_load_mem(struct keel_key *k, const uint8_t *data, size_t len,
		      const char *password, const char *what);
/* Generates a fresh key of type t. */
int keel_key_generate(struct keel_key *k, enum keel_keytype t);
void keel_key_free(struct keel_key *k);

/* Fails with "<path>: <type> key cannot sign" (x25519) etc. */
int keel_key_require_private(const struct keel_key *k, const char *what);

/* imgtool getpub bytes (see top). Appends to out. */
int keel_key_pub_der(const struct keel_key *k, struct kbuf *out);
/* SubjectPublicKeyInfo DER for every type (getpub -e pem uses its PEM). */
int keel_key_pub_spki(const struct keel_key *k, struct kbuf *out);
int keel_key_pub_pem(const struct keel_key *k, struct kbuf *out);
/*
 * Raw public key: EC uncompressed point 04||X||Y, Ed25519/X25519 the 32
 * bytes, RSA the big-endian modulus.
 */
int keel_key_pub_raw(const struct keel_key *k, struct kbuf *out);
/* Hash of keel_key_pub_der bytes; out holds 64; returns length or -1. */
int keel_key_pub_hash(const struct keel_key *k, enum keel_hashalg h, uint8_t *out);

/*
 * Private key DER for getpriv: PKCS#8 PrivateKeyInfo, or with traditional
 * the SEC1 ECPrivateKey / PKCS#1 RSAPrivateKey. minimal drops an EC key's
 * optional public key, as imgtool getpriv --minimal.
 */
int keel_key_priv_der(const struct keel_key *k, int traditional, int minimal, struct kbuf *out);
/* PKCS#8 PEM, encrypted with AES-256-CBC when password is non-NULL. */
int keel_key_priv_pem(const struct keel_key *k, const char *password, struct kbuf *out);

/*
 * MCUboot's signature over msg (appends to sig):
 *  - ECDSA: msg is the prehashed digest (32 or 48 bytes), DER output;
 *  - RSA: msg is the SHA-256 digest, RSA-PSS SHA-256/MGF1-SHA-256 salt 32;
 *  - Ed25519: PureEdDSA with msg as the message (a digest or, for pure
 *    images, the whole hashed region).
 */
int keel_key_sign(const struct keel_key *k, const uint8_t *msg, size_t len, struct kbuf *sig);
/*
 * The matching check: 0 valid, -1 otherwise (message says why). ECDSA
 * signatures may carry zero padding after the DER (imgtool --pad-sig);
 * keel_key_verify strips it by parsing the DER length.
 */
int keel_key_verify(const struct keel_key *k, const uint8_t *msg, size_t len,
		    const uint8_t *sig, size_t siglen);

/* Length of the DER SEQUENCE at the start of sig, or 0 if malformed. */
size_t keel_der_sig_len(const uint8_t *sig, size_t len);

#endif
