/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tampering with imgtool-made images must make `keel verify` fail, with
 * the reason that names the damaged part. Runs the verify checks as a
 * library call (tools/keel/verify_core.c) on in-memory copies:
 *
 *  - every header byte, all 8 single-bit flips;
 *  - every payload and protected-TLV byte, one bit flip each;
 *  - every byte of the hash, KEYHASH, signature (and ENC) TLV values;
 *  - the image verified with a fresh key of the same type;
 *  - truncations (an exact-size heap copy, so ASan sees any read past the
 *    end): every length in the header and TLVs, every 7th in the payload;
 *  - seeded random garbage, with and without a valid header magic.
 *
 * Expected reasons are derived from the original image's layout, not from
 * the code under test. Any mismatch is printed and fails the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/image.h"
#include "keys.h"
#include "util.h"
#include "verify_core.h"

#define MAX_TLVS 16

struct vec {
	const char *image;
	const char *key;
	const char *enc_key;     /* NULL: not encrypted */
	enum keel_keytype wrong; /* type of the fresh wrong key (NONE: the key's) */
	int stride;              /* payload bytes: every one (1) or every n-th */
};

static const struct vec vecs[] = {
	{ "signed-ec-p256-prot.bin", "key-ec-p256.pem", NULL, KEEL_KT_ECDSA_P256, 1 },
	{ "signed-ec-p256-padsig.bin", "key-ec-p256.pem", NULL, KEEL_KT_ECDSA_P256, 37 },
	{ "signed-ec-p384.bin", "key-ec-p384.pem", NULL, KEEL_KT_ECDSA_P384, 1 },
	{ "signed-ed25519.bin", "key-ed25519.pem", NULL, KEEL_KT_ED25519, 1 },
	{ "signed-ed25519-pure.bin", "key-ed25519.pem", NULL, KEEL_KT_ED25519, 1 },
	{ "signed-ed25519-sha512.bin", "key-ed25519.pem", NULL, KEEL_KT_ED25519, 37 },
	{ "signed-rsa2048.bin", "key-rsa2048.pem", NULL, KEEL_KT_RSA2048, 1 },
	{ "signed-ec-p256-fullkey.bin", "key-ec-p256.pem", NULL, KEEL_KT_ECDSA_P256, 37 },
	{ "signed-ed25519-enc-x25519.bin", "key-ed25519.pem", "enc-x25519.pem", KEEL_KT_ED25519, 1 },
	{ "signed-rsa2048-enc-rsa.bin", "key-rsa2048.pem", "enc-rsa2048.pem", KEEL_KT_RSA2048, 37 },
	{ "signed-ec-p256-enc-ec256.bin", "key-ec-p256.pem", "enc-ec256.pem", KEEL_KT_ECDSA_P256, 37 },
};

static int failures;
static long cases;
static long by_reason[KEEL_R__COUNT];

#define SET(r) (1ull << (r))
#define STRUCTURAL (SET(KEEL_R_HDR_TOO_SMALL) | SET(KEEL_R_TOO_LARGE) | \
		    SET(KEEL_R_TLV_INFO_MISSING) | SET(KEEL_R_PROT_SIZE_MISMATCH) | \
		    SET(KEEL_R_TLV_PAST_END) | SET(KEEL_R_SIZE_OVERFLOW))

struct ctx {
	const char *name;
	uint8_t *img;
	size_t len;
	struct verify_opts o;
	struct keel_image_layout lay;
	struct keel_tlv tlv[MAX_TLVS];
	int ntlv;
	uint32_t flags;
	int stride;
};

/* Runs verify and checks the reason is in want; names the case on failure. */
static void expect(struct ctx *c, const uint8_t *img, size_t len, uint64_t want,
		   const char *what, size_t off, int bit)
{
	struct verify_result r;
	int rc = verify_image(img, len, &c->o, &r);

	cases++;
	if (rc >= 0) {
		failures++;
		fprintf(stderr, "FAIL %s: %s at 0x%zx bit %d: verify passed (rc %d)\n", c->name,
			what, off, bit, rc);
		return;
	}
	by_reason[r.reason]++;
	if (!(want & SET(r.reason))) {
		failures++;
		fprintf(stderr, "FAIL %s: %s at 0x%zx bit %d: reason '%s' (%s)\n", c->name, what,
			off, bit, keel_reason_str(r.reason), r.msg);
	}
}

