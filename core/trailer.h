/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private: the slot trailer (MCUboot's byte layout, docs/image-format.md),
 * shared by keel-boot and the app-side bootctl library.
 */
#ifndef KEEL_CORE_TRAILER_H
#define KEEL_CORE_TRAILER_H

#include <stdint.h>

#include "keel/bootctl.h"
#include "keel/flash.h"

#define KEEL_TRAILER_MAX_WRITE 256u

/* Where each field of one slot's trailer is, as area offsets. */
struct keel_trailer {
	const struct keel_area *area;
	uint32_t align;          /* A */
	uint32_t wsize;          /* W: program unit used for every trailer write */
	uint32_t magic_unit;     /* M = align_up(16, A) */
	uint32_t magic_off;      /* the 16 magic bytes; written as M bytes from S - M */
	uint32_t image_ok_off;
	uint32_t copy_done_off;
	uint32_t swap_info_off;
	uint32_t tlv_sizes_off;  /* swap-offset only; 0 = field absent */
	uint32_t swap_size_off;
	uint32_t key_len;        /* K per key slot, 0 without encryption */
	uint32_t key_off[2];     /* slot 0 (primary image), slot 1 (secondary image) */
	uint32_t status_off;     /* start of the status records = start of the trailer */
	uint32_t status_len;     /* max_sectors * states * W */
	uint8_t erased;
};

/* Parameters that decide the layout (the same for both slots of an image). */
struct keel_trailer_params {
	uint32_t align;          /* A, already resolved (never 0) */
	uint32_t wsize;          /* W */
	uint32_t max_sectors;    /* N */
	uint32_t states;         /* records per operation: 3 scratch/move, 2 offset, 0 overwrite */
	uint32_t enc_slot_len;   /* before alignment, 0 = none */
	int tlv_sizes;           /* 1 for swap-offset */
};

/* Resolves A for a write size: cfg_align if nonzero, else max(8, W). */
uint32_t keel_trailer_align(uint32_t cfg_align, uint32_t wsize);
/* KEEL_EINVAL if A is not allowed for W (docs/image-format.md). */
int keel_trailer_align_ok(uint32_t align, uint32_t wsize);
/* Bytes from the status area start to the slot end. */
uint32_t keel_trailer_size(const struct keel_trailer_params *p);
/* Fills t for area a; KEEL_ENOSPC if the trailer does not fit. */
int keel_trailer_init(struct keel_trailer *t, const struct keel_area *a,
		      const struct keel_trailer_params *p);

/* The 16 magic bytes for alignment A. */
void keel_trailer_magic(uint32_t align, uint8_t out[16]);

/* Decodes magic, flags and swap_info (reads only those fields). */
int keel_trailer_read(const struct keel_trailer *t, struct keel_trailer_state *st);
/* A u32 field as stored; *erased 1 if its bytes read erased. */
int keel_trailer_read_u32(const struct keel_trailer *t, uint32_t off, uint32_t *v, int *erased);

/* Field writes: one program of W-aligned erased bytes each. */
int keel_trailer_write_magic(const struct keel_trailer *t);
int keel_trailer_write_flag(const struct keel_trailer *t, uint32_t off, uint8_t value);
int keel_trailer_write_u32(const struct keel_trailer *t, uint32_t off, uint32_t v);
int keel_trailer_write_bytes(const struct keel_trailer *t, uint32_t off, const uint8_t *p,
			     uint32_t len);
/* 1 if the W unit at off reads erased, 0 if not, negative on error. */
int keel_trailer_unit_erased(const struct keel_trailer *t, uint32_t off);

/* Status record r (0-based in execution order) at the given index. */
int keel_trailer_write_record(const struct keel_trailer *t, uint32_t index, uint8_t value);
/* Reads record byte at index: *state 0 erased, 1 == value, 2 anything else. */
int keel_trailer_read_record(const struct keel_trailer *t, uint32_t index, uint8_t value,
			     int *state);

/*
 * Keel's trial record: align_up(8, W) bytes of status area, every bit moved
 * away from the erased value, so a torn write almost never reads complete.
 * *state: 0 erased, 1 complete, 2 anything else (torn).
 */
uint32_t keel_trailer_trial_span(const struct keel_trailer *t);
int keel_trailer_write_trial(const struct keel_trailer *t, uint32_t index);
int keel_trailer_read_trial(const struct keel_trailer *t, uint32_t index, int *state);

/* Decision tables (docs/design.md reproduces them row for row). */
enum keel_swap_type keel_swap_decide(const struct keel_trailer_state *pri,
				     const struct keel_trailer_state *sec, uint8_t *row);

/* One row of the swap-type table: each column is a mask of accepted states. */
#define KEEL_M_UNSET 0x1u   /* magic UNSET / flag UNSET */
#define KEEL_M_SET   0x2u   /* magic GOOD / flag SET */
#define KEEL_M_BAD   0x4u
#define KEEL_M_ANY   0x7u
struct keel_swap_row {
	uint8_t row;             /* 1..4 = MCUboot's I..IV */
	uint8_t magic_p, magic_s, ok_p, ok_s, cd_p, cd_s;
	enum keel_swap_type type;
};
extern const struct keel_swap_row keel_swap_table[];
extern const unsigned keel_swap_table_len;

/*
 * The resume table (Keel's status source): is a swap running, and what to
 * do about it. Inputs are the primary trailer's magic and copy_done, whether
 * swap_info and swap_size are as keel_swap_begin writes them, and what the
 * status records say (read only when the fields are valid).
 */
#define KEEL_REC_NONE 0x1u   /* no record written */
#define KEEL_REC_SOME 0x2u   /* records 0..r-1 written, the rest erased */
#define KEEL_REC_GAP  0x4u   /* a written record after an erased one */
#define KEEL_FIELDS_INVALID 0x1u
#define KEEL_FIELDS_VALID   0x2u
enum keel_resume_action {
	KEEL_RESUME_DECIDE = 1,   /* no swap running: evaluate the swap-type table */
	KEEL_RESUME_REDECIDE,     /* set up, no step recorded: decide again */
	KEEL_RESUME_CORRUPT,      /* records unreadable: move nothing */
	KEEL_RESUME_CONTINUE,     /* run the remaining steps */
};
struct keel_resume_row {
	uint8_t row;
	uint8_t magic_p, cd_p, fields, records;
	enum keel_resume_action action;
};
extern const struct keel_resume_row keel_resume_table[];
extern const unsigned keel_resume_table_len;
/* records is ignored (pass 0) when fields are invalid. */
enum keel_resume_action keel_resume_decide(enum keel_magic_state magic,
					   enum keel_flag_state copy_done, int fields_valid,
					   uint8_t records, uint8_t *row);

#endif
