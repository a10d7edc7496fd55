/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel_boot(): the state machine of docs/design.md section 2. Per image,
 * in phases so that a dependency can hold every upgrade of this boot:
 *   1. finish an interrupted swap (the primary trailer says one is running
 *      and at least one status record is written);
 *   2. decide from the trailers (the swap-type table) and validate the
 *      candidate;
 *   3. dependencies (core/multi.c);
 *   4. perform the swap, revert or overwrite;
 *   5. validate the primary, raise the NV counter once it is permanent.
 */
#include <string.h>

#include "keel/err.h"
#include "swap_priv.h"

static const char *const magic_txt[] = { "unset", "good", "bad" };
static const char *const flag_txt[] = { "unset", "set", "bad" };
static const char *const row_txt[] = { "no row", "row I", "row II", "row III", "row IV" };

const char *keel_swap_type_str(enum keel_swap_type t)
{
	switch (t) {
	case KEEL_SWAP_NONE: return "NONE";
	case KEEL_SWAP_TEST: return "TEST";
	case KEEL_SWAP_PERM: return "PERM";
	case KEEL_SWAP_REVERT: return "REVERT";
	case KEEL_SWAP_FAIL: return "FAIL";
	default: return "?";
	}
}

static const struct keel_strategy_ops *ops_of(const struct keel_img_state *st)
{
	return keel_strategy(st->c.cfg->strategy);
}

static void loc_at(const struct keel_img_state *st, const struct keel_area *a, uint32_t base,
		   struct keel_img_loc *loc)
{
	loc->area = a;
	loc->base = base;
	loc->limit = ops_of(st)->max_image(&st->c);
	loc->aes = NULL;
}

static int read_trailers(struct keel_img_state *st)
{
	int rc = keel_trailer_read(&st->c.tp, &st->tp);

	if (rc)
		return rc;
	/* An unreadable secondary is treated as empty, as MCUboot does. */
	if (keel_trailer_read(&st->c.ts, &st->ts))
		memset(&st->ts, 0, sizeof(st->ts));
	return 0;
}

/*
 * swap_info and swap_size as keel_swap_begin writes them. A factory
 * --pad --confirm trailer (MCUboot #829) has neither, so it never reads as
 * a running swap.
 */
static int fields_valid(struct keel_img_state *st)
{
	struct keel_swap_ctx *c = &st->c;
	uint32_t size;
	int erased;

	if (st->tp.swap_image != c->image || st->tp.swap_type < KEEL_SWAP_TEST)
		return 0;
	if (keel_trailer_read_u32(&c->tp, c->tp.swap_size_off, &size, &erased) || erased ||
	    size == 0 || size > ops_of(st)->max_image(c))
		return 0;
	c->type = (enum keel_swap_type)st->tp.swap_type;
	c->swap_size = size;
	return 1;
}

/* Reads the records only when the fields say how many steps there are. */
static int records_state(struct keel_img_state *st, int valid, uint32_t *done, uint8_t *rec)
{
	int rc;

	*rec = 0;
	if (!valid || st->tp.magic != KEEL_MAGIC_GOOD || st->tp.copy_done != KEEL_FLAG_UNSET)
		return 0;
	rc = keel_swap_progress(&st->c, done);
	if (rc == KEEL_ECORRUPT) {
		*rec = KEEL_REC_GAP;
		return 0;
	}
	*rec = *done ? KEEL_REC_SOME : KEEL_REC_NONE;
	return rc;
}

static int resume(struct keel_img_state *st, struct keel_boot_image *r)
{
	struct keel_swap_ctx *c = &st->c;
	uint32_t done = 0;
	uint8_t rec, row;
	int rc, valid;

	if (!ops_of(st)->swaps)
		return 0;
	rc = read_trailers(st);
	valid = !rc && fields_valid(st);
	if (!rc)
		rc = records_state(st, valid, &done, &rec);
	if (rc)
		return rc;
	switch (keel_resume_decide(st->tp.magic, st->tp.copy_done, valid, rec, &row)) {
	case KEEL_RESUME_CORRUPT:
		keel_log(c->port, "image %u: swap status records inconsistent -> moving nothing "
			 "(resume row %u)", c->image, row);
		st->corrupt = 1;
		return 0;
	case KEEL_RESUME_REDECIDE:
		keel_log(c->port, "image %u: %s swap set up but no step recorded -> decide again "
			 "(resume row %u)", c->image, keel_swap_type_str(c->type), row);
		return 0;
	case KEEL_RESUME_CONTINUE:
		break;
	default:
		return 0;
	}
	keel_log(c->port, "image %u: interrupted %s swap -> resuming at step %u of %u "
		 "(resume row %u)", c->image, keel_swap_type_str(c->type), done,
		 ops_of(st)->n_steps(c), row);
	rc = keel_enc_resume(st, done);
	if (rc == KEEL_ECORRUPT) {
		keel_log(c->port, "image %u: encrypted swap cannot continue without its keys -> "
			 "moving nothing", c->image);
		st->corrupt = 1;
		return 0;
	}
	if (!rc)
		rc = keel_swap_run(c, done);
	if (!rc)
		rc = keel_swap_finish(c);
	if (rc)
		return rc;
	r->resumed = 1;
	r->swap = c->type;
	return 0;
}

