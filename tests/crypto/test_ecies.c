/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel_ecies_unwrap against imgtool's encrypted images and an OpenSSL-built
 * wrap.
 *
 * 1. The three imgtool images in vectors/imgtool (ECIES-P256, ECIES-X25519,
 *    ECIES-X25519 with AES-256 and HMAC-SHA512): the device scalar is taken
 *    from the PEM with OpenSSL, the ENC TLV found with core/image.c, the key
 *    unwrapped, the payload decrypted with keel_aes_ctr (in random pieces at
 *    their stream offsets) and compared with app.bin. Then every single-bit
 *    flip of the TLV must be refused with KEEL_EACCES and a zeroed key,
 *    except flipping bit 255 of an X25519 u-coordinate, which RFC 7748 says
 *    to ignore (the unwrap must then still give the right key). Wrong
 *    lengths, kinds and device keys are refused.
 * 2. Random wraps built with OpenSSL (fresh device and ephemeral keys, EVP
 *    HKDF/HMAC/AES-CTR) for each kind and key length unwrap to the key, and
 *    one random mutation of each is refused.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>

#include "ctgrind.h"
#include "keel/crypto.h"
#include "keel/err.h"
#include "keel/image.h"
#include "oracle.h"

static void die(const char *what)
{
	fprintf(stderr, "test_ecies: %s\n", what);
	exit(2);
}

static uint8_t *read_file(const char *name, size_t *len)
{
	char path[1024];
	const char *shared = getenv("KEEL_SHARED");
	FILE *f;
	uint8_t *buf;
	long n;

	if (!shared)
		die("KEEL_SHARED is not set");
	snprintf(path, sizeof(path), "%s/vectors/imgtool/%s", shared, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "test_ecies: cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("short read");
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The device's private scalar: big-endian for P-256, raw RFC 7748 bytes for X25519. */
static void device_scalar(const char *pem_name, uint8_t out[32])
{
	size_t len;
	uint8_t *pem = read_file(pem_name, &len);
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *pk = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIGNUM *bn = NULL;
	size_t rl = 32;

	if (!pk)
		die("PEM_read_bio_PrivateKey failed");
	if (EVP_PKEY_is_a(pk, "X25519")) {
		if (!EVP_PKEY_get_raw_private_key(pk, out, &rl) || rl != 32)
			die("X25519 private key");
	} else if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_PRIV_KEY, &bn) ||
		   BN_bn2binpad(bn, out, 32) != 32) {
		die("EC private key");
	}
	BN_free(bn);
	EVP_PKEY_free(pk);
	BIO_free(bio);
	free(pem);
}

struct buf_src {
	const uint8_t *p;
	size_t n;
};

static int buf_read(void *ctx, uint32_t off, void *out, uint32_t len)
{
	const struct buf_src *b = ctx;

	if ((size_t)off + len > b->n)
		return KEEL_EIO;
	memcpy(out, b->p + off, len);
	return 0;
}

static int check_refused(const char *name, const char *what, int rc, const uint8_t *key, size_t kl)
{
	int zero = 1;

	for (size_t i = 0; i < kl; i++)
		zero &= key[i] == 0;
	if (rc != KEEL_EACCES || !zero) {
		oracle_fail(name, "%s: rc %d (want KEEL_EACCES), key %s", what, rc,
			    zero ? "zeroed" : "NOT zeroed");
		return 0;
	}
	return 1;
}

