/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile-image catalogue: each kind of bad image is placed in the
 * secondary slot as a pending upgrade (and, where it makes sense, in the
 * primary as the only image). keel-boot must refuse it with its exact
 * enum keel_reason, never boot it, and never erase or change the running
 * image (the primary is compared byte for byte and its sectors' erase
 * counters must not move).
 *
 *   hostile            all kinds
 *   hostile NAME...    only those kinds (names as printed)
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "keel/bootctl.h"
#include "keel/err.h"
#include "pf_tool.h"
#include "simboot.h"
#include "simconf.h"
#include "simflash.h"
#include "simport.h"

static char dir[900];
static char k_trusted[1024], k_other[1024], k_ecdsa[1024], enc_dev[1024], enc_other[1024];
static struct pf_buf good_old, good_new, good_new1;
static struct keel_port port;

#define PAYLOAD 12000u

/* ------------------------------------------------------------ signing */

static int sign(struct pf_buf *out, const char *key, const char *ver, const char *extra,
		uint32_t payload, uint64_t seed)
{
	static unsigned n;
	char in[1100], o[1100];
	uint8_t *p = malloc(payload);
	int rc;

	if (!p)
		return -1;
	pf_fill(p, payload, seed);
	snprintf(in, sizeof(in), "%s/in%u.raw", dir, n);
	snprintf(o, sizeof(o), "%s/out%u.bin", dir, n++);
	rc = pf_write(in, p, payload);
	free(p);
	if (rc || pf_run("'%s' sign -k '%s' --version %s -H 0x20 --pad-header -S 0x20000 --align 4 %s '%s' '%s'",
			 pf_keel(), key, ver, extra, in, o))
		return -1;
	return pf_read(o, out);
}

/* ------------------------------------------------------------ the kinds */

struct kind;
typedef int (*build_fn)(const struct kind *k, struct pf_buf *img);

struct kind {
	const char *name;
	build_fn build;
	enum keel_reason want;
	uint32_t flags;            /* extra KEEL_BOOT_* policy */
	uint32_t nv;               /* NV counter value before boot (HW rollback when nonzero cap) */
	uint32_t nv_cap;           /* 0: no NV counter */
	int two_images;
	int also_primary;          /* also check it as the only (primary) image */
	int raw;                   /* uses the secondary bytes as given (no upload offset) */
	const char *note;
};

static int dup_new(struct pf_buf *img)
{
	return cat_dup(img, &good_new);
}

static int b_truncated(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	img->len = img->len / 2;     /* the rest of the slot reads erased */
	return 0;
}

static int b_bad_magic(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	img->data[0] ^= 0x01;
	return 0;
}

static int b_hdr_small(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr16(img->data + CAT_HDR_SIZE_OFF, 16);
	return 0;
}

static int b_overflow(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_IMG_SIZE_OFF, 0xfffffff0u);
	return 0;
}

static int b_larger_than_slot(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_IMG_SIZE_OFF, 0x00100000u);
	return 0;
}

static int b_tlv_past_slot(const struct kind *k, struct pf_buf *img)
{
	uint32_t u;

	if (dup_new(img))
		return -1;
	u = cat_unprot_off(img);
	cat_wr16(img->data + u + 2, 0xfff0);   /* unprotected area runs past the slot end */
	return 0;
}

static int b_tlv_entry_overrun(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (dup_new(img))
		return -1;
	p = cat_tlv_find(img, 0x24, 0);
	if (!p)
		return -1;
	cat_wr16(img->data + p + 2, 0x400);    /* signature entry longer than its area */
	return 0;
}

static int b_prot_mismatch(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	/* Header claims 4 more protected bytes than the 0x6908 info says (structure, not hash). */
	cat_wr16(img->data + CAT_PROT_SIZE_OFF, (uint16_t)(cat_rd16(img->data + CAT_PROT_SIZE_OFF) + 4));
	return 0;
}

