/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Regression tests for review findings on keel-boot's core: the first run
 * of a TEST image is verified, a pending revert counts for dependencies,
 * an encrypted swap whose keys are lost moves nothing, an encrypted primary
 * whose key does not unwrap is not swapped out, and refusal reasons.
 *
 * Usage: test_fixes first-run | deps-revert | enc-resume | enc-pri-key | reasons | all
 */
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
#include "keel/err.h"
#include "swap_priv.h"

static struct ct_key key, key_ec;
static const struct ct_geom g4k = { "u4k-w8-ff", 4096, 8, 0xff, 8 };
static uint8_t img_a[64 * 1024], img_b[64 * 1024], img_c[64 * 1024], img_d[64 * 1024];

static uint32_t build(uint8_t *out, uint8_t minor, uint32_t len, uint32_t seed, int dep_id,
		      uint8_t dep_minor)
{
	struct ct_image_opts o = { 0 };

	o.major = 1;
	o.minor = minor;
	o.sec_cnt = -1;
	o.payload_len = len;
	o.seed = seed;
	if (dep_id >= 0) {
		o.n_deps = 1;
		o.dep_id[0] = (uint8_t)dep_id;
		o.dep_ver[0][0] = 1;
		o.dep_ver[0][1] = dep_minor;
	}
	return ct_build_image(out, sizeof(img_a), &o, &key);
}

static int pend(struct ct_env *e, uint32_t image, const uint8_t *img, uint32_t len, int perm)
{
	struct keel_bootctl c = ct_ctl(e, image);

	ct_put(e, &e->cfg.images[image].secondary, keel_bootctl_upload_offset(&c), img, len);
	return keel_bootctl_request_upgrade(&c, perm);
}

static void log_reset(struct ct_env *e)
{
	e->log_len = 0;
	e->log[0] = 0;
}

/* Flash ops of one clean TEST upgrade boot of b over a (VALIDATE_PRIMARY off). */
static uint64_t clean_ops(uint32_t la, uint32_t lb)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	struct simflash_stats fs;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	e->cfg.flags = 0;
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	CT_CHECK(pend(e, 0, img_b, lb, 0) == 0, "first-run: request upgrade");
	simflash_reset_ops(e->sf);
	CT_CHECK(ct_boot(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST,
		 "first-run: clean TEST upgrade\n%s", e->log);
	simflash_stats(e->sf, &fs);
	ct_env_free(e);
	free(e);
	return fs.ops;
}

/*
 * Finding 1: a cut takes the trial record of a TEST swap (the last write of
 * the swap boot), so the next boot is the new image's first run. A byte of
 * the swapped-in payload goes bad in between; with VALIDATE_PRIMARY off the
 * first-run boot must still verify the image and not boot it.
 */
static void first_run(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	uint32_t la = build(img_a, 0, 6000, 1, -1, 0), lb = build(img_b, 1, 7000, 2, -1, 0);
	uint64_t n = clean_ops(la, lb);
	struct simflash_fault f = { SIMFLASH_CUT, n, 0, 1 };
	int rc;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	e->cfg.flags = 0;
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	CT_CHECK(pend(e, 0, img_b, lb, 0) == 0, "first-run: request upgrade");
	simflash_reset_ops(e->sf);
	simflash_arm(e->sf, &f);
	rc = ct_boot(e, &r);
	CT_CHECK(rc == 1, "first-run: the cut at op %llu must strike the swap boot (rc %d)",
		 (unsigned long long)n, rc);
	CT_CHECK(ct_holds(e, &e->cfg.images[0].primary, 0, img_b, lb),
		 "first-run: the new image must be in the primary after the cut\n%s", e->log);
	/* one payload byte of the swapped-in image goes bad */
	simflash_mem(e->sf)[e->cfg.images[0].primary.off + (img_b[8] | img_b[9] << 8) + 100] ^= 0x01;
	log_reset(e);
	rc = ct_boot(e, &r);
	CT_CHECK(strstr(e->log, "first run of the new image") != NULL,
		 "first-run: the boot after the cut must be the TEST image's first run\n%s", e->log);
	CT_CHECK(!r.img[0].bootable && rc != 0,
		 "first-run: a corrupted TEST image was booted on its first run (rc %d, "
		 "bootable %d)\n%s", rc, r.img[0].bootable, e->log);
	printf("first-run: cut at op %llu of %llu, corrupted image %s\n", (unsigned long long)n,
	       (unsigned long long)n, r.img[0].bootable ? "BOOTED" : "refused");
	/* its trial record is written now: the next boot reverts to the old image */
	log_reset(e);
	rc = ct_boot_done(e, &r);
	CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_REVERT && r.img[0].bootable &&
		 ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la),
		 "first-run: the boot after the refused first run must revert to the old image "
		 "(rc %s, swap %s)\n%s", keel_strerror(rc), keel_swap_type_str(r.img[0].swap), e->log);
	printf("first-run: next boot %s, old image %s\n", keel_swap_type_str(r.img[0].swap),
	       r.img[0].bootable ? "booted" : "NOT booted");
	ct_env_free(e);
	free(e);
}

