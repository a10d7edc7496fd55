/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The small library an application links to talk to keel-boot through the
 * slot trailers, with MCUboot's write sequences (so MCUboot-aware apps and
 * Keel apps are interchangeable):
 *  - request an upgrade of image N: secondary trailer magic, then
 *    image_ok = 1 if permanent, then swap_info = type | N << 4;
 *  - confirm the running image: primary image_ok = 1 if the primary magic
 *    is good and image_ok is still erased (copy_done is not required, so a
 *    factory `--pad` image can confirm itself);
 *  - read both trailers and what the next boot will do.
 * Every write is one program of erased bytes; nothing here erases, so a
 * power cut leaves at worst a torn field, which keel-boot reads as BAD
 * (docs/design.md) and these functions report as KEEL_ECORRUPT.
 */
#ifndef KEEL_BOOTCTL_H
#define KEEL_BOOTCTL_H

#include <stdint.h>

#include "keel/boot.h"
#include "keel/flash.h"

/* What the app knows of one image's layout (the same values keel-boot has). */
struct keel_bootctl {
	const struct keel_area *primary;
	const struct keel_area *secondary;
	uint32_t trailer_align;      /* A; 0 = max(8, write size) */
	enum keel_strategy strategy; /* decides the upload offset and the REVERT row */
	uint8_t image;               /* image number written to swap_info */
};

enum keel_magic_state { KEEL_MAGIC_UNSET = 0, KEEL_MAGIC_GOOD = 1, KEEL_MAGIC_BAD = 2 };
enum keel_flag_state { KEEL_FLAG_UNSET = 0, KEEL_FLAG_SET = 1, KEEL_FLAG_BAD = 2 };

/* One trailer, decoded (MCUboot's encodings, docs/image-format.md). */
struct keel_trailer_state {
	enum keel_magic_state magic;
	enum keel_flag_state image_ok;
	enum keel_flag_state copy_done;
	uint8_t swap_type;          /* low nibble of swap_info; 0 if erased or invalid */
	uint8_t swap_image;         /* high nibble */
};

struct keel_bootctl_state {
	struct keel_trailer_state primary;
	struct keel_trailer_state secondary;
	enum keel_swap_type next;   /* what the decision table says the next boot does */
	uint8_t table_row;          /* the row that matched, 0 = none */
};

/*
 * Marks the secondary as a pending upgrade: test (reverts unless
 * confirmed) or permanent. KEEL_EBUSY if it is already marked the same way
 * (no write done), KEEL_ECORRUPT if a previous write was torn (the app must
 * erase the secondary's last sector and write the image again).
 */
int keel_bootctl_request_upgrade(const struct keel_bootctl *c, int permanent);

/* Confirms the image in the primary slot. 0 if done or already confirmed. */
int keel_bootctl_confirm(const struct keel_bootctl *c);

/* Reads both trailers and evaluates the decision table. */
int keel_bootctl_read_state(const struct keel_bootctl *c, struct keel_bootctl_state *out);

/* Where the app writes a new image in the secondary (one sector for swap-offset). */
uint32_t keel_bootctl_upload_offset(const struct keel_bootctl *c);

#endif