static int b_no_info(const struct kind *k, struct pf_buf *img)
{
	uint32_t u;

	if (dup_new(img))
		return -1;
	u = cat_unprot_off(img);
	cat_wr16(img->data + u, 0x6906);
	return 0;
}

static int b_unknown_key(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_other, "2.0.0", "-s 3", PAYLOAD, 2);
}

static int b_bad_hash(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	img->data[0x20 + 100] ^= 0x80;
	return 0;
}

static int b_hash_tlv_tampered(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (dup_new(img))
		return -1;
	p = cat_tlv_find(img, 0x10, 0);
	if (!p)
		return -1;
	img->data[p + 4 + 5] ^= 0x01;
	return 0;
}

static int b_no_hash(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	return cat_tlv_remove_unprot(img, 0x10);
}

static int b_bad_hash_len(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	return cat_tlv_resize_unprot(img, 0x10, -1);
}

static int b_bad_sig(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (dup_new(img))
		return -1;
	p = cat_tlv_find(img, 0x24, 0);
	if (!p)
		return -1;
	img->data[p + 4 + 40] ^= 0x04;
	return 0;
}

static int b_no_sig(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	return cat_tlv_remove_unprot(img, 0x24);
}

static int b_bad_sig_len(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	return cat_tlv_resize_unprot(img, 0x24, -1);
}

static int b_sig_of_other(const struct kind *k, struct pf_buf *img)
{
	struct pf_buf other;
	uint32_t p, q;
	int rc;

	if (dup_new(img) || sign(&other, k_trusted, "2.0.0", "-s 3", PAYLOAD, 77))
		return -1;
	p = cat_tlv_find(img, 0x24, 0);
	q = cat_tlv_find(&other, 0x24, 0);
	rc = p && q ? 0 : -1;
	if (!rc)
		memcpy(img->data + p + 4, other.data + q + 4, 64);
	pf_buf_free(&other);
	return rc;
}

static int b_prot_tampered(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (dup_new(img))
		return -1;
	p = cat_tlv_find(img, 0x50, 1);
	if (!p)
		return -1;
	img->data[p + 4] ^= 0x10;      /* SEC_CNT value, hashed */
	return 0;
}

static int b_keyhash_tampered(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (dup_new(img))
		return -1;
	p = cat_tlv_find(img, 0x01, 0);
	if (!p)
		return -1;
	img->data[p + 4] ^= 0x01;
	return 0;
}

static int b_sec_cnt_unprot(const struct kind *k, struct pf_buf *img)
{
	uint8_t v[4];

	if (sign(img, k_trusted, "2.0.0", "", PAYLOAD, 2))
		return -1;
	cat_wr32(v, 9);
	return cat_tlv_append_unprot(img, 0x50, v, 4);
}

static int b_sec_cnt_missing(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "", PAYLOAD, 2);
}

static int b_downgrade_version(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "0.9.0", "-s 3", PAYLOAD, 2);
}

static int b_downgrade_sec_cnt(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "-s 1", PAYLOAD, 2);
}

static int b_counter_capacity(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "-s 100", PAYLOAD, 2);
}

static int b_dep_unmet(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "-s 3 -d '(1,9.0.0)'", PAYLOAD, 2);
}

static int b_dep_missing(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "-s 3 -d '(7,1.0.0)'", PAYLOAD, 2);
}

static int b_both_aes(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_FLAGS_OFF, cat_rd32(img->data + CAT_FLAGS_OFF) | 0x0c);
	return cat_reseal(img, k_trusted);
}

static int b_pic(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_FLAGS_OFF, cat_rd32(img->data + CAT_FLAGS_OFF) | 0x01);
	return cat_reseal(img, k_trusted);
}

static int b_compressed(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_FLAGS_OFF, cat_rd32(img->data + CAT_FLAGS_OFF) | 0x400);
	return cat_reseal(img, k_trusted);
}

