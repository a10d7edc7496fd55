/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks behind `keel verify`, as a library call so tests can run
 * them on thousands of mutated images without spawning the tool.
 *
 * Order of checks (the first failure is reported):
 *   1. structure: header and both TLV info headers (core/image.c), then a
 *      walk over every TLV entry (bounds);
 *   2. encryption: with an encryption key, the AES key is unwrapped from
 *      the ENC_* TLV and the payload decrypted in a copy; without one the
 *      hash cannot be checked (the hash is over the plaintext) unless the
 *      payload turns out to be stored in clear (--clear images);
 *   3. the image hash TLV against the hash of header + payload +
 *      protected TLVs;
 *   4. KEYHASH (or PUBKEY) against the given key;
 *   5. the signature that follows the matching key TLV;
 *   6. the protected TLVs keel-boot interprets (SEC_CNT, DEPENDENCY) are
 *      well formed.
 */
#ifndef KEEL_TOOL_VERIFY_CORE_H
#define KEEL_TOOL_VERIFY_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "keel/image.h"
#include "keys.h"

struct verify_opts {
	const struct keel_key *key;      /* signing key, private or public */
	const struct keel_key *enc_key;  /* device decryption key, or NULL */
	int want_sha;                    /* 0 = what the image carries, or 256/384/512 */
};

struct verify_result {
	enum keel_reason reason;         /* KEEL_R_OK when every check ran and passed */
	char msg[256];                   /* one line: what failed, what was checked, or skipped */
	struct keel_image_layout lay;
	uint16_t hash_tlv;               /* 0x10/0x11/0x12, 0 if none found */
	size_t hash_len;
	uint8_t digest[64];              /* computed over the (plaintext) image */
	int encrypted;                   /* payload carries an AES flag */
	uint16_t enc_tlv;                /* ENC_* TLV type used or found */
	int clear_payload;               /* flagged encrypted, payload hashed in clear */
	int pure;                        /* SIG_PURE: signature over the image */
	int hash_checked;
	int key_checked;
	int sig_checked;
	uint16_t key_tlv;                /* KEYHASH or PUBKEY */
	uint16_t sig_tlv;
};

/*
 * Runs the checks on img[0..len) (the file, possibly padded to a slot).
 * Returns 0 when the image is fully validated, 1 when everything that can
 * be checked passed but the hash could not be (encrypted, no enc_key; see
 * res->msg), -1 on failure with res->reason and res->msg set.
 */
int verify_image(const uint8_t *img, size_t len, const struct verify_opts *o,
		 struct verify_result *res);

/*
 * Unwraps the AES key of an encrypted image with the device key (verify_enc.c).
 * aes_key receives keylen (16 or 32) bytes. 0, or -1 with keel_seterr set and
 * *reason = KEEL_R_ENC_UNWRAP_FAILED / ENC_NO_KEY / ENC_ALG_UNSUPPORTED.
 */
int verify_enc_unwrap(const struct keel_key *enc_key, uint16_t tlv_type, const uint8_t *tlv,
		      size_t tlv_len, uint8_t *aes_key, size_t keylen, enum keel_reason *reason);
/* The ENC_* TLV type an encryption key of this type reads, 0 if none. */
int verify_enc_tlv_for(const struct keel_key *enc_key, uint16_t tlv_type);
/* AES-CTR with a zero initial counter block, in place. 0 or -1. */
int verify_aes_ctr(const uint8_t *key, size_t keylen, uint8_t *buf, size_t len);

#endif
