/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image parser shared by keel-boot and the `keel` host tool. It checks
 * structure only (bounds, magics, sizes); hashes, keys and signatures are
 * core/validate.c's business.
 */
#include <string.h>

#include "keel/err.h"
#include "keel/image.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

void keel_image_header_decode(struct keel_image_header *h, const uint8_t raw[KEEL_IMAGE_HEADER_SIZE])
{
	h->magic = keel_le32(raw + 0);
	h->load_addr = keel_le32(raw + 4);
	h->hdr_size = get16(raw + 8);
	h->protect_tlv_size = get16(raw + 10);
	h->img_size = keel_le32(raw + 12);
	h->flags = keel_le32(raw + 16);
	h->ver.major = raw[20];
	h->ver.minor = raw[21];
	h->ver.revision = get16(raw + 22);
	h->ver.build = keel_le32(raw + 24);
	h->pad1 = keel_le32(raw + 28);
}

void keel_image_header_encode(const struct keel_image_header *h, uint8_t raw[KEEL_IMAGE_HEADER_SIZE])
{
	put32(raw + 0, h->magic);
	put32(raw + 4, h->load_addr);
	put16(raw + 8, h->hdr_size);
	put16(raw + 10, h->protect_tlv_size);
	put32(raw + 12, h->img_size);
	put32(raw + 16, h->flags);
	raw[20] = h->ver.major;
	raw[21] = h->ver.minor;
	put16(raw + 22, h->ver.revision);
	put32(raw + 24, h->ver.build);
	put32(raw + 28, h->pad1);
}

int keel_version_cmp(const struct keel_version *a, const struct keel_version *b, int use_build)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->revision != b->revision)
		return a->revision < b->revision ? -1 : 1;
	if (use_build && a->build != b->build)
		return a->build < b->build ? -1 : 1;
	return 0;
}

static int src_read(const struct keel_image_src *src, uint32_t off, void *buf, uint32_t len)
{
	if (off > src->size || len > src->size - off)
		return KEEL_ERANGE;
	return src->read(src->ctx, off, buf, len);
}

static int refuse(enum keel_reason *reason, enum keel_reason r)
{
	*reason = r;
	return KEEL_EBADIMG;
}

static int read_failed(enum keel_reason *reason, int rc)
{
	*reason = KEEL_R_READ_ERROR;
	return rc;
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* Reads the info header at off: magic and tot. Out of bounds is TLV_PAST_END. */
static int read_info(const struct keel_image_src *src, uint32_t off, uint16_t *magic,
		     uint16_t *tot, enum keel_reason *reason)
{
	uint8_t info[KEEL_TLV_INFO_SIZE];
	int rc;

	if (off > src->size || src->size - off < KEEL_TLV_INFO_SIZE)
		return refuse(reason, KEEL_R_TLV_PAST_END);
	rc = src_read(src, off, info, sizeof(info));
	if (rc)
		return read_failed(reason, rc);
	*magic = get16(info);
	*tot = get16(info + 2);
	return 0;
}

static int parse_header(const struct keel_image_src *src, struct keel_image_layout *lay,
			enum keel_reason *reason)
{
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE];
	const struct keel_image_header *h = &lay->hdr;
	uint64_t hashed_end;
	int rc;

	if (src->size < KEEL_IMAGE_HEADER_SIZE)
		return refuse(reason, KEEL_R_TOO_LARGE);
	rc = src_read(src, 0, raw, sizeof(raw));
	if (rc)
		return read_failed(reason, rc);
	if (all_bytes(raw, 4, 0xff) || all_bytes(raw, 4, 0x00))
		return refuse(reason, KEEL_R_NO_IMAGE);
	keel_image_header_decode(&lay->hdr, raw);
	if (h->magic != KEEL_IMAGE_MAGIC)
		return refuse(reason, KEEL_R_BAD_MAGIC);
	if (h->hdr_size < KEEL_IMAGE_HEADER_SIZE)
		return refuse(reason, KEEL_R_HDR_TOO_SMALL);
	if ((h->flags & KEEL_IMAGE_F_ENCRYPTED_AES128) && (h->flags & KEEL_IMAGE_F_ENCRYPTED_AES256))
		return refuse(reason, KEEL_R_BAD_FLAGS);
	hashed_end = (uint64_t)h->hdr_size + h->img_size + h->protect_tlv_size;
	if (hashed_end > UINT32_MAX)
		return refuse(reason, KEEL_R_SIZE_OVERFLOW);
	if (hashed_end >= src->size)
		return refuse(reason, KEEL_R_TOO_LARGE);
	lay->hashed_end = (uint32_t)hashed_end;
	lay->prot_off = (uint32_t)h->hdr_size + h->img_size;
	lay->prot_size = h->protect_tlv_size;
	return 0;
}

