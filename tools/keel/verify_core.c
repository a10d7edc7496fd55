/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks of `keel verify` (order and meaning in verify_core.h). The
 * image is parsed only through core/image.c, the parser keel-boot uses, so
 * the tool refuses exactly what the bootloader's parser refuses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keel/err.h"
#include "verify_core.h"

struct vctx {
	const uint8_t *img;
	size_t len;
	struct keel_image_src src;
	const struct verify_opts *o;
	struct verify_result *r;
	uint8_t *plain;          /* decrypted copy of [0, hashed_end), or NULL */
	const uint8_t *hashed;   /* plain or img: the bytes that matched the hash TLV */
	struct keel_tlv hash;    /* the image hash TLV */
	struct keel_tlv pure;    /* SIG_PURE, if present */
	struct keel_tlv enc;     /* the ENC_* TLV chosen */
	int have_pure, have_enc, sig_skipped;
};

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (const uint8_t *)ctx + off, len);
	return 0;
}

static int fail(struct verify_result *r, enum keel_reason why, const char *fmt, ...)
	KEEL_PRINTF(3, 4);

static int fail(struct verify_result *r, enum keel_reason why, const char *fmt, ...)
{
	va_list ap;

	r->reason = why;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void setmsg(struct verify_result *r, const char *fmt, ...) KEEL_PRINTF(2, 3);

static void setmsg(struct verify_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

static int is_hash_tlv(uint16_t t)
{
	return t == KEEL_TLV_SHA256 || t == KEEL_TLV_SHA384 || t == KEEL_TLV_SHA512;
}

static int is_sig_tlv(uint16_t t)
{
	return t == KEEL_TLV_RSA2048_PSS || t == KEEL_TLV_ECDSA_SIG || t == KEEL_TLV_RSA3072_PSS ||
	       t == KEEL_TLV_ED25519 || t == KEEL_TLV_ECDSA224;
}

static int is_enc_tlv(uint16_t t)
{
	return t >= KEEL_TLV_ENC_RSA2048 && t <= KEEL_TLV_ENC_X25519_SHA512;
}

static enum keel_hashalg alg_of(uint16_t t)
{
	return t == KEEL_TLV_SHA512 ? KEEL_HASH_SHA512 :
	       t == KEEL_TLV_SHA384 ? KEEL_HASH_SHA384 : KEEL_HASH_SHA256;
}

static const char *tname(uint16_t t)
{
	const char *n = keel_tlv_name(t);

	return n ? n : "unknown";
}

static int check_structure(struct vctx *c)
{
	struct verify_result *r = c->r;
	const struct keel_image_header *h = &r->lay.hdr;
	enum keel_reason why;

	if (c->len < KEEL_IMAGE_HEADER_SIZE)
		return fail(r, KEEL_R_TOO_LARGE, "file is %zu bytes, shorter than the 32-byte header",
			    c->len);
	if (c->len > UINT32_MAX)
		return fail(r, KEEL_R_TOO_LARGE, "file is larger than 4 GiB");
	if (!keel_image_parse(&c->src, &r->lay, &why))
		return 0;
	if (why == KEEL_R_TOO_LARGE)
		return fail(r, why, "header sizes (hdr_size 0x%x + img_size 0x%x + protected "
			    "TLVs 0x%x) run past the end of the file (0x%zx bytes)",
			    h->hdr_size, h->img_size, h->protect_tlv_size, c->len);
	if (why == KEEL_R_TLV_PAST_END)
		return fail(r, why, "TLV area runs past the end of the file");
	return fail(r, why, "%s", keel_reason_str(why));
}

/* Walks every entry once: bounds, and where the hash/SIG_PURE/ENC TLVs are. */
static int walk_tlvs(struct vctx *c)
{
	struct verify_result *r = c->r;
	uint16_t want = c->o->want_sha == 512 ? KEEL_TLV_SHA512 :
			c->o->want_sha == 384 ? KEEL_TLV_SHA384 :
			c->o->want_sha == 256 ? KEEL_TLV_SHA256 : 0;
	uint16_t first_hash = 0;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int rc;

	keel_tlv_iter_init(&it, &c->src, &r->lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		if (is_hash_tlv(t.type) && !first_hash)
			first_hash = t.type;
		if (is_hash_tlv(t.type) && !r->hash_tlv && (!want || t.type == want)) {
			c->hash = t;
			r->hash_tlv = t.type;
		}
		if (t.type == KEEL_TLV_SIG_PURE && !c->have_pure) {
			c->pure = t;
			c->have_pure = 1;
		}
		if (is_enc_tlv(t.type) && !r->enc_tlv)
			r->enc_tlv = t.type;
	}
	if (rc < 0)
		return fail(r, KEEL_R_TLV_PAST_END, "TLV area runs past the end: an entry at "
			    "offset 0x%x overruns its area", it.pos);
	if (!r->hash_tlv && want && first_hash)
		return fail(r, KEEL_R_NO_HASH, "image carries a %s TLV, --sha %d asked for %s",
			    tname(first_hash), c->o->want_sha, tname(want));
	if (!r->hash_tlv)
		return fail(r, KEEL_R_NO_HASH, "image has no SHA256/SHA384/SHA512 hash TLV");
	r->hash_len = keel_hash_len(alg_of(r->hash_tlv));
	if (c->hash.len != r->hash_len)
		return fail(r, KEEL_R_BAD_HASH_LEN, "%s TLV is %u bytes, expected %zu",
			    tname(r->hash_tlv), c->hash.len, r->hash_len);
	r->pure = c->have_pure;
	return 0;
}

/* Finds the ENC TLV the given key reads, unwraps it and decrypts a copy. */
static int decrypt(struct vctx *c)
{
	struct verify_result *r = c->r;
	const struct keel_image_layout *l = &r->lay;
	size_t keylen = (l->hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	uint8_t aes[32];
	enum keel_reason why;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int found = 0;

	keel_tlv_iter_init(&it, &c->src, l, KEEL_TLV_ANY, 0);
	while (!found && keel_tlv_next(&it, &t) == 1)
		if (is_enc_tlv(t.type) && !t.protected_area && verify_enc_tlv_for(c->o->enc_key, t.type))
			found = 1;
	if (!found)
		return fail(r, KEEL_R_ENC_ALG_UNSUPPORTED, "the given %s encryption key cannot "
			    "unwrap the image's %s TLV", keel_keytype_name(c->o->enc_key->type),
			    tname(r->enc_tlv));
	r->enc_tlv = t.type;
	if (verify_enc_unwrap(c->o->enc_key, t.type, c->img + t.value_off, t.len, aes, keylen,
			      &why))
		return fail(r, why, "%s", keel_lasterr());
	c->plain = malloc(l->hashed_end);
	if (!c->plain) {
		OPENSSL_cleanse(aes, sizeof(aes));
		return fail(r, KEEL_R_READ_ERROR, "out of memory");
	}
	memcpy(c->plain, c->img, l->hashed_end);
	if (verify_aes_ctr(aes, keylen, c->plain + l->hdr.hdr_size, l->hdr.img_size)) {
		OPENSSL_cleanse(aes, sizeof(aes));
		return fail(r, KEEL_R_ENC_UNWRAP_FAILED, "AES-CTR failed in OpenSSL");
	}
	OPENSSL_cleanse(aes, sizeof(aes));
	return 0;
}

/* Hashes [0, H) of data into r->digest; 1 if it equals the hash TLV. */
static int hash_of(struct vctx *c, const uint8_t *data)
{
	struct verify_result *r = c->r;

	if (keel_hash(alg_of(r->hash_tlv), data, r->lay.hashed_end, r->digest) < 0)
		return -1;
	return !CRYPTO_memcmp(r->digest, c->img + c->hash.value_off, r->hash_len);
}

/*
 * The hash is over the plaintext. An image flagged encrypted may still
 * hold its payload in clear (imgtool/keel sign --clear, meant for direct
 * installation into the primary slot): then the stored bytes hash right,
 * which ciphertext cannot do by chance. c->hashed points at the bytes that
 * matched, NULL if none could be checked.
 */
static int check_hash(struct vctx *c)
{
	struct verify_result *r = c->r;
	int m;

	if (c->plain) {
		m = hash_of(c, c->plain);
		if (m == 1) {
			c->hashed = c->plain;
		} else if (m == 0 && hash_of(c, c->img) == 1) {
			c->hashed = c->img;
			r->clear_payload = 1;
		} else if (m == 0) {
			hash_of(c, c->plain);
			return fail(r, KEEL_R_HASH_MISMATCH, "hash mismatch: the %s TLV does not "
				    "match the hash of header, decrypted payload and protected TLVs",
				    tname(r->hash_tlv));
		}
	} else {
		m = hash_of(c, c->img);
		if (m == 1)
			c->hashed = c->img;
		r->clear_payload = m == 1 && r->encrypted;
		if (m == 0 && !r->encrypted)
			return fail(r, KEEL_R_HASH_MISMATCH, "hash mismatch: the %s TLV does not "
				    "match the hash of header, payload and protected TLVs",
				    tname(r->hash_tlv));
	}
	if (m < 0)
		return fail(r, KEEL_R_READ_ERROR, "%s", keel_lasterr());
	r->hash_checked = c->hashed != NULL;
	return 0;
}

/* 1 if the key TLV t names the given key, 0 if not, -1 if malformed. */
static int key_matches(struct vctx *c, const struct keel_tlv *t)
{
	const uint8_t *v = c->img + t->value_off;
	uint8_t h[64];
	struct kbuf der = { 0 };
	int match;

	if (t->type == KEEL_TLV_KEYHASH) {
		if (t->len != c->r->hash_len)
			return -1;
		if (keel_key_pub_hash(c->o->key, alg_of(c->r->hash_tlv), h) < 0)
			return -1;
		return !CRYPTO_memcmp(h, v, t->len);
	}
	if (keel_key_pub_der(c->o->key, &der))
		return -1;
	match = der.len == t->len && !memcmp(der.data, v, t->len);
	kbuf_free(&der);
	return match;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Checks one signature TLV against the key; -1 with r->reason on failure. */
static int check_sig(struct vctx *c, const struct keel_tlv *t)
{
	struct verify_result *r = c->r;
	const struct keel_key *k = c->o->key;
	const uint8_t *sig = c->img + t->value_off, *msg;
	size_t siglen = t->len, msglen;

	if (t->type != keel_keytype_sig_tlv(k->type))
		return fail(r, KEEL_R_BAD_SIGNATURE, "signature does not verify: a %s TLV cannot "
			    "come from a %s key", tname(t->type), keel_keytype_name(k->type));
	if (c->have_pure) {
		if (k->type != KEEL_KT_ED25519)
			return fail(r, KEEL_R_PURE_MISMATCH, "SIG_PURE is only defined for Ed25519");
		if (c->pure.len != 1 || c->img[c->pure.value_off] != 1)
			return fail(r, KEEL_R_PURE_MISMATCH, "SIG_PURE TLV must be one byte 0x01");
		if (!c->hashed) {
			c->sig_skipped = 1;
			return 0;
		}
		msg = c->hashed;
		msglen = r->lay.hashed_end;
	} else {
		msg = c->img + c->hash.value_off;
		msglen = c->hash.len;
	}
	if (k->type == KEEL_KT_ED25519 && siglen != 64)
		return fail(r, KEEL_R_BAD_SIG_LEN, "ED25519 signature TLV is %zu bytes, not 64",
			    siglen);
	if ((k->type == KEEL_KT_RSA2048 && siglen != 256) ||
	    (k->type == KEEL_KT_RSA3072 && siglen != 384))
		return fail(r, KEEL_R_BAD_SIG_LEN, "%s signature TLV is %zu bytes, not %d",
			    tname(t->type), siglen, k->type == KEEL_KT_RSA2048 ? 256 : 384);
	if (k->type == KEEL_KT_ECDSA_P256 || k->type == KEEL_KT_ECDSA_P384) {
		size_t der = keel_der_sig_len(sig, siglen);

		if (!der)
			return fail(r, KEEL_R_BAD_SIGNATURE, "signature does not verify: the "
				    "ECDSASIG TLV is not a DER SEQUENCE");
		if (!all_zero(sig + der, siglen - der))
			return fail(r, KEEL_R_BAD_SIGNATURE, "signature does not verify: non-zero "
				    "bytes after the DER signature");
		siglen = der;
	}
	if (keel_key_verify(k, msg, msglen, sig, siglen))
		return fail(r, KEEL_R_BAD_SIGNATURE, "signature does not verify (%s %s)",
			    keel_keytype_name(k->type), c->have_pure ? "over the image" :
			    "over the hash");
	r->sig_checked = 1;
	return 0;
}

/*
 * MCUboot's rule: a KEYHASH/PUBKEY selects the key for the next signature
 * TLV. Success needs one selected signature that verifies.
 */
static int check_key_and_sig(struct vctx *c)
{
	struct verify_result *r = c->r;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int selected = 0, any_key = 0, matched = 0, tried = 0, m;
	char first_msg[sizeof(r->msg)] = "";
	enum keel_reason first = KEEL_R_OK;

	keel_tlv_iter_init(&it, &c->src, &r->lay, KEEL_TLV_ANY, 0);
	while (keel_tlv_next(&it, &t) == 1) {
		if (t.protected_area)
			continue;
		if (t.type == KEEL_TLV_KEYHASH || t.type == KEEL_TLV_PUBKEY) {
			any_key |= t.type == KEEL_TLV_KEYHASH ? 1 : 2;
			m = key_matches(c, &t);
			if (m < 0 && t.type == KEEL_TLV_KEYHASH)
				return fail(r, KEEL_R_UNKNOWN_KEY, "KEYHASH TLV is %u bytes, the "
					    "image hash is %zu", t.len, r->hash_len);
			selected = m == 1;
			if (selected) {
				matched = 1;
				r->key_tlv = t.type;
			}
			continue;
		}
		if (!is_sig_tlv(t.type) || !selected)
			continue;
		selected = 0;
		tried = 1;
		r->sig_tlv = t.type;
		if (!check_sig(c, &t)) {
			r->key_checked = 1;
			return 0;
		}
		if (first == KEEL_R_OK) {
			first = r->reason;
			memcpy(first_msg, r->msg, sizeof(first_msg));
		}
	}
	if (!any_key)
		return fail(r, KEEL_R_UNKNOWN_KEY, "image carries neither a KEYHASH nor a PUBKEY TLV");
	if (!matched && any_key == 2)
		return fail(r, KEEL_R_UNKNOWN_KEY, "the PUBKEY TLV does not match the given key");
	if (!matched)
		return fail(r, KEEL_R_UNKNOWN_KEY, "key hash does not match the given key");
	r->key_checked = 1;
	if (!tried)
		return fail(r, KEEL_R_NO_SIGNATURE, "no signature TLV follows the matching %s",
			    tname(r->key_tlv));
	return fail(r, first, "%s", first_msg);
}

/* The protected TLVs keel-boot reads must be where and how it expects them. */
static int check_protected(struct vctx *c)
{
	struct verify_result *r = c->r;
	struct keel_dependency dep;
	struct keel_tlv_iter it;
	struct keel_tlv t;

	keel_tlv_iter_init(&it, &c->src, &r->lay, KEEL_TLV_ANY, 0);
	while (keel_tlv_next(&it, &t) == 1) {
		if (t.type == KEEL_TLV_SEC_CNT && (!t.protected_area || t.len != 4))
			return fail(r, KEEL_R_SEC_CNT_BAD, "%s: SEC_CNT must be 4 bytes in the "
				    "protected area (is %u bytes, %s)", keel_reason_str(KEEL_R_SEC_CNT_BAD),
				    t.len, t.protected_area ? "protected" : "unprotected");
		if (t.type == KEEL_TLV_DEPENDENCY &&
		    (!t.protected_area || keel_dependency_decode(&dep, c->img + t.value_off, t.len)))
			return fail(r, KEEL_R_DEPENDENCY_BAD, "%s: DEPENDENCY must be 12 bytes in "
				    "the protected area", keel_reason_str(KEEL_R_DEPENDENCY_BAD));
	}
	return 0;
}

static void summary(struct vctx *c)
{
	struct verify_result *r = c->r;
	char sig[128];

	if (snprintf(sig, sizeof(sig), "%s signature (%s)%s", tname(r->sig_tlv),
		 keel_keytype_name(c->o->key->type), r->pure ? " over the whole image" : "") >= (int)sizeof(sig))
		sig[sizeof(sig) - 1] = 0;
	if (r->hash_checked)
		setmsg(r, "structure, %s hash%s, %s, %s",
			 tname(r->hash_tlv), r->clear_payload ? " (payload stored in clear although "
			 "flagged encrypted)" : c->plain ? " of the decrypted payload" : "",
			 tname(r->key_tlv), sig);
	else
		setmsg(r, "payload is encrypted (key in %s TLV) and no "
			 "--enc-key was given: checked structure, %s and %s; NOT checked: the %s "
			 "TLV against the payload%s", tname(r->enc_tlv), tname(r->key_tlv),
			 c->sig_skipped ? "SIG_PURE" : sig, tname(r->hash_tlv),
			 c->sig_skipped ? " and the signature (pure, over the plaintext)" : "");
}

int verify_image(const uint8_t *img, size_t len, const struct verify_opts *o,
		 struct verify_result *res)
{
	struct vctx c;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.img = img;
	c.len = len;
	c.o = o;
	c.r = res;
	c.src.read = mem_read;
	c.src.ctx = (void *)img;
	c.src.size = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;

	rc = check_structure(&c);
	if (!rc)
		rc = walk_tlvs(&c);
	if (!rc) {
		res->encrypted = !!(res->lay.hdr.flags & (KEEL_IMAGE_F_ENCRYPTED_AES128 |
							  KEEL_IMAGE_F_ENCRYPTED_AES256));
		if (res->encrypted && !res->enc_tlv)
			rc = fail(res, KEEL_R_ENC_NO_KEY, "header says the payload is encrypted but "
				  "there is no ENC_* TLV");
		else if (res->encrypted && o->enc_key)
			rc = decrypt(&c);
	}
	if (!rc)
		rc = check_hash(&c);
	if (!rc)
		rc = check_key_and_sig(&c);
	if (!rc)
		rc = check_protected(&c);
	if (!rc) {
		summary(&c);
		rc = res->hash_checked && !c.sig_skipped ? 0 : 1;
	}
	if (c.plain) {
		OPENSSL_cleanse(c.plain, res->lay.hashed_end);
		free(c.plain);
	}
	return rc;
}
