/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host converter for the Cortex-M vector runner: reads the Wycheproof,
 * CCTV and speccheck JSON files with the tests' JSON reader, adds known-
 * answer cases made with OpenSSL (SHA-2 over edge lengths, AES-CTR with
 * carries), runs every record through the host build of Keel's crypto to
 * record the host verdict, and writes the compact kvec file (kvec.h).
 *
 *   mkvectors VECTOR_DIR OUT.bin
 *   mkvectors --bench VECTOR_DIR OUT.bin   one valid input per benchmark
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "json.h"
#include "kvec.h"

static FILE *out;
static const char *vdir;
static uint32_t records;
static unsigned long host_accepts[KVEC_KINDS], counts[KVEC_KINDS], diffs[KVEC_KINDS];
static int skipped[KVEC_KINDS];
static int bench_mode, bench_done;   /* --bench: the first host-accepted record per source */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkvectors: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void put_u32(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	if (fwrite(b, 1, 4, out) != 4)
		die("write failed");
}

/* Runs the record on the host build, then writes it with that verdict. */
static void emit(struct kvec_rec *r)
{
	const struct kvec_prim *p = kvec_find(r->kind);
	static const uint8_t zero[4];

	if (!p) {
		skipped[r->kind] = 1;
		return;
	}
	r->host = p->run(r) ? 1 : 0;
	if (bench_mode && (!r->host || bench_done))
		return;
	bench_done = 1;
	counts[r->kind]++;
	host_accepts[r->kind] += r->host;
	diffs[r->kind] += r->label <= 1 && r->label != r->host;
	put_u32(r->kind);
	put_u32(r->label);
	put_u32(r->host);
	put_u32(r->id);
	put_u32(r->nfields);
	for (uint32_t i = 0; i < r->nfields; i++) {
		put_u32(r->len[i]);
		if (r->len[i] && fwrite(r->f[i], 1, r->len[i], out) != r->len[i])
			die("write failed");
		if (r->len[i] % 4 && fwrite(zero, 1, 4 - r->len[i] % 4, out) != 4 - r->len[i] % 4)
			die("write failed");
	}
	records++;
}

struct owned {
	uint8_t *p[KVEC_MAX_FIELDS];
	size_t n;
};

static void field(struct kvec_rec *r, struct owned *o, uint8_t *data, size_t len)
{
	r->f[r->nfields] = data;
	r->len[r->nfields++] = (uint32_t)len;
	o->p[o->n++] = data;
}

static void hex_field(struct kvec_rec *r, struct owned *o, const struct json *obj, const char *key)
{
	const char *h = json_get_str(obj, key);
	uint8_t *b;
	long n;

	if (!h || (n = json_hex_alloc(h, &b)) < 0)
		die("field '%s' missing or not hex", key);
	field(r, o, b, (size_t)n);
}

static void copy_field(struct kvec_rec *r, struct owned *o, const void *data, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	if (!b)
		die("out of memory");
	memcpy(b, data, len);
	field(r, o, b, len);
}

static void u32_field(struct kvec_rec *r, struct owned *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	copy_field(r, o, b, 4);
}

static void release(struct owned *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->p[i]);
	o->n = 0;
}

static void digest(const EVP_MD *md, const uint8_t *msg, size_t len, uint8_t *d, unsigned *dlen)
{
	if (!EVP_Digest(msg, len, d, dlen, md, NULL))
		die("OpenSSL digest failed");
}

static struct json *load(const char *rel)
{
	char path[1024], err[256];
	struct json *root;

	snprintf(path, sizeof(path), "%s/%s", vdir, rel);
	root = json_parse_file(path, err, sizeof(err));
	if (!root)
		die("%s: %s", rel, err);
	return root;
}

static uint32_t label_of(const struct json *t)
{
	const char *res = json_get_str(t, "result");

	if (!res)
		die("test without result");
	return strcmp(res, "valid") == 0 ? 1 : strcmp(res, "invalid") == 0 ? 0 : 2;
}

static uint32_t tcid(const struct json *t)
{
	long long id;

	if (json_get_int(t, "tcId", &id))
		die("test without tcId");
	return (uint32_t)id;
}

/* Digest of the hex message field for signature kinds. */
static void msg_digest_field(struct kvec_rec *r, struct owned *o, const struct json *t,
			     const EVP_MD *md)
{
	uint8_t *m, d[64];
	unsigned dl = 0;
	long n = json_hex_alloc(json_get_str(t, "msg") ? json_get_str(t, "msg") : "", &m);

	if (n < 0)
		die("bad msg");
	digest(md, m, (size_t)n, d, &dl);
	free(m);
	copy_field(r, o, d, dl);
}