static void tamper_all(const char *name, enum keel_enc_kind kind, const uint8_t priv[32],
		       const uint8_t *tlv, size_t tl, const uint8_t *good, size_t kl)
{
	uint8_t *m = malloc(tl), key[32];
	size_t point_len = kind == KEEL_ENC_EC256 ? 65 : 32;

	for (size_t i = 0; i < oracle_mut_count(ORACLE_MUT_BIT, tl); i++) {
		char what[64];
		int rc;

		oracle_mutate(m, tlv, tl, ORACLE_MUT_BIT, i);
		memset(key, 0xa5, sizeof(key));
		rc = keel_ecies_unwrap(kind, priv, m, tl, key, kl);
		snprintf(what, sizeof(what), "bit %zu of the TLV flipped", i);
		/* RFC 7748 5: the top bit of a u-coordinate is ignored. */
		if (point_len == 32 && i == 255) {
			if (rc != 0 || memcmp(key, good, kl) != 0)
				oracle_fail(name, "%s: rc %d, want the same key", what, rc);
		} else {
			check_refused(name, what, rc, key, kl);
		}
		oracle_count("tampered TLVs refused", 1);
	}
	free(m);
}

static void image_case(const char *image, const char *pem, uint16_t tlv_type,
		       enum keel_enc_kind kind)
{
	size_t n, app_len, kl;
	uint8_t *img = read_file(image, &n), *app = read_file("app.bin", &app_len);
	struct buf_src bs = { img, n };
	struct keel_image_src src = { buf_read, &bs, (uint32_t)n };
	struct keel_image_layout lay;
	enum keel_reason why;
	struct keel_tlv_iter it;
	struct keel_tlv tlv;
	uint8_t priv[32], key[32], wrong[32], *plain;
	struct keel_aes aes;
	int rc;

	if (keel_image_parse(&src, &lay, &why) != 0) {
		oracle_fail(image, "keel_image_parse: %s", keel_reason_str(why));
		return;
	}
	keel_tlv_iter_init(&it, &src, &lay, tlv_type, 0);
	if (keel_tlv_next(&it, &tlv) != 1) {
		oracle_fail(image, "no ENC TLV 0x%02x", tlv_type);
		return;
	}
	kl = (lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	if (!(lay.hdr.flags & (KEEL_IMAGE_F_ENCRYPTED_AES128 | KEEL_IMAGE_F_ENCRYPTED_AES256)))
		oracle_fail(image, "header has no encryption flag");
	device_scalar(pem, priv);
	rc = keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len, key, kl);
	if (rc != 0) {
		oracle_fail(image, "keel_ecies_unwrap returned %d", rc);
		return;
	}
	if (lay.hdr.img_size != app_len)
		oracle_fail(image, "payload %u bytes, app.bin %zu", lay.hdr.img_size, app_len);
	plain = malloc(app_len);
	memcpy(plain, img + lay.hdr.hdr_size, app_len);
	keel_aes_init(&aes, key, kl);
	for (size_t pos = 0; pos < app_len;) {
		size_t c = oracle_chunk(app_len - pos) * 37;   /* pieces of 0..~600 bytes */
		if (c > app_len - pos)
			c = app_len - pos;
		keel_aes_ctr(&aes, (const uint8_t[16]){ 0 }, pos, plain + pos, plain + pos, c);
		pos += c;
	}
	if (memcmp(plain, app, app_len) != 0)
		oracle_fail(image, "decrypted payload differs from app.bin");
	else
		printf("%s: ENC TLV 0x%02x (%u bytes), AES-%zu key unwrapped, %zu payload bytes "
		       "decrypt to app.bin\n", image, tlv_type, tlv.len, kl * 8, app_len);
	oracle_count("imgtool images decrypted", 1);

	tamper_all(image, kind, priv, img + tlv.value_off, tlv.len, key, kl);
	memcpy(wrong, priv, 32);
	wrong[31] ^= 0x10;
	check_refused(image, "wrong device key", keel_ecies_unwrap(kind, wrong, img + tlv.value_off,
								   tlv.len, key, kl), key, kl);
	if (keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len - 1, key, kl) != KEEL_EINVAL ||
	    keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len, key, kl == 16 ? 32 : 16) !=
		    KEEL_EINVAL ||
	    keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len, key, 24) != KEEL_EINVAL ||
	    keel_ecies_unwrap((enum keel_enc_kind)9, priv, img + tlv.value_off, tlv.len, key, kl) !=
		    KEEL_EINVAL)
		oracle_fail(image, "a wrong length or kind was not refused with KEEL_EINVAL");
	keel_aes_wipe(&aes);
	free(plain);
	free(img);
	free(app);
}

