/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot's entry point: a port describes its layout and policy in one
 * struct keel_boot_config, its board in struct keel_port (port.h), and calls
 * keel_boot(). The call finishes any interrupted swap, decides what to do
 * with each image (decision tables in docs/design.md), performs at most one
 * upgrade or revert per image, validates what it will start and reports it.
 *
 * Re-entrancy: the core keeps no static mutable state. Every piece of state
 * lives in flash (the trailers) or on the stack of this call, so a port (or
 * the simulator) may abandon keel_boot() at any flash operation, e.g. by
 * longjmp out of a driver callback to simulate a power cut, and simply call
 * it again: the second call resumes from what flash says.
 *
 * Nothing here allocates; the config, keys and areas are owned by the port
 * and must stay valid during the call.
 */
#ifndef KEEL_BOOT_H
#define KEEL_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/crypto.h"
#include "keel/flash.h"
#include "keel/image.h"
#include "keel/port.h"

#define KEEL_MAX_IMAGES 2

/*
 * How an upgrade reaches the primary slot.
 *
 * SWAP_OFFSET: Keel's default. The update is written one sector into the
 *   secondary slot; the swap shifts it down into the primary while the old
 *   image moves to secondary offset 0 (and back up on revert). One erase per
 *   sector per slot: 2N + 2 erases for an N-sector image (docs/design.md).
 *   Secondary one sector larger than the primary, equal sector sizes.
 * SWAP_MOVE: MCUboot's swap-move: primary one sector larger, equal sector
 *   sizes, 3N + 2 erases.
 * SWAP_SCRATCH: MCUboot's swap-scratch through a scratch area; the only
 *   swap that allows mixed sector sizes (sector boundaries must coincide in
 *   both slots and every region must fit the scratch).
 * OVERWRITE_ONLY: copy secondary over primary, no revert.
 */
enum keel_strategy {
	KEEL_STRATEGY_SWAP_OFFSET = 1,
	KEEL_STRATEGY_SWAP_MOVE = 2,
	KEEL_STRATEGY_SWAP_SCRATCH = 3,
	KEEL_STRATEGY_OVERWRITE_ONLY = 4,
};

/* MCUboot's swap types (values as stored in the low nibble of swap_info). */
enum keel_swap_type {
	KEEL_SWAP_NONE = 1,
	KEEL_SWAP_TEST = 2,
	KEEL_SWAP_PERM = 3,
	KEEL_SWAP_REVERT = 4,
	KEEL_SWAP_FAIL = 5,   /* a pending secondary was refused */
};

/* The two slots of one image. */
struct keel_image_slots {
	struct keel_area primary;
	struct keel_area secondary;
	/*
	 * Address the CPU sees the primary slot at. An image with ROM_FIXED
	 * (imgtool -F) must carry exactly this load address, else it is
	 * refused as KEEL_R_WRONG_SLOT; leave 0 if no such image is expected.
	 */
	uint32_t rom_addr;
};

/* A device private key for encrypted images (imgtool getpriv / keel getpriv). */
enum keel_enc_key_type {
	KEEL_ENC_KEY_P256 = 1,     /* unwraps ENC_EC256 (0x32) */
	KEEL_ENC_KEY_X25519 = 2,   /* unwraps ENC_X25519 (0x33) and ENC_X25519_SHA512 (0x34) */
};

struct keel_enc_key {
	enum keel_enc_key_type type;
	const uint8_t *priv;       /* 32-byte scalar: big endian for P-256, RFC 7748 for X25519 */
};

/* Policy flags (struct keel_boot_config.flags). */
#define KEEL_BOOT_VALIDATE_PRIMARY   0x0001u /* re-verify the primary on every boot (it is always
					      * verified after a swap) */
#define KEEL_BOOT_DOWNGRADE_VERSION  0x0002u /* refuse a secondary older than the primary */
#define KEEL_BOOT_DOWNGRADE_SEC_CNT  0x0004u /* refuse a secondary whose SEC_CNT is below the
					      * primary's (MCUboot ..._SECURITY_COUNTER) */
#define KEEL_BOOT_HW_ROLLBACK        0x0008u /* SEC_CNT checked against port->nv_counter, which is
					      * raised once an image is permanent */
#define KEEL_BOOT_REQUIRE_SEC_CNT    0x0010u /* an image without SEC_CNT is refused */
#define KEEL_BOOT_VERSION_USE_BUILD  0x0020u /* version compares include the build number */
#define KEEL_BOOT_SAVE_ENCTLV        0x0040u /* trailer keeps the ENC TLV, not the plain AES key */
#define KEEL_BOOT_QUIET              0x0080u /* a boot that changes nothing logs nothing; swaps,
					      * refusals and errors are always logged */

struct keel_boot_config {
	enum keel_strategy strategy;
	uint8_t n_images;                        /* 1 or 2 */
	struct keel_image_slots images[KEEL_MAX_IMAGES];
	struct keel_area scratch;                /* SWAP_SCRATCH only; size 0 otherwise */

	/*
	 * Trailer alignment A. 0 = max(8, write size). MCUboot allows 8, 16 and
	 * 32 (>= the write size). Write sizes above 32 need A = write size:
	 * Keel's trailer extension (docs/image-format.md), not MCUboot's.
	 */
	uint32_t trailer_align;
	/*
	 * Sectors the swap-status area is sized for (MCUboot's
	 * BOOT_MAX_IMG_SECTORS, imgtool -M). 0 = the larger slot's own sector
	 * count. Must equal the value a mid-swap MCUboot used for a device to
	 * resume under Keel.
	 */
	uint32_t max_sectors;

