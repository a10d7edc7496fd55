/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encrypted images: the secondary holds ciphertext (AES-CTR over the
 * payload only), the primary plaintext. The AES key comes from the image's
 * ENC TLV, unwrapped with a device key (ECIES-P256 or ECIES-X25519); the
 * swap saves both keys in the primary trailer (or the TLVs themselves with
 * KEEL_BOOT_SAVE_ENCTLV) because the TLVs move during the swap.
 */
#include <string.h>

#include "keel/err.h"
#include "swap_priv.h"

struct enc_kind_info {
	uint16_t tlv_type;
	enum keel_enc_kind kind;
	enum keel_enc_key_type key_type;
	uint16_t len128, len256;
};

static const struct enc_kind_info kinds[] = {
	{ KEEL_TLV_ENC_EC256, KEEL_ENC_EC256, KEEL_ENC_KEY_P256, 113, 129 },
	{ KEEL_TLV_ENC_X25519, KEEL_ENC_X25519, KEEL_ENC_KEY_X25519, 80, 96 },
	{ KEEL_TLV_ENC_X25519_SHA512, KEEL_ENC_X25519_SHA512, KEEL_ENC_KEY_X25519, 112, 128 },
};

static const struct enc_kind_info *kind_of(uint16_t tlv_type)
{
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].tlv_type == tlv_type)
			return &kinds[i];
	return NULL;
}

/* Tries every device key of the right type. 1 unwrapped, 0 none matched. */
static int try_keys(const struct keel_boot_config *cfg, const struct enc_kind_info *k,
		    const uint8_t *tlv, uint16_t len, uint8_t *key, uint8_t klen, int *have_key)
{
	for (size_t i = 0; i < cfg->n_enc_keys; i++) {
		if (cfg->enc_keys[i].type != k->key_type)
			continue;
		*have_key = 1;
		if (keel_ecies_unwrap(k->kind, cfg->enc_keys[i].priv, tlv, len, key, klen) == 0)
			return 1;
	}
	return 0;
}

/* Walks the ENC TLVs; on success the TLV is left in tlv/tlv_len. */
static enum keel_reason find_key(const struct keel_boot_config *cfg,
				 const struct keel_img_loc *loc,
				 const struct keel_image_layout *lay, uint8_t *key, uint8_t klen,
				 uint8_t *tlv, uint16_t *tlv_len, const char **detail)
{
	struct keel_image_src src;
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int seen = 0, unsupported = 0, have_key = 0, rc;

	keel_img_loc_src(loc, &src);
	keel_tlv_iter_init(&it, &src, lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		const struct enc_kind_info *k = kind_of(t.type);

		if (t.type == KEEL_TLV_ENC_RSA2048 || t.type == KEEL_TLV_ENC_KW) {
			unsupported = 1;
			*detail = t.type == KEEL_TLV_ENC_KW ? "AES-KW key wrap" : "RSA-OAEP key wrap";
		}
		if (!k)
			continue;
		seen = 1;
		if (t.len != (klen == 16 ? k->len128 : k->len256) ||
		    keel_area_read(loc->area, loc->base + t.value_off, tlv, t.len))
			continue;
		if (try_keys(cfg, k, tlv, t.len, key, klen, &have_key)) {
			*tlv_len = t.len;
			return KEEL_R_OK;
		}
	}
	if (rc < 0)
		return KEEL_R_TLV_PAST_END;
	if (seen && have_key)
		return KEEL_R_ENC_UNWRAP_FAILED;
	if (seen && !unsupported)
		*detail = "no device key of the image's ECIES kind";
	if (unsupported || seen)
		return KEEL_R_ENC_ALG_UNSUPPORTED;
	return KEEL_R_ENC_NO_KEY;
}

int keel_enc_unwrap(const struct keel_boot_config *cfg, const struct keel_img_loc *loc,
		    const struct keel_image_layout *lay, uint8_t *key, uint8_t *key_len,
		    enum keel_reason *reason)
{
	uint8_t tlv[132];
	uint16_t tlv_len;
	const char *detail = NULL;

