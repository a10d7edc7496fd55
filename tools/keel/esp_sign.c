/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secure Boot V2 (RSA-3072-PSS) for the ESP32-C3: `keel esp sign`,
 * `verify`, `digest` and `sig-info` (espsecure sign-data / verify-signature
 * / digest-sbv2-public-key / signature-info-v2). Block layout and sector
 * rules: espressif.md §2.
 *
 * verify is stricter than espsecure where espsecure would pass a block the
 * ROM refuses: a version byte other than 2 (RSA), an embedded key that is
 * not the supplied key, R or m' that do not belong to the embedded modulus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "esp.h"
#include "keel.h"
#include "keys.h"

#define SECTOR 4096u
#define BLK 1216u
#define MAXBLK 3
#define KEYFIELDS_OFF 36u
#define KEYFIELDS_LEN 776u
#define SIG_OFF 812u
#define CRC_OFF 1196u

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

static void reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/*
 * The 776 key bytes of a block: n (LE), e (u32), R = 2^6144 mod n (LE),
 * m' = -n^-1 mod 2^32 (u32). These are also what the eFuse digest covers.
 */
static int key_fields(const struct keel_key *k, uint8_t out[KEYFIELDS_LEN])
{
	BIGNUM *n = NULL, *e = NULL, *r = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	int rc = -1;

	if (k->type != KEEL_KT_RSA3072) {
		keel_seterr("Secure Boot V2 on the ESP32-C3 needs an RSA-3072 key, not %s",
			    keel_keytype_name(k->type));
		goto out;
	}
	if (!r || !ctx || EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		keel_seterr("cannot read the RSA modulus/exponent from OpenSSL");
		goto out;
	}
	if (BN_num_bits(e) > 32) {
		keel_seterr("RSA exponent does not fit the block's 32-bit field");
		goto out;
	}
	if (BN_bn2lebinpad(n, out, 384) != 384 || BN_bn2lebinpad(e, out + 384, 4) != 4 ||
	    !BN_set_bit(r, 6144) || !BN_mod(r, r, n, ctx) ||
	    BN_bn2lebinpad(r, out + 388, 384) != 384) {
		keel_seterr("RSA arithmetic failed in OpenSSL");
		goto out;
	}
	{
		/* Newton iteration for n0^-1 mod 2^32 (n is odd). */
		uint32_t n0 = esp_le32(out), inv = n0;

		for (int i = 0; i < 5; i++)
			inv *= 2u - n0 * inv;
		esp_put32(out + 772, 0u - inv);
	}
	rc = 0;
out:
	BN_free(n);
	BN_free(e);
	BN_free(r);
	BN_CTX_free(ctx);
	return rc;
}

static int sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	if (EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL) != 1) {
		keel_seterr("SHA-256 failed in OpenSSL");
		return -1;
	}
	return 0;
}

static int make_block(const struct keel_key *k, const uint8_t digest[32], uint8_t blk[BLK])
{
	struct kbuf sig = { 0 };

	memset(blk, 0, BLK);
	blk[0] = 0xE7;
	blk[1] = 0x02;
	memcpy(blk + 4, digest, 32);
	if (key_fields(k, blk + KEYFIELDS_OFF))
		return -1;
	if (keel_key_sign(k, digest, 32, &sig))
		return -1;
	if (sig.len != 384) {
		kbuf_free(&sig);
		keel_seterr("RSA signature is %zu bytes, expected 384", sig.len);
		return -1;
	}
	memcpy(blk + SIG_OFF, sig.data, 384);
	reverse(blk + SIG_OFF, 384);
	kbuf_free(&sig);
	esp_put32(blk + CRC_OFF, crc32_ieee(blk, CRC_OFF));
	return 0;
}

/* A block espsecure calls valid: magic and CRC. */
static int block_valid(const uint8_t *b)
{
	return b[0] == 0xE7 && esp_le32(b + CRC_OFF) == crc32_ieee(b, CRC_OFF);
}

static int load_key(const char *sub, const char *path, struct keel_key *k)
{
	if (keel_load_key_cli(k, path))
		return keel_fail("esp", "%s: %s", sub, keel_lasterr());
	if (k->type != KEEL_KT_RSA3072) {
		keel_fail("esp", "%s: %s: Secure Boot V2 on the ESP32-C3 needs an RSA-3072 key, not %s",
			  sub, path, keel_keytype_name(k->type));
		keel_key_free(k);
		return 1;
	}
	return 0;
}

