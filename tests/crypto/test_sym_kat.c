/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Known answers for the symmetric primitives: FIPS 180-4 examples (SHA-256,
 * SHA-512, incl. the two-block messages and one million 'a'), FIPS 197 appendix C (AES-128/256),
 * SP 800-38A F.5.1/F.5.5 (CTR, also at every stream offset), RFC 4231
 * cases 1 and 6 (HMAC, incl. a key longer than the block), RFC 5869 A.1
 * and A.3 (HKDF), and the API contract checks (bad lengths refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "keel/crypto.h"
#include "keel/err.h"

static int failures, checks;

static void expect_hex(const char *what, const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[256];
	long n = json_hex_decode(hex, want, sizeof(want));

	checks++;
	if (n != (long)len || memcmp(got, want, len) != 0) {
		failures++;
		fprintf(stderr, "FAIL %s:\n  got  ", what);
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "%02x", got[i]);
		fprintf(stderr, "\n  want %s\n", hex);
	}
}

static void expect_int(const char *what, int got, int want)
{
	checks++;
	if (got != want) {
		failures++;
		fprintf(stderr, "FAIL %s: got %d, want %d\n", what, got, want);
	}
}

static void hex(uint8_t *out, size_t cap, const char *h)
{
	if (json_hex_decode(h, out, cap) < 0) {
		fprintf(stderr, "bad hex constant %s\n", h);
		exit(2);
	}
}