	if (!(lay->hdr.flags & KEEL_IMAGE_ENC_FLAGS))
		return KEEL_ENOENT;
	*key_len = (lay->hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	*reason = find_key(cfg, loc, lay, key, *key_len, tlv, &tlv_len, &detail);
	return *reason == KEEL_R_OK ? 0 : KEEL_EBADIMG;
}

/* Loads slot i's key from an image; 0 also when the image is not encrypted. */
static int load_from_image(struct keel_img_state *st, int i, const struct keel_img_loc *loc,
			   const struct keel_image_layout *lay, enum keel_reason *reason)
{
	const struct keel_boot_config *cfg = st->c.cfg;
	struct keel_enc_state *e = &st->enc;

	if (!(lay->hdr.flags & KEEL_IMAGE_ENC_FLAGS))
		return 0;
	if (!cfg->enc_slot_len || !cfg->n_enc_keys) {
		st->sec.detail = "encrypted images (no device key or trailer key slots)";
		*reason = KEEL_R_ENC_ALG_UNSUPPORTED;
		return KEEL_EBADIMG;
	}
	e->key_len[i] = (lay->hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	*reason = find_key(cfg, loc, lay, e->key[i], e->key_len[i], e->tlv[i], &e->tlv_len[i],
			   &st->sec.detail);
	if (*reason != KEEL_R_OK)
		return KEEL_EBADIMG;
	if (keel_aes_init(&e->aes[i], e->key[i], e->key_len[i]))
		return KEEL_EINVAL;
	e->valid[i] = 1;
	return 0;
}

int keel_enc_prepare(struct keel_img_state *st, const struct keel_img_loc *pri,
		     const struct keel_img_loc *sec, enum keel_reason *reason)
{
	enum keel_reason ignored;
	int rc;

	memset(&st->enc, 0, sizeof(st->enc));
	rc = load_from_image(st, 1, sec, &st->sec.lay, reason);
	if (rc || !st->pri_ok)
		return rc;
	/*
	 * The primary's key re-encrypts it on its way out. Without it the image
	 * leaves in clear under its ENC flag, a later revert fails validation
	 * and the unconfirmed TEST image would become permanent: refuse a
	 * TEST/PERM swap up front. A revert and an overwrite never bring the
	 * outgoing image back, so they go ahead.
	 */
	if (st->pending == KEEL_SWAP_REVERT || !keel_strategy(st->c.cfg->strategy)->swaps) {
		if (load_from_image(st, 0, pri, &st->pri.lay, &ignored))
			keel_log(st->c.port, "image %u: primary's key does not unwrap: it leaves "
				 "unencrypted", st->c.image);
		return 0;
	}
	rc = load_from_image(st, 0, pri, &st->pri.lay, reason);
	if (rc == KEEL_EBADIMG)
		st->sec.detail = "the primary image's key does not unwrap, so the swap could not be "
				 "reverted";
	return rc;
}

int keel_enc_save(const struct keel_swap_ctx *c)
{
	const struct keel_enc_state *e = c->enc;
	int save_tlv = (c->cfg->flags & KEEL_BOOT_SAVE_ENCTLV) != 0;
	int rc;

	for (int i = 0; e && c->tp.key_len && i < 2; i++) {
		if (!e->valid[i])
			continue;
		if (save_tlv)
			rc = keel_trailer_write_bytes(&c->tp, c->tp.key_off[i], e->tlv[i], e->tlv_len[i]);
		else
			rc = keel_trailer_write_bytes(&c->tp, c->tp.key_off[i], e->key[i], e->key_len[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Follows the copies of steps [0, done) from the image's start location. */
static int track_header(const struct keel_swap_ctx *c, const struct keel_area *a, uint32_t off,
			uint32_t done, struct keel_image_header *h)
{
	const struct keel_strategy_ops *ops = keel_strategy(c->cfg->strategy);
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE];
	struct keel_swap_step s;
	int rc;

	for (uint32_t i = 0; i < done; i++) {
		rc = ops->step(c, i, &s);
		if (rc)
			return rc;
		if (s.src == a && off >= s.src_off && off - s.src_off < s.len) {
			off = s.dst_off + (off - s.src_off);
			a = s.dst;
		}
	}
	rc = keel_area_read(a, off, raw, sizeof(raw));
	if (rc)
		return rc;
	keel_image_header_decode(h, raw);
	return 0;
}

/* The saved ENC TLV of slot i: KEEL_ECORRUPT if no device key unwraps it. */
static int reload_tlv(const struct keel_swap_ctx *c, struct keel_enc_state *e, int i)
{
	const struct enc_kind_info *k = NULL;
	int have = 0, rc;

	for (unsigned j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
		if ((e->key_len[i] == 16 ? kinds[j].len128 : kinds[j].len256) == c->cfg->enc_slot_len)
			k = &kinds[j];
	if (!k)
		return KEEL_ECORRUPT;
	e->tlv_len[i] = (uint16_t)c->cfg->enc_slot_len;
	rc = keel_area_read(c->pri, c->tp.key_off[i], e->tlv[i], e->tlv_len[i]);
	if (rc)
		return rc;
	return try_keys(c->cfg, k, e->tlv[i], e->tlv_len[i], e->key[i], e->key_len[i], &have) ?
		       0 : KEEL_ECORRUPT;
}

/* The saved plain key of slot i: KEEL_ECORRUPT if the slot reads erased. */
static int reload_plain(const struct keel_swap_ctx *c, struct keel_enc_state *e, int i)
{
	int rc = keel_area_read(c->pri, c->tp.key_off[i], e->key[i], e->key_len[i]);

	if (!rc)
		rc = keel_area_is_erased(c->pri, c->tp.key_off[i], e->key_len[i]);
	if (rc < 0)
		return rc;
	return rc ? KEEL_ECORRUPT : 0;
}

/*
 * A half-swapped encrypted image whose key is gone cannot be converted: a
 * copy without it would leave ciphertext in the primary or plaintext in
 * the secondary, destroying both images. KEEL_ECORRUPT then, so the caller
 * moves nothing.
 */
static int reload_key(struct keel_img_state *st, int i)
{
	const struct keel_swap_ctx *c = &st->c;
	struct keel_enc_state *e = &st->enc;
	uint32_t flags = c->hdr[i].flags;
	int rc;

	if (c->hdr[i].magic != KEEL_IMAGE_MAGIC || !(flags & KEEL_IMAGE_ENC_FLAGS))
		return 0;
	e->key_len[i] = (flags & KEEL_IMAGE_F_ENCRYPTED_AES256) ? 32 : 16;
	if (c->cfg->flags & KEEL_BOOT_SAVE_ENCTLV)
		rc = reload_tlv(c, e, i);
	else
		rc = reload_plain(c, e, i);
	if (rc == KEEL_ECORRUPT)
		keel_log(c->port, "image %u: the key of the image that started in the %s is not "
			 "in the trailer", c->image, i ? "secondary" : "primary");
	if (rc)
		return rc;
	rc = keel_aes_init(&e->aes[i], e->key[i], e->key_len[i]);
	e->valid[i] = rc == 0;
	return rc;
}

int keel_enc_resume(struct keel_img_state *st, uint32_t done)
{
	struct keel_swap_ctx *c = &st->c;
	const struct keel_strategy_ops *ops = keel_strategy(c->cfg->strategy);
	int rc;

	memset(&st->enc, 0, sizeof(st->enc));
	c->enc = &st->enc;
	if (!c->cfg->enc_slot_len || !c->tp.key_len)
		return 0;
	rc = track_header(c, c->pri, 0, done, &c->hdr[0]);
	if (!rc)
		rc = track_header(c, c->sec, ops->sec_image_off(c, c->type), done, &c->hdr[1]);
	if (!rc)
		rc = reload_key(st, 0);
	if (!rc)
		rc = reload_key(st, 1);
	return rc;
}
