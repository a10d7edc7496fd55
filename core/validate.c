/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image validation: the image is bootable only if its hash over the
 * plaintext matches and a signature by a built-in key verifies. Every
 * refusal carries its own enum keel_reason so logs and tests name it.
 */
#include <string.h>

#include "boot_priv.h"
#include "keel/err.h"

/* What one pass over the TLVs found. */
struct tlv_scan {
	int hash_ok, hash_seen, hash_bad_len, hash_mismatch, sha384_seen;
	int key_seen, unknown_key, sig_ok, sig_bad, sig_bad_len, sig_unsupported, pure;
	const struct keel_pubkey *key;      /* selected by the last KEYHASH/PUBKEY */
	const char *unsupported;            /* algorithm this build cannot verify */
	uint8_t digest[KEEL_SHA512_LEN];
	size_t digest_len;
};

static int loc_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct keel_img_loc *loc = ctx;

	return keel_area_read(loc->area, loc->base + off, buf, len);
}

void keel_img_loc_src(const struct keel_img_loc *loc, struct keel_image_src *src)
{
	src->read = loc_read;
	src->ctx = (void *)loc;
	src->size = loc->limit;
}

int keel_image_stream(const struct keel_port *port, const struct keel_img_loc *loc,
		      const struct keel_image_header *hdr, uint32_t len, keel_stream_fn fn,
		      void *ctx)
{
	static const uint8_t iv[16];
	uint8_t buf[KEEL_COPY_CHUNK];
	uint32_t pay_lo = hdr->hdr_size, pay_hi = hdr->hdr_size + hdr->img_size;

	for (uint32_t off = 0; off < len;) {
		uint32_t n = len - off < sizeof(buf) ? len - off : (uint32_t)sizeof(buf);
		int rc = keel_area_read(loc->area, loc->base + off, buf, n);

		if (rc)
			return rc;
		if (loc->aes && off + n > pay_lo && off < pay_hi) {
			uint32_t lo = off > pay_lo ? off : pay_lo;
			uint32_t hi = off + n < pay_hi ? off + n : pay_hi;

			keel_aes_ctr(loc->aes, iv, lo - pay_lo, buf + (lo - off), buf + (lo - off),
				     hi - lo);
		}
		fn(ctx, buf, n);
		keel_feed(port);
		off += n;
	}
	return 0;
}

static void hash_cb(void *ctx, const uint8_t *p, size_t n)
{
	keel_hash_update(ctx, p, n);
}

static int hash_image(const struct keel_boot_config *cfg, const struct keel_port *port,
		      const struct keel_img_loc *loc, const struct keel_image_layout *lay,
		      struct tlv_scan *s)
{
	struct keel_hash h;
	int rc = keel_hash_init(&h, cfg->hash_alg);

	if (rc)
		return rc;
	rc = keel_image_stream(port, loc, &lay->hdr, lay->hashed_end, hash_cb, &h);
	if (rc)
		return rc;
	s->digest_len = keel_hash_len(cfg->hash_alg);
	keel_hash_final(&h, s->digest);
	return 0;
}

static int read_value(const struct keel_img_loc *loc, const struct keel_tlv *t, uint8_t *buf,
		      size_t cap)
{
	if (t->len > cap)
		return KEEL_ENOSPC;
	return keel_area_read(loc->area, loc->base + t->value_off, buf, t->len);
}

static void on_hash(const struct keel_boot_config *cfg, const struct keel_tlv *t,
		    const uint8_t *v, struct tlv_scan *s)
{
	uint16_t want = cfg->hash_alg == KEEL_HASH_SHA512 ? KEEL_TLV_SHA512 : KEEL_TLV_SHA256;

	if (t->type == KEEL_TLV_SHA384)
		s->sha384_seen = 1;
	if (t->type != want)
		return;
	s->hash_seen = 1;
	if (t->len != s->digest_len)
		s->hash_bad_len = 1;
	else if (keel_ct_compare(v, s->digest, s->digest_len) == 0)
		s->hash_ok = 1;
	else
		s->hash_mismatch = 1;
}