/*
 * Finding 2: image 0 runs v1.1 unconfirmed (reverts to v1.0 this boot);
 * image 1's upgrade needs image 0 >= 1.1, so it must be held.
 */
static void deps_revert(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	uint32_t a0 = build(img_a, 0, 3000, 1, -1, 0);
	uint32_t n0 = build(img_b, 1, 3200, 2, -1, 0);
	uint32_t a1 = build(img_c, 0, 3000, 3, -1, 0);
	uint32_t n1 = build(img_d, 1, 3500, 4, 0, 1);

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 2, &key);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, a0);
	ct_put(e, &e->cfg.images[1].primary, 0, img_c, a1);
	CT_CHECK(pend(e, 0, img_b, n0, 0) == 0, "deps-revert: request TEST of image 0");
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST &&
		 ct_holds(e, &e->cfg.images[0].primary, 0, img_b, n0),
		 "deps-revert: image 0 TEST upgrade to 1.1\n%s", e->log);
	CT_CHECK(pend(e, 1, img_d, n1, 1) == 0, "deps-revert: request image 1");
	log_reset(e);
	CT_CHECK(ct_boot_done(e, &r) == 0, "deps-revert: second boot\n%s", e->log);
	CT_CHECK(r.img[0].swap == KEEL_SWAP_REVERT &&
		 ct_holds(e, &e->cfg.images[0].primary, 0, img_a, a0),
		 "deps-revert: image 0 must revert to 1.0\n%s", e->log);
	CT_CHECK(r.img[1].swap == KEEL_SWAP_NONE && r.img[1].refused == KEEL_R_DEPENDENCY_UNMET &&
		 ct_holds(e, &e->cfg.images[1].primary, 0, img_c, a1),
		 "deps-revert: image 1 (needs image 0 >= 1.1) must be held while image 0 reverts "
		 "to 1.0 (swap %s, refused %d)\n%s", keel_swap_type_str(r.img[1].swap),
		 (int)r.img[1].refused, e->log);
	ct_env_free(e);
	free(e);
	printf("deps-revert: image 0 %s, image 1 %s (%s)\n", keel_swap_type_str(r.img[0].swap),
	       keel_swap_type_str(r.img[1].swap), keel_reason_str(r.img[1].refused));
}

/* ------------------------------------------------------------ encryption */

static const struct ct_geom vg = { "vec-4k-w4", 4096, 4, 0xff, 32 };
static struct keel_pubkey both_keys[2];
static uint8_t priv_p256[32], priv_x25519[32];

struct vimg {
	uint8_t *b;
	size_t len;
};

static struct vimg load(const char *name)
{
	struct vimg v;

	v.b = ct_read_file(ct_vector(name), &v.len);
	return v;
}

/* Plain ECDSA image in the primary, the X25519-encrypted one pending as TEST. */
static void enc_env(struct ct_env *e, int save_tlv, const struct vimg *old, const struct vimg *img,
		    struct keel_enc_key *ek)
{
	struct keel_bootctl ctl;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &vg, 1, &key);
	e->cfg.keys = both_keys;
	e->cfg.n_keys = 2;
	ek->type = KEEL_ENC_KEY_X25519;
	ek->priv = priv_x25519;
	e->cfg.enc_keys = ek;
	e->cfg.n_enc_keys = 1;
	e->cfg.enc_slot_len = 32;
	if (save_tlv) {
		e->cfg.flags |= KEEL_BOOT_SAVE_ENCTLV;
		e->cfg.enc_slot_len = 80;
	}
	ctl = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, old->b, (uint32_t)old->len);
	ct_put(e, &e->cfg.images[0].secondary, keel_bootctl_upload_offset(&ctl), img->b,
	       (uint32_t)img->len);
	CT_CHECK(keel_bootctl_request_upgrade(&ctl, 0) == 0, "enc: request upgrade");
	simflash_reset_ops(e->sf);
}