int keel_image_parse(const struct keel_image_src *src, struct keel_image_layout *lay,
		     enum keel_reason *reason)
{
	uint16_t magic, tot;
	int rc;

	memset(lay, 0, sizeof(*lay));
	*reason = KEEL_R_OK;
	rc = parse_header(src, lay, reason);
	if (rc)
		return rc;

	if (lay->prot_size) {
		rc = read_info(src, lay->prot_off, &magic, &tot, reason);
		if (rc)
			return rc;
		if (magic != KEEL_TLV_PROT_MAGIC)
			return refuse(reason, KEEL_R_TLV_INFO_MISSING);
		if (tot != lay->prot_size)
			return refuse(reason, KEEL_R_PROT_SIZE_MISMATCH);
	}
	lay->unprot_off = lay->hashed_end;
	rc = read_info(src, lay->unprot_off, &magic, &tot, reason);
	if (rc)
		return rc;
	if (magic == KEEL_TLV_PROT_MAGIC)
		return refuse(reason, KEEL_R_PROT_SIZE_MISMATCH);
	if (magic != KEEL_TLV_INFO_MAGIC)
		return refuse(reason, KEEL_R_TLV_INFO_MISSING);
	if (tot < KEEL_TLV_INFO_SIZE || tot > src->size - lay->unprot_off)
		return refuse(reason, KEEL_R_TLV_PAST_END);
	lay->unprot_size = tot;
	lay->end = lay->unprot_off + tot;
	return 0;
}

void keel_tlv_iter_init(struct keel_tlv_iter *it, const struct keel_image_src *src,
			const struct keel_image_layout *lay, uint16_t want, int prot_only)
{
	it->src = src;
	it->lay = lay;
	it->want = want;
	it->prot_only = prot_only;
	if (lay->prot_size) {
		it->pos = lay->prot_off + KEEL_TLV_INFO_SIZE;
		it->stop = lay->prot_off + lay->prot_size;
	} else {
		it->pos = lay->unprot_off + KEEL_TLV_INFO_SIZE;
		it->stop = prot_only ? it->pos : lay->end;
	}
}

/* Moves from the end of the protected area into the unprotected one. */
static int iter_advance_area(struct keel_tlv_iter *it)
{
	const struct keel_image_layout *lay = it->lay;

	if (it->prot_only || it->stop != lay->prot_off + lay->prot_size || !lay->prot_size)
		return 0;
	it->pos = lay->unprot_off + KEEL_TLV_INFO_SIZE;
	it->stop = lay->end;
	return 1;
}

int keel_tlv_next(struct keel_tlv_iter *it, struct keel_tlv *out)
{
	uint8_t ent[4];
	int rc;

	for (;;) {
		if (it->pos >= it->stop && !iter_advance_area(it))
			return 0;
		if (it->pos >= it->stop)
			continue;
		if (it->stop - it->pos < sizeof(ent))
			return KEEL_EBADIMG;
		rc = src_read(it->src, it->pos, ent, sizeof(ent));
		if (rc)
			return rc;
		out->type = get16(ent);
		out->len = get16(ent + 2);
		out->value_off = it->pos + sizeof(ent);
		if (out->len > it->stop - out->value_off)
			return KEEL_EBADIMG;
		out->protected_area = it->lay->prot_size &&
				      it->pos < it->lay->prot_off + it->lay->prot_size;
		it->pos = out->value_off + out->len;
		if (it->want == KEEL_TLV_ANY || it->want == out->type)
			return 1;
	}
}

int keel_dependency_decode(struct keel_dependency *d, const uint8_t *v, size_t len)
{
	if (len != 12)
		return KEEL_EBADIMG;
	d->image_id = v[0];
	d->min_ver.major = v[4];
	d->min_ver.minor = v[5];
	d->min_ver.revision = get16(v + 6);
	d->min_ver.build = keel_le32(v + 8);
	return 0;
}

