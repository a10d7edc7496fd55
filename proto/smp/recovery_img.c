/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial recovery, image group: list, state write (test/confirm by hash),
 * upload, erase, slot info.
 *
 * Where an upload goes (docs/serial-recovery.md section 4): when the
 * primary of the image holds a verified image, into the secondary, and the
 * finished upload is marked for a test swap, so a bad or interrupted
 * upload never destroys the working image; when the primary is empty or
 * invalid, into the primary, as MCUboot does. Nothing is ever written
 * outside the target slot, and the image only runs after keel_boot()
 * verified it.
 */
#include <string.h>

#include "keel/bootctl.h"
#include "keel/err.h"
#include "recovery_priv.h"

static const struct keel_boot_config *boot_cfg(const struct smp_exchange *x)
{
	return x->r->cfg->boot;
}

static void bootctl_of(const struct keel_boot_config *b, uint32_t image, struct keel_bootctl *bc)
{
	bc->primary = &b->images[image].primary;
	bc->secondary = &b->images[image].secondary;
	bc->trailer_align = b->trailer_align;
	bc->strategy = b->strategy;
	bc->image = (uint8_t)image;
}

/* Appends the decimal digits of v. */
static size_t put_dec(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* "major.minor.revision", plus ".build" when the build number is not 0. */
static size_t version_text(const struct keel_version *v, char out[48])
{
	size_t n = put_dec(out, v->major);

	out[n++] = '.';
	n += put_dec(out + n, v->minor);
	out[n++] = '.';
	n += put_dec(out + n, v->revision);
	if (v->build) {
		out[n++] = '.';
		n += put_dec(out + n, v->build);
	}
	return n;
}

/* State flags from the next swap type, as MCUboot's serial recovery derives them. */
static void put_state_flags(struct keel_cbor_enc *e, const struct keel_slot_info *si,
			    uint32_t slot, enum keel_swap_type next)
{
	int confirmed = 0, active = 0, pending = 0, permanent = 0;

	if (next == KEEL_SWAP_NONE || next == KEEL_SWAP_FAIL) {
		confirmed = active = slot == 0;
	} else if (next == KEEL_SWAP_TEST || next == KEEL_SWAP_PERM) {
		confirmed = slot == 0;
		pending = slot == 1;
		permanent = slot == 1 && next == KEEL_SWAP_PERM;
	} else if (next == KEEL_SWAP_REVERT) {
		active = slot == 0;
		confirmed = slot == 1;
	}
	if (!(si->hdr.flags & KEEL_IMAGE_F_NON_BOOTABLE)) {
		keel_cbor_put_str(e, "bootable");
		keel_cbor_put_bool(e, 1);
	}
	static const char *const names[4] = { "confirmed", "active", "pending", "permanent" };
	const int values[4] = { confirmed, active, pending, permanent };

	for (int i = 0; i < 4; i++) {
		if (values[i]) {
			keel_cbor_put_str(e, names[i]);
			keel_cbor_put_bool(e, 1);
		}
	}
}

static void put_image_entry(struct smp_exchange *x, uint32_t image, uint32_t slot,
			    const struct keel_slot_info *si, enum keel_swap_type next)
{
	char ver[48];

	keel_cbor_put_map_indef(&x->out);
	if (boot_cfg(x)->n_images > 1) {
		keel_cbor_put_str(&x->out, "image");
		keel_cbor_put_uint(&x->out, image);
	}
	put_state_flags(&x->out, si, slot, next);
	keel_cbor_put_str(&x->out, "slot");
	keel_cbor_put_uint(&x->out, slot);
	keel_cbor_put_str(&x->out, "hash");
	keel_cbor_put_bstr(&x->out, si->hash, si->hash_len);
	keel_cbor_put_str(&x->out, "version");
	keel_cbor_put_tstr(&x->out, ver, version_text(&si->hdr.ver, ver));
	keel_cbor_put_break(&x->out);
}

/* {"images": [...]} with every slot whose image fully verifies. */
static void put_image_list(struct smp_exchange *x)
{
	const struct keel_boot_config *b = boot_cfg(x);

	keel_cbor_enc_init(&x->out, x->out_buf, x->out_cap);
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "images");
	keel_cbor_put_array_indef(&x->out);
	for (uint32_t i = 0; i < b->n_images; i++) {
		struct keel_bootctl bc;
		struct keel_bootctl_state st;
		enum keel_swap_type next = KEEL_SWAP_NONE;

		bootctl_of(b, i, &bc);
		if (keel_bootctl_read_state(&bc, &st) == 0)
			next = st.next;
		for (uint32_t s = 0; s < 2; s++) {
			struct keel_slot_info si;

			if (keel_boot_slot_info(b, x->r->cfg->port, i, s, &si) == 0 && si.valid)
				put_image_entry(x, i, s, &si, next);
		}
	}
	keel_cbor_put_break(&x->out);
	keel_cbor_put_break(&x->out);
}