/* ------------------------------------------------- OpenSSL-built wraps */

static EVP_PKEY *keygen(enum keel_enc_kind kind)
{
	EVP_PKEY *k = kind == KEEL_ENC_EC256 ? EVP_EC_gen("P-256")
					     : EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	if (!k)
		die("keygen");
	return k;
}

static void pub_bytes(EVP_PKEY *k, enum keel_enc_kind kind, uint8_t *out)
{
	size_t len = 0;

	if (kind == KEEL_ENC_EC256) {
		if (!EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, out, 65, &len) ||
		    len != 65 || out[0] != 4)
			die("EC public key");
	} else if (!EVP_PKEY_get_raw_public_key(k, out, &(size_t){ 32 })) {
		die("X25519 public key");
	}
}

static void priv_bytes(EVP_PKEY *k, enum keel_enc_kind kind, uint8_t out[32])
{
	BIGNUM *bn = NULL;

	if (kind != KEEL_ENC_EC256) {
		if (!EVP_PKEY_get_raw_private_key(k, out, &(size_t){ 32 }))
			die("X25519 private key");
		return;
	}
	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn) || BN_bn2binpad(bn, out, 32) != 32)
		die("EC private key");
	BN_free(bn);
}

/* The sender's side of MCUboot's ECIES, with OpenSSL only. Returns the TLV length. */
static size_t ossl_wrap(enum keel_enc_kind kind, EVP_PKEY *device, const uint8_t *aes_key,
			size_t kl, uint8_t *tlv)
{
	EVP_PKEY *eph = keygen(kind);
	EVP_PKEY_CTX *dc = EVP_PKEY_CTX_new(eph, NULL);
	const char *md = kind == KEEL_ENC_X25519_SHA512 ? "SHA512" : "SHA256";
	size_t pl = kind == KEEL_ENC_EC256 ? 65 : 32, ml = kind == KEEL_ENC_X25519_SHA512 ? 64 : 32;
	uint8_t shared[32], okm[96];
	size_t sl = sizeof(shared), tl;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();
	OSSL_PARAM p[4];
	int ol;

	if (!dc || EVP_PKEY_derive_init(dc) <= 0 || EVP_PKEY_derive_set_peer(dc, device) <= 0 ||
	    EVP_PKEY_derive(dc, shared, &sl) <= 0 || sl != 32)
		die("derive");
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared, 32);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, "MCUBoot_ECIES_v1", 16);
	p[3] = OSSL_PARAM_construct_end();
	if (!kc || EVP_KDF_derive(kc, okm, kl + ml, p) <= 0)
		die("HKDF");
	pub_bytes(eph, kind, tlv);
	if (!cc || !EVP_EncryptInit_ex(cc, kl == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr(), NULL,
				       okm, (const uint8_t[16]){ 0 }) ||
	    !EVP_EncryptUpdate(cc, tlv + pl + ml, &ol, aes_key, (int)kl))
		die("AES-CTR");
	if (!EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, okm + kl, ml, tlv + pl + ml, kl, tlv + pl, ml,
		       &tl) || tl != ml)
		die("HMAC");
	EVP_CIPHER_CTX_free(cc);
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_free(eph);
	return pl + ml + kl;
}