static int b_enc_no_tlv(const struct kind *k, struct pf_buf *img)
{
	if (dup_new(img))
		return -1;
	cat_wr32(img->data + CAT_FLAGS_OFF, cat_rd32(img->data + CAT_FLAGS_OFF) | 0x04);
	return cat_reseal(img, k_trusted);
}

static int b_enc_wrong_key(const struct kind *k, struct pf_buf *img)
{
	char extra[1200];

	snprintf(extra, sizeof(extra), "-s 3 -E '%s'", enc_other);
	return sign(img, k_trusted, "2.0.0", extra, PAYLOAD, 2);
}

static int b_enc_tampered(const struct kind *k, struct pf_buf *img)
{
	char extra[1200];
	uint32_t p;

	snprintf(extra, sizeof(extra), "-s 3 -E '%s'", enc_dev);
	if (sign(img, k_trusted, "2.0.0", extra, PAYLOAD, 2))
		return -1;
	p = cat_tlv_find(img, 0x32, 0);
	if (!p)
		return -1;
	img->data[p + 4 + 70] ^= 0x01;     /* inside the HMAC tag */
	return 0;
}

static int b_non_bootable(const struct kind *k, struct pf_buf *img)
{
	return sign(img, k_trusted, "2.0.0", "-s 3 --non-bootable", PAYLOAD, 2);
}

static int b_overlaps_trailer(const struct kind *k, struct pf_buf *img)
{
	/* A valid signature over an image that reaches into the trailer's sectors. */
	return sign(img, k_trusted, "2.0.0", "-s 3", 0x10000 - 0x20 - 200, 5);
}

static int b_wrong_offset(const struct kind *k, struct pf_buf *img)
{
	/* A good image written at secondary offset 0 (swap-offset wants it one sector in). */
	return dup_new(img);
}

static int b_erased(const struct kind *k, struct pf_buf *img)
{
	img->data = malloc(64);
	if (!img->data)
		return -1;
	memset(img->data, 0xff, 64);
	img->len = 64;
	return 0;
}

static int b_p384(const struct kind *k, struct pf_buf *img)
{
	char p[1200];

	snprintf(p, sizeof(p), "%s/vectors/imgtool/signed-ec-p384.bin", pf_shared());
	return pf_read(p, img);
}

static int b_rsa_oaep(const struct kind *k, struct pf_buf *img)
{
	char p[1200];

	snprintf(p, sizeof(p), "%s/vectors/imgtool/signed-rsa2048-enc-rsa.bin", pf_shared());
	return pf_read(p, img);
}

static int b_ecdsa_bad_sig(const struct kind *k, struct pf_buf *img)
{
	uint32_t p;

	if (sign(img, k_ecdsa, "2.0.0", "-s 3", PAYLOAD, 2))
		return -1;
	p = cat_tlv_find(img, 0x22, 0);
	if (!p)
		return -1;
	img->data[p + 4 + 20] ^= 0x01;
	return 0;
}

static int b_rom_fixed(const struct kind *k, struct pf_buf *img)
{
	/* Linked for 0x12340000; the rig's primary sits at 0x08000000 for the CPU. */
	return sign(img, k_trusted, "2.0.0", "-s 3 -F 0x12340000", PAYLOAD, 2);
}

