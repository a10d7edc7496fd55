/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flash boundary: the only way the boot core touches storage.
 *
 * A port describes each flash device with struct keel_flash (three
 * callbacks plus geometry) and each slot with struct keel_area (a window on
 * a device). The core calls only keel_area_*; the callbacks are never
 * called from anywhere else, which is what lets the simulator wrap fault
 * injection, tracing and wear counting around a device.
 *
 * Rules a driver must follow (the simulator enforces them):
 *  - read: any offset and length inside the device.
 *  - prog: off and len are multiples of write_size, the target bytes were
 *    erased since they were last programmed; returns 0 or a negative
 *    keel_err (KEEL_EIO, KEEL_ETIMEDOUT). A driver never silently skips.
 *  - erase: off and len cover whole sectors; afterwards every byte reads
 *    erased_val.
 *  - a driver returns only 0 or a negative keel_err.
 */
#ifndef KEEL_FLASH_H
#define KEEL_FLASH_H

#include <stdint.h>
#include <stddef.h>

struct keel_flash;

/* `count` consecutive sectors of `size` bytes each. */
struct keel_sector_run {
	uint32_t count;
	uint32_t size;
};

struct keel_flash_ops {
	int (*read)(const struct keel_flash *dev, uint32_t off, void *buf, uint32_t len);
	int (*prog)(const struct keel_flash *dev, uint32_t off, const void *buf, uint32_t len);
	int (*erase)(const struct keel_flash *dev, uint32_t off, uint32_t len);
};

struct keel_flash {
	const struct keel_flash_ops *ops;
	void *ctx;                               /* driver state */
	uint32_t size;                           /* bytes; equals the sum of the runs */
	uint16_t write_size;                     /* program unit, 1..256, power of two */
	uint8_t erased_val;                      /* 0xff or 0x00 */
	uint8_t n_runs;
	const struct keel_sector_run *runs;      /* sector map from offset 0 */
};

/* A slot, scratch or other region: [off, off + size) of dev. */
struct keel_area {
	const struct keel_flash *dev;
	uint32_t off;
	uint32_t size;
	uint8_t id;                              /* KEEL_AREA_* below, for logs */
};

enum keel_area_id {
	KEEL_AREA_PRIMARY_0 = 0,
	KEEL_AREA_SECONDARY_0 = 1,
	KEEL_AREA_PRIMARY_1 = 2,
	KEEL_AREA_SECONDARY_1 = 3,
	KEEL_AREA_SCRATCH = 4,
};

struct keel_sector {
	uint32_t off;    /* relative to the area */
	uint32_t size;
};

/*
 * All return 0 or a negative keel_err. Offsets are relative to the area;
 * anything outside it is KEEL_ERANGE and never reaches the driver.
 * keel_area_write requires off and len aligned to the device write size
 * (KEEL_EINVAL otherwise). keel_area_erase requires sector alignment.
 */
int keel_area_read(const struct keel_area *a, uint32_t off, void *buf, uint32_t len);
int keel_area_write(const struct keel_area *a, uint32_t off, const void *buf, uint32_t len);
int keel_area_erase(const struct keel_area *a, uint32_t off, uint32_t len);

/* Program unit and erased value of the area's device. */
uint32_t keel_area_write_size(const struct keel_area *a);
uint8_t keel_area_erased_val(const struct keel_area *a);

/*
 * The sector containing area offset off. KEEL_ERANGE if off is outside the
 * area; KEEL_EINVAL if the area does not start and end on sector bounds.
 */
int keel_area_sector_at(const struct keel_area *a, uint32_t off, struct keel_sector *out);
/* Number of sectors in the area (negative keel_err if misaligned). */
int keel_area_sector_count(const struct keel_area *a);

/* 1 if [off, off+len) reads as erased, 0 if not, negative on read error. */
int keel_area_is_erased(const struct keel_area *a, uint32_t off, uint32_t len);

/*
 * Writes len bytes that need not be write-size aligned at the end: the last
 * unit is padded with the erased value. off must be aligned.
 */
int keel_area_write_padded(const struct keel_area *a, uint32_t off, const void *buf, uint32_t len);

#endif
