/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verify checks (tools/keel/verify_core.c) on images built here, byte
 * by byte, for the rules a bit flip in a real image cannot reach: several
 * key/signature pairs, key selection order, missing or misplaced TLVs,
 * wrong lengths, SIG_PURE, ECDSA zero padding, SEC_CNT/DEPENDENCY form,
 * the encrypted flag without a key TLV. Each case states the reason it
 * expects; the builder signs with freshly generated keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/image.h"
#include "keys.h"
#include "util.h"
#include "verify_core.h"

#define PAYLOAD 100

static int failures, ncases;
static struct keel_key ka, kb, kc, kr;  /* ed25519 A, ed25519 B, P-256 C, RSA-2048 */

struct img {
	struct kbuf b;
	uint8_t digest[64];
	size_t unprot_off;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL: building the test image: %s (%s)\n", what, keel_lasterr());
		exit(1);
	}
}

static void tlv(struct kbuf *b, uint16_t type, const void *v, size_t len)
{
	must(!kbuf_put16(b, type, 0) && !kbuf_put16(b, (uint16_t)len, 0) &&
	     !kbuf_append(b, v, len), "tlv");
}

/*
 * Header, payload, optional protected area (entries given raw), then the
 * hash of all that; the unprotected info header is started (tot patched by
 * done()).
 */
static void start(struct img *m, uint32_t flags, const uint8_t *prot, size_t prot_len)
{
	struct keel_image_header h = { 0 };
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE], pay[PAYLOAD];

	memset(m, 0, sizeof(*m));
	h.magic = KEEL_IMAGE_MAGIC;
	h.hdr_size = KEEL_IMAGE_HEADER_SIZE;
	h.img_size = PAYLOAD;
	h.protect_tlv_size = (uint16_t)(prot_len ? prot_len + 4 : 0);
	h.flags = flags;
	h.ver.major = 1;
	h.ver.revision = 7;
	keel_image_header_encode(&h, raw);
	for (int i = 0; i < PAYLOAD; i++)
		pay[i] = (uint8_t)(i * 7 + 3);
	must(!kbuf_append(&m->b, raw, sizeof(raw)) && !kbuf_append(&m->b, pay, sizeof(pay)),
	     "header");
	if (prot_len)
		must(!kbuf_put16(&m->b, KEEL_TLV_PROT_MAGIC, 0) &&
		     !kbuf_put16(&m->b, (uint16_t)(prot_len + 4), 0) &&
		     !kbuf_append(&m->b, prot, prot_len), "prot");
	must(keel_hash(KEEL_HASH_SHA256, m->b.data, m->b.len, m->digest) == 32, "hash");
	m->unprot_off = m->b.len;
	must(!kbuf_put16(&m->b, KEEL_TLV_INFO_MAGIC, 0) && !kbuf_put16(&m->b, 0, 0), "info");
}

static void add_hash(struct img *m)
{
	tlv(&m->b, KEEL_TLV_SHA256, m->digest, 32);
}

static void add_keyhash(struct img *m, const struct keel_key *k)
{
	uint8_t h[64];

	must(keel_key_pub_hash(k, KEEL_HASH_SHA256, h) == 32, "keyhash");
	tlv(&m->b, KEEL_TLV_KEYHASH, h, 32);
}

/* The signature over the digest, plus pad extra bytes of value padval. */
static void add_sig(struct img *m, const struct keel_key *k, size_t pad, uint8_t padval)
{
	struct kbuf s = { 0 };

	must(!keel_key_sign(k, m->digest, 32, &s) && !kbuf_fill(&s, padval, pad), "sign");
	tlv(&m->b, keel_keytype_sig_tlv(k->type), s.data, s.len);
	kbuf_free(&s);
}

static void done(struct img *m)
{
	put16(m->b.data + m->unprot_off + 2, (uint16_t)(m->b.len - m->unprot_off));
}