static const struct kind kinds[] = {
	{ "truncated", b_truncated, KEEL_R_TLV_INFO_MISSING, .also_primary = 1 },
	{ "bad-magic", b_bad_magic, KEEL_R_BAD_MAGIC, .also_primary = 1 },
	{ "hdr-size-below-32", b_hdr_small, KEEL_R_HDR_TOO_SMALL, .also_primary = 1 },
	{ "size-overflow", b_overflow, KEEL_R_SIZE_OVERFLOW, .also_primary = 1 },
	{ "larger-than-slot", b_larger_than_slot, KEEL_R_TOO_LARGE, .also_primary = 1 },
	{ "tlv-area-past-slot", b_tlv_past_slot, KEEL_R_TLV_PAST_END, .also_primary = 1 },
	{ "tlv-entry-overrun", b_tlv_entry_overrun, KEEL_R_TLV_PAST_END, .also_primary = 1 },
	{ "prot-size-mismatch", b_prot_mismatch, KEEL_R_PROT_SIZE_MISMATCH, .also_primary = 1 },
	{ "tlv-info-missing", b_no_info, KEEL_R_TLV_INFO_MISSING, .also_primary = 1 },
	{ "unknown-key", b_unknown_key, KEEL_R_UNKNOWN_KEY, .also_primary = 1 },
	{ "keyhash-tampered", b_keyhash_tampered, KEEL_R_UNKNOWN_KEY, .also_primary = 1 },
	{ "bad-hash", b_bad_hash, KEEL_R_HASH_MISMATCH, .also_primary = 1 },
	{ "hash-tlv-tampered", b_hash_tlv_tampered, KEEL_R_HASH_MISMATCH, .also_primary = 1 },
	{ "no-hash-tlv", b_no_hash, KEEL_R_NO_HASH, .also_primary = 1 },
	{ "bad-hash-len", b_bad_hash_len, KEEL_R_BAD_HASH_LEN, .also_primary = 1 },
	{ "bad-signature", b_bad_sig, KEEL_R_BAD_SIGNATURE, .also_primary = 1 },
	{ "ecdsa-bad-signature", b_ecdsa_bad_sig, KEEL_R_BAD_SIGNATURE, .also_primary = 1 },
	{ "no-signature", b_no_sig, KEEL_R_NO_SIGNATURE, .also_primary = 1 },
	{ "bad-signature-len", b_bad_sig_len, KEEL_R_BAD_SIG_LEN, .also_primary = 1 },
	{ "signature-of-another-image", b_sig_of_other, KEEL_R_BAD_SIGNATURE, .also_primary = 1 },
	{ "protected-tlv-tampered", b_prot_tampered, KEEL_R_HASH_MISMATCH, .also_primary = 1 },
	{ "sec-cnt-unprotected", b_sec_cnt_unprot, KEEL_R_SEC_CNT_MISSING,
	  .flags = KEEL_BOOT_REQUIRE_SEC_CNT, .note = "SEC_CNT only in the unprotected area" },
	{ "sec-cnt-missing", b_sec_cnt_missing, KEEL_R_SEC_CNT_MISSING, .flags = KEEL_BOOT_REQUIRE_SEC_CNT },
	{ "downgrade-version", b_downgrade_version, KEEL_R_DOWNGRADE_VERSION,
	  .flags = KEEL_BOOT_DOWNGRADE_VERSION },
	{ "downgrade-sec-cnt", b_downgrade_sec_cnt, KEEL_R_DOWNGRADE_SEC_CNT,
	  .flags = KEEL_BOOT_DOWNGRADE_SEC_CNT },
	{ "below-nv-counter", b_downgrade_sec_cnt, KEEL_R_DOWNGRADE_SEC_CNT, .nv = 2, .nv_cap = 64 },
	{ "counter-beyond-capacity", b_counter_capacity, KEEL_R_SEC_CNT_CAPACITY, .nv = 2, .nv_cap = 64 },
	{ "dependency-unmet", b_dep_unmet, KEEL_R_DEPENDENCY_UNMET, .two_images = 1 },
	{ "dependency-missing-image", b_dep_missing, KEEL_R_DEPENDENCY_BAD, .two_images = 1 },
	{ "both-aes-flags", b_both_aes, KEEL_R_BAD_FLAGS, .also_primary = 1 },
	{ "pic-flag", b_pic, KEEL_R_BAD_FLAGS, .also_primary = 1 },
	{ "compressed-flag", b_compressed, KEEL_R_BAD_FLAGS, .also_primary = 1 },
	{ "encrypted-without-enc-tlv", b_enc_no_tlv, KEEL_R_ENC_NO_KEY, .flags = 0 },
	{ "encrypted-wrong-device-key", b_enc_wrong_key, KEEL_R_ENC_UNWRAP_FAILED, .flags = 0 },
	{ "enc-tlv-tampered", b_enc_tampered, KEEL_R_ENC_UNWRAP_FAILED, .flags = 0 },
	{ "non-bootable", b_non_bootable, KEEL_R_NON_BOOTABLE, .also_primary = 1 },
	{ "overlaps-trailer", b_overlaps_trailer, KEEL_R_TOO_LARGE, .flags = 0 },
	{ "upload-at-wrong-offset", b_wrong_offset, KEEL_R_WRONG_SLOT, .raw = 1 },
	{ "rom-fixed-elsewhere", b_rom_fixed, KEEL_R_WRONG_SLOT, .also_primary = 1 },
	{ "ecdsa-p384-unsupported", b_p384, KEEL_R_SIG_ALG_UNSUPPORTED, .also_primary = 1 },
	{ "rsa-oaep-unsupported", b_rsa_oaep, KEEL_R_ENC_ALG_UNSUPPORTED, .flags = 0 },
	{ "erased-secondary", b_erased, KEEL_R_NO_IMAGE, .flags = 0 },
};