static void wycheproof(const char *rel, uint32_t kind)
{
	struct json *root = load(rel);
	const struct json *groups = json_get(root, "testGroups");

	bench_done = 0;
	for (const struct json *g = json_first(groups); g; g = g->next) {
		const struct json *pk = json_get(g, "publicKey");
		const char *sha = json_get_str(g, "sha");
		long long slen = 0;

		json_get_int(g, "sLen", &slen);
		for (const struct json *t = json_first(json_get(g, "tests")); t; t = t->next) {
			struct kvec_rec r = { .kind = kind, .label = label_of(t), .id = tcid(t) };
			struct owned o = { .n = 0 };
			const EVP_MD *md = sha && strcmp(sha, "SHA-512") == 0 ? EVP_sha512() : EVP_sha256();

			switch (kind) {
			case KVEC_HMAC256: case KVEC_HMAC512:
				hex_field(&r, &o, t, "key");
				hex_field(&r, &o, t, "msg");
				hex_field(&r, &o, t, "tag");
				break;
			case KVEC_HKDF256: case KVEC_HKDF512: {
				long long size;

				hex_field(&r, &o, t, "ikm");
				hex_field(&r, &o, t, "salt");
				hex_field(&r, &o, t, "info");
				hex_field(&r, &o, t, "okm");
				if (json_get_int(t, "size", &size))
					die("%s: no size", rel);
				u32_field(&r, &o, (uint32_t)size);
				break;
			}
			case KVEC_ECDSA_DER: case KVEC_ECDSA_RAW:
				hex_field(&r, &o, pk, "uncompressed");
				msg_digest_field(&r, &o, t, md);
				hex_field(&r, &o, t, "sig");
				break;
			case KVEC_ED25519:
				hex_field(&r, &o, pk, "pk");
				hex_field(&r, &o, t, "msg");
				hex_field(&r, &o, t, "sig");
				break;
			case KVEC_X25519:
				hex_field(&r, &o, t, "private");
				hex_field(&r, &o, t, "public");
				hex_field(&r, &o, t, "shared");
				break;
			case KVEC_ECDH: {
				uint8_t *priv, pad[32] = { 0 };
				long n = json_hex_alloc(json_get_str(t, "private"), &priv);
				long skip = 0;

				if (n < 0)
					die("bad private");
				while (n - skip > 32 && priv[skip] == 0)
					skip++;
				if (n - skip <= 32) {   /* big-endian scalar, left-padded to 32 bytes */
					memcpy(pad + 32 - (n - skip), priv + skip, (size_t)(n - skip));
					copy_field(&r, &o, pad, 32);
				} else {
					copy_field(&r, &o, priv, (size_t)n);
				}
				free(priv);
				hex_field(&r, &o, t, "public");
				hex_field(&r, &o, t, "shared");
				break;
			}
			case KVEC_RSAPSS: {
				uint8_t *n;
				long nl = json_hex_alloc(json_get_str(pk, "modulus"), &n), skip = 0;

				if (nl < 0)
					die("bad modulus");
				while (skip < nl && n[skip] == 0)
					skip++;
				if (strcmp(json_get_str(pk, "publicExponent"), "010001"))
					die("%s: e != 65537 is not expressible", rel);
				copy_field(&r, &o, n + skip, (size_t)(nl - skip));
				free(n);
				msg_digest_field(&r, &o, t, EVP_sha256());
				hex_field(&r, &o, t, "sig");
				u32_field(&r, &o, (uint32_t)slen);
				break;
			}
			default:
				die("no Wycheproof reader for kind %u", (unsigned)kind);
			}
			emit(&r);
			release(&o);
		}
	}
	json_free(root);
}

/* CCTV: ASCII messages, no verdicts (label 3). */
static void cctv(const char *rel)
{
	struct json *root = load(rel);

	for (const struct json *t = json_first(root); t; t = t->next) {
		struct kvec_rec r = { .kind = KVEC_ED25519, .label = 3 };
		struct owned o = { .n = 0 };
		const char *msg = json_get_str(t, "msg");
		long long id;

		if (!msg || json_get_int(t, "number", &id))
			die("%s: case without msg or number", rel);
		r.id = (uint32_t)id;
		hex_field(&r, &o, t, "key");
		copy_field(&r, &o, msg, strlen(msg));
		hex_field(&r, &o, t, "sig");
		emit(&r);
		release(&o);
	}
	json_free(root);
}

static void speccheck(const char *rel)
{
	struct json *root = load(rel);
	uint32_t id = 0;

	for (const struct json *t = json_first(root); t; t = t->next) {
		struct kvec_rec r = { .kind = KVEC_ED25519, .label = 3, .id = id++ };
		struct owned o = { .n = 0 };

		hex_field(&r, &o, t, "pub_key");
		hex_field(&r, &o, t, "message");
		hex_field(&r, &o, t, "signature");
		emit(&r);
		release(&o);
	}
	json_free(root);
}