/*
 * Finding 3: a cut in the middle of an encrypted TEST swap, then the
 * secondary image's saved key is lost (erased plain key, or a damaged saved
 * ENC TLV). The resume must move nothing: the flash stays byte-identical.
 */
static void enc_resume_one(int save_tlv)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct vimg old = load("signed-ec-p256.bin"), img = load("signed-ed25519-enc-x25519.bin");
	const char *what = save_tlv ? "damaged saved ENC TLV" : "erased saved key";
	struct keel_enc_key ek;
	struct keel_boot_result r;
	struct simflash_stats fs;
	struct keel_swap_ctx c;
	uint32_t size;
	uint8_t *mem, *before;
	uint64_t n;
	int rc;

	enc_env(e, save_tlv, &old, &img, &ek);
	CT_CHECK(ct_boot(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST,
		 "enc-resume (%s): clean encrypted TEST upgrade\n%s", what, e->log);
	simflash_stats(e->sf, &fs);
	n = fs.ops;
	ct_env_free(e);

	enc_env(e, save_tlv, &old, &img, &ek);
	struct simflash_fault f = { SIMFLASH_CUT, n / 2, 0, 1 };

	simflash_arm(e->sf, &f);
	rc = ct_boot(e, &r);
	CT_CHECK(rc == 1, "enc-resume (%s): the cut at op %llu of %llu must strike (rc %d)", what,
		 (unsigned long long)(n / 2), (unsigned long long)n, rc);
	CT_CHECK(keel_swap_ctx_init(&c, &e->cfg, &e->port, 0) == 0 && c.tp.key_len,
		 "enc-resume (%s): trailer layout with key slots", what);
	mem = simflash_mem(e->sf);
	if (save_tlv)
		mem[e->cfg.images[0].primary.off + c.tp.key_off[1] + 40] ^= 0x5a;
	else
		memset(mem + e->cfg.images[0].primary.off + c.tp.key_off[1], 0xff, 16);
	size = simflash_geom(e->sf)->size;
	before = malloc(size);
	memcpy(before, mem, size);
	log_reset(e);
	rc = ct_boot(e, &r);
	CT_CHECK(memcmp(before, simflash_mem(e->sf), size) == 0,
		 "enc-resume (%s): the resume moved data without the key (rc %s)\n%s", what,
		 keel_strerror(rc), e->log);
	CT_CHECK(strstr(e->log, "is not in the trailer") != NULL,
		 "enc-resume (%s): the log must say the key is lost\n%s", what, e->log);
	CT_CHECK(!r.img[0].bootable || ct_holds(e, &e->cfg.images[0].primary, 0, old.b,
						(uint32_t)old.len),
		 "enc-resume (%s): a half-swapped primary was booted\n%s", what, e->log);
	printf("enc-resume (%s): cut at op %llu of %llu, resume rc %s, flash %s\n", what,
	       (unsigned long long)(n / 2), (unsigned long long)n, keel_strerror(rc),
	       memcmp(before, simflash_mem(e->sf), size) ? "CHANGED" : "unchanged");
	free(before);
	ct_env_free(e);
	free(e);
	free(old.b);
	free(img.b);
}

static void enc_resume(void)
{
	enc_resume_one(0);
	enc_resume_one(1);
}

/*
 * Finding 4: the primary holds an image installed from an ECIES-P256 image
 * (plaintext under its ENC flag), and the device's P256 key is no longer
 * the one it was encrypted for. A TEST upgrade to an X25519 image must be
 * refused up front (the old image could not leave re-encrypted, so the
 * revert would fail) and nothing may become permanent by accident.
 */
