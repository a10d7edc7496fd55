/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image encryption for `keel sign -E`, MCUboot's constructions:
 *  - payload: AES-128/256-CTR, counter block = 16-byte big-endian block
 *    index starting at zero;
 *  - key transport: ECIES-P256 (TLV 0x32), ECIES-X25519 (0x33),
 *    ECIES-X25519 with HKDF/HMAC-SHA-512 (0x34), RSA-OAEP-2048 (0x30).
 *
 * ECIES: an ephemeral key pair, shared secret = ECDH (P-256 x coordinate
 * or X25519 output), HKDF(hash, IKM = secret, no salt,
 * info = "MCUBoot_ECIES_v1", L = keylen + maclen); the first keylen bytes
 * encrypt the image key with AES-CTR (zero counter), the rest is the HMAC
 * key; TLV value = ephemeral public key || HMAC(ciphered key) || ciphered key.
 */
#ifndef KEEL_TOOL_ENC_H
#define KEEL_TOOL_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "util.h"

/* Fills buf with n random bytes from OpenSSL's DRBG. */
int keel_random(uint8_t *buf, size_t n);

/* AES-CTR in place, key 16 or 32 bytes, counter from zero. */
int keel_aes_ctr(const uint8_t *key, size_t keylen, uint8_t *data, size_t len);

/*
 * Wraps the image key for the device key encpub and appends the ENC TLV
 * value to out; *tlv_type receives its type. hmac_sha is 256 or 512
 * (512 only for x25519).
 */
int keel_wrap_key(const struct keel_key *encpub, int hmac_sha, const uint8_t *key,
		  size_t keylen, struct kbuf *out, uint16_t *tlv_type);

#endif
