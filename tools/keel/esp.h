/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp`: Espressif ESP32-C3 formats (image, Secure Boot V2 sector,
 * XTS-AES flash encryption, eFuse file, emulator flash file, MCUboot-style
 * load header). Facts: ../shared/research/espressif.md; docs/esp32c3.md.
 *
 * Internal interface between the esp_*.c files. Helpers return 0 or -1 with
 * keel_seterr() set (util.h); subcommands return the process exit status.
 */
#ifndef KEEL_TOOL_ESP_H
#define KEEL_TOOL_ESP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* ---- ELF input (esp_elf.c) ---- */
struct esp_seg {
	uint32_t addr;
	uint8_t *data; /* malloc'd */
	size_t len;
	char name[48];
};

struct esp_seglist {
	struct esp_seg *v;
	size_t n;
};

/*
 * Reads the loadable parts of a 32-bit little-endian RISC-V ELF:
 * use_segments = 0: PROGBITS/INIT_ARRAY/FINI_ARRAY/PREINIT_ARRAY sections
 * with an address and a size, in section-header order, each zero-padded to a
 * multiple of 4 (as elf2image reads them); use_segments = 1: PT_LOAD program
 * headers (p_paddr, p_filesz bytes), also padded.
 * nobits (may be NULL) receives the NOBITS sections (data NULL, len = size).
 */
int esp_elf_read(const uint8_t *elf, size_t len, int use_segments, struct esp_seglist *out,
		 struct esp_seglist *nobits, uint32_t *entry);
void esp_seglist_free(struct esp_seglist *l);
int esp_seglist_push(struct esp_seglist *l, uint32_t addr, const uint8_t *data, size_t len,
		     const char *name);

/* ---- address classes (esp_image.c) ---- */
int esp_is_flash_addr(uint32_t a);        /* DROM or IROM (cache-mapped) */
/* Appends ", "-joined class names (esptool's MEMORY_MAP order); "" if none. */
void esp_mem_types(uint32_t a, char *out, size_t n);

/* ---- ESP image (esp_image.c) ---- */
#define ESP_IMAGE_MAGIC 0xE9
#define ESP_CHIP_ID_C3 5
#define ESP_MAX_SEGMENTS 16

struct esp_image_seg {
	uint32_t addr, len, file_off; /* file_off = offset of the 8-byte header */
};

struct esp_image {
	uint8_t nseg, mode, size_freq, wp_pin, drv[3], min_rev, hash_appended;
	uint32_t entry;
	uint16_t chip_id, min_rev_full, max_rev_full;
	struct esp_image_seg seg[ESP_MAX_SEGMENTS];
	size_t cksum_off;           /* offset of the checksum byte */
	uint8_t cksum_stored, cksum_calc;
	int has_hash, hash_ok;
	uint8_t hash_calc[32];
	size_t image_end;           /* after checksum row and hash */
};

/* Parses an image; fails with a reason if it is not a well-formed ESP image. */
int esp_image_parse(const uint8_t *p, size_t len, struct esp_image *img);

int esp_cmd_image(int argc, char **argv);
int esp_cmd_info(int argc, char **argv);
int esp_cmd_sign(int argc, char **argv);
int esp_cmd_verify(int argc, char **argv);
int esp_cmd_digest(int argc, char **argv);
int esp_cmd_siginfo(int argc, char **argv);
int esp_cmd_crypt(int argc, char **argv, int encrypt);
int esp_cmd_efuse(int argc, char **argv);
int esp_cmd_flash(int argc, char **argv);
int esp_cmd_app(int argc, char **argv);
int esp_cmd_appinfo(int argc, char **argv);

/* SHA-256 of the Secure Boot V2 key fields of an RSA-3072 key file (esp_sign.c). */
int esp_key_digest(const char *path, uint8_t out[32]);

/* ---- small shared helpers (esp_main.c) ---- */
uint32_t esp_le32(const uint8_t *p);
void esp_put32(uint8_t *p, uint32_t v);
/* Parses "4096", "0x1000", "4KB", "4K", "1MB", "1M". */
int esp_parse_size(const char *s, uint64_t *out);
/* The usage-error convention: one line, exit status 2. */
int esp_usage(const char *sub, const char *fmt, ...) KEEL_PRINTF(2, 3);

#endif
