/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Starting a verified app: its Espressif load header (docs/esp32c3.md
 * section 1.6) says which bytes of the image go to IRAM and DRAM and which
 * pages the cache MMU maps at IROM/DROM. The header is covered by the
 * image signature, but a signed header can still be hostile or wrong, so
 * every region is checked before anything is copied: RAM regions must lie
 * in the app's RAM (never over keel-boot, which is running, nor over the
 * ROM's stack and data), flash regions inside the signed image and
 * congruent with their page, no two regions sharing memory or MMU entries,
 * the entry inside IRAM.
 */
#include <string.h>

#include "esp32c3.h"
#include "esp32c3_port.h"
#include "keel/err.h"
#include "keel_layout.h"

/* SRAM in DRAM names: the app below keel-boot, keel-boot below the ROM's stack and data. */
#define APP_RAM_START 0x3FC80000u
#define BOOT_RAM_START KEEL_C3_BOOT_RAM_START
#define ROM_RAM_START 0x3FCDC710u
#define SRAM_END 0x3FCE0000u

struct span {
	uint32_t lo, hi;   /* [lo, hi) */
};

static int overlaps(struct span a, struct span b)
{
	return a.lo < b.hi && b.lo < a.hi;
}

/* A RAM region in DRAM names; NULL if acceptable. */
static const char *ram_check(uint32_t dram, uint32_t size, struct span *out)
{
	struct span s = { dram, dram + size };

	if (s.hi < s.lo || s.lo < APP_RAM_START || s.hi > SRAM_END)
		return "RAM segment outside SRAM";
	if (overlaps(s, (struct span){ ROM_RAM_START, SRAM_END }))
		return "RAM segment over the ROM's stack and data";
	if (overlaps(s, (struct span){ BOOT_RAM_START, ROM_RAM_START }))
		return "RAM segment over keel-boot's RAM";
	*out = s;
	return 0;
}

static const char *data_check(uint32_t off, uint32_t size, uint32_t img_end)
{
	if (off > img_end || size > img_end - off)
		return "segment data past the signed image";
	return 0;
}

/* MMU entries [lo, hi) a flash region needs; NULL if acceptable. */
static const char *map_check(uint32_t addr, uint32_t base, uint32_t off, uint32_t size,
			     uint32_t slot_off, uint32_t img_end, struct span *out)
{
	uint32_t rel = addr - base;

	if (addr < base || rel >= XROM_SPAN || size > XROM_SPAN - rel)
		return "flash mapping outside the cache address space";
	if (off > img_end || size > img_end - off)
		return "flash mapping past the signed image in the slot";
	if ((slot_off + off) % MMU_PAGE != addr % MMU_PAGE)
		return "flash mapping not congruent with its page";
	out->lo = rel / MMU_PAGE;
	out->hi = (rel + size + MMU_PAGE - 1u) / MMU_PAGE;
	return 0;
}

static const char *ram_regions(const struct c3_load_header *h, uint32_t img_end)
{
	struct span ir = { 0, 0 }, dr = { 0, 0 };
	const char *why = 0;

	if (h->iram_size) {
		if (h->iram_dest < IRAM_DRAM_DELTA)
			return "IRAM segment outside SRAM";
		why = ram_check(h->iram_dest - IRAM_DRAM_DELTA, h->iram_size, &ir);
		why = why ? why : data_check(h->iram_off, h->iram_size, img_end);
	}
	if (!why && h->dram_size) {
		why = ram_check(h->dram_dest, h->dram_size, &dr);
		why = why ? why : data_check(h->dram_off, h->dram_size, img_end);
	}
	if (!why && h->iram_size && h->dram_size && overlaps(ir, dr))
		why = "overlapping segments (IRAM and DRAM share SRAM)";
	if (!why && (h->entry < h->iram_dest || h->entry - h->iram_dest >= h->iram_size))
		why = "entry point outside the IRAM segment";
	return why;
}

const char *c3_load_check(const struct c3_load_header *h, uint32_t slot_off, uint32_t img_end)
{
	struct span im = { 0, 0 }, dm = { 0, 0 };
	const char *why;

	if (h->magic != C3_LOAD_MAGIC)
		return "no load header (magic)";
	for (int i = 0; i < 6; i++)
		if (h->rtc[i])
			return "RTC segments are not supported";
	why = ram_regions(h, img_end);
	if (!why && h->irom_size)
		why = map_check(h->irom_addr, IROM_BASE, h->irom_off, h->irom_size, slot_off, img_end,
				&im);
	if (!why && h->drom_size)
		why = map_check(h->drom_addr, DROM_BASE, h->drom_off, h->drom_size, slot_off, img_end,
				&dm);
	/* IBUS and DBUS share one MMU table: one entry cannot serve both. */
	if (!why && h->irom_size && h->drom_size && overlaps(im, dm))
		why = "overlapping segments (IROM and DROM share MMU entries)";
	return why;
}

static void map(uint32_t addr, uint32_t base, uint32_t flash, uint32_t size)
{
	uint32_t first = (addr - base) / MMU_PAGE;
	uint32_t n = (addr % MMU_PAGE + size + MMU_PAGE - 1u) / MMU_PAGE;
	uint32_t page = (flash - addr % MMU_PAGE) / MMU_PAGE;

	/* Invalid first: a cache only refetches an entry whose value changes. */
	for (uint32_t i = 0; i < n; i++) {
		MMU_TABLE[first + i] = MMU_INVALID;
		MMU_TABLE[first + i] = page + i;
	}
}

const char *c3_load(const struct keel_area *slot, uint32_t *entry)
{
	uint32_t img_end;
	struct c3_load_header h;
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE];
	struct keel_image_header ih;
	const char *why;

	if (keel_area_read(slot, 0, raw, sizeof(raw)))
		return "flash read error";
	keel_image_header_decode(&ih, raw);
	img_end = (uint32_t)ih.hdr_size + ih.img_size;
	if (img_end < ih.img_size || img_end > slot->size)
		return "image larger than its slot";
	if (keel_area_read(slot, ih.hdr_size, &h, sizeof(h)))
		return "flash read error";
	why = c3_load_check(&h, slot->off, img_end);
	if (why)
		return why;
	if (h.iram_size &&
	    keel_area_read(slot, h.iram_off, (void *)(uintptr_t)(h.iram_dest - IRAM_DRAM_DELTA),
			   h.iram_size))
		return "flash read error";
	if (h.dram_size && keel_area_read(slot, h.dram_off, (void *)(uintptr_t)h.dram_dest, h.dram_size))
		return "flash read error";
	EXTMEM_ICACHE_CTRL1 = 0;   /* IBUS and DBUS on */
	EXTMEM_ICACHE_CTRL = 1;
	if (h.irom_size)
		map(h.irom_addr, IROM_BASE, slot->off + h.irom_off, h.irom_size);
	if (h.drom_size)
		map(h.drom_addr, DROM_BASE, slot->off + h.drom_off, h.drom_size);
	*entry = h.entry;
	return 0;
}

void c3_jump(uint32_t entry)
{
	/* fence.i (encoded: the rv32imc toolchain may lack Zifencei): new code in IRAM. */
	__asm__ volatile(".word 0x0000100f\n"
			 "jr %0\n" ::"r"(entry) : "memory");
	__builtin_unreachable();
}