static void kat_sha(void)
{
	uint8_t d[64];
	static uint8_t ma[1000000];
	struct keel_sha256 c256;
	struct keel_sha512 c512;

	keel_sha256("abc", 3, d);
	expect_hex("SHA-256(abc)", d, 32,
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	keel_sha256("", 0, d);
	expect_hex("SHA-256()", d, 32,
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* The two-block examples: the padding no longer fits after 56 / 112 bytes. */
	keel_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	expect_hex("SHA-256(448-bit message)", d, 32,
		   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	keel_sha512("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
		    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112, d);
	expect_hex("SHA-512(896-bit message)", d, 64,
		   "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		   "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
	keel_sha512("abc", 3, d);
	expect_hex("SHA-512(abc)", d, 64,
		   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	memset(ma, 'a', sizeof(ma));
	keel_sha256_init(&c256);
	keel_sha512_init(&c512);
	/* Chunks of 999 and then 1: every block straddles an update. */
	for (size_t off = 0; off < sizeof(ma); off += 1000) {
		keel_sha256_update(&c256, ma + off, 999);
		keel_sha256_update(&c256, ma + off + 999, 1);
		keel_sha512_update(&c512, ma + off, 999);
		keel_sha512_update(&c512, ma + off + 999, 1);
	}
	keel_sha256_final(&c256, d);
	expect_hex("SHA-256(10^6 a)", d, 32,
		   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	keel_sha512_final(&c512, d);
	expect_hex("SHA-512(10^6 a)", d, 64,
		   "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
		   "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

static void kat_aes_block(void)
{
	struct keel_aes aes;
	uint8_t key[32], pt[16], ct[16];

	hex(key, 32, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	hex(pt, 16, "00112233445566778899aabbccddeeff");
	expect_int("aes init 128", keel_aes_init(&aes, key, 16), 0);
	keel_aes_encrypt_block(&aes, pt, ct);
	expect_hex("FIPS 197 C.1 AES-128", ct, 16, "69c4e0d86a7b0430d8cdb78070b4c55a");
	expect_int("aes init 256", keel_aes_init(&aes, key, 32), 0);
	keel_aes_encrypt_block(&aes, pt, ct);
	expect_hex("FIPS 197 C.3 AES-256", ct, 16, "8ea2b7ca516745bfeafc49904b496089");
	keel_aes_encrypt_block(&aes, ct, ct);   /* in == out */
	expect_int("aes init 24 refused", keel_aes_init(&aes, key, 24), KEEL_EINVAL);
	expect_int("aes init 0 refused", keel_aes_init(&aes, key, 0), KEEL_EINVAL);
	keel_aes_wipe(&aes);
}

static const char ctr_pt[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			     "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

static void kat_ctr_one(const char *name, const char *key_hex, size_t key_len, const char *ct_hex)
{
	struct keel_aes aes;
	uint8_t key[32], iv[16], pt[64], ct[64], buf[64];
	char what[96];

	hex(key, key_len, key_hex);
	hex(iv, 16, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	hex(pt, 64, ctr_pt);
	hex(ct, 64, ct_hex);
	keel_aes_init(&aes, key, key_len);
	keel_aes_ctr(&aes, iv, 0, pt, buf, 64);
	snprintf(what, sizeof(what), "%s, whole", name);
	expect_hex(what, buf, 64, ct_hex);
	/* Any piece decrypted on its own from its stream offset, in place. */
	for (size_t off = 0; off < 64; off++)
		for (size_t len = 0; off + len <= 64; len += 7) {
			memcpy(buf, ct + off, len);
			keel_aes_ctr(&aes, iv, off, buf, buf, len);
			checks++;
			if (memcmp(buf, pt + off, len) != 0) {
				failures++;
				fprintf(stderr, "FAIL %s: offset %zu length %zu\n", name, off, len);
			}
		}
}

static void kat_ctr(void)
{
	kat_ctr_one("SP 800-38A F.5.1 CTR-AES128", "2b7e151628aed2a6abf7158809cf4f3c", 16,
		    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
		    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
	kat_ctr_one("SP 800-38A F.5.5 CTR-AES256",
		    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 32,
		    "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
		    "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
}

static void kat_hmac(void)
{
	static const char tc6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	uint8_t key[131], mac[64];
	struct keel_hmac h;

	memset(key, 0x0b, 20);
	keel_hmac_init(&h, KEEL_HASH_SHA256, key, 20);
	keel_hmac_update(&h, "Hi There", 8);
	keel_hmac_final(&h, mac);
	expect_hex("RFC 4231 1 HMAC-SHA256", mac, 32,
		   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	keel_hmac_init(&h, KEEL_HASH_SHA512, key, 20);
	keel_hmac_update(&h, "Hi There", 8);
	keel_hmac_final(&h, mac);
	expect_hex("RFC 4231 1 HMAC-SHA512", mac, 64,
		   "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		   "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
	memset(key, 0xaa, sizeof(key));
	keel_hmac_init(&h, KEEL_HASH_SHA256, key, 131);
	keel_hmac_update(&h, tc6, strlen(tc6));
	keel_hmac_final(&h, mac);
	expect_hex("RFC 4231 6 HMAC-SHA256", mac, 32,
		   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	keel_hmac_init(&h, KEEL_HASH_SHA512, key, 131);
	keel_hmac_update(&h, tc6, strlen(tc6));
	keel_hmac_final(&h, mac);
	expect_hex("RFC 4231 6 HMAC-SHA512", mac, 64,
		   "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		   "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
	expect_int("hmac unknown alg", keel_hmac_init(&h, (enum keel_hash_alg)7, key, 4),
		   KEEL_ENOTSUP);
}

static void kat_hkdf(void)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], big[255 * 64 + 1];

	memset(ikm, 0x0b, sizeof(ikm));
	hex(salt, 13, "000102030405060708090a0b0c");
	hex(info, 10, "f0f1f2f3f4f5f6f7f8f9");
	expect_int("hkdf A.1", keel_hkdf(KEEL_HASH_SHA256, salt, 13, ikm, 22, info, 10, okm, 42), 0);
	expect_hex("RFC 5869 A.1", okm, 42,
		   "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
	expect_int("hkdf A.3", keel_hkdf(KEEL_HASH_SHA256, NULL, 0, ikm, 22, NULL, 0, okm, 42), 0);
	expect_hex("RFC 5869 A.3", okm, 42,
		   "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
	expect_int("hkdf 255*32 ok", keel_hkdf(KEEL_HASH_SHA256, NULL, 0, ikm, 22, NULL, 0, big,
					       255 * 32), 0);
	expect_int("hkdf 255*32+1 refused", keel_hkdf(KEEL_HASH_SHA256, NULL, 0, ikm, 22, NULL, 0,
						      big, 255 * 32 + 1), KEEL_EINVAL);
	expect_int("hkdf 255*64+1 refused", keel_hkdf(KEEL_HASH_SHA512, NULL, 0, ikm, 22, NULL, 0,
						      big, 255 * 64 + 1), KEEL_EINVAL);
	expect_int("hkdf unknown alg", keel_hkdf((enum keel_hash_alg)0, NULL, 0, ikm, 22, NULL, 0,
						 big, 16), KEEL_ENOTSUP);
}

static void hash_dispatch(void)
{
	struct keel_hash h;
	uint8_t d[64];

	expect_int("hash len 256", (int)keel_hash_len(KEEL_HASH_SHA256), 32);
	expect_int("hash len 512", (int)keel_hash_len(KEEL_HASH_SHA512), 64);
	expect_int("hash len bad", (int)keel_hash_len((enum keel_hash_alg)3), 0);
	expect_int("hash init bad", keel_hash_init(&h, (enum keel_hash_alg)3), KEEL_ENOTSUP);
	keel_hash_init(&h, KEEL_HASH_SHA512);
	keel_hash_update(&h, "ab", 2);
	keel_hash_update(&h, "c", 1);
	keel_hash_final(&h, d);
	expect_hex("keel_hash SHA-512(abc)", d, 64,
		   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

int main(void)
{
	kat_sha();
	hash_dispatch();
	kat_aes_block();
	kat_ctr();
	kat_hmac();
	kat_hkdf();
	printf("test_sym_kat: %d checks, %d failures\n", checks, failures);
	return failures != 0;
}