static void log_decision(const struct keel_img_state *st, enum keel_swap_type t)
{
	if ((st->c.cfg->flags & KEEL_BOOT_QUIET) && t == KEEL_SWAP_NONE)
		return;
	keel_log(st->c.port,
		 "image %u: primary magic %s image_ok %s copy_done %s; secondary magic %s "
		 "image_ok %s copy_done %s -> %s (swap table %s)",
		 st->c.image, magic_txt[st->tp.magic], flag_txt[st->tp.image_ok],
		 flag_txt[st->tp.copy_done], magic_txt[st->ts.magic], flag_txt[st->ts.image_ok],
		 flag_txt[st->ts.copy_done], keel_swap_type_str(t), row_txt[st->row]);
}

/* Downgrade rules against the image now in the primary (docs/design.md 6). */
static enum keel_reason downgrade(const struct keel_img_state *st)
{
	const struct keel_boot_config *cfg = st->c.cfg;

	if (!st->pri_ok)
		return KEEL_R_OK;
	if ((cfg->flags & KEEL_BOOT_DOWNGRADE_VERSION) &&
	    keel_cfg_version_cmp(cfg, &st->sec.lay.hdr.ver, &st->pri.lay.hdr.ver) < 0)
		return KEEL_R_DOWNGRADE_VERSION;
	if ((cfg->flags & KEEL_BOOT_DOWNGRADE_SEC_CNT) && st->pri.has_sec_cnt &&
	    (!st->sec.has_sec_cnt || st->sec.sec_cnt < st->pri.sec_cnt))
		return KEEL_R_DOWNGRADE_SEC_CNT;
	return KEEL_R_OK;
}

/* An update written at secondary offset 0 where the strategy wants it one sector in. */
static int header_at_zero(const struct keel_img_state *st)
{
	uint8_t raw[4];

	return keel_area_read(st->c.sec, 0, raw, sizeof(raw)) == 0 &&
	       keel_le32(raw) == KEEL_IMAGE_MAGIC;
}

static int validate_candidate(struct keel_img_state *st, enum keel_swap_type t,
			      enum keel_reason *reason)
{
	struct keel_img_loc pri, sec;
	int rc;

	loc_at(st, st->c.pri, 0, &pri);
	loc_at(st, st->c.sec, ops_of(st)->sec_image_off(&st->c, t), &sec);
	rc = keel_image_probe(&sec, &st->sec, reason);
	if (rc == KEEL_EBADIMG && sec.base && header_at_zero(st))
		*reason = KEEL_R_WRONG_SLOT;
	if (!rc)
		rc = keel_enc_prepare(st, &pri, &sec, reason);
	if (!rc && st->enc.valid[1])
		sec.aes = &st->enc.aes[1];
	if (!rc)
		rc = keel_image_validate(st->c.cfg, st->c.port, st->c.image, &sec, &st->sec, reason);
	if (!rc && t != KEEL_SWAP_REVERT) {
		*reason = downgrade(st);
		rc = *reason == KEEL_R_OK ? 0 : KEEL_ESTALE;
	}
	return rc;
}

/* A refused candidate: drop the request so it is not re-checked every boot. */
static int refuse(struct keel_img_state *st, struct keel_boot_image *r, enum keel_reason why)
{
	struct keel_swap_ctx *c = &st->c;
	int rc;

	keel_log(c->port, "image %u: secondary refused: %s%s%s -> %s dropped, primary kept",
		 c->image, keel_reason_str(why), st->sec.detail ? ": " : "",
		 st->sec.detail ? st->sec.detail : "", keel_swap_type_str(st->pending));
	r->refused = why;
	r->detail = st->sec.detail;
	r->swap = KEEL_SWAP_FAIL;
	rc = keel_trailer_clear(c, &c->ts);
	/* A revert that cannot happen: make the running image permanent. */
	if (!rc && st->pending == KEEL_SWAP_REVERT && st->tp.magic == KEEL_MAGIC_GOOD &&
	    st->tp.image_ok == KEEL_FLAG_UNSET)
		rc = keel_trailer_write_flag(&c->tp, c->tp.image_ok_off, 0x01);
	st->pending = KEEL_SWAP_NONE;
	return rc;
}