/* KEYHASH is the image hash of the built-in DER blob; PUBKEY is the blob. */
static void on_key(const struct keel_boot_config *cfg, const struct keel_tlv *t,
		   const uint8_t *v, struct tlv_scan *s)
{
	uint8_t h[KEEL_SHA512_LEN];
	size_t hl = keel_hash_len(cfg->hash_alg);

	s->key = NULL;
	s->key_seen = 1;
	for (size_t i = 0; i < cfg->n_keys; i++) {
		const struct keel_pubkey *k = &cfg->keys[i];

		if (t->type == KEEL_TLV_PUBKEY) {
			if (k->der_len == t->len && memcmp(k->der, v, t->len) == 0)
				s->key = k;
			continue;
		}
		struct keel_hash ctx;

		if (t->len != hl || keel_hash_init(&ctx, cfg->hash_alg))
			continue;
		keel_hash_update(&ctx, k->der, k->der_len);
		keel_hash_final(&ctx, h);
		if (keel_ct_compare(h, v, hl) == 0)
			s->key = k;
	}
	if (!s->key)
		s->unknown_key = 1;
}

static const struct keel_sig_alg *find_alg(uint16_t tlv_type, enum keel_key_type kt)
{
	for (unsigned i = 0; i < keel_sig_algs_count; i++)
		if (keel_sig_algs[i]->tlv_type == tlv_type && keel_sig_algs[i]->key_type == kt)
			return keel_sig_algs[i];
	return NULL;
}

static void on_sig(const struct keel_port *port, const struct keel_img_loc *loc,
		   const struct keel_image_layout *lay, const struct keel_tlv *t,
		   const uint8_t *v, struct tlv_scan *s)
{
	const struct keel_sig_alg *alg;
	int rc;

	if (!s->key)
		return;
	alg = find_alg(t->type, s->key->type);
	if (!alg || (s->pure && !alg->verify_pure)) {
		s->sig_unsupported = 1;
		s->unsupported = s->key->type == KEEL_KEY_ECDSA_P384 ? "ECDSA-P384"
				 : alg ? "pure signature" : keel_tlv_name(t->type);
	} else {
		if (s->pure)
			rc = alg->verify_pure(s->key, v, t->len, port, loc, lay);
		else
			rc = alg->verify(s->key, s->digest, s->digest_len, v, t->len);
		if (rc == 0)
			s->sig_ok = 1;
		else if (rc == KEEL_EINVAL)
			s->sig_bad_len = 1;
		else
			s->sig_bad = 1;
	}
	s->key = NULL;
}

static int is_sig_type(uint16_t type)
{
	return type == KEEL_TLV_RSA2048_PSS || type == KEEL_TLV_ECDSA_SIG ||
	       type == KEEL_TLV_RSA3072_PSS || type == KEEL_TLV_ED25519 ||
	       type == KEEL_TLV_ECDSA224;
}

/* SIG_PURE changes what every signature covers, so find it before the walk. */
static int find_pure(const struct keel_img_loc *loc, const struct keel_image_layout *lay,
		     struct tlv_scan *s, enum keel_reason *reason)
{
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	uint8_t v = 0;
	int rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, KEEL_TLV_SIG_PURE, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		if (t.len != 1 || read_value(loc, &t, &v, 1) || v != 1) {
			*reason = KEEL_R_PURE_MISMATCH;
			return KEEL_EBADIMG;
		}
		s->pure = 1;
	}
	if (rc == KEEL_EBADIMG)
		*reason = KEEL_R_TLV_PAST_END;
	return rc;
}

static int scan_tlvs(const struct keel_boot_config *cfg, const struct keel_port *port,
		     const struct keel_img_loc *loc, const struct keel_image_layout *lay,
		     struct tlv_scan *s, enum keel_reason *reason)
{
	uint8_t v[512];
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		int hash = t.type == KEEL_TLV_SHA256 || t.type == KEEL_TLV_SHA384 ||
			   t.type == KEEL_TLV_SHA512;
		int key = t.type == KEEL_TLV_KEYHASH || t.type == KEEL_TLV_PUBKEY;

