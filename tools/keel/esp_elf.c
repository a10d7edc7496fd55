/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ELF32 reader for `keel esp image` / `keel esp app`: just enough to take
 * the loadable bytes out of a RISC-V executable the way elf2image does.
 * Every offset and size is checked against the file before use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"

#define SHT_PROGBITS 1
#define SHT_NOBITS 8
#define SHT_INIT_ARRAY 14
#define SHT_FINI_ARRAY 15
#define SHT_PREINIT_ARRAY 16
#define PT_LOAD 1
#define EM_RISCV 243

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

void esp_seglist_free(struct esp_seglist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].data);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int esp_seglist_push(struct esp_seglist *l, uint32_t addr, const uint8_t *data, size_t len,
		     const char *name)
{
	struct esp_seg *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	struct esp_seg *s;
	size_t padded = (len + 3) & ~(size_t)3;

	if (!nv) {
		keel_seterr("out of memory");
		return -1;
	}
	l->v = nv;
	s = &l->v[l->n];
	memset(s, 0, sizeof(*s));
	s->addr = addr;
	s->len = data ? padded : len;
	if (data) {
		s->data = calloc(1, padded ? padded : 1);
		if (!s->data) {
			keel_seterr("out of memory");
			return -1;
		}
		memcpy(s->data, data, len);
	}
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	l->n++;
	return 0;
}

static int in_file(size_t flen, uint64_t off, uint64_t size)
{
	return off <= flen && size <= flen - off;
}

static int read_sections(const uint8_t *e, size_t len, struct esp_seglist *out,
			 struct esp_seglist *nobits)
{
	uint32_t shoff = esp_le32(e + 32);
	uint16_t shentsize = le16(e + 46), shnum = le16(e + 48), shstrndx = le16(e + 50);
	const uint8_t *strtab = NULL;
	uint32_t strsize = 0;

	if (shnum == 0) {
		keel_seterr("the ELF file has no section headers (try --use-segments)");
		return -1;
	}
	if (shentsize < 40 || !in_file(len, shoff, (uint64_t)shentsize * shnum)) {
		keel_seterr("ELF section header table lies outside the file");
		return -1;
	}
	if (shstrndx < shnum) {
		const uint8_t *sh = e + shoff + (size_t)shstrndx * shentsize;
		uint32_t off = esp_le32(sh + 16);

		strsize = esp_le32(sh + 20);
		if (!in_file(len, off, strsize)) {
			keel_seterr("ELF section name table lies outside the file");
			return -1;
		}
		strtab = e + off;
	}
	for (uint16_t i = 0; i < shnum; i++) {
		const uint8_t *sh = e + shoff + (size_t)i * shentsize;
		uint32_t nameoff = esp_le32(sh), type = esp_le32(sh + 4), addr = esp_le32(sh + 12);
		uint32_t off = esp_le32(sh + 16), size = esp_le32(sh + 20);
		char name[48] = "";

		if (strtab && nameoff < strsize) {
			size_t k = 0;

			while (nameoff + k < strsize && strtab[nameoff + k] && k < sizeof(name) - 1) {
				name[k] = (char)strtab[nameoff + k];
				k++;
			}
			name[k] = '\0';
		}
		if (type == SHT_NOBITS) {
			if (nobits && addr && size && esp_seglist_push(nobits, addr, NULL, size, name))
				return -1;
			continue;
		}
		if (type != SHT_PROGBITS && type != SHT_INIT_ARRAY && type != SHT_FINI_ARRAY &&
		    type != SHT_PREINIT_ARRAY)
			continue;
		if (addr == 0 || size == 0)
			continue;
		if (!in_file(len, off, size)) {
			keel_seterr("ELF section '%s' lies outside the file", name);
			return -1;
		}
		if (esp_seglist_push(out, addr, e + off, size, name))
			return -1;
	}
	return 0;
}

static int read_segments(const uint8_t *e, size_t len, struct esp_seglist *out)
{
	uint32_t phoff = esp_le32(e + 28);
	uint16_t phentsize = le16(e + 42), phnum = le16(e + 44);

	if (phnum == 0) {
		keel_seterr("the ELF file has no program headers");
		return -1;
	}
	if (phentsize < 32 || !in_file(len, phoff, (uint64_t)phentsize * phnum)) {
		keel_seterr("ELF program header table lies outside the file");
		return -1;
	}
	for (uint16_t i = 0; i < phnum; i++) {
		const uint8_t *ph = e + phoff + (size_t)i * phentsize;
		uint32_t type = esp_le32(ph), off = esp_le32(ph + 4), paddr = esp_le32(ph + 12);
		uint32_t filesz = esp_le32(ph + 16);

		if (type != PT_LOAD || paddr == 0 || filesz == 0)
			continue;
		if (!in_file(len, off, filesz)) {
			keel_seterr("ELF program header %u lies outside the file", i);
			return -1;
		}
		if (esp_seglist_push(out, paddr, e + off, filesz, "PHDR"))
			return -1;
	}
	return 0;
}

int esp_elf_read(const uint8_t *e, size_t len, int use_segments, struct esp_seglist *out,
		 struct esp_seglist *nobits, uint32_t *entry)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (nobits)
		memset(nobits, 0, sizeof(*nobits));
	if (len < 52 || memcmp(e, "\177ELF", 4) != 0) {
		keel_seterr("not an ELF file");
		return -1;
	}
	if (e[4] != 1 || e[5] != 1) {
		keel_seterr("not a 32-bit little-endian ELF file (ESP32-C3 is RV32)");
		return -1;
	}
	if (le16(e + 18) != EM_RISCV) {
		keel_seterr("ELF machine %u is not RISC-V (the ESP32-C3 is RV32)", le16(e + 18));
		return -1;
	}
	*entry = esp_le32(e + 24);
	rc = use_segments ? read_segments(e, len, out) : read_sections(e, len, out, nobits);
	if (rc) {
		esp_seglist_free(out);
		if (nobits)
			esp_seglist_free(nobits);
	}
	return rc;
}
