/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constant-time checks for the symmetric primitives, run under valgrind
 * (tests/crypto/ctgrind.h): every secret is marked undefined, so a branch
 * or memory index that depends on it fails the run.
 */
#include <stdio.h>
#include <string.h>

#include "ctgrind.h"
#include "keel/crypto.h"

static void check_ct_compare(void)
{
	uint8_t a[64], b[64];
	int r;

	for (int i = 0; i < 64; i++)
		a[i] = b[i] = (uint8_t)(i * 7);
	b[63] ^= 1;
	CT_SECRET(a, sizeof(a));
	CT_SECRET(b, sizeof(b));
	r = keel_ct_compare(a, b, sizeof(a));
	CT_PUBLIC(&r, sizeof(r));
	if (r == 0) {
		fprintf(stderr, "FAIL keel_ct_compare: different buffers compare equal\n");
		exit(1);
	}
	printf("keel_ct_compare: 64 secret bytes, no secret-dependent branch or index\n");
}

static void expect(const char *what, const uint8_t *got, const uint8_t *want, size_t n)
{
	CT_PUBLIC(got, n);
	if (memcmp(got, want, n) != 0) {
		fprintf(stderr, "FAIL %s: wrong output\n", what);
		exit(1);
	}
}

/* Key schedule and rounds with a secret key, and CTR over secret data. */
static void check_aes(void)
{
	static const uint8_t pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t c128[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
					  0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	static const uint8_t c256[16] = { 0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
					  0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89 };
	uint8_t key[32], ct[16], iv[16] = { 0 }, data[100], back[100];
	struct keel_aes aes;

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (size_t keylen = 16; keylen <= 32; keylen += 16) {
		CT_SECRET(key, sizeof(key));
		if (keel_aes_init(&aes, key, keylen) != 0) {
			fprintf(stderr, "FAIL keel_aes_init\n");
			exit(1);
		}
		keel_aes_encrypt_block(&aes, pt, ct);
		expect(keylen == 16 ? "AES-128 block" : "AES-256 block", ct,
		       keylen == 16 ? c128 : c256, 16);
		for (int i = 0; i < 100; i++)
			data[i] = (uint8_t)(i * 13);
		CT_SECRET(data, sizeof(data));
		keel_aes_ctr(&aes, iv, 5, data, back, sizeof(back));
		keel_aes_ctr(&aes, iv, 5, back, back, sizeof(back));
		CT_PUBLIC(data, sizeof(data));
		expect("AES-CTR round trip", back, data, sizeof(back));
		keel_aes_wipe(&aes);
		CT_PUBLIC(key, sizeof(key));
	}
	printf("AES-128/256 key schedule, rounds and CTR: secret key and data, no leak\n");
}

/* HMAC and HKDF with secret keys and secret input keying material. */
static void check_hmac_hkdf(void)
{
	static const char tc6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const uint8_t want6[32] = {
		0x60, 0xe4, 0x31, 0x59, 0x1e, 0xe0, 0xb6, 0x7f, 0x0d, 0x8a, 0x26, 0xaa, 0xcb, 0xf5, 0xb7, 0x7f,
		0x8e, 0x0b, 0xc6, 0x21, 0x37, 0x28, 0xc5, 0x14, 0x05, 0x46, 0x04, 0x0f, 0x0e, 0xe3, 0x7f, 0x54,
	};
	static const uint8_t a3[42] = {
		0x8d, 0xa4, 0xe7, 0x75, 0xa5, 0x63, 0xc1, 0x8f, 0x71, 0x5f, 0x80, 0x2a, 0x06, 0x3c,
		0x5a, 0x31, 0xb8, 0xa1, 0x1f, 0x5c, 0x5e, 0xe1, 0x87, 0x9e, 0xc3, 0x45, 0x4e, 0x5f,
		0x3c, 0x73, 0x8d, 0x2d, 0x9d, 0x20, 0x13, 0x95, 0xfa, 0xa4, 0xb6, 0x1a, 0x96, 0xc8,
	};
	uint8_t key[131], mac[64], ikm[22], okm[42], salt[40];
	struct keel_hmac h;

	memset(key, 0xaa, sizeof(key));
	CT_SECRET(key, sizeof(key));
	keel_hmac_init(&h, KEEL_HASH_SHA256, key, sizeof(key));
	keel_hmac_update(&h, tc6, strlen(tc6));
	keel_hmac_final(&h, mac);
	expect("HMAC-SHA256 long secret key", mac, want6, 32);
	CT_SECRET(key, 20);
	keel_hmac_init(&h, KEEL_HASH_SHA512, key, 20);
	keel_hmac_update(&h, key + 20, 100);   /* secret message too */
	keel_hmac_final(&h, mac);
	CT_PUBLIC(mac, 64);

	memset(ikm, 0x0b, sizeof(ikm));
	CT_SECRET(ikm, sizeof(ikm));
	if (keel_hkdf(KEEL_HASH_SHA256, NULL, 0, ikm, sizeof(ikm), NULL, 0, okm, sizeof(okm)) != 0) {
		fprintf(stderr, "FAIL keel_hkdf\n");
		exit(1);
	}
	expect("HKDF-SHA256 secret IKM", okm, a3, sizeof(a3));
	memset(salt, 0x5c, sizeof(salt));
	CT_SECRET(salt, sizeof(salt));
	CT_SECRET(ikm, sizeof(ikm));
	keel_hkdf(KEEL_HASH_SHA512, salt, sizeof(salt), ikm, sizeof(ikm), (const uint8_t *)"i", 1,
		  okm, sizeof(okm));
	CT_PUBLIC(okm, sizeof(okm));
	printf("HMAC-SHA256/512 and HKDF-SHA256/512: secret key, IKM and salt, no leak\n");
}

int main(int argc, char **argv)
{
	if (ct_canary_main(argc, argv))
		return 0;
	ct_require_valgrind("test_sym_ct");
	check_ct_compare();
	check_aes();
	check_hmac_hkdf();
	return 0;
}