/* Finds the verified image with this hash: 0 and its image and slot, or KEEL_ENOENT. */
static int find_by_hash(struct smp_exchange *x, const struct keel_cbor_str *hash,
			uint32_t *image, uint32_t *slot)
{
	const struct keel_boot_config *b = boot_cfg(x);

	for (uint32_t i = 0; i < b->n_images; i++) {
		for (uint32_t s = 0; s < 2; s++) {
			struct keel_slot_info si;

			if (keel_boot_slot_info(b, x->r->cfg->port, i, s, &si) == 0 && si.valid &&
			    si.hash_len == hash->len && !memcmp(si.hash, hash->ptr, hash->len)) {
				*image = i;
				*slot = s;
				return 0;
			}
		}
	}
	return KEEL_ENOENT;
}

/* Test (confirm = 0) or make permanent / confirm (confirm = 1) one slot. */
static int set_state(struct smp_exchange *x, uint32_t image, uint32_t slot, int confirm)
{
	struct keel_bootctl bc;
	int rc;

	bootctl_of(boot_cfg(x), image, &bc);
	if (slot == 0) {
		if (!confirm) {
			smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_SETTING_TEST_TO_ACTIVE_DENIED);
			return -1;
		}
		rc = keel_bootctl_confirm(&bc);
	} else {
		rc = keel_bootctl_request_upgrade(&bc, confirm);
		if (rc == KEEL_EBUSY)
			rc = 0;
	}
	if (rc) {
		smp_reply_error(x, KEEL_MGMT_EBADSTATE, KEEL_IMG_FLASH_WRITE_FAILED);
		return -1;
	}
	return 0;
}

static void state_write(struct smp_exchange *x)
{
	struct keel_cbor_str hash = { 0 };
	int confirm = 0;
	struct keel_cbor_field f[] = {
		{ "hash", KEEL_CBOR_WANT_BSTR, &hash, 0 },
		{ "confirm", KEEL_CBOR_WANT_BOOL, &confirm, 0 },
	};
	struct keel_cbor_dec d;
	uint32_t image = 0, slot = 0;

	keel_cbor_dec_init(&d, x->body, x->body_len);
	if (keel_cbor_decode_map(&d, f, 2)) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, 0);
		return;
	}
	if (!f[0].found) {
		/* Without a hash only a single-image device knows which image is meant. */
		if (boot_cfg(x)->n_images > 1) {
			smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_HASH);
			return;
		}
		slot = confirm ? 0 : 1;
	} else if (hash.len != 32 && hash.len != 64) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_HASH);
		return;
	} else if (find_by_hash(x, &hash, &image, &slot)) {
		smp_reply_error(x, KEEL_MGMT_ENOENT, KEEL_IMG_NO_IMAGE);
		return;
	}
	if (set_state(x, image, slot, confirm) == 0)
		put_image_list(x);
}

