/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private: the strategy interface. A swap strategy is a pure function from
 * (geometry, swap type, swap size) to a list of steps; core/swap.c runs the
 * steps with one status record after each, and resumes at the first step
 * whose record is erased. A step always erases its destination before it
 * copies, and its source stays intact until a later step, so any step can
 * be redone after a cut (docs/design.md section 4).
 */
#ifndef KEEL_CORE_SWAP_PRIV_H
#define KEEL_CORE_SWAP_PRIV_H

#include "boot_priv.h"

/* Everything a strategy needs about one image; lives on keel_boot's stack. */
struct keel_swap_ctx {
	const struct keel_boot_config *cfg;
	const struct keel_port *port;
	uint32_t image;
	const struct keel_area *pri;
	const struct keel_area *sec;
	const struct keel_area *scratch;
	struct keel_trailer tp;          /* primary trailer */
	struct keel_trailer ts;          /* secondary trailer */
	uint32_t sector;                 /* sector size (equal-sector strategies) */
	enum keel_swap_type type;        /* TEST, PERM or REVERT */
	uint32_t swap_size;              /* bytes of each slot that take part */
	uint32_t tlv_sizes;              /* swap-offset trailer field */
	struct keel_enc_state *enc;      /* NULL when neither image is encrypted */
	/* Headers of the image that started in each slot (for the AES-CTR offsets). */
	struct keel_image_header hdr[2]; /* 0: started in primary, 1: started in secondary */
};

/* Which image's key a step applies while it copies. */
enum keel_crypt { KEEL_CRYPT_NONE = -1, KEEL_CRYPT_PRI = 0, KEEL_CRYPT_SEC = 1 };

struct keel_swap_step {
	const struct keel_area *dst;
	uint32_t dst_off;
	uint32_t erase_len;              /* sector-aligned, >= len */
	const struct keel_area *src;
	uint32_t src_off;
	uint32_t len;
	uint32_t record;                 /* status record index */
	uint8_t value;                   /* status record value */
	int8_t crypt;                    /* enum keel_crypt */
	uint32_t img_off;                /* image offset of src_off (AES-CTR position) */
};

struct keel_strategy_ops {
	const char *name;
	uint32_t states;                 /* status records per operation (trailer sizing) */
	int tlv_sizes;                   /* trailer carries swap-offset's TLV sizes field */
	int swaps;                       /* 0 for overwrite-only */
	/* Layout rules beyond the common ones; *why on refusal. */
	int (*check)(const struct keel_boot_config *cfg, uint32_t image, const char **why);
	/* Largest image for this strategy (bytes, from the image start). */
	uint32_t (*max_image)(const struct keel_swap_ctx *c);
	/* Where the candidate image sits in the secondary for a swap type. */
	uint32_t (*sec_image_off)(const struct keel_swap_ctx *c, enum keel_swap_type t);
	uint32_t (*n_steps)(const struct keel_swap_ctx *c);
	int (*step)(const struct keel_swap_ctx *c, uint32_t i, struct keel_swap_step *s);
};

extern const struct keel_strategy_ops keel_swap_offset_ops;
extern const struct keel_strategy_ops keel_swap_move_ops;
extern const struct keel_strategy_ops keel_swap_scratch_ops;
extern const struct keel_strategy_ops keel_overwrite_ops;

const struct keel_strategy_ops *keel_strategy(enum keel_strategy s);

/*
 * Layout check of the equal-sector strategies: every sector of both slots
 * has the primary's first sector size (returned in *sector), else
 * KEEL_EINVAL with *why = refusal.
 */
int keel_swap_equal_sectors(const struct keel_boot_config *cfg, uint32_t image,
			    const char *refusal, const char **why, uint32_t *sector);

/* Fills the trailers and geometry of c for image `image`. */
int keel_swap_ctx_init(struct keel_swap_ctx *c, const struct keel_boot_config *cfg,
		       const struct keel_port *port, uint32_t image);

/* Offset of the first sector holding trailer bytes (everything above is trailer). */
uint32_t keel_trailer_sectors_off(const struct keel_trailer *t);
/* Erases the trailer sectors unless they already read erased. */
int keel_trailer_clear(const struct keel_swap_ctx *c, const struct keel_trailer *t);

/* The swap engine (core/swap.c). */
int keel_swap_begin(struct keel_swap_ctx *c);
int keel_swap_run(struct keel_swap_ctx *c, uint32_t first);
int keel_swap_finish(struct keel_swap_ctx *c);
/*
 * Steps already done according to the status records: 0..n. KEEL_ECORRUPT
 * if a written record follows an erased one.
 */
int keel_swap_progress(const struct keel_swap_ctx *c, uint32_t *done);
/*
 * After a complete TEST swap whose copy_done write was torn: 1 if this boot
 * is the new image's first run (a trial record was just written), 0 if it
 * has had it, negative on a flash error.
 */
int keel_swap_trial_run(const struct keel_swap_ctx *c);
/* Writes the revert marker (row I) into the secondary trailer. */
int keel_swap_mark_revert(const struct keel_swap_ctx *c);

/* Erases nothing: copies one step's data, applying its key. */
int keel_swap_copy(const struct keel_swap_ctx *c, const struct keel_swap_step *s);

/* Overwrite-only install (core/overwrite.c). */
int keel_overwrite_install(struct keel_swap_ctx *c, uint32_t new_size);

/* One image's boot state across the phases of keel_boot (core/boot.c). */
struct keel_img_state {
	struct keel_swap_ctx c;
	struct keel_trailer_state tp;
	struct keel_trailer_state ts;
	enum keel_swap_type pending;     /* TEST, PERM, REVERT to perform, or NONE */
	uint8_t row;
	int corrupt;                     /* status records unreadable: move nothing */
	int first_run;                   /* TEST image's first run after a torn finish */
	int pri_ok;                      /* primary header and TLVs parse */
	struct keel_image_info pri;
	struct keel_image_info sec;      /* the validated candidate when pending */
	struct keel_enc_state enc;
};

/* Holds every upgrade when one pending image has an unmet dependency (core/multi.c). */
void keel_deps_check(const struct keel_boot_config *cfg, const struct keel_port *port,
		     struct keel_img_state *st, struct keel_boot_result *res);

/* Loads the AES keys of a swap (core/enc.c): from the images, or the trailer on resume. */
int keel_enc_prepare(struct keel_img_state *st, const struct keel_img_loc *pri,
		     const struct keel_img_loc *sec, enum keel_reason *reason);
/* On resume: finds both headers after `done` steps and reloads the keys from the trailer. */
int keel_enc_resume(struct keel_img_state *st, uint32_t done);
/* Writes both key slots of the primary trailer (plain keys or ENC TLVs). */
int keel_enc_save(const struct keel_swap_ctx *c);

#endif