static void random_wraps(enum keel_enc_kind kind, const char *name, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		EVP_PKEY *dev = keygen(kind);
		uint8_t priv[32], aes_key[32], tlv[65 + 64 + 32], orig[65 + 64 + 32], key[32];
		size_t kl = (i & 1) ? 32 : 16, tl, pos;
		int rc;

		priv_bytes(dev, kind, priv);
		oracle_bytes(aes_key, kl);
		tl = ossl_wrap(kind, dev, aes_key, kl, tlv);
		rc = keel_ecies_unwrap(kind, priv, tlv, tl, key, kl);
		if (rc != 0 || memcmp(key, aes_key, kl) != 0)
			oracle_fail(name, "case %lu: rc %d or wrong key", i, rc);
		memcpy(orig, tlv, tl);
		pos = oracle_mutate_random(tlv, tl);
		memset(key, 0xa5, sizeof(key));
		rc = keel_ecies_unwrap(kind, priv, tlv, tl, key, kl);
		/* The only harmless change is bit 255 of an X25519 u-coordinate (RFC 7748 5). */
		if (kind != KEEL_ENC_EC256 && pos == 31 && (orig[31] ^ tlv[31]) == 0x80) {
			if (rc != 0 || memcmp(key, aes_key, kl) != 0)
				oracle_fail(name, "bit 255 of u flipped: rc %d or wrong key", rc);
		} else {
			check_refused(name, "random mutation", rc, key, kl);
		}
		oracle_count(name, 1);
		EVP_PKEY_free(dev);
	}
}

/*
 * An X25519 ephemeral key of small order makes the shared secret all zero,
 * which anyone can compute, so a TLV wrapped with that secret (valid tag)
 * must still be refused: keel_x25519's refusal has to reach the verdict.
 */
static void low_order_cases(void)
{
	static const char *const u[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	static const uint8_t zero[32];

	for (int sha512 = 0; sha512 < 2; sha512++)
		for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			enum keel_enc_kind kind = sha512 ? KEEL_ENC_X25519_SHA512 : KEEL_ENC_X25519;
			const char *md = sha512 ? "SHA512" : "SHA256";
			size_t ml = sha512 ? 64 : 32, tl;
			uint8_t tlv[32 + 64 + 16], okm[80], priv[32], key[16], aes_key[16];
			EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
			EVP_KDF_CTX *kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
			EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();
			OSSL_PARAM p[4];
			int ol;

			for (int k = 0; k < 32; k++)
				sscanf(u[i] + 2 * k, "%2hhx", &tlv[k]);
			oracle_bytes(priv, sizeof(priv));
			oracle_bytes(aes_key, sizeof(aes_key));
			p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md, 0);
			p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)zero, 32);
			p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
								 "MCUBoot_ECIES_v1", 16);
			p[3] = OSSL_PARAM_construct_end();
			if (!kc || EVP_KDF_derive(kc, okm, 16 + ml, p) <= 0 || !cc ||
			    !EVP_EncryptInit_ex(cc, EVP_aes_128_ctr(), NULL, okm,
						(const uint8_t[16]){ 0 }) ||
			    !EVP_EncryptUpdate(cc, tlv + 32 + ml, &ol, aes_key, 16) ||
			    !EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, okm + 16, ml, tlv + 32 + ml, 16,
				       tlv + 32, ml, &tl))
				die("low-order wrap");
			memset(key, 0xa5, sizeof(key));
			check_refused(sha512 ? "low-order X25519-SHA512" : "low-order X25519", u[i],
				      keel_ecies_unwrap(kind, priv, tlv, 32 + ml + 16, key, 16), key, 16);
			oracle_count("small-order ephemeral keys refused", 1);
			EVP_CIPHER_CTX_free(cc);
			EVP_KDF_CTX_free(kc);
			EVP_KDF_free(kdf);
		}
}

/*
 * --ct (under valgrind): the device scalar is secret; the unwrap may not
 * branch on or index by anything derived from it, for a good TLV and for
 * one with a bad tag (the verdict itself is released only as the result).
 */
