/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp image` (esptool elf2image for the ESP32-C3) and `keel esp info`
 * (image-info). Layout rules: espressif.md §1; the segment ordering, the
 * 64 KiB alignment of flash-mapped segments with filler segments and the
 * ELF SHA-256 patch at 0xB0 follow esptool v5.3.1 so that the output is
 * byte-identical to its images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "esp.h"

#define IROM_ALIGN 0x10000u
#define SEG_HDR 8u
#define ELF_SHA_OFF 0xB0u

struct memrange {
	uint32_t lo, hi;
	const char *name;
};

/* esptool's ESP32C3ROM.MEMORY_MAP, half-open ranges, in its order. */
static const struct memrange memmap[] = {
	{ 0x00000000, 0x00010000, "PADDING" },
	{ 0x3C000000, 0x3C800000, "DROM" },
	{ 0x3FC80000, 0x3FCE0000, "DRAM" },
	{ 0x3FC88000, 0x3FD00000, "BYTE_ACCESSIBLE" },
	{ 0x3FF00000, 0x3FF20000, "DROM_MASK" },
	{ 0x40000000, 0x40060000, "IROM_MASK" },
	{ 0x42000000, 0x42800000, "IROM" },
	{ 0x4037C000, 0x403E0000, "IRAM" },
	{ 0x50000000, 0x50002000, "RTC_IRAM" },
	{ 0x50000000, 0x50002000, "RTC_DRAM" },
	{ 0x600FE000, 0x60100000, "MEM_INTERNAL2" },
};
#define NMEM (sizeof(memmap) / sizeof(memmap[0]))

int esp_is_flash_addr(uint32_t a)
{
	return (a >= 0x42000000u && a < 0x42800000u) || (a >= 0x3C000000u && a < 0x3C800000u);
}

static unsigned memmask(uint32_t a)
{
	unsigned m = 0;

	for (size_t i = 0; i < NMEM; i++)
		if (a >= memmap[i].lo && a < memmap[i].hi)
			m |= 1u << i;
	return m;
}

void esp_mem_types(uint32_t a, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NMEM; i++)
		if (a >= memmap[i].lo && a < memmap[i].hi && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "",
						 memmap[i].name);
}

/* ---------------------------------------------------------------- build */

struct build_opts {
	uint8_t mode, size_freq, min_rev, hash;
	uint16_t min_rev_full, max_rev_full;
	uint64_t pad_to;
	int use_segments, secure_pad;
	int64_t sha_off; /* -1 = decide by .flash.appdesc */
};

/* Merges neighbours that touch and share memory classes (esptool walks back to front). */
static int merge_adjacent(struct esp_seglist *l)
{
	int merged = 0;

	for (size_t i = l->n; i-- > 1;) {
		struct esp_seg *a = &l->v[i - 1], *b = &l->v[i];
		uint8_t *nd;

		if (memmask(a->addr) != memmask(b->addr) || (uint64_t)a->addr + a->len != b->addr)
			continue;
		nd = realloc(a->data, a->len + b->len ? a->len + b->len : 1);
		if (!nd) {
			keel_seterr("out of memory");
			return -1;
		}
		memcpy(nd + a->len, b->data, b->len);
		a->data = nd;
		a->len += b->len;
		free(b->data);
		memmove(b, b + 1, (l->n - i - 1) * sizeof(*b));
		l->n--;
		merged++;
	}
	return merged;
}

/* Stable sort by address (insertion sort: a handful of segments). */
static void sort_by_addr(struct esp_seg **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct esp_seg *x = v[i];
		size_t j = i;

		while (j > 0 && v[j - 1]->addr > x->addr) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static void move_to_front(struct esp_seg **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->name, name) == 0) {
			struct esp_seg *x = v[i];

			memmove(v + 1, v, i * sizeof(*v));
			v[0] = x;
			return;
		}
}

struct writer {
	struct kbuf out;
	uint8_t cksum;
	unsigned count;
	int64_t sha_off;
	uint8_t elf_sha[32];
};

/* Writes one segment (header + data; NULL data = zeros), patching the ELF SHA-256 as elf2image does. */
static int write_segment(struct writer *w, uint32_t addr, const uint8_t *data, size_t len)
{
	size_t pos = w->out.len;
	uint8_t hdr[8];

	if (w->count >= ESP_MAX_SEGMENTS) {
		keel_seterr("the image needs more than %d segments (linker script problem?)",
			    ESP_MAX_SEGMENTS);
		return -1;
	}
	if (len >= 0x1000000) {
		keel_seterr("segment at 0x%08x is 0x%zx bytes (16 MiB or more)", addr, len);
		return -1;
	}
	esp_put32(hdr, addr);
	esp_put32(hdr + 4, (uint32_t)len);
	/* data NULL = a zero filler (esptool's fillers can exceed 64 KiB). */
	if (kbuf_append(&w->out, hdr, 8) ||
	    (data ? kbuf_append(&w->out, data, len) : kbuf_fill(&w->out, 0, len)))
		return -1;
	if (w->sha_off >= 0 && (uint64_t)w->sha_off >= pos && (uint64_t)w->sha_off < pos + len) {
		size_t r = (size_t)w->sha_off - pos;
		uint8_t *d = w->out.data + pos + 8;

		if (r < SEG_HDR || r + 32 > len) {
			keel_seterr("cannot place the ELF SHA-256 at 0x%llx on a segment boundary",
				    (unsigned long long)w->sha_off);
			return -1;
		}
		r -= SEG_HDR;
		for (size_t k = 0; k < 32; k++)
			if (d[r + k]) {
				keel_seterr("segment bytes at the ELF SHA-256 offset 0x%llx are not "
					    "all zero; refusing to overwrite them",
					    (unsigned long long)w->sha_off);
				return -1;
			}
		memcpy(d + r, w->elf_sha, 32);
	}
	for (size_t k = 0; k < len; k++)
		w->cksum ^= w->out.data[pos + 8 + k];
	w->count++;
	return 0;
}

/* Filler needed before flash segment at vaddr so its data lands at vaddr mod 64 KiB. */
static size_t align_needed(size_t pos, uint32_t vaddr)
{
	long pad = (long)(IROM_ALIGN - pos % IROM_ALIGN) + (long)(vaddr % IROM_ALIGN) - (long)SEG_HDR;

	if (pad == 0 || pad == (long)IROM_ALIGN)
		return 0;
	pad -= SEG_HDR;
	if (pad < 0)
		pad += IROM_ALIGN;
	return (size_t)pad;
}

static int layout(struct writer *w, struct esp_seg **fl, size_t nf, struct esp_seg **ram,
		  size_t nr)
{
	size_t fi = 0, ri = 0, roff = 0; /* roff: bytes of ram[ri] already written */

	while (fi < nf) {
		struct esp_seg *s = fl[fi];
		size_t pad = align_needed(w->out.len, s->addr);

		if (pad == 0) {
			if (write_segment(w, s->addr, s->data, s->len))
				return -1;
			fi++;
			continue;
		}
		if (ri < nr && pad > SEG_HDR) {
			struct esp_seg *r = ram[ri];
			size_t take = r->len - roff < pad ? r->len - roff : pad;

			if (write_segment(w, r->addr + (uint32_t)roff, r->data + roff, take))
				return -1;
			roff += take;
			if (roff == r->len) {
				ri++;
				roff = 0;
			}
		} else if (write_segment(w, 0, NULL, pad)) {
			return -1;
		}
	}
	for (; ri < nr; ri++, roff = 0)
		if (write_segment(w, ram[ri]->addr + (uint32_t)roff, ram[ri]->data + roff,
				  ram[ri]->len - roff))
			return -1;
	return 0;
}

static int finish(struct writer *w, const struct build_opts *o)
{
	uint8_t md[32];

	if (o->secure_pad) {
		size_t pad = (IROM_ALIGN - (w->out.len + SEG_HDR) % IROM_ALIGN - 16 - 32 +
			      2 * IROM_ALIGN) % IROM_ALIGN;

		if (write_segment(w, 0, NULL, pad))
			return -1;
	}
	w->out.data[1] = (uint8_t)w->count;
	if (kbuf_fill(&w->out, 0, 15 - w->out.len % 16) || kbuf_append(&w->out, &w->cksum, 1))
		return -1;
	if (o->hash) {
		if (EVP_Digest(w->out.data, w->out.len, md, NULL, EVP_sha256(), NULL) != 1) {
			keel_seterr("SHA-256 failed in OpenSSL");
			return -1;
		}
		if (kbuf_append(&w->out, md, 32))
			return -1;
	}
	if (o->pad_to && w->out.len % o->pad_to &&
	    kbuf_fill(&w->out, 0xFF, (size_t)(o->pad_to - w->out.len % o->pad_to)))
		return -1;
	return 0;
}

static int build(const uint8_t *elf, size_t elflen, const struct build_opts *o, struct kbuf *out,
		 int *merged_out)
{
	struct esp_seglist l;
	struct esp_seg **fl = NULL, **ram = NULL;
	size_t nf = 0, nr = 0;
	struct writer w;
	uint32_t entry;
	uint8_t hdr[24] = { 0 };
	int rc = -1, merged;

	memset(&w, 0, sizeof(w));
	w.cksum = 0xEF;
	if (esp_elf_read(elf, elflen, o->use_segments, &l, NULL, &entry))
		return -1;
	merged = merge_adjacent(&l);
	if (merged < 0)
		goto out;
	*merged_out = merged;
	fl = calloc(l.n + 1, sizeof(*fl));
	ram = calloc(l.n + 1, sizeof(*ram));
	if (!fl || !ram) {
		keel_seterr("out of memory");
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		if (esp_is_flash_addr(l.v[i].addr))
			fl[nf++] = &l.v[i];
		else
			ram[nr++] = &l.v[i];
	}
	sort_by_addr(fl, nf);
	sort_by_addr(ram, nr);
	move_to_front(fl, nf, ".flash.appdesc");
	move_to_front(ram, nr, ".dram0.bootdesc");
	for (size_t i = 1; i < nf; i++)
		if (fl[i]->addr / IROM_ALIGN == fl[i - 1]->addr / IROM_ALIGN) {
			keel_seterr("segment at 0x%08x lands in the same 64 KiB flash mapping as the "
				    "one at 0x%08x; merge the sections in the linker script",
				    fl[i]->addr, fl[i - 1]->addr);
			goto out;
		}
	w.sha_off = o->sha_off;
	if (w.sha_off < 0) {
		w.sha_off = -1;
		for (size_t i = 0; i < nf; i++)
			if (strcmp(fl[i]->name, ".flash.appdesc") == 0)
				w.sha_off = ELF_SHA_OFF;
	}
	if (w.sha_off >= 0 && EVP_Digest(elf, elflen, w.elf_sha, NULL, EVP_sha256(), NULL) != 1) {
		keel_seterr("SHA-256 failed in OpenSSL");
		goto out;
	}
	hdr[0] = ESP_IMAGE_MAGIC;
	hdr[2] = o->mode;
	hdr[3] = o->size_freq;
	esp_put32(hdr + 4, entry);
	hdr[8] = 0xEE;
	hdr[12] = ESP_CHIP_ID_C3;
	hdr[14] = o->min_rev;
	hdr[15] = (uint8_t)o->min_rev_full;
	hdr[16] = (uint8_t)(o->min_rev_full >> 8);
	hdr[17] = (uint8_t)o->max_rev_full;
	hdr[18] = (uint8_t)(o->max_rev_full >> 8);
	hdr[23] = o->hash;
	if (kbuf_append(&w.out, hdr, sizeof(hdr)) || layout(&w, fl, nf, ram, nr) || finish(&w, o))
		goto out;
	*out = w.out;
	memset(&w.out, 0, sizeof(w.out));
	rc = 0;
out:
	kbuf_free(&w.out);
	free(fl);
	free(ram);
	esp_seglist_free(&l);
	return rc;
}

static const char *const modes[] = { "qio", "qout", "dio", "dout" };
static const char *const sizes[] = { "1MB", "2MB", "4MB", "8MB", "16MB", "32MB", "64MB", "128MB" };

static int parse_freq(const char *s, uint8_t *v)
{
	static const struct {
		const char *n;
		uint8_t v;
	} f[] = { { "80m", 0xF }, { "40m", 0x0 }, { "26m", 0x1 }, { "20m", 0x2 } };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(s, f[i].n) == 0) {
			*v = f[i].v;
			return 0;
		}
	return -1;
}

static int parse_rev(const char *s, uint16_t *v)
{
	uint32_t x;

	if (keel_parse_u32(s, &x) || x > 65535)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

enum {
	O_OUT = 1, O_MODE, O_FREQ, O_SIZE, O_MINREV, O_MINFULL, O_MAXFULL, O_NODIGEST, O_PADTO,
	O_SEGS, O_SECPAD, O_SHAOFF, O_CHIP, O_VERSION,
};

int esp_cmd_image(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "output", 'o', 1, O_OUT }, { "flash-mode", 'm', 1, O_MODE },
		{ "flash_mode", 0, 1, O_MODE }, { "flash-freq", 'f', 1, O_FREQ },
		{ "flash_freq", 0, 1, O_FREQ }, { "flash-size", 's', 1, O_SIZE },
		{ "flash_size", 0, 1, O_SIZE }, { "min-rev", 'r', 1, O_MINREV },
		{ "min-rev-full", 0, 1, O_MINFULL }, { "max-rev-full", 0, 1, O_MAXFULL },
		{ "dont-append-digest", 0, 0, O_NODIGEST }, { "pad-to-size", 0, 1, O_PADTO },
		{ "use-segments", 0, 0, O_SEGS }, { "secure-pad-v2", 0, 0, O_SECPAD },
		{ "elf-sha256-offset", 0, 1, O_SHAOFF }, { "chip", 'c', 1, O_CHIP },
		{ "version", 0, 1, O_VERSION }, { NULL, 0, 0, 0 },
	};
	struct build_opts o = { .max_rev_full = 65535, .hash = 1, .sha_off = -1 };
	struct kopt_state st;
	const char *in = NULL, *outp = NULL;
	uint8_t size = 0, freq = 0;
	struct kbuf elf = { 0 }, img = { 0 };
	uint64_t v;
	uint32_t u;
	int id, merged = 0, rc;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		const char *a = st.val[0];

		switch (id) {
		case KOPT_ERR:
			return esp_usage("image", "%s", keel_lasterr());
		case KOPT_POS:
			if (in)
				return esp_usage("image", "more than one input ELF ('%s')", st.pos);
			in = st.pos;
			break;
		case O_OUT: outp = a; break;
		case O_MODE: {
			size_t i;

			for (i = 0; i < 4 && strcmp(a, modes[i]) != 0; i++)
				;
			if (i == 4)
				return esp_usage("image", "bad --flash-mode '%s' (qio, qout, dio, dout)", a);
			o.mode = (uint8_t)i;
			break;
		}
		case O_FREQ:
			if (parse_freq(a, &freq))
				return esp_usage("image", "bad --flash-freq '%s' for the ESP32-C3 (80m, 40m, 26m, 20m)", a);
			break;
		case O_SIZE: {
			size_t i;

			for (i = 0; i < 8 && strcmp(a, sizes[i]) != 0; i++)
				;
			if (i == 8)
				return esp_usage("image", "bad --flash-size '%s' (1MB, 2MB, 4MB, 8MB, 16MB, 32MB, 64MB, 128MB)", a);
			size = (uint8_t)i;
			break;
		}
		case O_MINREV:
			if (keel_parse_u32(a, &u) || u > 255)
				return esp_usage("image", "bad --min-rev '%s' (0..255)", a);
			o.min_rev = (uint8_t)u;
			break;
		case O_MINFULL:
			if (parse_rev(a, &o.min_rev_full))
				return esp_usage("image", "bad --min-rev-full '%s' (major*100+minor, 0..65535)", a);
			break;
		case O_MAXFULL:
			if (parse_rev(a, &o.max_rev_full))
				return esp_usage("image", "bad --max-rev-full '%s' (major*100+minor, 0..65535)", a);
			break;
		case O_NODIGEST: o.hash = 0; break;
		case O_PADTO:
			if (esp_parse_size(a, &v) || v == 0 || v > 0x10000000)
				return esp_usage("image", "bad --pad-to-size '%s' (e.g. 4KB, 64KB, 1MB)", a);
			o.pad_to = v;
			break;
		case O_SEGS: o.use_segments = 1; break;
		case O_SECPAD: o.secure_pad = 1; break;
		case O_SHAOFF:
			if (keel_parse_u64(a, &v) || v > 0x1000000)
				return esp_usage("image", "bad --elf-sha256-offset '%s'", a);
			o.sha_off = (int64_t)v;
			break;
		case O_CHIP:
			if (strcmp(a, "esp32c3") != 0 && strcmp(a, "esp32-c3") != 0)
				return esp_usage("image", "only --chip esp32c3 is supported, not '%s'", a);
			break;
		case O_VERSION:
			if (strcmp(a, "2") != 0)
				return esp_usage("image", "only image --version 2 (ESP32-C3 format) is supported");
			break;
		}
	}
	if (!in)
		return esp_usage("image", "no input ELF (keel esp image ELF -o BIN)");
	if (!outp)
		return esp_usage("image", "no output file (-o BIN)");
	if (o.pad_to && !o.hash)
		return esp_usage("image", "--pad-to-size with --dont-append-digest is refused "
				 "(esptool 5.3.1 writes a broken header for it)");
	o.size_freq = (uint8_t)(size << 4 | freq);
	if (keel_read_file(in, &elf))
		return keel_fail("esp", "image: %s", keel_lasterr());
	rc = build(elf.data, elf.len, &o, &img, &merged);
	kbuf_free(&elf);
	if (rc)
		return keel_fail("esp", "image: %s: %s", in, keel_lasterr());
	rc = keel_write_file(outp, img.data, img.len, 0644);
	kbuf_free(&img);
	if (rc)
		return keel_fail("esp", "image: %s", keel_lasterr());
	if (strcmp(outp, "-") != 0) {
		if (merged)
			printf("Merged %d ELF section%s.\n", merged, merged == 1 ? "" : "s");
		printf("Successfully created ESP32-C3 image.\n");
	}
	return 0;
}

/* ---------------------------------------------------------------- parse */

int esp_image_parse(const uint8_t *p, size_t len, struct esp_image *img)
{
	size_t off = 24;
	uint8_t ck = 0xEF;

	memset(img, 0, sizeof(*img));
	if (len < 24) {
		keel_seterr("file is %zu bytes, shorter than an image header (24)", len);
		return -1;
	}
	if (p[0] != ESP_IMAGE_MAGIC) {
		keel_seterr("invalid image magic 0x%02x (expected 0xe9)", p[0]);
		return -1;
	}
	img->nseg = p[1];
	img->mode = p[2];
	img->size_freq = p[3];
	img->entry = esp_le32(p + 4);
	img->wp_pin = p[8];
	memcpy(img->drv, p + 9, 3);
	img->chip_id = (uint16_t)(p[12] | p[13] << 8);
	img->min_rev = p[14];
	img->min_rev_full = (uint16_t)(p[15] | p[16] << 8);
	img->max_rev_full = (uint16_t)(p[17] | p[18] << 8);
	img->hash_appended = p[23];
	if (img->chip_id != ESP_CHIP_ID_C3) {
		keel_seterr("chip id %u is not the ESP32-C3 (5)", img->chip_id);
		return -1;
	}
	if (img->nseg > ESP_MAX_SEGMENTS) {
		keel_seterr("invalid segment count %u (max %d)", img->nseg, ESP_MAX_SEGMENTS);
		return -1;
	}
	if (img->hash_appended > 1) {
		keel_seterr("invalid hash_appended byte 0x%02x (0 or 1)", img->hash_appended);
		return -1;
	}
	for (unsigned i = 0; i < img->nseg; i++) {
		uint32_t a, l;

		if (len - off < 8) {
			keel_seterr("segment %u header lies past the end of the file", i);
			return -1;
		}
		a = esp_le32(p + off);
		l = esp_le32(p + off + 4);
		if (l > len - off - 8) {
			keel_seterr("segment %u (0x%x bytes at 0x%08x) runs past the end of the file",
				    i, l, a);
			return -1;
		}
		img->seg[i].addr = a;
		img->seg[i].len = l;
		img->seg[i].file_off = (uint32_t)off;
		for (size_t k = 0; k < l; k++)
			ck ^= p[off + 8 + k];
		off += 8 + (size_t)l;
	}
	img->cksum_off = off | 15;
	if (img->cksum_off >= len) {
		keel_seterr("file ends before the checksum byte (offset 0x%zx)", img->cksum_off);
		return -1;
	}
	img->cksum_stored = p[img->cksum_off];
	img->cksum_calc = ck;
	img->image_end = img->cksum_off + 1;
	if (img->hash_appended) {
		if (len - img->image_end < 32) {
			keel_seterr("file ends inside the appended SHA-256");
			return -1;
		}
		img->has_hash = 1;
		if (EVP_Digest(p, img->image_end, img->hash_calc, NULL, EVP_sha256(), NULL) != 1) {
			keel_seterr("SHA-256 failed in OpenSSL");
			return -1;
		}
		img->hash_ok = memcmp(img->hash_calc, p + img->image_end, 32) == 0;
		img->image_end += 32;
	}
	return 0;
}

/* ---------------------------------------------------------------- info */

static void cstr(const uint8_t *p, size_t n, char *out)
{
	size_t k = 0;

	for (; k < n && p[k]; k++)
		out[k] = (char)((p[k] >= 0x20 && p[k] < 0x7F) ? p[k] : '?');
	out[k] = '\0';
}

static void print_app_desc(FILE *f, const uint8_t *d)
{
	char ver[33], proj[33], tm[17], date[17], idf[33];
	uint16_t mn = (uint16_t)(d[0xB0] | d[0xB1] << 8), mx = (uint16_t)(d[0xB2] | d[0xB3] << 8);

	cstr(d + 0x10, 32, ver);
	cstr(d + 0x30, 32, proj);
	cstr(d + 0x50, 16, tm);
	cstr(d + 0x60, 16, date);
	cstr(d + 0x70, 32, idf);
	fprintf(f, "\nApplication Information\n=======================\n");
	fprintf(f, "Project name: %s\nApp version: %s\nCompile time: %s %s\n", proj, ver, date, tm);
	fprintf(f, "ELF file SHA256: ");
	for (int i = 0; i < 32; i++)
		fprintf(f, "%02x", d[0x90 + i]);
	fprintf(f, "\nESP-IDF: %s\n", idf);
	fprintf(f, "Minimal eFuse block revision: %d.%d\n", mn / 100, mn % 100);
	fprintf(f, "Maximal eFuse block revision: %d.%d\n", mx / 100, mx % 100);
	fprintf(f, "MMU page size: %lu KB\n",
		d[0xB4] < 32 ? (unsigned long)((1ul << d[0xB4]) / 1024) : 0ul);
	fprintf(f, "Secure version: %u\n", esp_le32(d + 4));
}

static void print_boot_desc(FILE *f, const uint8_t *d)
{
	char idf[33], dt[25];

	cstr(d + 8, 32, idf);
	cstr(d + 40, 24, dt);
	fprintf(f, "\nBootloader Information\n======================\n");
	fprintf(f, "Bootloader version: %u\nESP-IDF: %s\nCompile time: %s\n", esp_le32(d + 4), idf, dt);
}

static void print_descriptors(FILE *f, const uint8_t *p, const struct esp_image *img)
{
	const uint8_t *boot = NULL;
	char t[96];

	for (unsigned i = 0; i < img->nseg; i++) {
		if (img->seg[i].addr >= 0x3C000000u && img->seg[i].addr < 0x3C800000u) {
			const uint8_t *d = p + img->seg[i].file_off + 8;

			if (img->seg[i].len >= 256 && esp_le32(d) == 0xABCD5432u)
				print_app_desc(f, d);
			return; /* only the first DROM segment is looked at; no bootloader desc */
		}
	}
	for (unsigned i = 0; i < img->nseg; i++) {
		esp_mem_types(img->seg[i].addr, t, sizeof(t));
		if (strncmp(t, "DRAM", 4) == 0 && img->seg[i].len >= 80)
			boot = p + img->seg[i].file_off + 8;
	}
	if (boot && boot[0] == 0x50)
		print_boot_desc(f, boot);
}

static void print_info(FILE *f, const uint8_t *p, size_t len, const struct esp_image *img)
{
	static const char *const fmodes[] = { "QIO", "QOUT", "DIO", "DOUT" };
	const char *fr;
	char t[96];

	switch (img->size_freq & 0xF) {
	case 0x0: fr = "40m"; break;
	case 0x1: fr = "26m"; break;
	case 0x2: fr = "20m"; break;
	case 0xF: fr = "80m"; break;
	default: fr = "unknown"; break;
	}
	fprintf(f, "keel esp info\nImage size: %zu bytes\nDetected image type: ESP32-C3\n\n", len);
	fprintf(f, "ESP32-C3 Image Header\n=====================\nImage version: 1\n");
	fprintf(f, "Entry point: 0x%08x\nSegments: %u\n", img->entry, img->nseg);
	fprintf(f, "Flash size: %s\nFlash freq: %s\nFlash mode: %s\n",
		(img->size_freq >> 4) < 8 ? sizes[img->size_freq >> 4] : "unknown", fr,
		img->mode < 4 ? fmodes[img->mode] : "UNKNOWN");
	fprintf(f, "\nESP32-C3 Extended Image Header\n==============================\n");
	if (img->wp_pin == 0xEE)
		fprintf(f, "WP pin: 0xee (disabled)\n");
	else
		fprintf(f, "WP pin: 0x%02x\n", img->wp_pin);
	fprintf(f, "Flash pins drive settings: clk_drv: 0x%x, q_drv: 0x%x, d_drv: 0x%x, "
		   "cs0_drv: 0x%x, hd_drv: 0x%x, wp_drv: 0x%x\n",
		img->drv[0] & 0xF, img->drv[0] >> 4, img->drv[1] & 0xF, img->drv[1] >> 4,
		img->drv[2] & 0xF, img->drv[2] >> 4);
	fprintf(f, "Chip ID: %u (ESP32-C3)\n", img->chip_id);
	fprintf(f, "Minimal chip revision: v%d.%d, (legacy min_rev = %u)\n",
		img->min_rev_full / 100, img->min_rev_full % 100, img->min_rev);
	fprintf(f, "Maximal chip revision: v%d.%d\n", img->max_rev_full / 100,
		img->max_rev_full % 100);
	fprintf(f, "\nSegments Information\n====================\n");
	fprintf(f, "Segment   Length   Load addr   File offs  Memory types\n");
	fprintf(f, "-------  -------  ----------  ----------  ------------\n");
	for (unsigned i = 0; i < img->nseg; i++) {
		esp_mem_types(img->seg[i].addr, t, sizeof(t));
		fprintf(f, "%7u  0x%05x  0x%08x  0x%08x  %s\n", i, img->seg[i].len,
			img->seg[i].addr, img->seg[i].file_off, t);
	}
	fprintf(f, "\nESP32-C3 Image Footer\n=====================\n");
	if (img->cksum_stored == img->cksum_calc)
		fprintf(f, "Checksum: 0x%02x (valid)\n", img->cksum_stored);
	else
		fprintf(f, "Checksum: 0x%02x (invalid - calculated 0x%02x)\n", img->cksum_stored,
			img->cksum_calc);
	if (img->has_hash) {
		fprintf(f, "Validation hash: ");
		for (int i = 0; i < 32; i++)
			fprintf(f, "%02x", img->hash_calc[i]);
		fprintf(f, " (%s)\n", img->hash_ok ? "valid" : "invalid");
	}
	print_descriptors(f, p, img);
}

int esp_cmd_info(int argc, char **argv)
{
	static const struct kopt opts[] = { { "version", 0, 1, 1 }, { NULL, 0, 0, 0 } };
	struct kopt_state st;
	const char *in = NULL;
	struct kbuf b = { 0 };
	struct esp_image img;
	int id;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("info", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (in)
				return esp_usage("info", "more than one image ('%s')", st.pos);
			in = st.pos;
		}
	}
	if (!in)
		return esp_usage("info", "no image given (keel esp info BIN)");
	if (keel_read_file(in, &b))
		return keel_fail("esp", "info: %s", keel_lasterr());
	if (esp_image_parse(b.data, b.len, &img)) {
		kbuf_free(&b);
		return keel_fail("esp", "info: %s: %s", in, keel_lasterr());
	}
	print_info(stdout, b.data, b.len, &img);
	kbuf_free(&b);
	return 0;
}