	/* Built-in verification keys: the `keel getpub` DER blobs, parsed. */
	const struct keel_pubkey *keys;
	size_t n_keys;

	/* Device private keys for encrypted images (may be 0). */
	const struct keel_enc_key *enc_keys;
	size_t n_enc_keys;
	/*
	 * Bytes reserved per slot for encryption state in the trailer, before
	 * alignment to A: 0 (no encrypted images), 16 or 32 (plain AES key,
	 * MCUboot's default), or the ENC TLV size with KEEL_BOOT_SAVE_ENCTLV
	 * (113/129 EC256, 80/96 X25519, 112/128 X25519-SHA512).
	 */
	uint32_t enc_slot_len;

	enum keel_hash_alg hash_alg;             /* image hash TLV required: SHA256 or SHA512 */
	uint32_t flags;                          /* KEEL_BOOT_* */
};

/*
 * Checks a layout before use. Refuses (KEEL_EINVAL, *why set to a fixed
 * one-line text) what the strategy cannot do safely: unequal sector sizes
 * in swap-move/offset, slots that do not start/end on sector bounds,
 * secondary or primary not one sector larger where required, no scratch or
 * a region larger than the scratch, overlapping areas, A not allowed for
 * the write size, trailer larger than the slot, more sectors than
 * max_sectors, missing keys. *why is "ok" on success.
 */
int keel_boot_check_layout(const struct keel_boot_config *cfg, const char **why);

/*
 * Largest image (header + payload + all TLVs) that image `image` may have
 * under this layout and strategy; 0 if the layout is invalid.
 */
uint32_t keel_boot_max_image_size(const struct keel_boot_config *cfg, uint32_t image);

/*
 * Offset inside the secondary slot where an update must be written:
 * one sector for SWAP_OFFSET, 0 otherwise.
 */
uint32_t keel_boot_upload_offset(const struct keel_boot_config *cfg, uint32_t image);

/* What keel_boot decided for one image. */
struct keel_boot_image {
	int bootable;                    /* 1: primary verified (or header-checked, see flags) */
	const struct keel_area *area;    /* the slot to start: always the primary */
	struct keel_image_header hdr;
	uint32_t payload_off;            /* = hdr.hdr_size, from the start of area */
	enum keel_swap_type swap;        /* what this boot did: NONE, TEST, PERM, REVERT, FAIL */
	uint8_t table_row;               /* decision-table row that matched (1..5), 0 = none */
	uint8_t resumed;                 /* 1: an interrupted swap was completed */
	uint8_t confirmed;               /* 1: the primary is permanent (no revert pending) */
	enum keel_reason refused;        /* why the secondary was refused (KEEL_R_OK if not) */
	enum keel_reason primary_reason; /* why the primary is not bootable (KEEL_R_OK if it is) */
	const char *detail;              /* what exactly was refused, e.g. "ECDSA-P384"; or NULL */
};

struct keel_boot_result {
	uint8_t n_images;
	struct keel_boot_image img[KEEL_MAX_IMAGES];
};

/*
 * Runs the boot decision for every image. Returns 0 when image 0 (and every
 * other configured image) has a verified primary to start: the port jumps
 * to result->img[0].area at payload_off. Otherwise a negative keel_err:
 * KEEL_ENOENT (no bootable image: the port enters recovery), KEEL_EINVAL
 * (layout refused), KEEL_EIO/KEEL_ETIMEDOUT (flash failure: nothing was
 * left half-done that the next boot cannot finish), KEEL_ECORRUPT (swap
 * status unreadable and the primary does not verify).
 * Logs every decision with its reason through port->console_write.
 */
int keel_boot(const struct keel_boot_config *cfg, const struct keel_port *port,
	      struct keel_boot_result *result);

/* What one slot holds (core/slot_info.c), for serial recovery and tools. */
struct keel_slot_info {
	uint8_t present;                 /* a header with the image magic was found */
	uint8_t valid;                   /* hash, key and signature verified */
	enum keel_reason reason;         /* why not valid (KEEL_R_OK if valid) */
	uint32_t base;                   /* offset of the image in the slot */
	struct keel_image_header hdr;
	uint8_t hash[KEEL_SHA512_LEN];   /* the image's hash TLV, when valid */
	uint8_t hash_len;
};

/*
 * Inspects slot 0 (primary) or 1 (secondary) of `image` without writing
 * anything: finds the image where the strategy keeps it (for swap-offset
 * the secondary holds a pending upload one sector in, or the previous image
 * at 0 after a swap), decrypts an encrypted secondary on the fly and runs
 * the full validation. 0 if valid; KEEL_EBADIMG/KEEL_ESTALE with
 * out->reason otherwise; a flash error; KEEL_EINVAL for a bad image/slot.
 */
int keel_boot_slot_info(const struct keel_boot_config *cfg, const struct keel_port *port,
			uint32_t image, uint32_t slot, struct keel_slot_info *out);

/* "NONE", "TEST", "PERM", "REVERT", "FAIL". */
const char *keel_swap_type_str(enum keel_swap_type t);

#endif