const char *keel_tlv_name(uint16_t type)
{
	static const struct { uint16_t type; const char *name; } names[] = {
		{ KEEL_TLV_KEYHASH, "KEYHASH" }, { KEEL_TLV_PUBKEY, "PUBKEY" },
		{ KEEL_TLV_SHA256, "SHA256" }, { KEEL_TLV_SHA384, "SHA384" },
		{ KEEL_TLV_SHA512, "SHA512" }, { KEEL_TLV_RSA2048_PSS, "RSA2048" },
		{ KEEL_TLV_ECDSA224, "ECDSA224" }, { KEEL_TLV_ECDSA_SIG, "ECDSASIG" },
		{ KEEL_TLV_RSA3072_PSS, "RSA3072" }, { KEEL_TLV_ED25519, "ED25519" },
		{ KEEL_TLV_SIG_PURE, "SIG_PURE" }, { KEEL_TLV_ENC_RSA2048, "ENCRSA2048" },
		{ KEEL_TLV_ENC_KW, "ENCKW" }, { KEEL_TLV_ENC_EC256, "ENCEC256" },
		{ KEEL_TLV_ENC_X25519, "ENCX25519" },
		{ KEEL_TLV_ENC_X25519_SHA512, "ENCX25519_SHA512" },
		{ KEEL_TLV_DEPENDENCY, "DEPENDENCY" }, { KEEL_TLV_SEC_CNT, "SEC_CNT" },
		{ KEEL_TLV_BOOT_RECORD, "BOOT_RECORD" }, { KEEL_TLV_DECOMP_SIZE, "DECOMP_SIZE" },
		{ KEEL_TLV_DECOMP_SHA, "DECOMP_SHA" },
		{ KEEL_TLV_DECOMP_SIGNATURE, "DECOMP_SIGNATURE" },
		{ KEEL_TLV_COMP_DEC_SIZE, "COMP_DEC_SIZE" },
		{ KEEL_TLV_UUID_VID, "UUID_VID" }, { KEEL_TLV_UUID_CID, "UUID_CID" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	return NULL;
}

const char *keel_reason_str(enum keel_reason r)
{
	static const char *const text[KEEL_R__COUNT] = {
		[KEEL_R_OK] = "ok",
		[KEEL_R_READ_ERROR] = "flash read error",
		[KEEL_R_NO_IMAGE] = "no image (erased header)",
		[KEEL_R_BAD_MAGIC] = "bad header magic",
		[KEEL_R_HDR_TOO_SMALL] = "header size below 32 bytes",
		[KEEL_R_SIZE_OVERFLOW] = "header + payload + protected TLV size overflows",
		[KEEL_R_TOO_LARGE] = "image larger than the slot",
		[KEEL_R_BAD_FLAGS] = "unsupported or contradictory header flags",
		[KEEL_R_TLV_INFO_MISSING] = "TLV info header missing",
		[KEEL_R_PROT_SIZE_MISMATCH] = "protected TLV size does not match the header",
		[KEEL_R_TLV_PAST_END] = "TLV area runs past its end",
		[KEEL_R_NO_HASH] = "no image hash TLV of the expected type",
		[KEEL_R_BAD_HASH_LEN] = "hash TLV has the wrong length",
		[KEEL_R_HASH_MISMATCH] = "image hash mismatch",
		[KEEL_R_NO_SIGNATURE] = "no signature by a known key",
		[KEEL_R_UNKNOWN_KEY] = "signed by an unknown key",
		[KEEL_R_BAD_SIGNATURE] = "signature does not verify",
		[KEEL_R_SIG_ALG_UNSUPPORTED] = "signature algorithm not supported by this build",
		[KEEL_R_BAD_SIG_LEN] = "signature TLV has the wrong length",
		[KEEL_R_PURE_MISMATCH] = "pure/digest signature mode mismatch",
		[KEEL_R_SEC_CNT_MISSING] = "security counter TLV missing",
		[KEEL_R_SEC_CNT_BAD] = "malformed or unprotected security counter TLV",
		[KEEL_R_DOWNGRADE_VERSION] = "downgrade refused: lower version",
		[KEEL_R_DOWNGRADE_SEC_CNT] = "downgrade refused: security counter below the device's",
		[KEEL_R_DEPENDENCY_BAD] = "malformed or unprotected dependency TLV",
		[KEEL_R_DEPENDENCY_UNMET] = "dependency not satisfied",
		[KEEL_R_ENC_NO_KEY] = "encrypted image without a usable key TLV",
		[KEEL_R_ENC_UNWRAP_FAILED] = "image key does not unwrap with the device key",
		[KEEL_R_ENC_ALG_UNSUPPORTED] = "key-encryption algorithm not supported by this build",
		[KEEL_R_NON_BOOTABLE] = "image marked non-bootable",
		[KEEL_R_WRONG_SLOT] = "image placed in the wrong slot",
		[KEEL_R_SEC_CNT_CAPACITY] = "security counter beyond the device's capacity",
	};

	if ((unsigned)r >= KEEL_R__COUNT || !text[r])
		return "unknown reason";
	return text[r];
}