enum { O_KEY = 1, O_OUT, O_APPEND, O_VERSION };

/* ------------------------------------------------------------------ sign */

int esp_cmd_sign(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "keyfile", 'k', 1, O_KEY }, { "key", 0, 1, O_KEY }, { "output", 'o', 1, O_OUT },
		{ "append", 'a', 0, O_APPEND }, { "append-signatures", 0, 0, O_APPEND },
		{ "version", 'v', 1, O_VERSION }, { NULL, 0, 0, 0 },
	};
	const char *keys[MAXBLK], *in = NULL, *outp = NULL;
	struct kopt_state st;
	struct kbuf b = { 0 }, o = { 0 };
	uint8_t blocks[MAXBLK][BLK], digest[32];
	int nkeys = 0, append = 0, id, nold = 0, rc = 1;
	size_t datalen, pad = 0;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		switch (id) {
		case KOPT_ERR: return esp_usage("sign", "%s", keel_lasterr());
		case KOPT_POS:
			if (in)
				return esp_usage("sign", "more than one input ('%s')", st.pos);
			in = st.pos;
			break;
		case O_KEY:
			if (nkeys == MAXBLK)
				return esp_usage("sign", "at most %d keys (3 signature blocks)", MAXBLK);
			keys[nkeys++] = st.val[0];
			break;
		case O_OUT: outp = st.val[0]; break;
		case O_APPEND: append = 1; break;
		case O_VERSION:
			if (strcmp(st.val[0], "2") != 0)
				return esp_usage("sign", "only Secure Boot --version 2 is supported");
			break;
		}
	}
	if (!in || !outp || !nkeys)
		return esp_usage("sign", "usage: keel esp sign -k RSA3072.pem [--append] IN -o OUT");
	if (keel_read_file(in, &b))
		return keel_fail("esp", "sign: %s", keel_lasterr());
	if (append) {
		const uint8_t *sec;

		if (b.len < 2 * SECTOR || b.len % SECTOR) {
			keel_fail("esp", "sign: %s: --append needs a signed file (a multiple of 4096 "
				  "bytes ending in a signature sector), this one is %zu bytes", in, b.len);
			goto out;
		}
		datalen = b.len - SECTOR;
		sec = b.data + datalen;
		for (nold = 0; nold < MAXBLK && block_valid(sec + nold * BLK); nold++)
			memcpy(blocks[nold], sec + nold * BLK, BLK);
		if (nold == 0) {
			keel_fail("esp", "sign: %s: --append: the last sector holds no valid signature "
				  "block", in);
			goto out;
		}
		if (nold + nkeys > MAXBLK) {
			keel_fail("esp", "sign: %s: %d block(s) present and %d new: up to 3 signature "
				  "blocks are supported", in, nold, nkeys);
			goto out;
		}
	} else {
		if (b.len == 0) {
			keel_fail("esp", "sign: %s: empty input", in);
			goto out;
		}
		datalen = b.len;
		pad = (SECTOR - b.len % SECTOR) % SECTOR;
	}
	if (kbuf_reserve(&o, datalen + pad + SECTOR) || kbuf_append(&o, b.data, datalen) ||
	    kbuf_fill(&o, 0xFF, pad)) {
		keel_fail_last("esp");
		goto out;
	}
	if (sha256(o.data, o.len, digest)) {
		keel_fail("esp", "sign: %s", keel_lasterr());
		goto out;
	}
	for (int i = 0; i < nold; i++)
		if (memcmp(blocks[i] + 4, digest, 32) != 0) {
			keel_fail("esp", "sign: %s: --append: existing block %d signs another image "
				  "digest", in, i);
			goto out;
		}
	for (int i = 0; i < nkeys; i++) {
		struct keel_key k;

		if (load_key("sign", keys[i], &k))
			goto out;
		if (make_block(&k, digest, blocks[nold + i])) {
			keel_key_free(&k);
			keel_fail("esp", "sign: %s: %s", keys[i], keel_lasterr());
			goto out;
		}
		keel_key_free(&k);
	}
	for (int i = 0; i < nold + nkeys; i++)
		if (kbuf_append(&o, blocks[i], BLK)) {
			keel_fail_last("esp");
			goto out;
		}
	if (kbuf_fill(&o, 0xFF, SECTOR - (size_t)(nold + nkeys) * BLK) ||
	    keel_write_file(outp, o.data, o.len, 0644)) {
		keel_fail("esp", "sign: %s", keel_lasterr());
		goto out;
	}
	if (strcmp(outp, "-") != 0) {
		if (pad)
			printf("Padding data contents by %zu bytes so signature sector aligns at sector "
			       "boundary.\n", pad);
		printf("%d signing key(s) found.\n", nkeys);
		printf("Signed %zu bytes of data from \"%s\". Signature sector now has %d signature "
		       "blocks.\n", datalen + pad, in, nold + nkeys);
	}
	rc = 0;
