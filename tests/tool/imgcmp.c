/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgcmp: compares an image made by `keel sign` with one imgtool made from
 * the same input and options. Every byte must match except those that are
 * random by construction:
 *  - ECDSA signature values (and their DER length, 70..72 / ~101..104,
 *    which shifts the unprotected TLV total and the following bytes);
 *  - RSA-PSS signature values (same length);
 *  - ENC_* TLV values (ephemeral key, tag, wrapped key; same length);
 *  - with --enc, the encrypted payload bytes (same length).
 * Ed25519 signatures are deterministic and must match. The image is parsed
 * with core/image.c, the parser keel-boot uses.
 *
 * --ecdsa-pad N: ECDSA signatures are zero-padded to N bytes (--pad-sig).
 *
 * usage: imgcmp [--enc] [--ecdsa-pad N] [--erased 0|0xff] MINE REFERENCE
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/err.h"
#include "keel/image.h"

static unsigned ecdsa_pad; /* --ecdsa-pad N */

struct img {
	const char *path;
	uint8_t *data;
	size_t size;
	struct keel_image_src src;
	struct keel_image_layout lay;
	struct keel_tlv tlv[64];
	int ntlv;
};

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "imgcmp: FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

static int rd(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct img *im = ctx;

	if (off > im->size || len > im->size - off)
		return KEEL_ERANGE;
	memcpy(buf, im->data + off, len);
	return 0;
}

static int load(struct img *im, const char *path)
{
	FILE *f = fopen(path, "rb");
	enum keel_reason why;
	struct keel_tlv_iter it;
	long n;
	int rc;

	im->path = path;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "imgcmp: cannot read %s\n", path);
		return -1;
	}
	im->size = (size_t)n;
	im->data = malloc(im->size ? im->size : 1);
	if (!im->data || fread(im->data, 1, im->size, f) != im->size) {
		fprintf(stderr, "imgcmp: cannot read %s\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	im->src = (struct keel_image_src){ rd, im, (uint32_t)im->size };
	if (keel_image_parse(&im->src, &im->lay, &why)) {
		fprintf(stderr, "imgcmp: %s: not a valid image: %s\n", path, keel_reason_str(why));
		return -1;
	}
	keel_tlv_iter_init(&it, &im->src, &im->lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &im->tlv[im->ntlv])) == 1) {
		if (im->tlv[im->ntlv].protected_area)
			continue;
		if (++im->ntlv == 64) {
			fprintf(stderr, "imgcmp: %s: too many TLVs\n", path);
			return -1;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "imgcmp: %s: TLV walk failed\n", path);
		return -1;
	}
	return 0;
}

/* Length of a DER SEQUENCE at p (short or 0x81 long form), 0 if none. */
static size_t der_len(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0x30 && p[1] < 0x80)
		return (size_t)p[1] + 2 <= n ? (size_t)p[1] + 2 : 0;
	if (n >= 3 && p[0] == 0x30 && p[1] == 0x81)
		return (size_t)p[2] + 3 <= n ? (size_t)p[2] + 3 : 0;
	return 0;
}

