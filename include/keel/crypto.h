/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keel's firmware crypto: the verify-side primitives keel-boot needs, and
 * nothing else. Freestanding C: no allocator, no libc beyond memcpy/memset/
 * memcmp, every buffer owned by the caller, bounded stack (docs/crypto.md).
 *
 * Verdicts: a verify function returns 0 only when the signature is valid
 * under the policy in docs/crypto.md; KEEL_EACCES when it is not (including
 * any malformed input: bad DER, point not on curve, s >= n, ...); KEEL_EINVAL
 * only for contract violations by the caller (NULL, impossible lengths).
 * Callers must test "== 0", never "!= KEEL_EACCES".
 *
 * Each algorithm lives in its own file(s) under crypto/ and is linked only
 * where a build selects it.
 */
#ifndef KEEL_CRYPTO_H
#define KEEL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- hashes */

#define KEEL_SHA256_LEN 32
#define KEEL_SHA512_LEN 64

struct keel_sha256 {
	uint32_t state[8];
	uint64_t total;      /* bytes absorbed so far */
	uint8_t block[64];
	uint32_t fill;       /* bytes pending in block[] */
};

struct keel_sha512 {
	uint64_t state[8];
	uint64_t total;      /* messages are < 2^61 bytes on every target */
	uint8_t block[128];
	uint32_t fill;
};

void keel_sha256_init(struct keel_sha256 *ctx);
void keel_sha256_update(struct keel_sha256 *ctx, const void *data, size_t len);
void keel_sha256_final(struct keel_sha256 *ctx, uint8_t out[KEEL_SHA256_LEN]);
void keel_sha256(const void *data, size_t len, uint8_t out[KEEL_SHA256_LEN]);

void keel_sha512_init(struct keel_sha512 *ctx);
void keel_sha512_update(struct keel_sha512 *ctx, const void *data, size_t len);
void keel_sha512_final(struct keel_sha512 *ctx, uint8_t out[KEEL_SHA512_LEN]);
void keel_sha512(const void *data, size_t len, uint8_t out[KEEL_SHA512_LEN]);

/*
 * A hash chosen at run time, for code that handles both image hash types
 * (TLV 0x10 SHA-256 and 0x12 SHA-512) through one path.
 */
enum keel_hash_alg { KEEL_HASH_SHA256 = 1, KEEL_HASH_SHA512 = 2 };

struct keel_hash {
	enum keel_hash_alg alg;
	union {
		struct keel_sha256 sha256;
		struct keel_sha512 sha512;
	} u;
};

/* Returns KEEL_ENOTSUP for an algorithm not linked in. */
int keel_hash_init(struct keel_hash *ctx, enum keel_hash_alg alg);
void keel_hash_update(struct keel_hash *ctx, const void *data, size_t len);
/* Writes keel_hash_len(alg) bytes. */
void keel_hash_final(struct keel_hash *ctx, uint8_t *out);
size_t keel_hash_len(enum keel_hash_alg alg);

/* ------------------------------------------------------ HMAC and HKDF */

struct keel_hmac {
	struct keel_hash inner;
	struct keel_hash outer;
};

/* Keys longer than the block size are hashed first (RFC 2104). */
int keel_hmac_init(struct keel_hmac *ctx, enum keel_hash_alg alg,
		   const uint8_t *key, size_t key_len);
void keel_hmac_update(struct keel_hmac *ctx, const void *data, size_t len);
/* Writes keel_hash_len(alg) bytes and wipes the context. */
void keel_hmac_final(struct keel_hmac *ctx, uint8_t *mac);

/*
 * RFC 5869 extract-and-expand. salt NULL/0 means HashLen zero bytes.
 * KEEL_EINVAL if out_len > 255 * HashLen.
 */
int keel_hkdf(enum keel_hash_alg alg, const uint8_t *salt, size_t salt_len,
	      const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
	      size_t info_len, uint8_t *out, size_t out_len);

/* ------------------------------------------------------------------ AES */

struct keel_aes {
	uint32_t round_keys[60];
	uint32_t rounds;      /* 10 or 14 */
};

/* key_len 16 or 32; KEEL_EINVAL otherwise. Constant time in the key. */
int keel_aes_init(struct keel_aes *ctx, const uint8_t *key, size_t key_len);
void keel_aes_encrypt_block(const struct keel_aes *ctx, const uint8_t in[16],
			    uint8_t out[16]);
/*
 * CTR mode with a 128-bit big-endian counter block: the keystream byte for
 * stream offset `off` comes from block (iv + off / 16). MCUboot's payload
 * encryption is iv = 0 and off = the byte offset in the payload, which lets
 * a swap decrypt any sector on its own. in == out is allowed.
 */
void keel_aes_ctr(const struct keel_aes *ctx, const uint8_t iv[16], uint64_t off,
		  const uint8_t *in, uint8_t *out, size_t len);
void keel_aes_wipe(struct keel_aes *ctx);

/* --------------------------------------------------- constant-time utils */

/* 0 iff equal; time depends on len only. */
int keel_ct_compare(const void *a, const void *b, size_t len);
/* A memset the compiler may not elide. */
void keel_wipe(void *p, size_t len);

/* ---------------------------------------------------------- signatures */

enum keel_ecdsa_sig_format {
	KEEL_ECDSA_DER = 1,  /* SEQUENCE{INTEGER r, INTEGER s}, strict DER, nothing after it */
	KEEL_ECDSA_RAW = 2,  /* r || s, 32 bytes each, big endian */
};