static void flip(struct ctx *c, size_t off, int bit, uint64_t want, const char *what)
{
	c->img[off] ^= (uint8_t)(1u << bit);
	expect(c, c->img, c->len, want, what, off, bit);
	c->img[off] ^= (uint8_t)(1u << bit);
}

/* Reason for a header bit flip, from the field it hits. */
static uint64_t header_want(const struct ctx *c, size_t off, int bit)
{
	int enc = (c->flags & (KEEL_IMAGE_F_ENCRYPTED_AES128 | KEEL_IMAGE_F_ENCRYPTED_AES256)) != 0;

	if (off < 4)
		return SET(KEEL_R_BAD_MAGIC);
	if (off >= 8 && off < 16)
		return STRUCTURAL;
	if (off == 16 && (bit == 2 || bit == 3)) {
		uint32_t f = c->flags ^ (1u << bit);
		int aes128 = !!(f & KEEL_IMAGE_F_ENCRYPTED_AES128);
		int aes256 = !!(f & KEEL_IMAGE_F_ENCRYPTED_AES256);

		if (aes128 && aes256)
			return SET(KEEL_R_BAD_FLAGS);
		if (!enc)        /* now claims encryption, carries no ENC TLV */
			return SET(KEEL_R_ENC_NO_KEY);
		if (!aes128 && !aes256) /* now claims plaintext: hashes ciphertext */
			return SET(KEEL_R_HASH_MISMATCH);
		/* AES-128 <-> AES-256: the key length no longer fits the TLV */
		return SET(KEEL_R_ENC_UNWRAP_FAILED);
	}
	return SET(KEEL_R_HASH_MISMATCH);
}

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (const uint8_t *)ctx + off, len);
	return 0;
}

static int index_tlvs(struct ctx *c)
{
	struct keel_image_src src = { mem_read, c->img, (uint32_t)c->len };
	struct keel_tlv_iter it;
	enum keel_reason why;

	if (keel_image_parse(&src, &c->lay, &why))
		return -1;
	keel_tlv_iter_init(&it, &src, &c->lay, KEEL_TLV_ANY, 0);
	while (c->ntlv < MAX_TLVS && keel_tlv_next(&it, &c->tlv[c->ntlv]) == 1)
		c->ntlv++;
	c->flags = c->lay.hdr.flags;
	return 0;
}

static void tamper_hashed(struct ctx *c)
{
	const struct keel_image_layout *l = &c->lay;

	for (size_t off = 0; off < KEEL_IMAGE_HEADER_SIZE; off++)
		for (int bit = 0; bit < 8; bit++)
			flip(c, off, bit, header_want(c, off, bit), "header");
	for (size_t off = KEEL_IMAGE_HEADER_SIZE; off < l->prot_off; off += c->stride)
		flip(c, off, (int)(off % 8), SET(KEEL_R_HASH_MISMATCH),
		     off < l->hdr.hdr_size ? "header padding" : "payload");
	if (!l->prot_size)
		return;
	/* protected info header: magic, then tot */
	flip(c, l->prot_off, 0, SET(KEEL_R_TLV_INFO_MISSING), "prot info magic");
	flip(c, l->prot_off + 1, 1, SET(KEEL_R_TLV_INFO_MISSING), "prot info magic");
	flip(c, l->prot_off + 2, 2, SET(KEEL_R_PROT_SIZE_MISMATCH), "prot info tot");
	flip(c, l->prot_off + 3, 3, SET(KEEL_R_PROT_SIZE_MISMATCH), "prot info tot");
	for (int i = 0; i < c->ntlv; i++) {
		const struct keel_tlv *t = &c->tlv[i];
		size_t e = t->value_off - 4;

		if (!t->protected_area)
			continue;
		flip(c, e, (int)(e % 8), SET(KEEL_R_HASH_MISMATCH), "prot TLV type");
		flip(c, e + 1, (int)((e + 1) % 8), SET(KEEL_R_HASH_MISMATCH), "prot TLV type");
		/* a length change either overruns the area or moves the next entry */
		flip(c, e + 2, (int)((e + 2) % 8),
		     SET(KEEL_R_HASH_MISMATCH) | SET(KEEL_R_TLV_PAST_END), "prot TLV len");
		flip(c, e + 3, (int)((e + 3) % 8),
		     SET(KEEL_R_HASH_MISMATCH) | SET(KEEL_R_TLV_PAST_END), "prot TLV len");
		for (size_t off = t->value_off; off < t->value_off + t->len; off++)
			flip(c, off, (int)(off % 8), SET(KEEL_R_HASH_MISMATCH), "prot TLV value");
	}
}