out:
	kbuf_free(&b);
	kbuf_free(&o);
	return rc;
}

/* ---------------------------------------------------------------- verify */

/* Why block b (valid by magic/CRC) is not one the ROM would accept with key kf; NULL if ok. */
static const char *block_refusal(const uint8_t *b, const uint8_t kf[KEYFIELDS_LEN], char *why,
				 size_t n)
{
	if (b[1] != 0x02) {
		snprintf(why, n, "version byte %u is not the RSA-3072 scheme (2)", b[1]);
		return why;
	}
	if (b[2] || b[3]) {
		snprintf(why, n, "reserved bytes 2..3 are not zero");
		return why;
	}
	if (memcmp(b + KEYFIELDS_OFF, kf, 388) != 0) {
		snprintf(why, n, "the embedded public key is not the supplied key");
		return why;
	}
	if (memcmp(b + KEYFIELDS_OFF + 388, kf + 388, 388) != 0) {
		snprintf(why, n, "the embedded R or m' does not belong to the key's modulus");
		return why;
	}
	return NULL;
}

static int split_signed(const char *sub, const char *in, const struct kbuf *b)
{
	if (b->len == 0 || b->len % SECTOR) {
		keel_fail("esp", "%s: %s: length %zu is not a non-zero multiple of 4096 (no "
			  "signature sector)", sub, in, b->len);
		return -1;
	}
	if (b->len == SECTOR) {
		keel_fail("esp", "%s: %s: only a signature sector, no image before it", sub, in);
		return -1;
	}
	return 0;
}

int esp_cmd_verify(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "keyfile", 'k', 1, O_KEY }, { "key", 0, 1, O_KEY },
		{ "version", 'v', 1, O_VERSION }, { NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	const char *in = NULL, *key = NULL;
	struct kbuf b = { 0 }, why_all = { 0 };
	struct keel_key k;
	uint8_t kf[KEYFIELDS_LEN], digest[32];
	const uint8_t *sec;
	int id, ok = -1, rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("verify", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (in)
				return esp_usage("verify", "more than one input ('%s')", st.pos);
			in = st.pos;
		} else if (id == O_KEY) {
			key = st.val[0];
		} else if (id == O_VERSION && strcmp(st.val[0], "2") != 0) {
			return esp_usage("verify", "only Secure Boot --version 2 is supported");
		}
	}
	if (!in || !key)
		return esp_usage("verify", "usage: keel esp verify -k KEY SIGNED.bin");
	if (load_key("verify", key, &k))
		return 1;
	if (key_fields(&k, kf)) {
		keel_key_free(&k);
		return keel_fail("esp", "verify: %s: %s", key, keel_lasterr());
	}
	if (keel_read_file(in, &b)) {
		keel_key_free(&k);
		return keel_fail("esp", "verify: %s", keel_lasterr());
	}
	if (split_signed("verify", in, &b) || sha256(b.data, b.len - SECTOR, digest))
		goto out;
	sec = b.data + b.len - SECTOR;
	for (int i = 0; i < MAXBLK; i++) {
		const uint8_t *blk = sec + i * BLK;
		char why[160];
		uint8_t sig[384];

		if (!block_valid(blk)) {
			int absent = blk[0] == 0xFF;

			snprintf(why, sizeof(why), absent ? "absent" :
				 blk[0] != 0xE7 ? "invalid (magic 0x%02x)" : "invalid (CRC mismatch)",
				 blk[0]);
			printf("Signature block %d %s.\n", i, why);
			kbuf_printf(&why_all, "%sblock %d %s", why_all.len ? ", " : "", i, why);
			continue;
		}
		if (!block_refusal(blk, kf, why, sizeof(why))) {
			if (memcmp(blk + 4, digest, 32) != 0) {
				snprintf(why, sizeof(why), "image digest does not match the image");
			} else {
				memcpy(sig, blk + SIG_OFF, 384);
				reverse(sig, 384);
				if (keel_key_verify(&k, digest, 32, sig, 384) == 0) {
					printf("Signature block %d verification successful using the "
					       "supplied key (RSA).\n", i);
					ok = i;
					continue;
				}
				snprintf(why, sizeof(why), "RSA-PSS signature does not verify with the key");
			}
		}
		printf("Signature block %d refused: %s.\n", i, why);
		kbuf_printf(&why_all, "%sblock %d: %s", why_all.len ? ", " : "", i, why);
	}
	if (ok < 0) {
		keel_fail("esp", "verify: %s: no signature block verified with %s (%s)", in, key,
			  why_all.data ? (const char *)why_all.data : "");
		goto out;
	}
	rc = 0;
