/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp app ELF -o BIN`: the payload of an MCUboot-style ESP32-C3 app,
 * i.e. what follows the MCUboot header: the 96-byte load header (magic
 * 0xace637d3; MCUboot's Espressif port, mcuboot.md §9) and the bytes of
 * one IRAM, one DRAM, one IROM and one DROM region. Offsets in the load
 * header count from the start of the image (the MCUboot header), so the
 * header size the image will be signed with (-H) must be known here.
 * Flash-mapped regions are placed so that (offset in the slot) equals
 * (virtual address) modulo 64 KiB: with a 64 KiB-aligned slot the cache MMU
 * can then map them in place. Exact layout: docs/esp32c3.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"

#define LOAD_MAGIC 0xace637d3u
#define LOAD_HDR_LEN 96u
#define PAGE 0x10000u

enum { R_IRAM, R_DRAM, R_IROM, R_DROM, R_N };

static const struct {
	const char *name;
	uint32_t lo, hi;
} cls[R_N] = {
	{ "IRAM", 0x4037C000u, 0x403E0000u },
	{ "DRAM", 0x3FC80000u, 0x3FCE0000u },
	{ "IROM", 0x42000000u, 0x42800000u },
	{ "DROM", 0x3C000000u, 0x3C800000u },
};

struct region {
	uint32_t lo, hi;  /* virtual span */
	uint8_t *data;    /* hi - lo bytes, gaps zero */
	uint32_t off;     /* offset in the payload */
	int present, placed;
};

static int classify(uint32_t a, uint32_t len)
{
	for (int c = 0; c < R_N; c++)
		if (a >= cls[c].lo && a < cls[c].hi)
			return (uint64_t)a + len <= cls[c].hi ? c : -2;
	return -1;
}

static int collect(const struct esp_seglist *l, struct region *r)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct esp_seg *s = &l->v[i];
		int c = classify(s->addr, (uint32_t)s->len);

		if (c < 0) {
			keel_seterr("section '%s' at 0x%08x (0x%zx bytes) is %s", s->name, s->addr,
				    s->len, c == -2 ? "not inside one memory region" :
				    "not in IRAM, DRAM, IROM or DROM (the load header has no other regions)");
			return -1;
		}
		if (!r[c].present) {
			r[c].lo = s->addr;
			r[c].hi = s->addr + (uint32_t)s->len;
			r[c].present = 1;
		}
		if (s->addr < r[c].lo)
			r[c].lo = s->addr;
		if (s->addr + s->len > r[c].hi)
			r[c].hi = s->addr + (uint32_t)s->len;
	}
	for (int c = 0; c < R_N; c++) {
		if (!r[c].present)
			continue;
		r[c].data = calloc(1, r[c].hi - r[c].lo);
		if (!r[c].data) {
			keel_seterr("out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct esp_seg *s = &l->v[i];
		struct region *g = &r[classify(s->addr, (uint32_t)s->len)];

		for (size_t j = 0; j < i; j++) {
			const struct esp_seg *t = &l->v[j];

			if (s->addr < t->addr + t->len && t->addr < s->addr + s->len) {
				keel_seterr("sections '%s' and '%s' overlap", s->name, t->name);
				return -1;
			}
		}
		memcpy(g->data + (s->addr - g->lo), s->data, s->len);
	}
	return 0;
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/* Places the regions (see the file comment); returns the payload length. */
static uint32_t place(struct region *r, uint32_t hdr)
{
	static const int flash_order[] = { R_DROM, R_IROM };
	static const int ram_order[] = { R_IRAM, R_DRAM };
	uint32_t cur = LOAD_HDR_LEN;

	for (int fi = 0; fi < 2; fi++) {
		struct region *f = &r[flash_order[fi]];
		uint32_t target;

		if (!f->present)
			continue;
		target = cur + ((f->lo - (hdr + cur)) & (PAGE - 1));
		for (int ri = 0; ri < 2; ri++) {
			struct region *m = &r[ram_order[ri]];

			if (m->present && !m->placed && align4(cur) + (m->hi - m->lo) <= target) {
				m->off = align4(cur);
				m->placed = 1;
				cur = m->off + (m->hi - m->lo);
			}
		}
		f->off = target;
		f->placed = 1;
		cur = target + (f->hi - f->lo);
	}
	for (int ri = 0; ri < 2; ri++) {
		struct region *m = &r[ram_order[ri]];

		if (m->present && !m->placed) {
			m->off = align4(cur);
			m->placed = 1;
			cur = m->off + (m->hi - m->lo);
		}
	}
	return align4(cur);
}

static void put_region(uint8_t *h, const struct region *g, uint32_t hdr)
{
	if (!g->present)
		return;
	esp_put32(h, g->lo);
	esp_put32(h + 4, hdr + g->off);
	esp_put32(h + 8, g->hi - g->lo);
}

/* The 24 words of the load header, in order (MCUboot's esp_image_load_header_t). */
static const char *const hdr_fields[24] = {
	"header_magic", "entry_addr", "iram_dest_addr", "iram_flash_offset", "iram_size",
	"dram_dest_addr", "dram_flash_offset", "dram_size", "lp_rtc_iram_dest_addr",
	"lp_rtc_iram_flash_offset", "lp_rtc_iram_size", "lp_rtc_dram_dest_addr",
	"lp_rtc_dram_flash_offset", "lp_rtc_dram_size", "irom_map_addr", "irom_flash_offset",
	"irom_size", "drom_map_addr", "drom_flash_offset", "drom_size", "reserved0", "reserved1",
	"reserved2", "reserved3",
};

/* --set NAME=VALUE: overwrite one header word after layout (to make hostile test images). */
static int apply_set(uint8_t *out, const char *arg)
{
	const char *eq = strchr(arg, '=');
	uint32_t v;

	if (!eq || keel_parse_u32(eq + 1, &v))
		return -1;
	for (int i = 0; i < 24; i++)
		if (strlen(hdr_fields[i]) == (size_t)(eq - arg) && !strncmp(arg, hdr_fields[i], (size_t)(eq - arg))) {
			esp_put32(out + 4 * i, v);
			return 0;
		}
	return -1;
}

enum { O_OUT = 1, O_HDR, O_SET };

int esp_cmd_app(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "output", 'o', 1, O_OUT }, { "header-size", 'H', 1, O_HDR },
		{ "set", 0, 1, O_SET }, { NULL, 0, 0, 0 },
	};
	const char *sets[24];
	int nsets = 0;
	struct kopt_state st;
	const char *in = NULL, *outp = NULL;
	uint32_t hdr = 0x20, entry, len;
	struct kbuf elf = { 0 };
	struct esp_seglist l = { 0 };
	struct region r[R_N];
	uint8_t *out = NULL;
	int id, rc = 1;

	memset(r, 0, sizeof(r));
	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("app", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (in)
				return esp_usage("app", "more than one input ELF ('%s')", st.pos);
			in = st.pos;
		}
		if (id == O_OUT)
			outp = st.val[0];
		if (id == O_SET) {
			if (nsets == 24)
				return esp_usage("app", "too many --set");
			sets[nsets++] = st.val[0];
		}
		if (id == O_HDR && (keel_parse_u32(st.val[0], &hdr) || hdr < 32 || hdr > 0x10000 || hdr % 4))
			return esp_usage("app", "bad --header-size '%s' (32..65536, multiple of 4; "
					 "the -H given to keel sign)", st.val[0]);
	}
	if (!in || !outp)
		return esp_usage("app", "usage: keel esp app ELF -o BIN [-H HEADER_SIZE]");
	if (keel_read_file(in, &elf))
		return keel_fail("esp", "app: %s", keel_lasterr());
	if (esp_elf_read(elf.data, elf.len, 0, &l, NULL, &entry) || collect(&l, r)) {
		keel_fail("esp", "app: %s: %s", in, keel_lasterr());
		goto out;
	}
	if (!r[R_IRAM].present || entry < r[R_IRAM].lo || entry >= r[R_IRAM].hi) {
		keel_fail("esp", "app: %s: entry 0x%08x is not inside the IRAM region", in, entry);
		goto out;
	}
	if (r[R_DRAM].present) {
		/* IRAM and DRAM are two views of one SRAM: DRAM = IRAM - 0x700000. */
		uint32_t i0 = r[R_IRAM].lo - 0x700000u, i1 = r[R_IRAM].hi - 0x700000u;

		if (i0 < r[R_DRAM].hi && r[R_DRAM].lo < i1) {
			keel_fail("esp", "app: %s: IRAM [0x%08x, 0x%08x) and DRAM [0x%08x, 0x%08x) "
				  "overlap in SRAM", in, r[R_IRAM].lo, r[R_IRAM].hi, r[R_DRAM].lo,
				  r[R_DRAM].hi);
			goto out;
		}
	}
	len = place(r, hdr);
	out = calloc(1, len);
	if (!out) {
		keel_fail("esp", "app: out of memory");
		goto out;
	}
	esp_put32(out, LOAD_MAGIC);
	esp_put32(out + 4, entry);
	put_region(out + 8, &r[R_IRAM], hdr);
	put_region(out + 20, &r[R_DRAM], hdr);
	put_region(out + 56, &r[R_IROM], hdr);
	put_region(out + 68, &r[R_DROM], hdr);
	for (int c = 0; c < R_N; c++)
		if (r[c].present)
			memcpy(out + r[c].off, r[c].data, r[c].hi - r[c].lo);
	for (int i = 0; i < nsets; i++)
		if (apply_set(out, sets[i])) {
			esp_usage("app", "bad --set '%s' (FIELD=VALUE, FIELD a load header word name "
				  "such as entry_addr or iram_size)", sets[i]);
			rc = 2;
			goto out;
		}
	if (keel_write_file(outp, out, len, 0644)) {
		keel_fail("esp", "app: %s", keel_lasterr());
		goto out;
	}
	if (strcmp(outp, "-") != 0) {
		printf("entry 0x%08x, header size 0x%x, payload 0x%x bytes\n", entry, hdr, len);
		for (int c = 0; c < R_N; c++)
			if (r[c].present)
				printf("%s 0x%08x..0x%08x at image offset 0x%x\n", cls[c].name, r[c].lo,
				       r[c].hi, hdr + r[c].off);
	}
	rc = 0;
out:
	for (int c = 0; c < R_N; c++)
		free(r[c].data);
	esp_seglist_free(&l);
	kbuf_free(&elf);
	free(out);
	return rc;
}

/* ------------------------------------------------------------- app-info */

#define MCUBOOT_MAGIC 0x96f3b83du

struct span {
	const char *name;
	uint32_t addr, off, size;
};

/* Checks one region of a load header; NULL if fine, else why not. */
static const char *check_region(const struct span *g, int c, uint32_t img_len, char *why, size_t n)
{
	if (!g->size)
		return NULL;
	if (g->addr < cls[c].lo || g->addr >= cls[c].hi || g->size > cls[c].hi - g->addr)
		snprintf(why, n, "%s [0x%08x, +0x%x) is not inside %s", g->name, g->addr, g->size,
			 cls[c].name);
	else if (g->off > img_len || g->size > img_len - g->off)
		snprintf(why, n, "%s data [0x%x, +0x%x) lies outside the image (0x%x bytes)", g->name,
			 g->off, g->size, img_len);
	else if (c >= R_IROM && (g->off - g->addr) % PAGE)
		snprintf(why, n, "%s image offset 0x%x is not congruent to 0x%08x modulo 64 KiB",
			 g->name, g->off, g->addr);
	else
		return NULL;
	return why;
}

int esp_cmd_appinfo(int argc, char **argv)
{
	static const struct kopt opts[] = { { "header-size", 'H', 1, O_HDR }, { NULL, 0, 0, 0 } };
	struct kopt_state st;
	const char *in = NULL;
	struct kbuf b = { 0 };
	uint32_t hdr = 0x20, img_len, w[24];
	const uint8_t *lh;
	struct span sp[R_N];
	char why[200] = "";
	int id, mcuboot = 0, rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("app-info", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (in)
				return esp_usage("app-info", "more than one input ('%s')", st.pos);
			in = st.pos;
		}
		if (id == O_HDR && (keel_parse_u32(st.val[0], &hdr) || hdr < 32 || hdr > 0x10000))
			return esp_usage("app-info", "bad --header-size '%s'", st.val[0]);
	}
	if (!in)
		return esp_usage("app-info", "usage: keel esp app-info PAYLOAD|SIGNED [-H N]");
	if (keel_read_file(in, &b))
		return keel_fail("esp", "app-info: %s", keel_lasterr());
	if (b.len >= 32 && esp_le32(b.data) == MCUBOOT_MAGIC) {
		/* A signed image: the load header follows the MCUboot header. */
		mcuboot = 1;
		hdr = (uint32_t)(b.data[8] | b.data[9] << 8);
		img_len = hdr + esp_le32(b.data + 12);
		if (img_len > b.len || hdr > img_len) {
			keel_fail("esp", "app-info: %s: MCUboot header sizes run past the file", in);
			goto out;
		}
		lh = b.data + hdr;
	} else {
		img_len = hdr + (uint32_t)b.len;
		lh = b.data;
	}
	if (img_len - hdr < LOAD_HDR_LEN) {
		keel_fail("esp", "app-info: %s: too short for a load header", in);
		goto out;
	}
	for (int i = 0; i < 24; i++)
		w[i] = esp_le32(lh + 4 * i);
	printf("%s, header size 0x%x, image 0x%x bytes\n", mcuboot ? "MCUboot image" : "payload",
	       hdr, img_len);
	for (int i = 0; i < 24; i++)
		printf("%-26s 0x%08x\n", hdr_fields[i], w[i]);
	sp[R_IRAM] = (struct span){ "IRAM", w[2], w[3], w[4] };
	sp[R_DRAM] = (struct span){ "DRAM", w[5], w[6], w[7] };
	sp[R_IROM] = (struct span){ "IROM", w[14], w[15], w[16] };
	sp[R_DROM] = (struct span){ "DROM", w[17], w[18], w[19] };
	if (w[0] != LOAD_MAGIC)
		snprintf(why, sizeof(why), "load header magic 0x%08x is not 0xace637d3", w[0]);
	else if (w[10] || w[13])
		snprintf(why, sizeof(why), "RTC regions are not supported");
	else if (!sp[R_IRAM].size || w[1] < sp[R_IRAM].addr || w[1] - sp[R_IRAM].addr >= sp[R_IRAM].size)
		snprintf(why, sizeof(why), "entry 0x%08x is not inside the IRAM region", w[1]);
	for (int c = 0; c < R_N && !why[0]; c++)
		check_region(&sp[c], c, img_len, why, sizeof(why));
	if (!why[0] && sp[R_DRAM].size) {
		uint32_t i0 = sp[R_IRAM].addr - 0x700000u, i1 = i0 + sp[R_IRAM].size;

		if (i0 < sp[R_DRAM].addr + sp[R_DRAM].size && sp[R_DRAM].addr < i1)
			snprintf(why, sizeof(why), "IRAM and DRAM regions overlap in SRAM");
	}
	if (why[0]) {
		keel_fail("esp", "app-info: %s: %s", in, why);
		goto out;
	}
	printf("load header OK\n");
	rc = 0;
out:
	kbuf_free(&b);
	return rc;
}