/*
 * Row IV reverts a TEST image that has run and was not confirmed. Whether
 * it has run is recorded in a spare status record (the trial record) that
 * keel_swap_finish writes after copy_done; if a cut took that record (or
 * tore copy_done), the image has not run yet and this boot runs it.
 * 1: run the primary now; 0: decide normally.
 */
static int test_first_run(struct keel_img_state *st)
{
	uint32_t done;
	int rc;

	if (!ops_of(st)->swaps || st->tp.magic != KEEL_MAGIC_GOOD ||
	    st->tp.copy_done == KEEL_FLAG_UNSET || st->tp.image_ok != KEEL_FLAG_UNSET ||
	    st->tp.swap_type != KEEL_SWAP_TEST || !fields_valid(st))
		return 0;
	rc = keel_swap_progress(&st->c, &done);
	if (rc == KEEL_ECORRUPT || (!rc && done != ops_of(st)->n_steps(&st->c)))
		return 0;
	rc = rc ? rc : keel_swap_trial_run(&st->c);
	if (rc == 1)
		keel_log(st->c.port, "image %u: TEST swap complete, no trial record -> first run of "
			 "the new image, revert on the next boot unless confirmed", st->c.image);
	return rc;
}

static int decide(struct keel_img_state *st, struct keel_boot_image *r)
{
	struct keel_img_loc pri;
	enum keel_reason why;
	enum keel_swap_type t;
	int rc;

	st->pending = KEEL_SWAP_NONE;
	loc_at(st, st->c.pri, 0, &pri);
	rc = read_trailers(st);
	if (rc)
		return rc;
	st->pri_ok = keel_image_probe(&pri, &st->pri, &why) == 0;
	if (r->resumed || st->corrupt)
		return 0;
	t = keel_swap_decide(&st->tp, &st->ts, &st->row);
	/* Row I means a revert is already under way; only row IV may wait. */
	rc = st->row == 4 ? test_first_run(st) : 0;
	st->first_run = rc == 1;
	if (rc)
		return rc < 0 ? rc : 0;
	if (!ops_of(st)->swaps && t == KEEL_SWAP_REVERT)
		t = KEEL_SWAP_NONE;
	r->table_row = st->row;
	log_decision(st, t);
	if (t == KEEL_SWAP_NONE)
		return 0;
	st->pending = t;
	rc = validate_candidate(st, t, &why);
	if (rc == KEEL_EBADIMG || rc == KEEL_ESTALE)
		return refuse(st, r, why);
	if (rc)
		st->pending = KEEL_SWAP_NONE;
	return rc;
}

static uint32_t image_end(const struct keel_image_info *i, int ok)
{
	return ok ? i->lay.end : 0;
}

static int perform(struct keel_img_state *st, struct keel_boot_image *r)
{
	struct keel_swap_ctx *c = &st->c;
	uint32_t pe = image_end(&st->pri, st->pri_ok), se = st->sec.lay.end;
	int rc = 0;

	if (st->pending == KEEL_SWAP_NONE)
		return 0;
	c->type = st->pending;
	c->swap_size = pe > se ? pe : se;
	c->tlv_sizes = (st->pri_ok ? st->pri.lay.unprot_size : 0) | st->sec.lay.unprot_size << 16;
	c->hdr[0] = st->pri.lay.hdr;
	c->hdr[1] = st->sec.lay.hdr;
	c->enc = &st->enc;
	keel_log(c->port, "image %u: %s %s, %u bytes", c->image, ops_of(st)->name,
		 keel_swap_type_str(c->type), c->swap_size);
	if (!ops_of(st)->swaps) {
		/* Overwrite-only has no revert: every install is permanent. */
		c->type = KEEL_SWAP_PERM;
		rc = keel_overwrite_install(c, se);
		if (!rc)
			r->swap = KEEL_SWAP_PERM;
		return rc;
	}
	if (c->type == KEEL_SWAP_REVERT && st->row == 4)
		rc = keel_swap_mark_revert(c);
	if (!rc)
		rc = keel_swap_begin(c);
	if (!rc)
		rc = keel_swap_run(c, 0);
	if (!rc)
		rc = keel_swap_finish(c);
	if (!rc)
		r->swap = c->type;
	return rc;
}

