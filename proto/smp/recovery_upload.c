/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial recovery, image upload (group 1, command 1). The client's
 * offsets drive the transfer; the device answers every chunk with the
 * offset it expects next, which is also how a client resumes after a lost
 * link. Sectors are erased just ahead of the data (progressive erase), so
 * no request blocks for a whole-slot erase.
 */
#include <string.h>

#include "keel/bootctl.h"
#include "keel/err.h"
#include "recovery_priv.h"

struct upload_req {
	uint64_t image, len, off;
	struct keel_cbor_str data, sha;
	struct keel_cbor_field f[5];
};

static int decode_request(struct smp_exchange *x, struct upload_req *q)
{
	struct keel_cbor_dec d;
	const struct keel_cbor_field f[5] = {
		{ "image", KEEL_CBOR_WANT_UINT, &q->image, 0 },
		{ "len", KEEL_CBOR_WANT_UINT, &q->len, 0 },
		{ "off", KEEL_CBOR_WANT_UINT, &q->off, 0 },
		{ "data", KEEL_CBOR_WANT_BSTR, &q->data, 0 },
		{ "sha", KEEL_CBOR_WANT_BSTR, &q->sha, 0 },
	};

	memcpy(q->f, f, sizeof(f));
	keel_cbor_dec_init(&d, x->body, x->body_len);
	if (keel_cbor_decode_map(&d, q->f, 5) || !q->f[2].found || !q->f[3].found)
		return -1;
	return 0;
}

static void reply_offset(struct smp_exchange *x, uint32_t off)
{
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "rc");
	keel_cbor_put_uint(&x->out, 0);
	keel_cbor_put_str(&x->out, "off");
	keel_cbor_put_uint(&x->out, off);
	keel_cbor_put_break(&x->out);
}

static void feed(const struct smp_exchange *x)
{
	if (x->r->cfg->port->watchdog_feed)
		x->r->cfg->port->watchdog_feed();
}

/* Erases, sector by sector, [from, to) of the area unless already erased. */
static int erase_range(const struct smp_exchange *x, const struct keel_area *a, uint32_t from,
		       uint32_t to, uint32_t *done_to)
{
	struct keel_sector s;

	while (from < to) {
		int rc = keel_area_sector_at(a, from, &s), erased;

		if (rc)
			return rc;
		erased = keel_area_is_erased(a, s.off, s.size);
		if (erased < 0)
			return erased;
		if (!erased && (rc = keel_area_erase(a, s.off, s.size)) != 0)
			return rc;
		from = s.off + s.size;
		if (done_to)
			*done_to = from;
		feed(x);
	}
	return 0;
}

/* Picks image and slot; 0 or an error already replied. */
static int choose_target(struct smp_exchange *x, uint64_t image_field, struct keel_upload *up)
{
	const struct keel_boot_config *b = x->r->cfg->boot;
	uint64_t image = image_field, slot = 0;
	struct keel_slot_info si;

	if (x->r->cfg->flags & KEEL_RECOVERY_DIRECT_UPLOAD) {
		image = image_field ? (image_field - 1) / 2 : 0;
		slot = image_field ? (image_field - 1) % 2 : 0;
	} else if (image < b->n_images) {
		/*
		 * A working primary is never overwritten: the upload waits in the
		 * secondary. Only a primary known not to verify is replaced; a
		 * flash error proves nothing, so it ends the request.
		 */
		int rc = keel_boot_slot_info(b, x->r->cfg->port, (uint32_t)image, 0, &si);

		if (rc != 0 && rc != KEEL_EBADIMG && rc != KEEL_ESTALE) {
			smp_reply_error(x, KEEL_MGMT_EUNKNOWN, KEEL_IMG_FLASH_READ_FAILED);
			return -1;
		}
		slot = rc == 0 && si.valid;
	}
	if (image >= b->n_images) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_SLOT);
		return -1;
	}
	up->image = (uint8_t)image;
	up->to_secondary = slot == 1 && !(x->r->cfg->flags & KEEL_RECOVERY_DIRECT_UPLOAD);
	up->area = slot ? &b->images[image].secondary : &b->images[image].primary;
	up->base = slot ? keel_boot_upload_offset(b, (uint32_t)image) : 0;
	return 0;
}