static void enc_pri_key(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct vimg base = load("signed-ec-p256.bin"), a = load("signed-ec-p256-enc-ec256.bin");
	struct vimg b = load("signed-ed25519-enc-x25519.bin");
	static uint8_t pa[0x20000];
	struct keel_enc_key keys[2] = { { KEEL_ENC_KEY_P256, priv_p256 },
					 { KEEL_ENC_KEY_X25519, priv_x25519 } };
	const struct keel_area *p, *sa;
	struct keel_boot_result r;
	struct keel_bootctl c;
	uint32_t up;
	int rc;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &vg, 1, &key);
	e->cfg.keys = both_keys;
	e->cfg.n_keys = 2;
	e->cfg.enc_keys = keys;
	e->cfg.n_enc_keys = 2;
	e->cfg.enc_slot_len = 32;
	p = &e->cfg.images[0].primary;
	sa = &e->cfg.images[0].secondary;
	c = ct_ctl(e, 0);
	up = keel_bootctl_upload_offset(&c);
	ct_put(e, p, 0, base.b, (uint32_t)base.len);
	ct_put(e, sa, up, a.b, (uint32_t)a.len);
	CT_CHECK(keel_bootctl_request_upgrade(&c, 1) == 0, "enc-pri-key: request");
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_PERM,
		 "enc-pri-key: install of the ECIES-P256 image\n%s", e->log);
	memcpy(pa, simflash_mem(e->sf) + p->off, a.len);
	/* the device's P256 key changes: the primary's key no longer unwraps */
	keys[0].priv = priv_x25519;
	ct_put(e, sa, up, b.b, (uint32_t)b.len);
	CT_CHECK(keel_bootctl_request_upgrade(&c, 0) == 0, "enc-pri-key: request TEST");
	log_reset(e);
	rc = ct_boot_done(e, &r);
	CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_FAIL &&
		 r.img[0].refused == KEEL_R_ENC_UNWRAP_FAILED && r.img[0].detail &&
		 strstr(r.img[0].detail, "could not be reverted") &&
		 ct_holds(e, p, 0, pa, (uint32_t)a.len),
		 "enc-pri-key: TEST must be refused with the primary kept (rc %s, swap %s, "
		 "refused %s, detail %s)\n%s", keel_strerror(rc), keel_swap_type_str(r.img[0].swap),
		 keel_reason_str(r.img[0].refused), r.img[0].detail ? r.img[0].detail : "-", e->log);
	printf("enc-pri-key: TEST %s: %s: %s\n", keel_swap_type_str(r.img[0].swap),
	       keel_reason_str(r.img[0].refused), r.img[0].detail ? r.img[0].detail : "-");
	log_reset(e);
	rc = ct_boot_done(e, &r);
	CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_NONE && r.img[0].bootable &&
		 r.img[0].hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES128 &&
		 ct_holds(e, p, 0, pa, (uint32_t)a.len),
		 "enc-pri-key: the next boot must run the old image, no swap\n%s", e->log);
	CT_CHECK(simflash_violations(e->sf) == 0, "enc-pri-key: NOR violations");
	ct_env_free(e);
	free(e);
	free(base.b);
	free(a.b);
	free(b.b);
}

/* ------------------------------------------------------------ reasons */

static uint32_t le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Appends a TLV to the unprotected area (outside the signed hash); new length. */
static uint32_t append_unprot(uint8_t *img, uint32_t len, uint16_t type, const uint8_t *v,
			      uint16_t vlen)
{
	uint32_t off = le(img + 8, 2) + le(img + 12, 4) + le(img + 10, 2);
	uint32_t tot = le(img + 2 + off, 2);

	if (le(img + off, 2) != KEEL_TLV_INFO_MAGIC || off + tot != len) {
		fprintf(stderr, "test_fixes: append_unprot: unexpected image layout\n");
		exit(2);
	}
	img[len] = (uint8_t)type;
	img[len + 1] = (uint8_t)(type >> 8);
	img[len + 2] = (uint8_t)vlen;
	img[len + 3] = (uint8_t)(vlen >> 8);
	memcpy(img + len + 4, v, vlen);
	tot += 4u + vlen;
	img[off + 2] = (uint8_t)tot;
	img[off + 3] = (uint8_t)(tot >> 8);
	return len + 4 + vlen;
}

/* Offers img as a PERM upgrade over img_a; checks the reason it gets. */
static void expect_reason(const char *what, const uint8_t *img, uint32_t len,
			  enum keel_reason want)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	uint32_t la = build(img_a, 0, 3000, 1, -1, 0);
	struct keel_boot_result r;
	int rc;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	CT_CHECK(pend(e, 0, img, len, 1) == 0, "%s: request", what);
	rc = ct_boot_done(e, &r);
	if (want == KEEL_R_OK)
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_PERM,
			 "%s: must install (rc %s, refused '%s')\n%s", what, keel_strerror(rc),
			 keel_reason_str(r.img[0].refused), e->log);
	else
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_FAIL && r.img[0].refused == want &&
			 ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la),
			 "%s: want refusal '%s', got swap %s '%s'\n%s", what, keel_reason_str(want),
			 keel_swap_type_str(r.img[0].swap), keel_reason_str(r.img[0].refused), e->log);
	printf("reasons: %-34s -> %s\n", what,
	       r.img[0].swap == KEEL_SWAP_FAIL ? keel_reason_str(r.img[0].refused) : "installed");
	ct_env_free(e);
	free(e);
}