static int zeros(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* One unprotected TLV pair; *random counts bytes allowed to differ. */
static int cmp_tlv(const struct img *a, const struct img *b, int i, size_t *random)
{
	const struct keel_tlv *x = &a->tlv[i], *y = &b->tlv[i];
	const uint8_t *xv = a->data + x->value_off, *yv = b->data + y->value_off;
	size_t dx, dy;

	if (x->type != y->type)
		return fail("%s: unprotected TLV #%d has type 0x%x, the reference 0x%x", a->path, i,
			    x->type, y->type);
	switch (x->type) {
	case KEEL_TLV_ECDSA_SIG:
		dx = der_len(xv, x->len);
		dy = der_len(yv, y->len);
		if (!dx || !dy)
			return fail("%s: ECDSA TLV #%d is not DER (len %u)", a->path, i, x->len);
		if (ecdsa_pad) { /* --pad-sig: zero-padded to a fixed length */
			if (x->len != ecdsa_pad || y->len != ecdsa_pad || !zeros(xv + dx, x->len - dx) ||
			    !zeros(yv + dy, y->len - dy))
				return fail("%s: ECDSA TLV #%d is %u bytes (reference %u), not zero-padded "
					    "to %u", a->path, i, x->len, y->len, ecdsa_pad);
		} else if (dx != x->len || dy != y->len) {
			return fail("%s: ECDSA TLV #%d has %zu bytes after the DER (reference %zu)",
				    a->path, i, x->len - dx, y->len - dy);
		}
		if (dx + 3 < dy || dy + 3 < dx)
			return fail("%s: ECDSA TLV #%d length %u is not the curve's (reference %u)",
				    a->path, i, x->len, y->len);
		*random += x->len;
		return 0;
	case KEEL_TLV_RSA2048_PSS:
	case KEEL_TLV_RSA3072_PSS:
	case KEEL_TLV_ENC_RSA2048:
	case KEEL_TLV_ENC_KW:
	case KEEL_TLV_ENC_EC256:
	case KEEL_TLV_ENC_X25519:
	case KEEL_TLV_ENC_X25519_SHA512:
		if (x->len != y->len)
			return fail("%s: TLV #%d length %u differs from the reference's %u",
				    a->path, i, x->len, y->len);
		if (x->type == KEEL_TLV_ENC_EC256 && (xv[0] != 0x04 || yv[0] != 0x04))
			return fail("%s: ENC_EC256 TLV #%d does not start with an uncompressed "
				    "point", a->path, i);
		*random += x->len;
		return 0;
	default:
		if (x->len != y->len || memcmp(xv, yv, x->len))
			return fail("%s: TLV #%d (type 0x%x) differs from the reference", a->path,
				    i, x->type);
		return 0;
	}
}

static int cmp_tail(const struct img *a, const struct img *b, unsigned erased)
{
	const struct img *lo = a->lay.end <= b->lay.end ? a : b;
	uint32_t hi_end = a->lay.end > b->lay.end ? a->lay.end : b->lay.end;
	size_t tail;

	if (a->size == a->lay.end && b->size == b->lay.end)
		return 0; /* neither is padded: nothing after the TLVs */
	if (a->size != b->size)
		return fail("%s: %zu bytes, the reference %zu", a->path, a->size, b->size);
	if (hi_end > a->size)
		return fail("%s: TLV end past file end", a->path);
	tail = a->size - hi_end;
	if (memcmp(a->data + hi_end, b->data + hi_end, tail)) {
		for (size_t i = hi_end; i < a->size; i++)
			if (a->data[i] != b->data[i])
				return fail("%s: padding/trailer byte at 0x%zx is 0x%02x, the "
					    "reference 0x%02x", a->path, i, a->data[i], b->data[i]);
	}
	for (uint32_t i = lo->lay.end; i < hi_end; i++)
		if (lo->data[i] != erased)
			return fail("%s: byte 0x%x after the TLVs is 0x%02x, not erased", lo->path, i,
				    lo->data[i]);
	return 0;
}

int main(int argc, char **argv)
{
	struct img a = { 0 }, b = { 0 };
	unsigned erased = 0xff;
	int enc = 0, i = 1, rc;
	size_t random = 0;
	uint32_t p0, p1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--enc") == 0)
			enc = 1;
		else if (strcmp(argv[i], "--ecdsa-pad") == 0 && i + 1 < argc)
			ecdsa_pad = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--erased") == 0 && i + 1 < argc)
			erased = (unsigned)strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: imgcmp [--enc] [--ecdsa-pad N] [--erased 0|0xff] MINE REFERENCE\n");
		return 2;
	}
	if (load(&a, argv[i]) || load(&b, argv[i + 1]))
		return 1;
	p0 = a.lay.hdr.hdr_size;
	p1 = p0 + a.lay.hdr.img_size;
	if (memcmp(a.data, b.data, KEEL_IMAGE_HEADER_SIZE))
		return fail("%s: header differs from the reference", a.path);
	if (memcmp(a.data, b.data, p0))
		return fail("%s: header padding differs", a.path);
	if (!enc && memcmp(a.data + p0, b.data + p0, p1 - p0))
		return fail("%s: payload differs from the reference", a.path);
	if (enc) {
		if (!(a.lay.hdr.flags & (KEEL_IMAGE_F_ENCRYPTED_AES128 | KEEL_IMAGE_F_ENCRYPTED_AES256)))
			return fail("%s: --enc but the image has no encrypted flag", a.path);
		if (!memcmp(a.data + p0, b.data + p0, p1 - p0))
			return fail("%s: encrypted payload equals the reference's (same key?)",
				    a.path);
		random += p1 - p0;
	}
	if (a.lay.prot_size != b.lay.prot_size ||
	    memcmp(a.data + a.lay.prot_off, b.data + b.lay.prot_off, a.lay.prot_size))
		return fail("%s: protected TLV area differs (%u vs %u bytes)", a.path,
			    a.lay.prot_size, b.lay.prot_size);
	if (a.ntlv != b.ntlv)
		return fail("%s: %d unprotected TLVs, the reference %d", a.path, a.ntlv,
			    b.ntlv);
	for (int t = 0; t < a.ntlv; t++)
		if ((rc = cmp_tlv(&a, &b, t, &random)))
			return rc;
	if ((rc = cmp_tail(&a, &b, erased)))
		return rc;
	printf("imgcmp: OK %s = %s: %lu bytes, %d unprotected TLVs, %zu random bytes allowed "
	       "to differ\n", a.path, b.path, (unsigned long)a.size, a.ntlv, random);
	free(a.data);
	free(b.data);
	return 0;
}