static int start(struct smp_exchange *x, const struct upload_req *q)
{
	struct keel_upload *up = &x->r->up;
	uint32_t max;

	up->active = 0;
	if (!q->f[1].found) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_LENGTH);
		return -1;
	}
	if (choose_target(x, q->f[0].found ? q->image : 0, up))
		return -1;
	max = keel_boot_max_image_size(x->r->cfg->boot, up->image);
	if (q->len < KEEL_IMAGE_HEADER_SIZE || q->len > max || up->base + max > up->area->size) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_IMAGE_TOO_LARGE);
		return -1;
	}
	/*
	 * The trailer sectors go first: whatever state an earlier image left
	 * there (a pending magic, swap records) must not apply to a new,
	 * half-written one.
	 */
	if (erase_range(x, up->area, up->base + max, up->area->size, NULL)) {
		smp_reply_error(x, KEEL_MGMT_EUNKNOWN, KEEL_IMG_FLASH_ERASE_FAILED);
		return -1;
	}
	up->total = (uint32_t)q->len;
	up->off = 0;
	up->erased_to = up->base;
	up->have_sha = q->f[4].found && q->sha.len == sizeof(up->sha);
	if (up->have_sha)
		memcpy(up->sha, q->sha.ptr, sizeof(up->sha));
	up->active = 1;
	return 0;
}

/* Writes what can be written of the chunk; returns bytes accepted or a negative error. */
static int write_chunk(struct smp_exchange *x, const struct keel_cbor_str *data)
{
	struct keel_upload *up = &x->r->up;
	uint32_t w = keel_area_write_size(up->area);
	uint32_t n = (uint32_t)data->len, at = up->base + up->off;
	int last = up->off + n == up->total, rc;

	if (!last)
		n -= n % w;
	if (n == 0)
		return 0;
	rc = erase_range(x, up->area, up->erased_to, at + n, &up->erased_to);
	if (rc)
		return rc;
	rc = last ? keel_area_write_padded(up->area, at, data->ptr, n)
		  : keel_area_write(up->area, at, data->ptr, n);
	return rc ? rc : (int)n;
}

static int finish(struct smp_exchange *x)
{
	struct keel_upload *up = &x->r->up;
	const struct keel_boot_config *b = x->r->cfg->boot;
	struct keel_bootctl bc = {
		&b->images[up->image].primary, &b->images[up->image].secondary,
		b->trailer_align, b->strategy, up->image,
	};

	up->active = 0;
	if (!up->to_secondary)
		return 0;
	return keel_bootctl_request_upgrade(&bc, 0);
}

/* A chunk at an unexpected offset: tell the client where to continue. */
static void resync(struct smp_exchange *x, const struct upload_req *q)
{
	struct keel_upload *up = &x->r->up;

	/* A resume of a different image must start over. */
	if (up->active && up->have_sha && q->f[4].found &&
	    (q->sha.len != sizeof(up->sha) || memcmp(q->sha.ptr, up->sha, sizeof(up->sha))))
		up->active = 0;
	reply_offset(x, up->active ? up->off : 0);
}

void smp_img_upload(struct smp_exchange *x)
{
	struct keel_upload *up = &x->r->up;
	struct upload_req q;
	int n;

	memset(&q, 0, sizeof(q));
	if (decode_request(x, &q)) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, 0);
		return;
	}
	if (q.off == 0 && start(x, &q))
		return;
	if (!up->active || q.off != up->off) {
		resync(x, &q);
		return;
	}
	if (q.data.len > up->total - up->off) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_IMAGE_DATA_OVERRUN);
		return;
	}
	n = write_chunk(x, &q.data);
	if (n < 0) {
		up->active = 0;
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_FLASH_WRITE_FAILED);
		return;
	}
	up->off += (uint32_t)n;
	if (up->off == up->total && finish(x)) {
		smp_reply_error(x, KEEL_MGMT_EBADSTATE, KEEL_IMG_FLASH_WRITE_FAILED);
		return;
	}
	reply_offset(x, up->off);
}
