/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The swap engine shared by every swap strategy: trailer initialisation
 * (magic last), the step loop with one status record per step, resume
 * from the records, and the closing writes. The commit points and what a
 * cut at each one leaves are in docs/design.md section 4.
 */
#include <string.h>

#include "keel/err.h"
#include "swap_priv.h"

const struct keel_strategy_ops *keel_strategy(enum keel_strategy s)
{
	switch (s) {
	case KEEL_STRATEGY_SWAP_OFFSET: return &keel_swap_offset_ops;
	case KEEL_STRATEGY_SWAP_MOVE: return &keel_swap_move_ops;
	case KEEL_STRATEGY_SWAP_SCRATCH: return &keel_swap_scratch_ops;
	case KEEL_STRATEGY_OVERWRITE_ONLY: return &keel_overwrite_ops;
	default: return NULL;
	}
}

static int equal_sectors(const struct keel_area *a, uint32_t size)
{
	struct keel_sector s;

	for (uint32_t off = 0; off < a->size; off = s.off + s.size)
		if (keel_area_sector_at(a, off, &s) || s.size != size)
			return 0;
	return 1;
}

int keel_swap_equal_sectors(const struct keel_boot_config *cfg, uint32_t image,
			    const char *refusal, const char **why, uint32_t *sector)
{
	const struct keel_image_slots *sl = &cfg->images[image];
	struct keel_sector s;

	if (keel_area_sector_at(&sl->primary, 0, &s))
		return KEEL_EINVAL;
	if (!equal_sectors(&sl->primary, s.size) || !equal_sectors(&sl->secondary, s.size)) {
		*why = refusal;
		return KEEL_EINVAL;
	}
	*sector = s.size;
	return 0;
}

void keel_feed(const struct keel_port *port)
{
	if (port && port->watchdog_feed)
		port->watchdog_feed();
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

int keel_swap_ctx_init(struct keel_swap_ctx *c, const struct keel_boot_config *cfg,
		       const struct keel_port *port, uint32_t image)
{
	const struct keel_strategy_ops *ops = keel_strategy(cfg->strategy);
	struct keel_trailer_params p;
	struct keel_sector s0;
	int np, ns, rc;

	memset(c, 0, sizeof(*c));
	if (!ops || image >= cfg->n_images)
		return KEEL_EINVAL;
	c->cfg = cfg;
	c->port = port;
	c->image = image;
	c->pri = &cfg->images[image].primary;
	c->sec = &cfg->images[image].secondary;
	c->scratch = cfg->scratch.size ? &cfg->scratch : NULL;
	np = keel_area_sector_count(c->pri);
	ns = keel_area_sector_count(c->sec);
	if (np <= 0 || ns <= 0)
		return KEEL_EINVAL;
	p.wsize = max_u32(keel_area_write_size(c->pri), keel_area_write_size(c->sec));
	if (c->scratch)
		p.wsize = max_u32(p.wsize, keel_area_write_size(c->scratch));
	p.align = keel_trailer_align(cfg->trailer_align, p.wsize);
	if (keel_trailer_align_ok(p.align, p.wsize))
		return KEEL_EINVAL;
	p.max_sectors = cfg->max_sectors ? cfg->max_sectors : max_u32((uint32_t)np, (uint32_t)ns);
	p.states = ops->states;
	p.enc_slot_len = cfg->enc_slot_len;
	p.tlv_sizes = ops->tlv_sizes;
	rc = keel_trailer_init(&c->tp, c->pri, &p);
	if (!rc)
		rc = keel_trailer_init(&c->ts, c->sec, &p);
	if (!rc)
		rc = keel_area_sector_at(c->pri, 0, &s0);
	c->sector = s0.size;
	return rc;
}

uint32_t keel_trailer_sectors_off(const struct keel_trailer *t)
{
	struct keel_sector s;

	if (keel_area_sector_at(t->area, t->status_off, &s))
		return t->status_off;
	return s.off;
}

int keel_erase(const struct keel_port *port, const struct keel_area *a, uint32_t off,
	       uint32_t len)
{
	struct keel_sector s;
	uint32_t end = off + len;
	int rc;

	while (off < end) {
		rc = keel_area_sector_at(a, off, &s);
		if (rc)
			return rc;
		rc = keel_area_erase(a, s.off, s.size);
		if (rc)
			return rc;
		keel_feed(port);
		off = s.off + s.size;
	}
	return 0;
}

int keel_trailer_clear(const struct keel_swap_ctx *c, const struct keel_trailer *t)
{
	uint32_t off = keel_trailer_sectors_off(t);
	int rc = keel_area_is_erased(t->area, off, t->area->size - off);

	if (rc < 0)
		return rc;
	return rc ? 0 : keel_erase(c->port, t->area, off, t->area->size - off);
}

/* AES-CTR over the payload part of [img_off, img_off + n) of a chunk. */
static void crypt_chunk(const struct keel_aes *aes, const struct keel_image_header *h,
			uint32_t img_off, uint8_t *buf, uint32_t n)
{
	static const uint8_t iv[16];
	uint32_t lo = h->hdr_size, hi = h->hdr_size + h->img_size;
	uint32_t a = img_off > lo ? img_off : lo;
	uint32_t b = img_off + n < hi ? img_off + n : hi;

	if (a < b)
		keel_aes_ctr(aes, iv, a - lo, buf + (a - img_off), buf + (a - img_off), b - a);
}

static int chunk_erased(const uint8_t *p, uint32_t n, uint8_t ev)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != ev)
			return 0;
	return 1;
}

