/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A keel_hash built without SHA-512 (hash_sha512_off.c): this binary links
 * hash/HMAC/HKDF without sha512.c at all, which proves nothing references
 * SHA-512 code, and checks that SHA-512 requests get KEEL_ENOTSUP while
 * SHA-256 still works.
 */
#include <stdio.h>
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		failures++;
		fprintf(stderr, "FAIL %s\n", what);
	}
}

int main(void)
{
	static const uint8_t abc256[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	struct keel_hash h;
	struct keel_hmac m;
	uint8_t d[64], key[20] = { 0 };

	check(keel_hash_len(KEEL_HASH_SHA512) == 0, "keel_hash_len(SHA512) is 0");
	check(keel_hash_init(&h, KEEL_HASH_SHA512) == KEEL_ENOTSUP, "keel_hash_init(SHA512) refused");
	check(keel_hmac_init(&m, KEEL_HASH_SHA512, key, sizeof(key)) == KEEL_ENOTSUP,
	      "keel_hmac_init(SHA512) refused");
	check(keel_hkdf(KEEL_HASH_SHA512, NULL, 0, key, sizeof(key), NULL, 0, d, 32) == KEEL_ENOTSUP,
	      "keel_hkdf(SHA512) refused");
	check(keel_hash_init(&h, KEEL_HASH_SHA256) == 0, "keel_hash_init(SHA256)");
	keel_hash_update(&h, "abc", 3);
	keel_hash_final(&h, d);
	check(memcmp(d, abc256, 32) == 0, "SHA-256(abc) through keel_hash");
	check(keel_hkdf(KEEL_HASH_SHA256, NULL, 0, key, sizeof(key), NULL, 0, d, 32) == 0,
	      "keel_hkdf(SHA256)");
	printf("test_sym_hash_off: %s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
