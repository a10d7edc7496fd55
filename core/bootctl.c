/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The app side of the trailer protocol: MCUboot's write sequences
 * (bootutil_public.c behaviour, mcuboot.md 2.5) on Keel's trailer code.
 */
#include "keel/bootctl.h"
#include "keel/err.h"
#include "trailer.h"

static int trailer_of(const struct keel_bootctl *c, const struct keel_area *a,
		      struct keel_trailer *t)
{
	struct keel_trailer_params p = { 0 };
	uint32_t w = keel_area_write_size(c->primary);

	if (keel_area_write_size(c->secondary) > w)
		w = keel_area_write_size(c->secondary);
	p.wsize = w;
	p.align = keel_trailer_align(c->trailer_align, w);
	if (keel_trailer_align_ok(p.align, w))
		return KEEL_EINVAL;
	return keel_trailer_init(t, a, &p);
}

int keel_bootctl_read_state(const struct keel_bootctl *c, struct keel_bootctl_state *out)
{
	struct keel_trailer tp, ts;
	int rc = trailer_of(c, c->primary, &tp);

	if (!rc)
		rc = trailer_of(c, c->secondary, &ts);
	if (!rc)
		rc = keel_trailer_read(&tp, &out->primary);
	if (!rc)
		rc = keel_trailer_read(&ts, &out->secondary);
	if (rc)
		return rc;
	out->next = keel_swap_decide(&out->primary, &out->secondary, &out->table_row);
	if (c->strategy == KEEL_STRATEGY_OVERWRITE_ONLY && out->next == KEEL_SWAP_REVERT)
		out->next = KEEL_SWAP_NONE;
	return 0;
}

/* Writes one flag unless it already holds 0x01; a torn value is ECORRUPT. */
static int set_flag(const struct keel_trailer *t, uint32_t off, enum keel_flag_state cur)
{
	if (cur == KEEL_FLAG_SET)
		return 0;
	if (cur == KEEL_FLAG_BAD)
		return KEEL_ECORRUPT;
	return keel_trailer_write_flag(t, off, 0x01);
}

int keel_bootctl_request_upgrade(const struct keel_bootctl *c, int permanent)
{
	struct keel_trailer ts;
	struct keel_trailer_state st;
	int rc = trailer_of(c, c->secondary, &ts);

	if (!rc)
		rc = keel_trailer_read(&ts, &st);
	if (rc)
		return rc;
	if (st.magic == KEEL_MAGIC_BAD || st.copy_done != KEEL_FLAG_UNSET)
		return KEEL_ECORRUPT;
	if (st.magic == KEEL_MAGIC_GOOD && st.image_ok == (permanent ? KEEL_FLAG_SET : KEEL_FLAG_UNSET))
		return KEEL_EBUSY;
	if (st.magic == KEEL_MAGIC_GOOD && !permanent)
		return KEEL_EBUSY;  /* already permanent: image_ok cannot be cleared */
	if (st.magic == KEEL_MAGIC_UNSET) {
		rc = keel_trailer_write_magic(&ts);
		if (rc)
			return rc;
	}
	if (permanent) {
		rc = set_flag(&ts, ts.image_ok_off, st.image_ok);
		if (rc)
			return rc;
	}
	if (st.swap_type)
		return 0;
	rc = keel_trailer_unit_erased(&ts, ts.swap_info_off);
	if (rc <= 0)
		return rc < 0 ? rc : 0;
	return keel_trailer_write_flag(&ts, ts.swap_info_off,
				       (uint8_t)((permanent ? KEEL_SWAP_PERM : KEEL_SWAP_TEST) |
						 c->image << 4));
}

int keel_bootctl_confirm(const struct keel_bootctl *c)
{
	struct keel_trailer tp;
	struct keel_trailer_state st;
	int rc = trailer_of(c, c->primary, &tp);

	if (!rc)
		rc = keel_trailer_read(&tp, &st);
	if (rc)
		return rc;
	/* No good magic: nothing can revert this image, it is permanent already. */
	if (st.magic != KEEL_MAGIC_GOOD)
		return st.magic == KEEL_MAGIC_BAD ? KEEL_ECORRUPT : 0;
	return set_flag(&tp, tp.image_ok_off, st.image_ok);
}

uint32_t keel_bootctl_upload_offset(const struct keel_bootctl *c)
{
	struct keel_sector s;

	if (c->strategy != KEEL_STRATEGY_SWAP_OFFSET || keel_area_sector_at(c->secondary, 0, &s))
		return 0;
	return s.size;
}