static int ct_case(const char *image, const char *pem, uint16_t tlv_type, enum keel_enc_kind kind)
{
	size_t n, app_len, kl;
	uint8_t *img = read_file(image, &n), *app = read_file("app.bin", &app_len);
	struct buf_src bs = { img, n };
	struct keel_image_src src = { buf_read, &bs, (uint32_t)n };
	struct keel_image_layout lay;
	enum keel_reason why;
	struct keel_tlv_iter it;
	struct keel_tlv tlv;
	uint8_t priv[32], key[32], block[16];
	struct keel_aes aes;
	int rc, bad = 0;

	if (keel_image_parse(&src, &lay, &why) != 0)
		die("image parse");
	keel_tlv_iter_init(&it, &src, &lay, tlv_type, 0);
	if (keel_tlv_next(&it, &tlv) != 1)
		die("no ENC TLV");
	kl = (lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	device_scalar(pem, priv);
	CT_SECRET(priv, sizeof(priv));
	rc = keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len, key, kl);
	CT_PUBLIC(&rc, sizeof(rc));
	CT_PUBLIC(key, sizeof(key));
	keel_aes_init(&aes, key, kl);
	keel_aes_ctr(&aes, (const uint8_t[16]){ 0 }, 0, img + lay.hdr.hdr_size, block, 16);
	if (rc != 0 || memcmp(block, app, 16) != 0) {
		fprintf(stderr, "FAIL %s: unwrap with a secret scalar: rc %d or wrong key\n", image, rc);
		bad = 1;
	}
	img[tlv.value_off + tlv.len - kl - 1] ^= 1;   /* last tag byte */
	rc = keel_ecies_unwrap(kind, priv, img + tlv.value_off, tlv.len, key, kl);
	CT_PUBLIC(&rc, sizeof(rc));
	if (rc != KEEL_EACCES) {
		fprintf(stderr, "FAIL %s: bad tag with a secret scalar: rc %d\n", image, rc);
		bad = 1;
	}
	printf("%s: unwrap with a secret device scalar (good and bad tag)%s\n", image,
	       bad ? " FAILED" : ", no secret-dependent branch or index");
	free(img);
	free(app);
	return bad;
}

static int ct_main(void)
{
	int bad = 0;

	ct_require_valgrind("test_ecies --ct");
	bad |= ct_case("signed-ec-p256-enc-ec256.bin", "enc-ec256.pem", KEEL_TLV_ENC_EC256,
		       KEEL_ENC_EC256);
	bad |= ct_case("signed-ed25519-enc-x25519.bin", "enc-x25519.pem", KEEL_TLV_ENC_X25519,
		       KEEL_ENC_X25519);
	bad |= ct_case("signed-ed25519-enc-x25519-aes256-sha512.bin", "enc-x25519.pem",
		       KEEL_TLV_ENC_X25519_SHA512, KEEL_ENC_X25519_SHA512);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long n;

	if (ct_canary_main(argc, argv))
		return 0;
	if (argc > 1 && strcmp(argv[1], "--ct") == 0)
		return ct_main();
	oracle_init("test_ecies");
	n = oracle_scale(300);
	image_case("signed-ec-p256-enc-ec256.bin", "enc-ec256.pem", KEEL_TLV_ENC_EC256,
		   KEEL_ENC_EC256);
	image_case("signed-ed25519-enc-x25519.bin", "enc-x25519.pem", KEEL_TLV_ENC_X25519,
		   KEEL_ENC_X25519);
	image_case("signed-ed25519-enc-x25519-aes256-sha512.bin", "enc-x25519.pem",
		   KEEL_TLV_ENC_X25519_SHA512, KEEL_ENC_X25519_SHA512);
	oracle_require("imgtool images decrypted", 3);
	low_order_cases();
	oracle_require("small-order ephemeral keys refused", 14);
	random_wraps(KEEL_ENC_EC256, "openssl wraps ECIES-P256", n);
	random_wraps(KEEL_ENC_X25519, "openssl wraps ECIES-X25519", n);
	random_wraps(KEEL_ENC_X25519_SHA512, "openssl wraps ECIES-X25519-SHA512", n);
	return oracle_finish();
}