static void tamper_unprotected(struct ctx *c)
{
	for (int i = 0; i < c->ntlv; i++) {
		const struct keel_tlv *t = &c->tlv[i];
		uint64_t want;
		const char *what;

		if (t->protected_area)
			continue;
		switch (t->type) {
		case KEEL_TLV_SHA256: case KEEL_TLV_SHA384: case KEEL_TLV_SHA512:
			/* without decryption the stored hash is what the signature covers */
			want = SET(KEEL_R_HASH_MISMATCH);
			what = "hash TLV";
			break;
		case KEEL_TLV_KEYHASH: case KEEL_TLV_PUBKEY:
			want = SET(KEEL_R_UNKNOWN_KEY);
			what = "key TLV";
			break;
		case KEEL_TLV_ECDSA_SIG: case KEEL_TLV_ED25519: case KEEL_TLV_RSA2048_PSS:
			want = SET(KEEL_R_BAD_SIGNATURE);
			what = "signature";
			break;
		case KEEL_TLV_ENC_EC256: case KEEL_TLV_ENC_X25519: case KEEL_TLV_ENC_RSA2048:
			want = SET(KEEL_R_ENC_UNWRAP_FAILED);
			what = "ENC TLV";
			break;
		default:
			continue;
		}
		for (size_t off = t->value_off; off < t->value_off + t->len; off++)
			flip(c, off, (int)(off % 8), want, what);
	}
}

static void truncations(struct ctx *c)
{
	size_t end = c->lay.unprot_off + c->lay.unprot_size;

	/*
	 * Every length around the header and from just before the TLVs to the
	 * end; inside the payload every 7th (they all fail the same size check).
	 */
	for (size_t n = 0; n < end; n += (n >= 64 && n + 8 < c->lay.prot_off) ? 7 : 1) {
		uint8_t *cut = malloc(n ? n : 1);

		if (!cut) {
			failures++;
			return;
		}
		memcpy(cut, c->img, n);
		expect(c, cut, n, STRUCTURAL, "truncated to", n, -1);
		free(cut);
	}
}

static void wrong_key(struct ctx *c, enum keel_keytype t)
{
	struct keel_key k = { 0 };
	const struct keel_key *good = c->o.key;

	if (t == KEEL_KT_NONE)
		t = good->type;

	if (keel_key_generate(&k, t)) {
		failures++;
		fprintf(stderr, "FAIL %s: cannot generate a %s key: %s\n", c->name,
			keel_keytype_name(t), keel_lasterr());
		return;
	}
	c->o.key = &k;
	expect(c, c->img, c->len, SET(KEEL_R_UNKNOWN_KEY), "wrong key", 0, -1);
	c->o.key = good;
	keel_key_free(&k);
}

static int read_vec(const char *dir, const char *name, struct kbuf *out)
{
	char path[1024];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	return keel_read_file(path, out);
}

static int load_key(const char *dir, const char *name, struct keel_key *k)
{
	char path[1024];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	return keel_key_load(k, path, NULL);
}

