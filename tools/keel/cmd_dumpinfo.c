/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel dumpinfo IMAGE [-o FILE] [--json | -f human|json]`
 *
 * Prints what a signed image holds: header, payload extent, both TLV
 * areas entry by entry, and, when the image is padded to a slot, the
 * trailer fields at the end. The human layout follows imgtool's dumpinfo
 * line by line so the two can be compared; the JSON form uses imgtool's
 * key names plus a few extra fields (offsets, decoded flag and trailer
 * states). Structure is checked by core/image.c, the parser keel-boot
 * uses; anything it refuses is reported and nothing is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/err.h"
#include "keel/image.h"
#include "keel.h"
#include "hexfile.h"
#include "util.h"

#define LINE_LEN 60
#define TRAILER_MAGIC_SIZE 16

static const uint8_t magic_a8[TRAILER_MAGIC_SIZE] = {
	0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
	0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};
/* Bytes 2..15 of the magic when the alignment is not 8 (bytes 0..1 = A). */
static const uint8_t magic_tail[TRAILER_MAGIC_SIZE - 2] = {
	0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77,
	0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

static const struct { uint32_t bit; const char *name; } flag_names[] = {
	{ KEEL_IMAGE_F_PIC, "PIC" },
	{ KEEL_IMAGE_F_ENCRYPTED_AES128, "ENCRYPTED_AES128" },
	{ KEEL_IMAGE_F_ENCRYPTED_AES256, "ENCRYPTED_AES256" },
	{ KEEL_IMAGE_F_NON_BOOTABLE, "NON_BOOTABLE" },
	{ KEEL_IMAGE_F_RAM_LOAD, "RAM_LOAD" },
	{ KEEL_IMAGE_F_ROM_FIXED, "ROM_FIXED" },
	{ KEEL_IMAGE_F_COMPRESSED_LZMA1, "COMPRESSED_LZMA1" },
	{ KEEL_IMAGE_F_COMPRESSED_LZMA2, "COMPRESSED_LZMA2" },
	{ KEEL_IMAGE_F_COMPRESSED_ARM_THUMB, "COMPRESSED_ARM_THUMB" },
};
#define N_FLAG_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))

struct dump_tlv {
	uint16_t type;
	uint16_t len;
	uint32_t off;           /* of the value */
};

struct dump_area {
	int present;
	uint32_t off;           /* of the info header */
	uint16_t magic;
	uint16_t tot;
	struct dump_tlv *tlvs;
	size_t n;
};

struct dump_trailer {
	int present;            /* bytes follow the TLVs */
	int magic_ok;           /* a known magic: fields below are valid */
	uint32_t max_align;
	uint32_t off;           /* lowest field decoded (swap_size) */
	uint32_t magic_off;
	uint32_t image_ok_off, copy_done_off, swap_info_off, swap_size_off;
	uint8_t image_ok, copy_done, swap_info;
	uint32_t swap_size;
	uint32_t key_field_len; /* 0 if not encrypted */
};

struct dump_info {
	const char *name;       /* base name, as imgtool prints it */
	const char *path;       /* for error messages */
	const uint8_t *img;
	size_t len;
	struct keel_image_layout lay;
	struct dump_area prot, unprot;
	struct dump_trailer tr;
};

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (const uint8_t *)ctx + off, len);
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int collect_tlvs(struct dump_info *d, const struct keel_image_src *src)
{
	struct keel_tlv_iter it;
	struct keel_tlv t;
	int rc;

	keel_tlv_iter_init(&it, src, &d->lay, KEEL_TLV_ANY, 0);
	while ((rc = keel_tlv_next(&it, &t)) == 1) {
		struct dump_area *a = t.protected_area ? &d->prot : &d->unprot;
		struct dump_tlv *n = realloc(a->tlvs, (a->n + 1) * sizeof(*n));

		if (!n) {
			keel_seterr("out of memory");
			return -1;
		}
		a->tlvs = n;
		a->tlvs[a->n].type = t.type;
		a->tlvs[a->n].len = t.len;
		a->tlvs[a->n].off = t.value_off;
		a->n++;
	}
	if (rc < 0) {
		keel_seterr("%s: a TLV entry runs past the end of its area (%s)", d->path,
			    keel_reason_str(KEEL_R_TLV_PAST_END));
		return -1;
	}
	return 0;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

/* Decodes the trailer at the end of the file, taken as the slot. */
static void read_trailer(struct dump_info *d)
{
	struct dump_trailer *tr = &d->tr;
	const uint8_t *m;
	uint32_t a, s = (uint32_t)d->len, mag_unit, keylen;

	tr->present = d->len > d->lay.end;
	if (!tr->present || d->len - d->lay.end < TRAILER_MAGIC_SIZE)
		return;
	tr->magic_off = s - TRAILER_MAGIC_SIZE;
	m = d->img + tr->magic_off;
	if (!memcmp(m, magic_a8, sizeof(magic_a8)))
		a = 8;
	else if (!memcmp(m + 2, magic_tail, sizeof(magic_tail)))
		a = le16(m);
	else
		return;
	/* Keel's own extension (A > 32) is not decoded here. */
	if (a != 8 && a != 16 && a != 32)
		return;
	mag_unit = align_up(TRAILER_MAGIC_SIZE, a);
	if ((uint64_t)mag_unit + 4u * a > d->len - d->lay.end)
		return;
	tr->magic_ok = 1;
	tr->max_align = a;
	tr->image_ok_off = s - mag_unit - a;
	tr->copy_done_off = tr->image_ok_off - a;
	tr->swap_info_off = tr->copy_done_off - a;
	tr->swap_size_off = tr->swap_info_off - a;
	tr->off = tr->swap_size_off;
	tr->image_ok = d->img[tr->image_ok_off];
	tr->copy_done = d->img[tr->copy_done_off];
	tr->swap_info = d->img[tr->swap_info_off];
	tr->swap_size = le32(d->img + tr->swap_size_off);
	keylen = 0;
	if (d->lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES128)
		keylen = 16;
	if (d->lay.hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES256)
		keylen = 32;
	tr->key_field_len = keylen ? 2 * align_up(keylen, a) : 0;
}

static int dump_parse(struct dump_info *d)
{
	struct keel_image_src src = { mem_read, (void *)d->img, 0 };
	enum keel_reason why;
	int rc;

	if (d->len > UINT32_MAX) {
		keel_seterr("%s: file larger than 4 GiB", d->path);
		return -1;
	}
	src.size = (uint32_t)d->len;
	if (d->len < KEEL_IMAGE_HEADER_SIZE) {
		keel_seterr("%s: %zu bytes is shorter than an image header (32 bytes)", d->path,
			    d->len);
		return -1;
	}
	rc = keel_image_parse(&src, &d->lay, &why);
	if (rc && why == KEEL_R_TOO_LARGE) {
		keel_seterr("%s: header sizes (hdr_size 0x%x + img_size 0x%x + protected TLVs "
			    "0x%x) run past the end of the file (0x%zx bytes)", d->path,
			    d->lay.hdr.hdr_size, d->lay.hdr.img_size, d->lay.hdr.protect_tlv_size,
			    d->len);
		return -1;
	}
	if (rc) {
		keel_seterr("%s: %s", d->path, keel_reason_str(why));
		return -1;
	}
	if (d->lay.prot_size) {
		d->prot.present = 1;
		d->prot.off = d->lay.prot_off;
		d->prot.magic = le16(d->img + d->lay.prot_off);
		d->prot.tot = le16(d->img + d->lay.prot_off + 2);
	}
	d->unprot.present = 1;
	d->unprot.off = d->lay.unprot_off;
	d->unprot.magic = KEEL_TLV_INFO_MAGIC;
	d->unprot.tot = (uint16_t)d->lay.unprot_size;
	if (collect_tlvs(d, &src))
		return -1;
	read_trailer(d);
	return 0;
}

/* ---- human format ---------------------------------------------------- */

static int row(struct kbuf *o, const char *text)
{
	size_t n = strlen(text) + 6;

	if (kbuf_printf(o, "#### %s ", text))
		return -1;
	while (n++ < LINE_LEN)
		if (kbuf_append(o, "#", 1))
			return -1;
	return kbuf_append(o, "\n", 1);
}

static int rule(struct kbuf *o)
{
	return kbuf_printf(o, "%.*s\n", LINE_LEN,
			   "####################################################################");
}

static int frame(struct kbuf *o, const char *title, const char *content)
{
	int len = (int)strlen(content), pre = (LINE_LEN - len) / 2 - 1;
	int post = LINE_LEN - 1 - pre - len - 1;

	if (row(o, title))
		return -1;
	return kbuf_printf(o, "|%*s|\n|%*s%s%*s|\n|%*s|\n", LINE_LEN - 2, "", pre, "", content,
			   post, "", LINE_LEN - 2, "") || rule(o);
}

static const char *type_name(uint16_t type)
{
	const char *n = keel_tlv_name(type);

	return n ? n : "UNKNOWN";
}

static int human_tlvs(struct kbuf *o, const struct dump_info *d, const struct dump_area *a,
		      const char *title)
{
	char buf[80];

	snprintf(buf, sizeof(buf), "%s (offset: 0x%x)", title, a->off);
	if (row(o, buf) || kbuf_printf(o, "magic:     0x%x\narea size: 0x%x\n", a->magic, a->tot))
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct dump_tlv *t = &a->tlvs[i];

		if (kbuf_printf(o, "        ---------------------------------------------\n"
				"        type: %s (0x%x)\n        len:  0x%x\n        data: ",
				type_name(t->type), t->type, t->len))
			return -1;
		for (uint32_t j = 0; j < t->len; j++) {
			if (kbuf_printf(o, "0x%02x ", d->img[t->off + j]))
				return -1;
			if ((j + 1) % 8 == 0 && j + 1 != t->len && kbuf_printf(o, "\n%14s", ""))
				return -1;
		}
		if (kbuf_append(o, "\n", 1))
			return -1;
	}
	return rule(o);
}

static int human_flags(struct kbuf *o, uint32_t flags)
{
	uint32_t rest = flags;
	int first = 1;

	if (kbuf_printf(o, "flags:              "))
		return -1;
	if (!flags)
		return kbuf_printf(o, "0x0\n");
	for (size_t i = 0; i < N_FLAG_NAMES; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		if (kbuf_printf(o, "%*s%s (0x%x)\n", first ? 0 : 20, "", flag_names[i].name,
				flag_names[i].bit))
			return -1;
		first = 0;
		rest &= ~flag_names[i].bit;
	}
	if (rest && kbuf_printf(o, "%*sUNKNOWN (0x%x)\n", first ? 0 : 20, "", rest))
		return -1;
	return 0;
}

/* MCUboot's reading of a one-byte flag: erased, 0x01, anything else. */
static const char *flag_state(uint8_t v)
{
	if (v == 0xff)
		return "UNSET";
	if (v == 0x01)
		return "SET";
	return "BAD";
}

static const char *swap_type_name(uint8_t info)
{
	switch (info & 0x0f) {
	case 2: return "TEST";
	case 3: return "PERM";
	case 4: return "REVERT";
	default: return "NONE";
	}
}

static int human_trailer(struct kbuf *o, const struct dump_info *d)
{
	const struct dump_trailer *tr = &d->tr;
	const uint8_t *m = d->img + tr->magic_off;
	char buf[80];

	snprintf(buf, sizeof(buf), "Image trailer (offset: 0x%x)", tr->off);
	if (row(o, buf) ||
	    kbuf_printf(o, "(Note: some fields may not be used, depending on the update "
			"strategy)\n\n") ||
	    kbuf_printf(o, "max align:   0x%x (from the magic)\n", tr->max_align) ||
	    kbuf_printf(o, "swap status: (len: unknown, depends on the write size and sector "
			"count)\n"))
		return -1;
	if (tr->key_field_len) {
		if (kbuf_printf(o, "enc. keys:   (len: 0x%x, if BOOT_SWAP_SAVE_ENCTLV is unset)\n",
				tr->key_field_len))
			return -1;
	} else if (kbuf_printf(o, "enc. keys:   Image not encrypted\n")) {
		return -1;
	}
	if (tr->swap_size == 0xffffffffu) {
		if (kbuf_printf(o, "swap size:   unknown\n"))
			return -1;
	} else if (kbuf_printf(o, "swap size:   0x%x octal: %u\n", tr->swap_size, tr->swap_size)) {
		return -1;
	}
	if (tr->swap_info == 0xff) {
		if (kbuf_printf(o, "swap_info:   UNSET (0xff)\n"))
			return -1;
	} else if (kbuf_printf(o, "swap_info:   %s, image %u (0x%x)\n",
			       swap_type_name(tr->swap_info), tr->swap_info >> 4, tr->swap_info)) {
		return -1;
	}
	if (kbuf_printf(o, "copy_done:   %s (0x%x)\nimage_ok:    %s (0x%x)\nboot magic:  ",
			flag_state(tr->copy_done), tr->copy_done, flag_state(tr->image_ok),
			tr->image_ok))
		return -1;
	for (int i = 0; i < TRAILER_MAGIC_SIZE; i++)
		if (kbuf_printf(o, "0x%02x %s", m[i], i == 7 ? "\n             " : ""))
			return -1;
	return kbuf_printf(o, "\n\n");
}

static int dump_human(struct kbuf *o, const struct dump_info *d)
{
	const struct keel_image_header *h = &d->lay.hdr;
	const struct keel_version *v = &h->ver;
	char buf[80];

	if (kbuf_printf(o, "Printing content of signed image: %s \n\n", d->name) ||
	    row(o, "Image header (offset: 0x0)") ||
	    kbuf_printf(o, "magic:              0x%x\nload_addr:          0x%x\n"
			"hdr_size:           0x%x\nprotected_tlv_size: 0x%x\n"
			"img_size:           0x%x\n",
			h->magic, h->load_addr, h->hdr_size, h->protect_tlv_size, h->img_size) ||
	    human_flags(o, h->flags) ||
	    kbuf_printf(o, "version:            %u.%u.%u+%u\n", v->major, v->minor, v->revision,
			v->build) ||
	    rule(o))
		return -1;
	snprintf(buf, sizeof(buf), "FW image (size: 0x%x Bytes)", h->img_size);
	{
		char title[64];

		snprintf(title, sizeof(title), "Payload (offset: 0x%x)", h->hdr_size);
		if (frame(o, title, buf))
			return -1;
	}
	if (d->prot.present && human_tlvs(o, d, &d->prot, "Protected TLV area"))
		return -1;
	if (human_tlvs(o, d, &d->unprot, "TLV area"))
		return -1;
	if (d->tr.present && !d->tr.magic_ok &&
	    kbuf_printf(o, "Warning: the trailer magic value is invalid!\n"))
		return -1;
	if (d->tr.magic_ok && human_trailer(o, d))
		return -1;
	return row(o, "End of Image ");
}

/* ---- JSON format ----------------------------------------------------- */

static int json_hex(struct kbuf *o, const uint8_t *p, size_t n)
{
	if (kbuf_append(o, "\"", 1))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (kbuf_printf(o, "%02x", p[i]))
			return -1;
	return kbuf_append(o, "\"", 1);
}

/* A file name as a JSON string: escapes quotes, backslashes, controls. */
static int json_str(struct kbuf *o, const char *s)
{
	if (kbuf_append(o, "\"", 1))
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc = (c == '"' || c == '\\') ? kbuf_printf(o, "\\%c", c)
			 : c < 0x20 ? kbuf_printf(o, "\\u%04x", c) : kbuf_append(o, s, 1);

		if (rc)
			return -1;
	}
	return kbuf_append(o, "\"", 1);
}

static int json_area(struct kbuf *o, const struct dump_info *d, const struct dump_area *a,
		     const char *hdr_key, const char *list_key)
{
	if (!a->present)
		return kbuf_printf(o, "    \"%s\": {},\n    \"%s\": []", hdr_key, list_key);
	if (kbuf_printf(o, "    \"%s\": {\"offset\": %u, \"magic\": %u, \"tlv_tot\": %u},\n"
			"    \"%s\": [", hdr_key, a->off, a->magic, a->tot, list_key))
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct dump_tlv *t = &a->tlvs[i];

		if (kbuf_printf(o, "%s\n      {\"type\": %u, \"type_name\": \"%s\", \"len\": %u, "
				"\"offset\": %u, \"data\": ", i ? "," : "", t->type,
				type_name(t->type), t->len, t->off - 4) ||
		    json_hex(o, d->img + t->off, t->len) || kbuf_append(o, "}", 1))
			return -1;
	}
	return kbuf_printf(o, "%s]", a->n ? "\n    " : "");
}

static int json_trailer(struct kbuf *o, const struct dump_info *d)
{
	const struct dump_trailer *tr = &d->tr;

	if (!tr->present)
		return kbuf_printf(o, "  \"trailer\": {}\n");
	if (!tr->magic_ok) {
		if (kbuf_printf(o, "  \"trailer\": {\"magic_state\": \"bad\", \"magic\": "))
			return -1;
		if (d->len - d->lay.end >= TRAILER_MAGIC_SIZE) {
			if (json_hex(o, d->img + d->len - TRAILER_MAGIC_SIZE, TRAILER_MAGIC_SIZE))
				return -1;
		} else if (kbuf_printf(o, "null")) {
			return -1;
		}
		return kbuf_printf(o, "}\n");
	}
	if (kbuf_printf(o, "  \"trailer\": {\n    \"offset\": %u,\n    \"max_align\": %u,\n"
			"    \"magic_state\": \"good\",\n    \"magic\": ", tr->off, tr->max_align) ||
	    json_hex(o, d->img + tr->magic_off, TRAILER_MAGIC_SIZE) ||
	    kbuf_printf(o, ",\n    \"image_ok\": %u,\n    \"image_ok_state\": \"%s\",\n"
			"    \"copy_done\": %u,\n    \"copy_done_state\": \"%s\",\n"
			"    \"swap_info\": %u,\n    \"swap_type\": \"%s\",\n"
			"    \"swap_image\": %u,\n    \"swap_size\": %u",
			tr->image_ok, flag_state(tr->image_ok), tr->copy_done,
			flag_state(tr->copy_done), tr->swap_info,
			tr->swap_info == 0xff ? "UNSET" : swap_type_name(tr->swap_info),
			tr->swap_info == 0xff ? 0 : tr->swap_info >> 4, tr->swap_size))
		return -1;
	if (tr->key_field_len && kbuf_printf(o, ",\n    \"key_field_len\": %u", tr->key_field_len))
		return -1;
	return kbuf_printf(o, "\n  }\n");
}

static int dump_json(struct kbuf *o, const struct dump_info *d)
{
	const struct keel_image_header *h = &d->lay.hdr;
	int first = 1;

	if (kbuf_printf(o, "{\n  \"filename\": ") || json_str(o, d->name) ||
	    kbuf_printf(o, ",\n  \"header\": {\n    \"magic\": %u,\n    \"load_addr\": %u,\n"
			"    \"hdr_size\": %u,\n    \"protected_tlv_size\": %u,\n"
			"    \"img_size\": %u,\n    \"flags\": %u,\n    \"flag_names\": [",
			h->magic, h->load_addr, h->hdr_size, h->protect_tlv_size, h->img_size,
			h->flags))
		return -1;
	for (size_t i = 0; i < N_FLAG_NAMES; i++) {
		if (!(h->flags & flag_names[i].bit))
			continue;
		if (kbuf_printf(o, "%s\"%s\"", first ? "" : ", ", flag_names[i].name))
			return -1;
		first = 0;
	}
	if (kbuf_printf(o, "],\n    \"version\": \"%u.%u.%u+%u\"\n  },\n"
			"  \"payload\": {\"offset\": %u, \"size\": %u},\n  \"tlv_area\": {\n",
			h->ver.major, h->ver.minor, h->ver.revision, h->ver.build, h->hdr_size,
			h->img_size) ||
	    json_area(o, d, &d->prot, "tlv_hdr_prot", "tlvs_prot") ||
	    kbuf_printf(o, ",\n") ||
	    json_area(o, d, &d->unprot, "tlv_hdr", "tlvs") ||
	    kbuf_printf(o, "\n  },\n  \"image_end\": %u,\n  \"file_size\": %zu,\n", d->lay.end,
			d->len) ||
	    json_trailer(o, d) || kbuf_printf(o, "}\n"))
		return -1;
	return 0;
}

/* ---- command --------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

enum { O_OUT = 1, O_FORMAT, O_JSON, O_SILENT };
#define USAGE_ERR 2

int cmd_dumpinfo(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "outfile", 'o', 1, O_OUT }, { "format", 'f', 1, O_FORMAT },
		{ "json", 0, 0, O_JSON }, { "silent", 's', 0, O_SILENT }, { NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	int id;
	const char *in = NULL, *out = NULL, *fmt = "human";
	struct kbuf file = { 0 }, text = { 0 };
	struct dump_info d;
	int rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		switch (id) {
		case O_OUT: out = st.val[0]; break;
		case O_FORMAT: fmt = st.val[0]; break;
		case O_JSON: fmt = "json"; break;
		case O_SILENT: break;   /* imgtool accepts it and ignores it too */
		case KOPT_POS:
			if (in) {
				keel_fail("dumpinfo", "more than one image given ('%s', '%s')", in,
					  st.pos);
				return USAGE_ERR;
			}
			in = st.pos;
			break;
		default:
			keel_fail_last("dumpinfo");
			return USAGE_ERR;
		}
	}
	if (!in) {
		keel_fail("dumpinfo", "no image given (usage: keel dumpinfo IMAGE)");
		return USAGE_ERR;
	}
	if (strcmp(fmt, "human") && strcmp(fmt, "json")) {
		keel_fail("dumpinfo", "unknown format '%s' (human or json)", fmt);
		return USAGE_ERR;
	}
	if (keel_read_image_file(in, &file))
		return keel_fail_last("dumpinfo");

	memset(&d, 0, sizeof(d));
	d.name = base_name(in);
	d.path = in;
	d.img = file.data;
	d.len = file.len;
	if (dump_parse(&d)) {
		keel_fail_last("dumpinfo");
		goto out;
	}
	if ((!strcmp(fmt, "json") ? dump_json(&text, &d) : dump_human(&text, &d))) {
		keel_fail_last("dumpinfo");
		goto out;
	}
	if (keel_write_file(out ? out : "-", text.data, text.len, 0644)) {
		keel_fail_last("dumpinfo");
		goto out;
	}
	rc = 0;
out:
	free(d.prot.tlvs);
	free(d.unprot.tlvs);
	kbuf_free(&file);
	kbuf_free(&text);
	return rc;
}