void smp_img_state(struct smp_exchange *x)
{
	if (x->req.op == KEEL_SMP_OP_WRITE)
		state_write(x);
	else
		put_image_list(x);
}

void smp_img_erase(struct smp_exchange *x)
{
	const struct keel_boot_config *b = boot_cfg(x);
	uint64_t slot_nr = 1;
	struct keel_cbor_field f[] = { { "slot", KEEL_CBOR_WANT_UINT, &slot_nr, 0 } };
	struct keel_cbor_dec d;
	const struct keel_area *a;
	struct keel_sector s;
	struct keel_slot_info si;

	keel_cbor_dec_init(&d, x->body, x->body_len);
	if (x->body_len && keel_cbor_decode_map(&d, f, 1)) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, 0);
		return;
	}
	if (slot_nr >= 2u * b->n_images) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, KEEL_IMG_INVALID_SLOT);
		return;
	}
	a = slot_nr & 1 ? &b->images[slot_nr / 2].secondary : &b->images[slot_nr / 2].primary;
	/* Like the app-side image manager, never erase the image that would run. */
	if (!(slot_nr & 1) &&
	    keel_boot_slot_info(b, x->r->cfg->port, (uint32_t)(slot_nr / 2), 0, &si) == 0 && si.valid) {
		smp_reply_error(x, KEEL_MGMT_EBADSTATE, KEEL_IMG_INVALID_SLOT);
		return;
	}
	if (x->r->up.area == a)
		x->r->up.active = 0;
	for (uint32_t off = 0; off < a->size; off = s.off + s.size) {
		if (keel_area_sector_at(a, off, &s) || keel_area_erase(a, s.off, s.size)) {
			smp_reply_error(x, KEEL_MGMT_EUNKNOWN, KEEL_IMG_FLASH_ERASE_FAILED);
			return;
		}
		if (x->r->cfg->port->watchdog_feed)
			x->r->cfg->port->watchdog_feed();
	}
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "rc");
	keel_cbor_put_uint(&x->out, 0);
	keel_cbor_put_break(&x->out);
}

void smp_img_slot_info(struct smp_exchange *x)
{
	const struct keel_boot_config *b = boot_cfg(x);
	int direct = (x->r->cfg->flags & KEEL_RECOVERY_DIRECT_UPLOAD) != 0;

	if (x->req.op != KEEL_SMP_OP_READ) {
		smp_reply_error(x, KEEL_MGMT_ENOTSUP, 0);
		return;
	}
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "images");
	keel_cbor_put_array_indef(&x->out);
	for (uint32_t i = 0; i < b->n_images; i++) {
		keel_cbor_put_map_indef(&x->out);
		keel_cbor_put_str(&x->out, "image");
		keel_cbor_put_uint(&x->out, i);
		keel_cbor_put_str(&x->out, "slots");
		keel_cbor_put_array_indef(&x->out);
		for (uint32_t s = 0; s < 2; s++) {
			const struct keel_area *a = s ? &b->images[i].secondary : &b->images[i].primary;

			keel_cbor_put_map_indef(&x->out);
			keel_cbor_put_str(&x->out, "slot");
			keel_cbor_put_uint(&x->out, s);
			keel_cbor_put_str(&x->out, "size");
			keel_cbor_put_uint(&x->out, a->size);
			if (direct || s == 1) {
				keel_cbor_put_str(&x->out, "upload_image_id");
				keel_cbor_put_uint(&x->out, direct ? i * 2 + s + 1 : i);
			}
			keel_cbor_put_break(&x->out);
		}
		keel_cbor_put_break(&x->out);
		keel_cbor_put_str(&x->out, "max_image_size");
		keel_cbor_put_uint(&x->out, keel_boot_max_image_size(b, i));
		keel_cbor_put_break(&x->out);
	}
	keel_cbor_put_break(&x->out);
	keel_cbor_put_break(&x->out);
}