/* A fixed generator, so the file is the same on every build. */
static uint64_t rng = 0x4b45454c2d6d6375ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void rnd_bytes(uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)rnd();
}

static void sha_kats(uint32_t kind)
{
	static const size_t extra[] = { 255, 256, 257, 511, 512, 513, 1000, 4095 };
	const EVP_MD *md = kind == KVEC_SHA256 ? EVP_sha256() : EVP_sha512();
	uint8_t msg[4096], d[64];
	unsigned dl;

	for (uint32_t i = 0; i < 201 + sizeof(extra) / sizeof(extra[0]); i++) {
		size_t len = i <= 200 ? i : extra[i - 201];
		struct kvec_rec r = { .kind = kind, .label = 1, .id = i };
		struct owned o = { .n = 0 };

		rnd_bytes(msg, len);
		digest(md, msg, len, d, &dl);
		copy_field(&r, &o, msg, len);
		copy_field(&r, &o, d, dl);
		emit(&r);
		release(&o);
	}
}

/* RFC 3686 test vectors 1-3 (AES-128-CTR); the counter block is the whole IV. */
static const char *const rfc3686[3][4] = {
	{ "AE6852F8121067CC4BF7A5765577F39E", "00000030000000000000000000000001",
	  "53696E676C6520626C6F636B206D7367", "E4095D4FB7A7B3792D6175A3261311B8" },
	{ "7E24067817FAE0D743D6CE1F32539163", "006CB6DBC0543B59DA48D90B00000001",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "5104A106168A72D9790D41EE8EDAD388EB2E1EFC46DA57C8FCE630DF9141BE28" },
	{ "7691BE035E5020A8AC6E618529F9A0DC", "00E0017B27777F3F4A1786F000000001",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223",
	  "C1CF48A89F2FFDD9CF4652E9EFDB72D74540A42BDE6D7836D59A5CEAAEF3105325B2072F" },
};

static void aes_rfc3686(void)
{
	static const uint8_t zero_off[8];

	for (uint32_t i = 0; i < 3; i++) {
		struct kvec_rec r = { .kind = KVEC_AESCTR, .label = 1, .id = 3686000 + i + 1 };
		struct owned o = { .n = 0 };

		for (int f = 0; f < 4; f++) {
			uint8_t *b;
			long n = json_hex_alloc(rfc3686[i][f], &b);

			if (n < 0)
				die("RFC 3686 vector %u: bad hex", (unsigned)i + 1);
			if (f == 2)
				copy_field(&r, &o, zero_off, 8);
			field(&r, &o, b, (size_t)n);
		}
		emit(&r);
		release(&o);
	}
}

/* AES-CTR expected output from OpenSSL, started at block iv + off / 16. */
static void aes_kats(void)
{
	aes_rfc3686();
	for (uint32_t i = 0; i < 200; i++) {
		size_t klen = i & 1 ? 32 : 16, len = rnd() % 300, skip;
		uint8_t key[32], iv[16], ctr[16], in[320], ks[336], outb[320], offb[8];
		uint64_t off = i % 4 == 3 ? rnd() : rnd() % 4096, blocks;
		struct kvec_rec r = { .kind = KVEC_AESCTR, .label = 1, .id = i };
		struct owned o = { .n = 0 };
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int ol = 0;

		rnd_bytes(key, klen);
		rnd_bytes(iv, 16);
		if (i % 3 == 1)   /* carries through 2^32, 2^64 and 2^128 */
			memset(iv + (i % 2 ? 8 : 12), 0xff, i % 2 ? 8 : 4);
		if (i % 10 == 5)
			memset(iv, 0xff, 16);
		rnd_bytes(in, len);
		memcpy(ctr, iv, 16);
		blocks = off / 16;
		for (int b = 15; b >= 0 && blocks; b--) {   /* ctr = iv + off / 16, big endian */
			uint64_t s = ctr[b] + (blocks & 0xff);

			ctr[b] = (uint8_t)s;
			blocks = (blocks >> 8) + (s >> 8);
		}
		skip = off % 16;
		memset(ks, 0, sizeof(ks));
		memcpy(ks + skip, in, len);
		if (!c || !EVP_EncryptInit_ex(c, klen == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr(),
					      NULL, key, ctr) ||
		    !EVP_EncryptUpdate(c, ks, &ol, ks, (int)(skip + len)))
			die("OpenSSL AES-CTR failed");
		EVP_CIPHER_CTX_free(c);
		memcpy(outb, ks + skip, len);
		for (int b = 0; b < 8; b++)
			offb[b] = (uint8_t)(off >> (8 * b));
		copy_field(&r, &o, key, klen);
		copy_field(&r, &o, iv, 16);
		copy_field(&r, &o, offb, 8);
		copy_field(&r, &o, in, len);
		copy_field(&r, &o, outb, len);
		emit(&r);
		release(&o);
	}
}