static int run_vec(const char *dir, const struct vec *v)
{
	struct kbuf file = { 0 };
	struct keel_key key = { 0 }, enc = { 0 };
	struct verify_result r;
	struct ctx c;
	long before = cases;
	int f0 = failures, rc;

	memset(&c, 0, sizeof(c));
	c.name = v->image;
	c.stride = v->stride;
	if (read_vec(dir, v->image, &file) || load_key(dir, v->key, &key) ||
	    (v->enc_key && load_key(dir, v->enc_key, &enc))) {
		fprintf(stderr, "FAIL %s: %s\n", v->image, keel_lasterr());
		failures++;
		goto out;
	}
	c.img = file.data;
	c.len = file.len;
	c.o.key = &key;
	c.o.enc_key = v->enc_key ? &enc : NULL;
	if (index_tlvs(&c)) {
		fprintf(stderr, "FAIL %s: does not parse\n", v->image);
		failures++;
		goto out;
	}
	rc = verify_image(c.img, c.len, &c.o, &r);
	if (rc != 0) {
		fprintf(stderr, "FAIL %s: pristine image does not verify: %s\n", v->image, r.msg);
		failures++;
		goto out;
	}
	if (v->enc_key) {
		/* without the device key only the signature over the stored hash is checked */
		c.o.enc_key = NULL;
		rc = verify_image(c.img, c.len, &c.o, &r);
		if (rc != 1 || r.hash_checked || !r.sig_checked) {
			fprintf(stderr, "FAIL %s: without --enc-key rc %d hash_checked %d\n",
				v->image, rc, r.hash_checked);
			failures++;
		}
		c.o.enc_key = &enc;
	}
	tamper_hashed(&c);
	tamper_unprotected(&c);
	truncations(&c);
	wrong_key(&c, v->wrong);
	printf("%-44s %6ld cases, %d failures\n", v->image, cases - before, failures - f0);
out:
	keel_key_free(&key);
	keel_key_free(&enc);
	kbuf_free(&file);
	return 0;
}

/* xorshift64*: a fixed, printed seed keeps failures reproducible. */
static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static void garbage(const char *dir)
{
	struct keel_key key = { 0 };
	struct ctx c;
	long before = cases;
	int f0 = failures;

	if (load_key(dir, "key-ec-p256.pem", &key)) {
		failures++;
		return;
	}
	memset(&c, 0, sizeof(c));
	c.name = "garbage";
	c.o.key = &key;
	for (int i = 0; i < 3000; i++) {
		size_t n = (size_t)(rng() % 600);
		uint8_t *g = malloc(n ? n : 1);

		if (!g)
			break;
		for (size_t j = 0; j < n; j++)
			g[j] = (uint8_t)rng();
		if (n >= 16 && (i & 1)) {
			/* a valid magic and small sizes reach the TLV walk */
			g[0] = 0x3d; g[1] = 0xb8; g[2] = 0xf3; g[3] = 0x96;
			g[8] = 32; g[9] = 0;
			g[10] = (uint8_t)(i & 2 ? rng() % 64 : 0); g[11] = 0;
			g[12] = (uint8_t)(rng() % 256); g[13] = g[14] = g[15] = 0;
			if (n >= 20)
				g[16] = g[17] = g[18] = g[19] = 0;
		}
		/* no check of the reason: any clean refusal is right for garbage */
		expect(&c, g, n, ~0ull, "garbage length", n, -1);
		free(g);
	}
	printf("%-44s %6ld cases, %d failures\n", "random garbage", cases - before,
	       failures - f0);
	keel_key_free(&key);
}

static void summary(void)
{
	printf("reasons seen:\n");
	for (int i = 1; i < KEEL_R__COUNT; i++)
		if (by_reason[i])
			printf("  %-55s %ld\n", keel_reason_str((enum keel_reason)i), by_reason[i]);
	printf("tamper: %ld cases, %d failures\n", cases, failures);
}

/*
 * tool_tamper                          the imgtool vectors (KEEL_SHARED)
 * tool_tamper DIR IMAGE KEY [ENCKEY]   one image made elsewhere (keel sign)
 */
int main(int argc, char **argv)
{
	const char *shared = getenv("KEEL_SHARED");
	char dir[1024];

	if (argc == 4 || argc == 5) {
		struct vec v = { argv[2], argv[3], argc == 5 ? argv[4] : NULL, KEEL_KT_NONE, 1 };

		run_vec(argv[1], &v);
		summary();
		return failures || !cases ? 1 : 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: tool_tamper [DIR IMAGE KEY [ENCKEY]]\n");
		return 2;
	}
	if (!shared) {
		fprintf(stderr, "FAIL: KEEL_SHARED is not set\n");
		return 1;
	}
	if (snprintf(dir, sizeof(dir), "%s/vectors/imgtool", shared) >= (int)sizeof(dir)) {
		fprintf(stderr, "FAIL: KEEL_SHARED path too long\n");
		return 1;
	}
	rng_state = 0x6b65656c74616d70ull;
	printf("garbage seed 0x%016llx\n", (unsigned long long)rng_state);
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		run_vec(dir, &vecs[i]);
	garbage(dir);
	summary();
	return failures ? 1 : 0;
}