out:
	keel_key_free(&k);
	kbuf_free(&b);
	kbuf_free(&why_all);
	return rc;
}

/* ---------------------------------------------------------------- digest */

int esp_key_digest(const char *path, uint8_t out[32])
{
	struct keel_key k;
	uint8_t kf[KEYFIELDS_LEN];
	int rc;

	if (keel_load_key_cli(&k, path))
		return -1;
	rc = key_fields(&k, kf) || sha256(kf, sizeof(kf), out) ? -1 : 0;
	keel_key_free(&k);
	if (rc)
		keel_seterr("%s: %s", path, keel_lasterr());
	return rc;
}

int esp_cmd_digest(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "keyfile", 'k', 1, O_KEY }, { "key", 0, 1, O_KEY }, { "output", 'o', 1, O_OUT },
		{ NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	const char *key = NULL, *outp = NULL;
	struct keel_key k;
	uint8_t kf[KEYFIELDS_LEN], d[32];
	int id;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("digest", "%s", keel_lasterr());
		if (id == KOPT_POS)
			return esp_usage("digest", "unexpected argument '%s'", st.pos);
		if (id == O_KEY)
			key = st.val[0];
		if (id == O_OUT)
			outp = st.val[0];
	}
	if (!key || !outp)
		return esp_usage("digest", "usage: keel esp digest -k KEY -o FILE");
	if (load_key("digest", key, &k))
		return 1;
	if (key_fields(&k, kf) || sha256(kf, sizeof(kf), d)) {
		keel_key_free(&k);
		return keel_fail("esp", "digest: %s: %s", key, keel_lasterr());
	}
	keel_key_free(&k);
	if (keel_write_file(outp, d, 32, 0644))
		return keel_fail("esp", "digest: %s", keel_lasterr());
	return 0;
}

/* -------------------------------------------------------------- sig-info */

int esp_cmd_siginfo(int argc, char **argv)
{
	static const struct kopt opts[] = { { "version", 'v', 1, O_VERSION }, { NULL, 0, 0, 0 } };
	struct kopt_state st;
	const char *in = NULL;
	struct kbuf b = { 0 };
	const uint8_t *sec;
	int id, nvalid = 0;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("sig-info", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (in)
				return esp_usage("sig-info", "more than one input ('%s')", st.pos);
			in = st.pos;
		}
	}
	if (!in)
		return esp_usage("sig-info", "usage: keel esp sig-info SIGNED.bin");
	if (keel_read_file(in, &b))
		return keel_fail("esp", "sig-info: %s", keel_lasterr());
	if (split_signed("sig-info", in, &b)) {
		kbuf_free(&b);
		return 1;
	}
	sec = b.data + b.len - SECTOR;
	for (int i = 0; i < MAXBLK; i++) {
		const uint8_t *blk = sec + i * BLK;
		uint8_t d[32];

		if (!block_valid(blk)) {
			printf("Signature block %d absent/invalid. Skipping checking next blocks...\n", i);
			break;
		}
		nvalid++;
		printf("Signature block %d is valid (%s).\n", i,
		       blk[1] == 2 ? "RSA" : blk[1] == 3 ? "ECDSA" : "unknown scheme");
		if (sha256(blk + KEYFIELDS_OFF, KEYFIELDS_LEN, d)) {
			kbuf_free(&b);
			return keel_fail("esp", "sig-info: %s", keel_lasterr());
		}
		printf("Public key digest for block %d:", i);
		for (int j = 0; j < 32; j++)
			printf(" %02x", d[j]);
		printf("\n");
	}
	kbuf_free(&b);
	if (!nvalid)
		return keel_fail("esp", "sig-info: %s: no valid signature block", in);
	return 0;
}