		if (!hash && !key && !is_sig_type(t.type))
			continue;
		rc = read_value(loc, &t, v, sizeof(v));
		if (rc == KEEL_ENOSPC) {
			s->sig_bad_len |= !hash && !key;
			s->key = NULL;
			continue;
		}
		if (rc)
			break;
		if (hash)
			on_hash(cfg, &t, v, s);
		else if (key)
			on_key(cfg, &t, v, s);
		else
			on_sig(port, loc, lay, &t, v, s);
	}
	if (rc == KEEL_EBADIMG)
		*reason = KEEL_R_TLV_PAST_END;
	else if (rc)
		*reason = KEEL_R_READ_ERROR;
	return rc;
}

/* The first defect in order of how basic it is. */
static enum keel_reason scan_verdict(const struct tlv_scan *s)
{
	if (!s->hash_seen && !s->pure)
		return s->sha384_seen ? KEEL_R_SIG_ALG_UNSUPPORTED : KEEL_R_NO_HASH;
	if (s->hash_bad_len)
		return KEEL_R_BAD_HASH_LEN;
	/* A second hash TLV that disagrees is not outvoted by one that agrees. */
	if (s->hash_mismatch)
		return KEEL_R_HASH_MISMATCH;
	if (s->sig_ok)
		return KEEL_R_OK;
	if (s->sig_bad)
		return KEEL_R_BAD_SIGNATURE;
	if (s->sig_bad_len)
		return KEEL_R_BAD_SIG_LEN;
	if (s->sig_unsupported)
		return KEEL_R_SIG_ALG_UNSUPPORTED;
	if (s->unknown_key)
		return KEEL_R_UNKNOWN_KEY;
	return KEEL_R_NO_SIGNATURE;
}

static int check_flags(const struct keel_image_header *h, uint32_t rom_addr,
		       enum keel_reason *reason)
{
	uint32_t unsupported = KEEL_IMAGE_F_PIC | KEEL_IMAGE_F_COMPRESSED_LZMA1 |
			       KEEL_IMAGE_F_COMPRESSED_LZMA2 | KEEL_IMAGE_F_COMPRESSED_ARM_THUMB |
			       KEEL_IMAGE_F_RAM_LOAD;

	if (h->flags & KEEL_IMAGE_F_NON_BOOTABLE) {
		*reason = KEEL_R_NON_BOOTABLE;
		return KEEL_EBADIMG;
	}
	if (h->flags & unsupported) {
		*reason = KEEL_R_BAD_FLAGS;
		return KEEL_EBADIMG;
	}
	/* Linked for a fixed address: only where the primary is mapped. */
	if ((h->flags & KEEL_IMAGE_F_ROM_FIXED) && h->load_addr != rom_addr) {
		*reason = KEEL_R_WRONG_SLOT;
		return KEEL_EBADIMG;
	}
	return 0;
}

/* SEC_CNT and DEPENDENCY are trusted only from the protected area. */
static int scan_protected(const struct keel_img_loc *loc, const struct keel_image_layout *lay,
			  struct keel_image_info *info, enum keel_reason *reason)
{
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	uint8_t v[12];
	int rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, KEEL_TLV_ANY, 1);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		if (t.type == KEEL_TLV_SEC_CNT) {
			if (t.len != 4 || info->has_sec_cnt) {
				*reason = KEEL_R_SEC_CNT_BAD;
				return KEEL_EBADIMG;
			}
			rc = read_value(loc, &t, v, 4);
			if (rc)
				break;
			info->sec_cnt = keel_le32(v);
			info->has_sec_cnt = 1;
		} else if (t.type == KEEL_TLV_DEPENDENCY) {
			if (t.len != 12 || info->n_deps >= 4 || read_value(loc, &t, v, 12) ||
			    keel_dependency_decode(&info->deps[info->n_deps], v, 12)) {
				*reason = KEEL_R_DEPENDENCY_BAD;
				return KEEL_EBADIMG;
			}
			info->n_deps++;
		}
	}
	if (rc == KEEL_EBADIMG)
		*reason = KEEL_R_TLV_PAST_END;
	else if (rc)
		*reason = KEEL_R_READ_ERROR;
	return rc;
}