/*
 * Copies a step's data. Chunks that read erased are not programmed: the
 * destination was erased by this same step, and skipping saves wear.
 */
int keel_swap_copy(const struct keel_swap_ctx *c, const struct keel_swap_step *s)
{
	uint8_t buf[KEEL_COPY_CHUNK];
	const struct keel_aes *aes = NULL;
	uint8_t ev = keel_area_erased_val(s->dst);
	int rc;

	if (s->crypt != KEEL_CRYPT_NONE && c->enc && c->enc->valid[s->crypt])
		aes = &c->enc->aes[s->crypt];
	for (uint32_t done = 0; done < s->len;) {
		uint32_t n = s->len - done < sizeof(buf) ? s->len - done : (uint32_t)sizeof(buf);

		rc = keel_area_read(s->src, s->src_off + done, buf, n);
		if (rc)
			return rc;
		if (aes)
			crypt_chunk(aes, &c->hdr[s->crypt], s->img_off + done, buf, n);
		if (!chunk_erased(buf, n, ev)) {
			rc = keel_area_write(s->dst, s->dst_off + done, buf, n);
			if (rc)
				return rc;
		}
		keel_feed(c->port);
		done += n;
	}
	return 0;
}

/* Commit point: the primary magic, written last, makes the swap resumable. */
int keel_swap_begin(struct keel_swap_ctx *c)
{
	uint8_t info = (uint8_t)(c->type | c->image << 4);
	int rc;

	rc = keel_trailer_clear(c, &c->tp);
	if (!rc)
		rc = keel_trailer_write_flag(&c->tp, c->tp.swap_info_off, info);
	if (!rc && c->type == KEEL_SWAP_PERM)
		rc = keel_trailer_write_flag(&c->tp, c->tp.image_ok_off, 0x01);
	if (!rc)
		rc = keel_trailer_write_u32(&c->tp, c->tp.swap_size_off, c->swap_size);
	if (!rc && c->tp.tlv_sizes_off)
		rc = keel_trailer_write_u32(&c->tp, c->tp.tlv_sizes_off, c->tlv_sizes);
	if (!rc)
		rc = keel_enc_save(c);
	if (!rc)
		rc = keel_trailer_write_magic(&c->tp);
	return rc;
}