/* ------------------------------------------------------------ the rig */

struct rig {
	struct simconf conf;
	struct simflash *sf;
	struct simboot sb;
};

static int rig_open(struct rig *r, const struct kind *k)
{
	memset(r, 0, sizeof(*r));
	simconf_defaults(&r->conf);
	snprintf(r->conf.strategy, sizeof(r->conf.strategy), "swap-offset");
	r->conf.images = k->two_images ? 2 : 1;
	/* 16 KiB primary+secondary... 4 KiB sectors: primary 16 sectors, secondary 17. */
	r->conf.primary[0] = (struct simconf_area){ 0, 16 * 4096, 1 };
	r->conf.secondary[0] = (struct simconf_area){ 16 * 4096, 17 * 4096, 1 };
	r->conf.primary[1] = (struct simconf_area){ 33 * 4096, 16 * 4096, k->two_images };
	r->conf.secondary[1] = (struct simconf_area){ 49 * 4096, 17 * 4096, k->two_images };
	{
		char why[100];

		simconf_parse_runs(k->two_images ? "66x4K" : "33x4K", &r->conf.geom, why, sizeof(why));
	}
	r->conf.geom.write_size = 4;
	r->conf.geom.erased_val = 0xff;
	r->conf.n_keys = 4;
	snprintf(r->conf.keys[0], SIMCONF_PATH, "%s", k_trusted);
	snprintf(r->conf.keys[1], SIMCONF_PATH, "%s", k_ecdsa);
	/* The imgtool vectors' keys, so P-384 and RSA-OAEP fail on the algorithm, not the key. */
	snprintf(r->conf.keys[2], SIMCONF_PATH, "%.900s/vectors/imgtool/key-ec-p384.pem", pf_shared());
	snprintf(r->conf.keys[3], SIMCONF_PATH, "%.900s/vectors/imgtool/key-rsa2048.pem", pf_shared());
	snprintf(r->conf.enc_key, SIMCONF_PATH, "%s", enc_dev);
	r->sf = simflash_new(&r->conf.geom);
	if (!r->sf || simboot_setup(&r->sb, &r->conf, simflash_dev(r->sf)))
		return -1;
	r->sb.cfg.flags |= k->flags;
	r->sb.cfg.images[0].rom_addr = 0x08000000u;
	if (simboot_check(&r->sb, 1))
		return -1;
	return 0;
}

static void rig_close(struct rig *r)
{
	simboot_release(&r->sb);
	simflash_free(r->sf);
}