/* The counter follows the primary once no revert can bring the old image back. */
static int raise_counter(struct keel_img_state *st, struct keel_boot_image *r)
{
	const struct keel_nv_counter_ops *nv = st->c.port->nv_counter;
	uint32_t cur;
	int rc;

	if (!(st->c.cfg->flags & KEEL_BOOT_HW_ROLLBACK) || !nv || !st->pri.has_sec_cnt ||
	    !r->confirmed)
		return 0;
	rc = nv->read(nv->ctx, st->c.image, &cur);
	if (rc || cur >= st->pri.sec_cnt)
		return rc;
	keel_log(st->c.port, "image %u: security counter %u -> %u", st->c.image, cur,
		 st->pri.sec_cnt);
	return nv->advance(nv->ctx, st->c.image, st->pri.sec_cnt);
}

static int check_primary(struct keel_img_state *st, struct keel_boot_image *r)
{
	const struct keel_boot_config *cfg = st->c.cfg;
	struct keel_img_loc pri;
	enum keel_reason why;
	int rc, full;

	loc_at(st, st->c.pri, 0, &pri);
	rc = read_trailers(st);
	if (rc)
		return rc;
	/* Permanent unless row IV could still fire; a torn image_ok (BAD) was a
	 * write of 0x01, and row IV needs it UNSET. */
	r->confirmed = st->tp.magic != KEEL_MAGIC_GOOD || st->tp.image_ok != KEEL_FLAG_UNSET;
	/* Every boot that runs an image for the first time since it was copied
	 * (a swap done or resumed now, or a TEST image's first run after a torn
	 * finish) checks it in full: the copy itself is not trusted. */
	full = (cfg->flags & (KEEL_BOOT_VALIDATE_PRIMARY | KEEL_BOOT_HW_ROLLBACK)) ||
	       r->swap != KEEL_SWAP_NONE || r->resumed || st->corrupt || st->first_run;
	if (full)
		rc = keel_image_validate(cfg, st->c.port, st->c.image, &pri, &st->pri, &why);
	else
		rc = keel_image_probe(&pri, &st->pri, &why);
	if (rc == KEEL_EBADIMG || rc == KEEL_ESTALE) {
		keel_log(st->c.port, "image %u: primary not bootable: %s%s%s", st->c.image,
			 keel_reason_str(why), st->pri.detail ? ": " : "",
			 st->pri.detail ? st->pri.detail : "");
		r->primary_reason = why;
		r->detail = st->pri.detail;
		return 0;
	}
	if (rc)
		return rc;
	st->pri_ok = 1;
	r->bootable = 1;
	r->area = st->c.pri;
	r->hdr = st->pri.lay.hdr;
	r->payload_off = st->pri.lay.hdr.hdr_size;
	if (!(cfg->flags & KEEL_BOOT_QUIET))
		keel_log(st->c.port, "image %u: booting primary %u.%u.%u+%u (%s)", st->c.image,
			 r->hdr.ver.major, r->hdr.ver.minor, r->hdr.ver.revision, r->hdr.ver.build,
			 full ? "verified" : "header checked");
	return raise_counter(st, r);
}

typedef int (*phase_fn)(struct keel_img_state *st, struct keel_boot_image *r);

static int run_phase(struct keel_img_state *st, struct keel_boot_result *res, phase_fn fn)
{
	for (uint32_t i = 0; i < res->n_images; i++) {
		int rc = fn(&st[i], &res->img[i]);

		if (rc) {
			keel_log(st[i].c.port, "image %u: flash error %s, stopping", i,
				 keel_strerror(rc));
			return rc;
		}
	}
	return 0;
}

int keel_boot(const struct keel_boot_config *cfg, const struct keel_port *port,
	      struct keel_boot_result *res)
{
	struct keel_img_state st[KEEL_MAX_IMAGES];
	const char *why;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = keel_boot_check_layout(cfg, &why);
	if (rc) {
		keel_log(port, "layout refused: %s", why);
		return rc;
	}
	res->n_images = cfg->n_images;
	/* check_layout bounds n_images; the second test tells the compiler so. */
	for (uint32_t i = 0; i < cfg->n_images && i < KEEL_MAX_IMAGES; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		rc = keel_swap_ctx_init(&st[i].c, cfg, port, i);
		if (rc)
			return rc;
		res->img[i].swap = KEEL_SWAP_NONE;
	}
	rc = run_phase(st, res, resume);
	if (!rc)
		rc = run_phase(st, res, decide);
	if (!rc)
		keel_deps_check(cfg, port, st, res);
	if (!rc)
		rc = run_phase(st, res, perform);
	if (!rc)
		rc = run_phase(st, res, check_primary);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < cfg->n_images; i++)
		if (!res->img[i].bootable)
			return KEEL_ENOENT;
	return 0;
}