int keel_swap_run(struct keel_swap_ctx *c, uint32_t first)
{
	const struct keel_strategy_ops *ops = keel_strategy(c->cfg->strategy);
	uint32_t n = ops->n_steps(c);
	struct keel_swap_step s;
	int rc;

	for (uint32_t i = first; i < n; i++) {
		rc = ops->step(c, i, &s);
		if (!rc)
			rc = keel_erase(c->port, s.dst, s.dst_off, s.erase_len);
		if (!rc)
			rc = keel_swap_copy(c, &s);
		if (!rc)
			rc = keel_trailer_write_record(&c->tp, s.record, s.value);
		if (rc)
			return rc;
	}
	return 0;
}

static int set_flag_once(const struct keel_trailer *t, uint32_t off)
{
	int rc = keel_trailer_unit_erased(t, off);

	if (rc < 0)
		return rc;
	return rc ? keel_trailer_write_flag(t, off, 0x01) : 0;
}

/*
 * Closing order: the secondary trailer goes first (the request or revert
 * marker can no longer fire), image_ok before copy_done: until copy_done
 * lands the primary trailer still reads "in progress" and the next boot
 * repeats these idempotent writes. The TEST trial record comes after it.
 */
int keel_swap_finish(struct keel_swap_ctx *c)
{
	int rc = keel_trailer_clear(c, &c->ts);

	if (!rc && c->type != KEEL_SWAP_TEST)
		rc = set_flag_once(&c->tp, c->tp.image_ok_off);
	if (!rc)
		rc = set_flag_once(&c->tp, c->tp.copy_done_off);
	/* This boot is the TEST image's first run: say so for row IV. */
	if (!rc && c->type == KEEL_SWAP_TEST) {
		rc = keel_swap_trial_run(c);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

int keel_swap_progress(const struct keel_swap_ctx *c, uint32_t *done)
{
	const struct keel_strategy_ops *ops = keel_strategy(c->cfg->strategy);
	uint32_t n = ops->n_steps(c);
	struct keel_swap_step s;
	int st, rc, gap = 0;

	*done = n;
	for (uint32_t i = 0; i < n; i++) {
		rc = ops->step(c, i, &s);
		if (!rc)
			rc = keel_trailer_read_record(&c->tp, s.record, s.value, &st);
		if (rc)
			return rc;
		if (st == 0 && !gap) {
			*done = i;
			gap = 1;
		} else if (st != 0 && gap) {
			return KEEL_ECORRUPT;
		}
	}
	return 0;
}

/*
 * The records after the last step are free; the first complete one there
 * (the trial record) says the TEST image has had its first run. A torn
 * one is skipped and the next slot used, so a tear never costs the image
 * its run.
 */
int keel_swap_trial_run(const struct keel_swap_ctx *c)
{
	const struct keel_strategy_ops *ops = keel_strategy(c->cfg->strategy);
	uint32_t cap = c->tp.status_len / c->tp.wsize, n = ops->n_steps(c);
	uint32_t span = keel_trailer_trial_span(&c->tp);
	struct keel_swap_step last;
	int st, rc;

	/* Free records start after the last step's (swap-move's are not dense). */
	rc = n ? ops->step(c, n - 1, &last) : KEEL_ERANGE;
	if (rc)
		return rc;
	for (uint32_t i = last.record + 1; i + span <= cap; i += span) {
		rc = keel_trailer_read_trial(&c->tp, i, &st);
		if (rc)
			return rc;
		if (st == 1)
			return 0;
		if (st == 0) {
			rc = keel_trailer_write_trial(&c->tp, i);
			return rc ? rc : 1;
		}
	}
	return 0;
}

int keel_swap_mark_revert(const struct keel_swap_ctx *c)
{
	struct keel_trailer_state st;
	int rc = keel_trailer_read(&c->ts, &st);

	if (rc)
		return rc;
	if (st.magic == KEEL_MAGIC_GOOD && st.copy_done == KEEL_FLAG_SET &&
	    st.image_ok == KEEL_FLAG_UNSET)
		return 0;
	rc = keel_trailer_clear(c, &c->ts);
	if (!rc)
		rc = keel_trailer_write_flag(&c->ts, c->ts.copy_done_off, 0x01);
	if (!rc)
		rc = keel_trailer_write_magic(&c->ts);
	return rc;
}