static void check(const char *name, struct img *m, const struct keel_key *k, int want_sha,
		  enum keel_reason want)
{
	struct verify_opts o = { k, NULL, want_sha };
	struct verify_result r;
	int rc;

	done(m);
	rc = verify_image(m->b.data, m->b.len, &o, &r);
	ncases++;
	if ((want == KEEL_R_OK && rc != 0) || (want != KEEL_R_OK && (rc >= 0 || r.reason != want))) {
		failures++;
		fprintf(stderr, "FAIL %s: rc %d reason '%s' (%s), want '%s'\n", name, rc,
			keel_reason_str(r.reason), r.msg, keel_reason_str(want));
	} else {
		printf("ok   %-52s %s\n", name, want == KEEL_R_OK ? "valid" : keel_reason_str(want));
	}
	kbuf_free(&m->b);
}

static void key_pairs(void)
{
	struct img m;

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("baseline ed25519", &m, &ka, 0, KEEL_R_OK);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kb); add_sig(&m, &kb, 0, 0);
	add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("two pairs, key of the second", &m, &ka, 0, KEEL_R_OK);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kb); add_sig(&m, &kb, 0, 0);
	add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("two pairs, key of the first", &m, &kb, 0, KEEL_R_OK);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &kb, 0, 0);
	add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("bad signature, then a good one", &m, &ka, 0, KEEL_R_OK);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &kb, 0, 0);
	check("only a bad signature after the key", &m, &ka, 0, KEEL_R_BAD_SIGNATURE);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka);
	check("KEYHASH without a signature", &m, &ka, 0, KEEL_R_NO_SIGNATURE);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_sig(&m, &ka, 0, 0); add_keyhash(&m, &ka);
	check("signature before its KEYHASH", &m, &ka, 0, KEEL_R_NO_SIGNATURE);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_sig(&m, &ka, 0, 0);
	check("no KEYHASH or PUBKEY", &m, &ka, 0, KEEL_R_UNKNOWN_KEY);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kb); add_sig(&m, &kb, 0, 0);
	check("other key", &m, &ka, 0, KEEL_R_UNKNOWN_KEY);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &kc, 0, 0);
	check("ECDSASIG after an Ed25519 key", &m, &ka, 0, KEEL_R_BAD_SIGNATURE);
}

static void lengths(void)
{
	struct img m;
	uint8_t zero[64] = { 0 }, one = 1, two = 2;
	struct kbuf der = { 0 };

	start(&m, 0, NULL, 0);
	add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("no hash TLV", &m, &ka, 0, KEEL_R_NO_HASH);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("--sha 512 on a SHA256 image", &m, &ka, 512, KEEL_R_NO_HASH);

	start(&m, 0, NULL, 0);
	tlv(&m.b, KEEL_TLV_SHA256, m.digest, 31); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("31-byte SHA256 TLV", &m, &ka, 0, KEEL_R_BAD_HASH_LEN);

	start(&m, 0, NULL, 0);
	add_hash(&m); tlv(&m.b, KEEL_TLV_KEYHASH, zero, 48); add_sig(&m, &ka, 0, 0);
	check("48-byte KEYHASH on a SHA256 image", &m, &ka, 0, KEEL_R_UNKNOWN_KEY);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 1, 0);
	check("65-byte ED25519 TLV", &m, &ka, 0, KEEL_R_BAD_SIG_LEN);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kr); add_sig(&m, &kr, 1, 0);
	check("257-byte RSA2048 TLV", &m, &kr, 0, KEEL_R_BAD_SIG_LEN);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kc); add_sig(&m, &kc, 3, 0);
	check("ECDSA DER + 3 zero bytes (--pad-sig)", &m, &kc, 0, KEEL_R_OK);

	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kc); add_sig(&m, &kc, 1, 1);
	check("ECDSA DER + a non-zero byte", &m, &kc, 0, KEEL_R_BAD_SIGNATURE);

	must(!keel_key_sign(&kc, zero, 32, &der), "sign");
	der.data[1] = 0x7f;     /* DER length now beyond the TLV */
	start(&m, 0, NULL, 0);
	add_hash(&m); add_keyhash(&m, &kc);
	tlv(&m.b, KEEL_TLV_ECDSA_SIG, der.data, der.len);
	check("ECDSA DER length past the TLV", &m, &kc, 0, KEEL_R_BAD_SIGNATURE);
	kbuf_free(&der);

	start(&m, 0, NULL, 0);
	add_hash(&m); tlv(&m.b, KEEL_TLV_SIG_PURE, &two, 1); add_keyhash(&m, &ka);
	add_sig(&m, &ka, 0, 0);
	check("SIG_PURE value 2", &m, &ka, 0, KEEL_R_PURE_MISMATCH);

	start(&m, 0, NULL, 0);
	add_hash(&m); tlv(&m.b, KEEL_TLV_SIG_PURE, &one, 1); add_keyhash(&m, &kc);
	add_sig(&m, &kc, 0, 0);
	check("SIG_PURE with an ECDSA key", &m, &kc, 0, KEEL_R_PURE_MISMATCH);

	start(&m, 0, NULL, 0);
	add_hash(&m); tlv(&m.b, KEEL_TLV_SIG_PURE, &one, 1); add_keyhash(&m, &ka);
	add_sig(&m, &ka, 0, 0);
	check("SIG_PURE but signed over the digest", &m, &ka, 0, KEEL_R_BAD_SIGNATURE);
}

