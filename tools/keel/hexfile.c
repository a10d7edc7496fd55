/* SPDX-License-Identifier: Apache-2.0 */
#include "hexfile.h"

#include <stdlib.h>
#include <string.h>

static int nib(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

struct rec {
	uint8_t type;
	uint16_t addr;
	uint8_t n;
	uint8_t data[255];
};

/* Decodes one ":..." line; 0 or -1. */
static int parse_line(const uint8_t *s, size_t len, struct rec *r)
{
	uint8_t raw[260];
	size_t nbytes;
	uint8_t sum = 0;

	if (len < 11 || s[0] != ':' || (len - 1) % 2)
		return -1;
	nbytes = (len - 1) / 2;
	if (nbytes > sizeof(raw))
		return -1;
	for (size_t i = 0; i < nbytes; i++) {
		int hi = nib(s[1 + 2 * i]), lo = nib(s[2 + 2 * i]);

		if (hi < 0 || lo < 0)
			return -1;
		raw[i] = (uint8_t)(hi << 4 | lo);
		sum = (uint8_t)(sum + raw[i]);
	}
	if (sum != 0 || nbytes != (size_t)raw[0] + 5)
		return -1;
	r->n = raw[0];
	r->addr = (uint16_t)(raw[1] << 8 | raw[2]);
	r->type = raw[3];
	memcpy(r->data, raw + 4, r->n);
	return 0;
}

struct span {
	uint64_t addr;
	uint8_t data[255];
	uint8_t n;
};

int keel_hex_read(const uint8_t *text, size_t len, struct kbuf *bin, uint32_t *base,
		  const char *what)
{
	struct span *spans = NULL;
	size_t nspans = 0, cap = 0, pos = 0, lineno = 0;
	uint64_t upper = 0, lo = UINT64_MAX, hi = 0;
	int seen_eof = 0, rc = -1;
	struct rec r;

	while (pos < len && !seen_eof) {
		size_t end = pos;

		while (end < len && text[end] != '\n')
			end++;
		lineno++;
		size_t l = end;
		while (l > pos && (text[l - 1] == '\r' || text[l - 1] == ' ' || text[l - 1] == '\t'))
			l--;
		if (l > pos) {
			if (parse_line(text + pos, l - pos, &r)) {
				keel_seterr("%s: line %zu is not a valid Intel HEX record", what, lineno);
				goto out;
			}
			if (r.type == 0x00 && r.n) {
				if (nspans == cap) {
					struct span *ns;

					cap = cap ? cap * 2 : 256;
					ns = realloc(spans, cap * sizeof(*spans));
					if (!ns) {
						keel_seterr("out of memory");
						goto out;
					}
					spans = ns;
				}
				spans[nspans].addr = upper + r.addr;
				spans[nspans].n = r.n;
				memcpy(spans[nspans].data, r.data, r.n);
				if (spans[nspans].addr < lo)
					lo = spans[nspans].addr;
				if (spans[nspans].addr + r.n > hi)
					hi = spans[nspans].addr + r.n;
				nspans++;
			} else if (r.type == 0x01) {
				seen_eof = 1;
			} else if (r.type == 0x02 && r.n == 2) {
				upper = (uint64_t)(r.data[0] << 8 | r.data[1]) << 4;
			} else if (r.type == 0x04 && r.n == 2) {
				upper = (uint64_t)(r.data[0] << 8 | r.data[1]) << 16;
			} else if (r.type != 0x03 && r.type != 0x05) {
				keel_seterr("%s: line %zu: unsupported record type %u", what, lineno, r.type);
				goto out;
			}
		}
		pos = end + 1;
	}
	if (!nspans) {
		keel_seterr("%s: Intel HEX file holds no data", what);
		goto out;
	}
	if (hi > (uint64_t)UINT32_MAX + 1 || hi - lo > (64u << 20)) {
		keel_seterr("%s: data spans more than 64 MiB or past 4 GiB", what);
		goto out;
	}
	bin->len = 0;
	if (kbuf_fill(bin, 0xff, (size_t)(hi - lo)))
		goto out;
	for (size_t i = 0; i < nspans; i++)
		memcpy(bin->data + (spans[i].addr - lo), spans[i].data, spans[i].n);
	*base = (uint32_t)lo;
	rc = 0;
out:
	free(spans);
	return rc;
}

static int put_rec(struct kbuf *out, uint8_t type, uint16_t addr, const uint8_t *d, uint8_t n)
{
	uint8_t sum = (uint8_t)(n + (addr >> 8) + (addr & 0xff) + type);

	if (kbuf_printf(out, ":%02X%04X%02X", n, addr, type))
		return -1;
	for (uint8_t i = 0; i < n; i++) {
		sum = (uint8_t)(sum + d[i]);
		if (kbuf_printf(out, "%02X", d[i]))
			return -1;
	}
	return kbuf_printf(out, "%02X\n", (uint8_t)(0x100 - sum));
}

int keel_hex_write(struct kbuf *out, const struct keel_hex_seg *segs, size_t nsegs)
{
	uint32_t cur_upper = 0;

	for (size_t s = 0; s < nsegs; s++) {
		uint64_t a = segs[s].addr;
		size_t off = 0;

		if (a + segs[s].len > (uint64_t)UINT32_MAX + 1) {
			keel_seterr("Intel HEX output would pass the 4 GiB address limit");
			return -1;
		}
		while (off < segs[s].len) {
			uint64_t addr = a + off;
			uint32_t upper = (uint32_t)(addr >> 16);
			size_t n = segs[s].len - off;
			uint8_t ela[2];

			if (n > 16)
				n = 16;
			/* A record may not cross a 64 KiB boundary. */
			if ((addr & 0xffff) + n > 0x10000)
				n = 0x10000 - (size_t)(addr & 0xffff);
			if (upper != cur_upper) {
				ela[0] = (uint8_t)(upper >> 8);
				ela[1] = (uint8_t)upper;
				if (put_rec(out, 0x04, 0, ela, 2))
					return -1;
				cur_upper = upper;
			}
			if (put_rec(out, 0x00, (uint16_t)addr, segs[s].data + off, (uint8_t)n))
				return -1;
			off += n;
		}
	}
	return put_rec(out, 0x01, 0, NULL, 0);
}

int keel_read_image_file(const char *path, struct kbuf *out)
{
	struct kbuf text = { 0 };
	uint32_t base;
	int rc;

	if (!keel_has_suffix(path, ".hex"))
		return keel_read_file(path, out);
	if (keel_read_file(path, &text))
		return -1;
	rc = keel_hex_read(text.data, text.len, out, &base, path);
	kbuf_free(&text);
	return rc;
}