static int setup_port(const struct kind *k, struct rig *r)
{
	struct simport_opts o = { .console = SIMPORT_CONSOLE_CAPTURE, .nv_capacity = k->nv_cap };

	if (simport_init(&port, &o))
		return -1;
	simport_nv_set(0, k->nv);
	if (k->nv_cap)
		r->sb.cfg.flags |= KEEL_BOOT_HW_ROLLBACK;
	else
		r->sb.cfg.flags &= ~KEEL_BOOT_HW_ROLLBACK;
	return 0;
}

static int failures;

static void bad(const struct kind *k, const char *mode, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad(const struct kind *k, const char *mode, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL %-28s [%s] ", k->name, mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n---- boot log ----\n%s------------------\n", simport_log());
}

/* The hostile image as a pending test upgrade of image 0. */
static int as_upgrade(const struct kind *k, const struct pf_buf *img)
{
	struct rig r;
	struct keel_boot_result res;
	struct keel_bootctl bc;
	const struct keel_area *p, *s;
	uint32_t wear_before[64], first, last;
	uint8_t *before = NULL;
	int rc, ok = 0;

	if (rig_open(&r, k) || setup_port(k, &r)) {
		bad(k, "upgrade", "cannot set up the layout");
		rig_close(&r);
		return -1;
	}
	p = &r.sb.cfg.images[0].primary;
	s = &r.sb.cfg.images[0].secondary;
	if (simflash_program_image(r.sf, p->off, good_old.data, good_old.len) ||
	    (k->two_images && simflash_program_image(r.sf, r.sb.cfg.images[1].primary.off, good_new1.data,
						     good_new1.len)) ||
	    simflash_program_image(r.sf, s->off + (k->raw ? 0 : keel_boot_upload_offset(&r.sb.cfg, 0)),
				   img->data, img->len)) {
		bad(k, "upgrade", "cannot program the slots (image of %u bytes)", img->len);
		goto out;
	}
	bc.primary = p;
	bc.secondary = s;
	bc.trailer_align = r.sb.cfg.trailer_align;
	bc.strategy = r.sb.cfg.strategy;
	bc.image = 0;
	rc = keel_bootctl_request_upgrade(&bc, 0);
	if (rc) {
		bad(k, "upgrade", "request_upgrade: %s", keel_strerror(rc));
		goto out;
	}
	before = malloc(p->size);
	memcpy(before, simflash_mem(r.sf) + p->off, p->size);
	first = (uint32_t)simflash_sector_index(r.sf, p->off, NULL, NULL);
	last = (uint32_t)simflash_sector_index(r.sf, p->off + p->size - 1, NULL, NULL);
	for (uint32_t i = first; i <= last; i++)
		wear_before[i - first] = simflash_wear(r.sf, i);
	for (int boot = 0; boot < 2; boot++) {
		memset(&res, 0, sizeof(res));
		rc = keel_boot(&r.sb.cfg, &port, &res);
		if (rc || !res.img[0].bootable) {
			bad(k, "upgrade", "boot %d: the good primary did not boot (%s)", boot, keel_strerror(rc));
			goto out;
		}
		if (memcmp(simflash_mem(r.sf) + p->off, before, good_old.len)) {
			bad(k, "upgrade", "boot %d: the running image changed", boot);
			goto out;
		}
		for (uint32_t i = first; i <= last; i++)
			if (simflash_wear(r.sf, i) != wear_before[i - first]) {
				bad(k, "upgrade", "boot %d: a primary sector was erased", boot);
				goto out;
			}
		if (boot == 0 && res.img[0].refused != k->want) {
			bad(k, "upgrade", "refused with '%s' (%d), expected '%s' (%d)",
			    keel_reason_str(res.img[0].refused), res.img[0].refused, keel_reason_str(k->want),
			    k->want);
			goto out;
		}
	}
	if (memcmp(simflash_mem(r.sf) + p->off, before, p->size))
		printf("note %-28s primary trailer written (image bytes and sectors untouched)\n", k->name);
	if (simflash_violations(r.sf)) {
		bad(k, "upgrade", "flash rule violations");
		goto out;
	}
	ok = 1;
out:
	free(before);
	rig_close(&r);
	return ok ? 0 : -1;
}