/* Ed25519 over a 32-byte message (an image hash, as MCUboot signs), fixed key. */
static void ed25519_bench(void)
{
	uint8_t seed[32], msg[32], pub[32], sig[64];
	size_t pl = sizeof(pub), sl = sizeof(sig);
	struct kvec_rec r = { .kind = KVEC_ED25519, .label = 1 };
	struct owned o = { .n = 0 };
	EVP_PKEY *k;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	memset(seed, 0x42, sizeof(seed));
	rnd_bytes(msg, sizeof(msg));
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, sizeof(seed));
	if (!k || !c || !EVP_PKEY_get_raw_public_key(k, pub, &pl) ||
	    !EVP_DigestSignInit(c, NULL, NULL, NULL, k) || !EVP_DigestSign(c, sig, &sl, msg, sizeof(msg)))
		die("OpenSSL Ed25519 signing failed");
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	copy_field(&r, &o, pub, 32);
	copy_field(&r, &o, msg, 32);
	copy_field(&r, &o, sig, 64);
	bench_done = 0;
	emit(&r);
	release(&o);
}

static void bench_file(void)
{
	bench_mode = 1;
	wycheproof("wycheproof/ecdsa_secp256r1_sha256_test.json", KVEC_ECDSA_DER);
	ed25519_bench();
	wycheproof("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json", KVEC_RSAPSS);
	wycheproof("wycheproof/rsa_pss_3072_sha256_mgf1_32_test.json", KVEC_RSAPSS);
	wycheproof("wycheproof/x25519_test.json", KVEC_X25519);
	wycheproof("wycheproof/ecdh_secp256r1_ecpoint_test.json", KVEC_ECDH);
}

int main(int argc, char **argv)
{
	int bench = argc == 4 && strcmp(argv[1], "--bench") == 0;

	if (argc != 3 && !bench) {
		fprintf(stderr, "usage: mkvectors [--bench] VECTOR_DIR OUT.bin\n");
		return 2;
	}
	vdir = argv[1 + bench];
	out = fopen(argv[2 + bench], "wb");
	if (!out)
		die("cannot write %s", argv[2 + bench]);
	if (fwrite("KVEC", 1, 4, out) != 4)
		die("write failed");
	if (bench) {
		bench_file();
		goto end;
	}
	sha_kats(KVEC_SHA256);
	sha_kats(KVEC_SHA512);
	wycheproof("wycheproof/hmac_sha256_test.json", KVEC_HMAC256);
	wycheproof("wycheproof/hmac_sha512_test.json", KVEC_HMAC512);
	wycheproof("wycheproof/hkdf_sha256_test.json", KVEC_HKDF256);
	wycheproof("wycheproof/hkdf_sha512_test.json", KVEC_HKDF512);
	aes_kats();
	wycheproof("wycheproof/ecdsa_secp256r1_sha256_test.json", KVEC_ECDSA_DER);
	wycheproof("wycheproof/ecdsa_secp256r1_sha512_test.json", KVEC_ECDSA_DER);
	wycheproof("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json", KVEC_ECDSA_RAW);
	wycheproof("wycheproof/ed25519_test.json", KVEC_ED25519);
	cctv("cctv-ed25519/ed25519vectors.json");
	speccheck("ed25519-speccheck/cases.json");
	wycheproof("wycheproof/x25519_test.json", KVEC_X25519);
	wycheproof("wycheproof/ecdh_secp256r1_ecpoint_test.json", KVEC_ECDH);
	wycheproof("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json", KVEC_RSAPSS);
	wycheproof("wycheproof/rsa_pss_3072_sha256_mgf1_32_test.json", KVEC_RSAPSS);
	wycheproof("wycheproof/rsa_pss_2048_sha256_mgf1_0_test.json", KVEC_RSAPSS);
end:
	put_u32(KVEC_END);
	put_u32(0);
	put_u32(0);
	put_u32(records);
	put_u32(0);
	if (fclose(out) != 0)
		die("write failed");
	for (uint32_t k = 1; k < KVEC_KINDS; k++) {
		if (skipped[k])
			printf("mkvectors: %s: not in this build's crypto, records left out\n",
			       kvec_kind_name(k));
		else
			printf("mkvectors: %s: %lu records, host accepted %lu, %lu differ from the source's label\n",
			       kvec_kind_name(k), counts[k], host_accepts[k], diffs[k]);
	}
	printf("mkvectors: %u records written to %s\n", (unsigned)records, argv[2 + bench]);
	return 0;
}