/*
 * ECDSA P-256 over a message digest. pub is the uncompressed point
 * 04 || X || Y (65 bytes). The digest is truncated to 256 bits if longer.
 * Trailing zero padding after a DER signature is the image layer's business
 * (see keel_ecdsa_der_strip_padding), not this primitive's.
 */
int keel_ecdsa_p256_verify(const uint8_t pub[65], const uint8_t *digest,
			   size_t digest_len, const uint8_t *sig, size_t sig_len,
			   enum keel_ecdsa_sig_format format);

/*
 * Length of the DER SEQUENCE at the start of sig if every byte after it is
 * zero (imgtool --pad-sig / old MCUboot padding); sig_len if there is no
 * valid outer header; 0 if nonzero bytes follow the SEQUENCE.
 */
size_t keel_ecdsa_der_strip_padding(const uint8_t *sig, size_t sig_len);

/*
 * Ed25519 (RFC 8032 PureEdDSA) with libsodium 1.0.18's strict verdicts:
 * S < L, A and R canonical and not of small order, cofactorless equation.
 */
int keel_ed25519_verify(const uint8_t pub[32], const uint8_t *msg,
			size_t msg_len, const uint8_t sig[64]);

/*
 * The same, with the message streamed in pieces (an image read from flash
 * in chunks, for --pure signatures). R and A are hashed first, so the
 * signature and key are needed up front.
 */
struct keel_ed25519_stream {
	struct keel_sha512 h;
	uint8_t pub[32];
	uint8_t sig[64];
};
void keel_ed25519_stream_init(struct keel_ed25519_stream *ctx,
			      const uint8_t pub[32], const uint8_t sig[64]);
void keel_ed25519_stream_update(struct keel_ed25519_stream *ctx,
				const void *msg, size_t len);
int keel_ed25519_stream_final(struct keel_ed25519_stream *ctx);

/*
 * RSASSA-PSS verify, SHA-256 + MGF1-SHA-256, e = 65537. n is the big-endian
 * modulus (256 or 384 bytes, top byte nonzero), sig exactly n_len bytes,
 * digest 32 bytes. salt_len is the exact salt length required (the boot
 * path pins 32; 0 is allowed for tests of the salt-0 vectors).
 */
int keel_rsa_pss_verify(const uint8_t *n, size_t n_len, const uint8_t *digest,
			size_t digest_len, const uint8_t *sig, size_t sig_len,
			size_t salt_len);

/* ----------------------------------------------------- key agreement */

/*
 * X25519 (RFC 7748). Rejects (KEEL_EACCES) an all-zero shared secret, i.e.
 * small-order peer points. Constant time in the scalar.
 */
int keel_x25519(uint8_t shared[32], const uint8_t scalar[32],
		const uint8_t peer[32]);

/*
 * P-256 ECDH: shared = x-coordinate of priv * peer. peer is the
 * uncompressed point (65 bytes); it is checked to lie on the curve
 * (KEEL_EACCES otherwise). Compressed peer points are not accepted
 * (docs/crypto.md says why). priv must be in [1, n-1].
 * Constant time in priv.
 */
int keel_p256_ecdh(uint8_t shared[32], const uint8_t priv[32],
		   const uint8_t peer[65]);

/* --------------------------------------------------------- key handles */

enum keel_key_type {
	KEEL_KEY_NONE = 0,
	KEEL_KEY_ECDSA_P256,
	KEEL_KEY_ECDSA_P384,   /* recognised, not verifiable in firmware */
	KEEL_KEY_ED25519,
	KEEL_KEY_RSA2048,
	KEEL_KEY_RSA3072,
};

/*
 * A public key as keel-boot embeds it: exactly the DER blob `keel getpub`
 * prints (SubjectPublicKeyInfo for EC and Ed25519, PKCS#1 RSAPublicKey for
 * RSA), because KEYHASH is the image hash of those bytes.
 */
struct keel_pubkey {
	enum keel_key_type type;
	const uint8_t *der;      /* the embedded blob, hashed for KEYHASH */
	size_t der_len;
	const uint8_t *raw;      /* points into der: 04||X||Y, A, or modulus */
	size_t raw_len;
};

/* Parses der into key (raw points into der). KEEL_EINVAL if unrecognised. */
int keel_pubkey_parse(struct keel_pubkey *key, const uint8_t *der, size_t der_len);

/* ------------------------------------------------ encrypted-image keys */

enum keel_enc_kind {
	KEEL_ENC_EC256 = 1,          /* TLV 0x32: ECIES-P256, HKDF/HMAC-SHA256 */
	KEEL_ENC_X25519 = 2,         /* TLV 0x33: ECIES-X25519, HKDF/HMAC-SHA256 */
	KEEL_ENC_X25519_SHA512 = 3,  /* TLV 0x34: ECIES-X25519, HKDF/HMAC-SHA512 */
};

/*
 * MCUboot's ECIES key unwrap: shared = ECDH(priv, ephemeral point in tlv);
 * HKDF(IKM=shared, no salt, info="MCUBoot_ECIES_v1", L=key_len + MacLen)
 * gives KEK || MAC key; the tag (HMAC over the wrapped key) is checked in
 * constant time before the wrapped key is decrypted with AES-CTR(KEK, 0).
 * priv: 32-byte scalar (P-256 big endian, X25519 as RFC 7748).
 * key_len 16 or 32; tlv_len must be exactly the size for kind and key_len.
 * Returns 0, KEEL_EACCES (bad point, zero secret, tag mismatch) or
 * KEEL_EINVAL (lengths).
 */
int keel_ecies_unwrap(enum keel_enc_kind kind, const uint8_t priv[32],
		      const uint8_t *tlv, size_t tlv_len, uint8_t *key,
		      size_t key_len);

#endif