/* The hostile image alone in the primary: nothing may boot. */
static int as_primary(const struct kind *k, const struct pf_buf *img)
{
	struct rig r;
	struct keel_boot_result res;
	int rc, ok = 0;

	if (rig_open(&r, k) || setup_port(k, &r)) {
		bad(k, "primary", "cannot set up the layout");
		rig_close(&r);
		return -1;
	}
	if (simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, img->data, img->len)) {
		bad(k, "primary", "cannot program");
		goto out;
	}
	memset(&res, 0, sizeof(res));
	rc = keel_boot(&r.sb.cfg, &port, &res);
	if (rc == 0 || res.img[0].bootable) {
		bad(k, "primary", "keel_boot accepted the image as bootable");
		goto out;
	}
	if (res.img[0].primary_reason != k->want) {
		bad(k, "primary", "refused with '%s' (%d), expected '%s' (%d)",
		    keel_reason_str(res.img[0].primary_reason), res.img[0].primary_reason,
		    keel_reason_str(k->want), k->want);
		goto out;
	}
	ok = 1;
out:
	rig_close(&r);
	return ok ? 0 : -1;
}

static int selected(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static int setup(void)
{
	snprintf(dir, sizeof(dir), "%.800s", pf_workdir("hostile"));
	snprintf(k_trusted, sizeof(k_trusted), "%s/trusted.pem", dir);
	snprintf(k_other, sizeof(k_other), "%s/other.pem", dir);
	snprintf(k_ecdsa, sizeof(k_ecdsa), "%s/ecdsa.pem", dir);
	snprintf(enc_other, sizeof(enc_other), "%s/enc-other.pem", dir);
	snprintf(enc_dev, sizeof(enc_dev), "%.900s/vectors/imgtool/enc-ec256.pem", pf_shared());
	if (pf_run("'%s' keygen -t ed25519 -k '%s'", pf_keel(), k_trusted) ||
	    pf_run("'%s' keygen -t ed25519 -k '%s'", pf_keel(), k_other) ||
	    pf_run("'%s' keygen -t ecdsa-p256 -k '%s'", pf_keel(), k_ecdsa) ||
	    pf_run("'%s' keygen -t ecdsa-p256 -k '%s'", pf_keel(), enc_other))
		return -1;
	if (sign(&good_old, k_trusted, "1.0.0", "-s 2", PAYLOAD - 1000, 1) ||
	    sign(&good_new, k_trusted, "2.0.0", "-s 3", PAYLOAD, 2) ||
	    sign(&good_new1, k_trusted, "1.0.0", "-s 2", PAYLOAD / 2, 3))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n = 0, checks = 0;

	if (setup()) {
		printf("FAIL: cannot make keys and base images\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct kind *k = &kinds[i];
		struct pf_buf img = { 0 };
		int ok;

		if (!selected(argc, argv, k->name))
			continue;
		n++;
		if (k->build(k, &img)) {
			failures++;
			printf("FAIL %-28s cannot build the image\n", k->name);
			continue;
		}
		ok = as_upgrade(k, &img) == 0;
		checks++;
		if (k->also_primary) {
			ok = as_primary(k, &img) == 0 && ok;
			checks++;
		}
		if (ok)
			printf("ok   %-28s refused: %s%s\n", k->name, keel_reason_str(k->want),
			       k->also_primary ? " (as upgrade and as primary)" : "");
		pf_buf_free(&img);
	}
	printf("hostile images: %u kinds, %u checks, %d failures\n", n, checks, failures);
	pf_workdir_cleanup();
	return failures || n == 0 ? 1 : 0;
}