static void protected_tlvs(void)
{
	static const uint8_t cnt4[] = { 0x50, 0, 4, 0, 9, 0, 0, 0 };
	static const uint8_t cnt3[] = { 0x50, 0, 3, 0, 9, 0, 0 };
	static const uint8_t dep11[] = { 0x40, 0, 11, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t dep12[] = { 0x40, 0, 12, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t v[4] = { 9, 0, 0, 0 };
	struct img m;

	start(&m, 0, cnt4, sizeof(cnt4));
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("SEC_CNT, 4 bytes, protected", &m, &ka, 0, KEEL_R_OK);

	start(&m, 0, cnt3, sizeof(cnt3));
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("SEC_CNT, 3 bytes", &m, &ka, 0, KEEL_R_SEC_CNT_BAD);

	start(&m, 0, NULL, 0);
	add_hash(&m); tlv(&m.b, KEEL_TLV_SEC_CNT, v, 4); add_keyhash(&m, &ka);
	add_sig(&m, &ka, 0, 0);
	check("SEC_CNT in the unprotected area", &m, &ka, 0, KEEL_R_SEC_CNT_BAD);

	start(&m, 0, dep12, sizeof(dep12));
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("DEPENDENCY, 12 bytes, protected", &m, &ka, 0, KEEL_R_OK);

	start(&m, 0, dep11, sizeof(dep11));
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("DEPENDENCY, 11 bytes", &m, &ka, 0, KEEL_R_DEPENDENCY_BAD);

	start(&m, KEEL_IMAGE_F_ENCRYPTED_AES128, NULL, 0);
	add_hash(&m); add_keyhash(&m, &ka); add_sig(&m, &ka, 0, 0);
	check("ENCRYPTED_AES128 without an ENC TLV", &m, &ka, 0, KEEL_R_ENC_NO_KEY);
}

int main(void)
{
	if (keel_key_generate(&ka, KEEL_KT_ED25519) || keel_key_generate(&kb, KEEL_KT_ED25519) ||
	    keel_key_generate(&kc, KEEL_KT_ECDSA_P256) || keel_key_generate(&kr, KEEL_KT_RSA2048)) {
		fprintf(stderr, "FAIL: key generation: %s\n", keel_lasterr());
		return 1;
	}
	key_pairs();
	lengths();
	protected_tlvs();
	keel_key_free(&ka);
	keel_key_free(&kb);
	keel_key_free(&kc);
	keel_key_free(&kr);
	printf("verify_unit: %d cases, %d failures\n", ncases, failures);
	return failures ? 1 : 0;
}