/*
 * A SEC_CNT or DEPENDENCY outside the protected area is unsigned data that
 * claims a policy role: refuse the image rather than silently ignore it.
 */
static int check_unprotected(const struct keel_img_loc *loc, const struct keel_image_layout *lay,
			     enum keel_reason *reason)
{
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		if (t.protected_area)
			continue;
		if (t.type == KEEL_TLV_SEC_CNT || t.type == KEEL_TLV_DEPENDENCY) {
			*reason = t.type == KEEL_TLV_SEC_CNT ? KEEL_R_SEC_CNT_BAD
							     : KEEL_R_DEPENDENCY_BAD;
			return KEEL_EBADIMG;
		}
	}
	if (rc == KEEL_EBADIMG)
		*reason = KEEL_R_TLV_PAST_END;
	else if (rc)
		*reason = KEEL_R_READ_ERROR;
	return rc;
}

int keel_image_probe(const struct keel_img_loc *loc, struct keel_image_info *info,
		     enum keel_reason *reason)
{
	struct keel_image_src src;
	int rc;

	memset(info, 0, sizeof(*info));
	keel_img_loc_src(loc, &src);
	rc = keel_image_parse(&src, &info->lay, reason);
	if (rc)
		return rc;
	return scan_protected(loc, &info->lay, info, reason);
}

static int check_counter(const struct keel_boot_config *cfg, const struct keel_port *port,
			 uint32_t image, const struct keel_image_info *info,
			 enum keel_reason *reason)
{
	const struct keel_nv_counter_ops *nv = port->nv_counter;
	uint32_t cur = 0;
	int rc;

	if (!info->has_sec_cnt) {
		*reason = KEEL_R_SEC_CNT_MISSING;
		return (cfg->flags & KEEL_BOOT_REQUIRE_SEC_CNT) ? KEEL_EBADIMG : 0;
	}
	if (!(cfg->flags & KEEL_BOOT_HW_ROLLBACK) || !nv)
		return 0;
	if (info->sec_cnt > nv->capacity(nv->ctx, image)) {
		*reason = KEEL_R_SEC_CNT_CAPACITY;
		return KEEL_EBADIMG;
	}
	rc = nv->read(nv->ctx, image, &cur);
	if (rc) {
		*reason = KEEL_R_READ_ERROR;
		return rc;
	}
	if (info->sec_cnt < cur) {
		*reason = KEEL_R_DOWNGRADE_SEC_CNT;
		return KEEL_ESTALE;
	}
	return 0;
}

int keel_image_validate(const struct keel_boot_config *cfg, const struct keel_port *port,
			uint32_t image, const struct keel_img_loc *loc,
			struct keel_image_info *info, enum keel_reason *reason)
{
	struct tlv_scan s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = keel_image_probe(loc, info, reason);
	if (rc)
		return rc;
	rc = check_flags(&info->lay.hdr, cfg->images[image].rom_addr, reason);
	if (!rc)
		rc = find_pure(loc, &info->lay, &s, reason);
	if (rc)
		return rc;
	rc = hash_image(cfg, port, loc, &info->lay, &s);
	if (rc) {
		*reason = KEEL_R_READ_ERROR;
		return rc;
	}
	rc = scan_tlvs(cfg, port, loc, &info->lay, &s, reason);
	if (rc)
		return rc;
	*reason = scan_verdict(&s);
	if (*reason == KEEL_R_SIG_ALG_UNSUPPORTED)
		info->detail = s.unsupported ? s.unsupported : "ECDSA-P384 (SHA-384 image hash)";
	if (*reason != KEEL_R_OK)
		return KEEL_EBADIMG;
	/* After the counter: a required SEC_CNT absent from the protected area
	 * is reported as missing even if a stray one sits unprotected. */
	rc = check_counter(cfg, port, image, info, reason);
	if (!rc)
		rc = check_unprotected(loc, &info->lay, reason);
	if (rc == 0)
		*reason = KEEL_R_OK;
	return rc;
}
