/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The slot trailer: MCUboot's byte layout and encodings, so imgtool's
 * --pad/--confirm images and MCUboot-aware apps behave the same under Keel.
 * Offsets depend only on A (and, for the status area, on W, N and the
 * strategy), never on what an image contains.
 */
#include <string.h>

#include "keel/err.h"
#include "keel/image.h"
#include "trailer.h"

static const uint8_t magic_a8[16] = {
	0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
	0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};

/* Bytes 2..15 of the magic for A != 8; bytes 0..1 are A, little endian. */
static const uint8_t magic_tail[14] = {
	0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

/*
 * The swap-type table, evaluated in order, first match wins (MCUboot's
 * boot_swap_tables with two Keel changes, docs/design.md section 3):
 * row I applies to every swap strategy (it is Keel's revert marker), and
 * row IV accepts a BAD copy_done, which only a torn copy_done write at the
 * end of a swap can produce.
 */
const struct keel_swap_row keel_swap_table[] = {
	{ 1, KEEL_M_ANY, KEEL_M_SET, KEEL_M_ANY, KEEL_M_UNSET, KEEL_M_ANY, KEEL_M_SET,
	  KEEL_SWAP_REVERT },
	{ 2, KEEL_M_ANY, KEEL_M_SET, KEEL_M_ANY, KEEL_M_UNSET, KEEL_M_ANY, KEEL_M_ANY,
	  KEEL_SWAP_TEST },
	{ 3, KEEL_M_ANY, KEEL_M_SET, KEEL_M_ANY, KEEL_M_SET, KEEL_M_ANY, KEEL_M_ANY,
	  KEEL_SWAP_PERM },
	{ 4, KEEL_M_SET, KEEL_M_ANY, KEEL_M_UNSET, KEEL_M_ANY, KEEL_M_SET | KEEL_M_BAD, KEEL_M_ANY,
	  KEEL_SWAP_REVERT },
};
const unsigned keel_swap_table_len = sizeof(keel_swap_table) / sizeof(keel_swap_table[0]);

/* docs/design.md section 3.1, row for row. */
const struct keel_resume_row keel_resume_table[] = {
	{ 1, KEEL_M_UNSET | KEEL_M_BAD, KEEL_M_ANY, 0x3, 0x7, KEEL_RESUME_DECIDE },
	{ 2, KEEL_M_SET, KEEL_M_SET | KEEL_M_BAD, 0x3, 0x7, KEEL_RESUME_DECIDE },
	{ 3, KEEL_M_SET, KEEL_M_UNSET, KEEL_FIELDS_INVALID, 0x7, KEEL_RESUME_DECIDE },
	{ 4, KEEL_M_SET, KEEL_M_UNSET, KEEL_FIELDS_VALID, KEEL_REC_GAP, KEEL_RESUME_CORRUPT },
	{ 5, KEEL_M_SET, KEEL_M_UNSET, KEEL_FIELDS_VALID, KEEL_REC_NONE, KEEL_RESUME_REDECIDE },
	{ 6, KEEL_M_SET, KEEL_M_UNSET, KEEL_FIELDS_VALID, KEEL_REC_SOME, KEEL_RESUME_CONTINUE },
};
const unsigned keel_resume_table_len = sizeof(keel_resume_table) / sizeof(keel_resume_table[0]);

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

uint32_t keel_trailer_align(uint32_t cfg_align, uint32_t wsize)
{
	if (cfg_align)
		return cfg_align;
	return wsize > 8 ? wsize : 8;
}

int keel_trailer_align_ok(uint32_t align, uint32_t wsize)
{
	if (wsize == 0 || (wsize & (wsize - 1)) || wsize > KEEL_TRAILER_MAX_WRITE)
		return KEEL_EINVAL;
	if (wsize > 32)
		return align == wsize ? 0 : KEEL_EINVAL;
	if (align != 8 && align != 16 && align != 32)
		return KEEL_EINVAL;
	return align >= wsize ? 0 : KEEL_EINVAL;
}

uint32_t keel_trailer_size(const struct keel_trailer_params *p)
{
	uint32_t m = align_up(16, p->align);
	uint32_t k = p->enc_slot_len ? align_up(p->enc_slot_len, p->align) : 0;
	uint32_t fields = 4 * p->align + (p->tlv_sizes ? p->align : 0);

	return p->max_sectors * p->states * p->wsize + 2 * k + fields + m;
}

int keel_trailer_init(struct keel_trailer *t, const struct keel_area *a,
		      const struct keel_trailer_params *p)
{
	uint32_t s = a->size, A = p->align;
	uint32_t m = align_up(16, A);

	memset(t, 0, sizeof(*t));
	if (keel_trailer_size(p) > s || s % A)
		return KEEL_ENOSPC;
	t->area = a;
	t->align = A;
	t->wsize = p->wsize;
	t->magic_unit = m;
	t->magic_off = s - 16;
	t->image_ok_off = s - m - A;
	t->copy_done_off = s - m - 2 * A;
	t->swap_info_off = s - m - 3 * A;
	t->tlv_sizes_off = p->tlv_sizes ? s - m - 4 * A : 0;
	t->swap_size_off = s - m - (p->tlv_sizes ? 5 : 4) * A;
	t->key_len = p->enc_slot_len ? align_up(p->enc_slot_len, A) : 0;
	t->key_off[0] = t->swap_size_off - t->key_len;
	t->key_off[1] = t->swap_size_off - 2 * t->key_len;
	t->status_len = p->max_sectors * p->states * p->wsize;
	t->status_off = t->key_off[1] - t->status_len;
	t->erased = keel_area_erased_val(a);
	return 0;
}

void keel_trailer_magic(uint32_t align, uint8_t out[16])
{
	if (align == 8) {
		memcpy(out, magic_a8, 16);
		return;
	}
	out[0] = (uint8_t)align;
	out[1] = (uint8_t)(align >> 8);
	memcpy(out + 2, magic_tail, sizeof(magic_tail));
}

static int all_equal(const uint8_t *p, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static enum keel_flag_state decode_flag(uint8_t v, uint8_t erased)
{
	if (v == erased)
		return KEEL_FLAG_UNSET;
	return v == 0x01 ? KEEL_FLAG_SET : KEEL_FLAG_BAD;
}

int keel_trailer_read(const struct keel_trailer *t, struct keel_trailer_state *st)
{
	uint8_t magic[16], want[16], b;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = keel_area_read(t->area, t->magic_off, magic, sizeof(magic));
	if (rc)
		return rc;
	keel_trailer_magic(t->align, want);
	if (all_equal(magic, 16, t->erased))
		st->magic = KEEL_MAGIC_UNSET;
	else
		st->magic = memcmp(magic, want, 16) ? KEEL_MAGIC_BAD : KEEL_MAGIC_GOOD;
	rc = keel_area_read(t->area, t->image_ok_off, &b, 1);
	if (rc)
		return rc;
	st->image_ok = decode_flag(b, t->erased);
	rc = keel_area_read(t->area, t->copy_done_off, &b, 1);
	if (rc)
		return rc;
	st->copy_done = decode_flag(b, t->erased);
	rc = keel_area_read(t->area, t->swap_info_off, &b, 1);
	if (rc)
		return rc;
	if (b != t->erased && (b & 0x0f) >= KEEL_SWAP_NONE && (b & 0x0f) <= KEEL_SWAP_REVERT) {
		st->swap_type = b & 0x0f;
		st->swap_image = b >> 4;
	}
	return 0;
}

int keel_trailer_read_u32(const struct keel_trailer *t, uint32_t off, uint32_t *v, int *erased)
{
	uint8_t b[4];
	int rc = keel_area_read(t->area, off, b, 4);

	if (rc)
		return rc;
	*v = keel_le32(b);
	*erased = all_equal(b, 4, t->erased);
	return 0;
}

int keel_trailer_write_bytes(const struct keel_trailer *t, uint32_t off, const uint8_t *p,
			     uint32_t len)
{
	uint8_t buf[KEEL_TRAILER_MAX_WRITE];
	uint32_t n = align_up(len, t->wsize);

	if (n > sizeof(buf) || off % t->wsize)
		return KEEL_EINVAL;
	memset(buf, t->erased, n);
	memcpy(buf, p, len);
	return keel_area_write(t->area, off, buf, n);
}

int keel_trailer_write_magic(const struct keel_trailer *t)
{
	uint8_t buf[KEEL_TRAILER_MAX_WRITE];
	uint32_t m = t->magic_unit;

	if (m > sizeof(buf))
		return KEEL_EINVAL;
	memset(buf, t->erased, m);
	keel_trailer_magic(t->align, buf + m - 16);
	return keel_area_write(t->area, t->magic_off + 16 - m, buf, m);
}

int keel_trailer_write_flag(const struct keel_trailer *t, uint32_t off, uint8_t value)
{
	return keel_trailer_write_bytes(t, off, &value, 1);
}

int keel_trailer_write_u32(const struct keel_trailer *t, uint32_t off, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return keel_trailer_write_bytes(t, off, b, 4);
}

int keel_trailer_unit_erased(const struct keel_trailer *t, uint32_t off)
{
	return keel_area_is_erased(t->area, off, t->wsize);
}

int keel_trailer_write_record(const struct keel_trailer *t, uint32_t index, uint8_t value)
{
	if ((uint64_t)(index + 1) * t->wsize > t->status_len)
		return KEEL_ERANGE;
	return keel_trailer_write_bytes(t, t->status_off + index * t->wsize, &value, 1);
}

/*
 * A record is one byte padded to W. Only its first byte is judged: a torn
 * program leaves it neither erased nor the value (state 2), which the
 * caller treats as "step done" because the record is written only after
 * the step's data.
 */
int keel_trailer_read_record(const struct keel_trailer *t, uint32_t index, uint8_t value,
			     int *state)
{
	uint8_t b;
	int rc;

	if ((uint64_t)(index + 1) * t->wsize > t->status_len)
		return KEEL_ERANGE;
	rc = keel_area_read(t->area, t->status_off + index * t->wsize, &b, 1);
	if (rc)
		return rc;
	*state = b == t->erased ? 0 : (b == value ? 1 : 2);
	return 0;
}

uint32_t keel_trailer_trial_span(const struct keel_trailer *t)
{
	return align_up(8, t->wsize) / t->wsize;
}

int keel_trailer_write_trial(const struct keel_trailer *t, uint32_t index)
{
	uint8_t buf[KEEL_TRAILER_MAX_WRITE];
	uint32_t n = keel_trailer_trial_span(t) * t->wsize;

	if ((uint64_t)index * t->wsize + n > t->status_len)
		return KEEL_ERANGE;
	memset(buf, (uint8_t)~t->erased, n);
	return keel_area_write(t->area, t->status_off + index * t->wsize, buf, n);
}

int keel_trailer_read_trial(const struct keel_trailer *t, uint32_t index, int *state)
{
	uint8_t buf[KEEL_TRAILER_MAX_WRITE];
	uint32_t n = keel_trailer_trial_span(t) * t->wsize;
	int rc;

	if ((uint64_t)index * t->wsize + n > t->status_len)
		return KEEL_ERANGE;
	rc = keel_area_read(t->area, t->status_off + index * t->wsize, buf, n);
	if (rc)
		return rc;
	if (all_equal(buf, n, t->erased))
		*state = 0;
	else
		*state = all_equal(buf, n, (uint8_t)~t->erased) ? 1 : 2;
	return 0;
}

static int mask_has(uint8_t mask, unsigned state)
{
	return (mask >> state) & 1u;
}

enum keel_resume_action keel_resume_decide(enum keel_magic_state magic,
					   enum keel_flag_state copy_done, int fields_valid,
					   uint8_t records, uint8_t *row)
{
	uint8_t fields = fields_valid ? KEEL_FIELDS_VALID : KEEL_FIELDS_INVALID;

	for (unsigned i = 0; i < keel_resume_table_len; i++) {
		const struct keel_resume_row *r = &keel_resume_table[i];

		if (mask_has(r->magic_p, magic) && mask_has(r->cd_p, copy_done) &&
		    (r->fields & fields) && (!fields_valid || (r->records & records))) {
			*row = r->row;
			return r->action;
		}
	}
	*row = 0;
	return KEEL_RESUME_DECIDE;
}

enum keel_swap_type keel_swap_decide(const struct keel_trailer_state *pri,
				     const struct keel_trailer_state *sec, uint8_t *row)
{
	for (unsigned i = 0; i < keel_swap_table_len; i++) {
		const struct keel_swap_row *r = &keel_swap_table[i];

		if (mask_has(r->magic_p, pri->magic) && mask_has(r->magic_s, sec->magic) &&
		    mask_has(r->ok_p, pri->image_ok) && mask_has(r->ok_s, sec->image_ok) &&
		    mask_has(r->cd_p, pri->copy_done) && mask_has(r->cd_s, sec->copy_done)) {
			*row = r->row;
			return r->type;
		}
	}
	*row = 0;
	return KEEL_SWAP_NONE;
}