static uint32_t build_flags(uint8_t *out, uint32_t flags)
{
	struct ct_image_opts o = { 0 };

	o.major = 1;
	o.minor = 1;
	o.sec_cnt = -1;
	o.payload_len = 3000;
	o.seed = 9;
	o.flags = flags;
	return ct_build_image(out, sizeof(img_b), &o, &key);
}

/*
 * Finding 6: SEC_CNT or DEPENDENCY outside the protected area, PIC and
 * compression flags are refused by keel-boot with the reasons image.h
 * documents; an unknown unprotected TLV is not a reason to refuse.
 */
static void reasons(void)
{
	static const uint8_t cnt[4] = { 7, 0, 0, 0 };
	static const uint8_t dep[12] = { 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t custom[4] = { 1, 2, 3, 4 };
	uint32_t n;

	n = build(img_b, 1, 3000, 9, -1, 0);
	n = append_unprot(img_b, n, 0x00a0, custom, sizeof(custom));
	expect_reason("unprotected custom TLV (control)", img_b, n, KEEL_R_OK);
	n = build(img_b, 1, 3000, 9, -1, 0);
	n = append_unprot(img_b, n, KEEL_TLV_SEC_CNT, cnt, sizeof(cnt));
	expect_reason("unprotected SEC_CNT", img_b, n, KEEL_R_SEC_CNT_BAD);
	n = build(img_b, 1, 3000, 9, -1, 0);
	n = append_unprot(img_b, n, KEEL_TLV_DEPENDENCY, dep, sizeof(dep));
	expect_reason("unprotected DEPENDENCY", img_b, n, KEEL_R_DEPENDENCY_BAD);
	n = build_flags(img_b, KEEL_IMAGE_F_PIC);
	expect_reason("PIC flag", img_b, n, KEEL_R_BAD_FLAGS);
	n = build_flags(img_b, KEEL_IMAGE_F_COMPRESSED_LZMA1);
	expect_reason("LZMA1 compression flag", img_b, n, KEEL_R_BAD_FLAGS);
	n = build_flags(img_b, KEEL_IMAGE_F_COMPRESSED_LZMA2);
	expect_reason("LZMA2 compression flag", img_b, n, KEEL_R_BAD_FLAGS);
	n = build_flags(img_b, KEEL_IMAGE_F_COMPRESSED_LZMA2 | KEEL_IMAGE_F_COMPRESSED_ARM_THUMB);
	expect_reason("LZMA2+ARM thumb compression flags", img_b, n, KEEL_R_BAD_FLAGS);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";
	int all = !strcmp(mode, "all"), known = all;

	ct_key_load(&key, ct_vector("key-ed25519.pem"));
	ct_key_load(&key_ec, ct_vector("key-ec-p256.pem"));
	both_keys[0] = key_ec.pub;
	both_keys[1] = key.pub;
	ct_enc_priv(ct_vector("enc-ec256.pem"), priv_p256);
	ct_enc_priv(ct_vector("enc-x25519.pem"), priv_x25519);
	if (all || !strcmp(mode, "first-run")) {
		first_run();
		known = 1;
	}
	if (all || !strcmp(mode, "deps-revert")) {
		deps_revert();
		known = 1;
	}
	if (all || !strcmp(mode, "enc-resume")) {
		enc_resume();
		known = 1;
	}
	if (all || !strcmp(mode, "enc-pri-key")) {
		enc_pri_key();
		known = 1;
	}
	if (all || !strcmp(mode, "reasons")) {
		reasons();
		known = 1;
	}
	if (!known) {
		fprintf(stderr, "usage: test_fixes first-run | deps-revert | enc-resume | enc-pri-key | reasons | all\n");
		return 2;
	}
	if (ct_failures) {
		printf("test_fixes %s: %d failures\n", mode, ct_failures);
		return 1;
	}
	printf("test_fixes %s: ok\n", mode);
	return 0;
}
