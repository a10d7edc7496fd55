/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgtool's images (../shared/vectors/imgtool) in keel-boot, on the simulator,
 * with imgtool's keys built in:
 *  - every supported image boots as the factory primary;
 *  - every supported image installs as a test upgrade over a keel-signed
 *    1.0.0 (the encrypted ones decrypt into the primary: its payload must
 *    equal app.bin), runs, and reverts when not confirmed;
 *  - the --pad / --confirm / --max-align 32 / overwrite-only images are
 *    recognised as pending from their own trailers;
 *  - ECDSA-P384 and RSA-OAEP are refused naming the unsupported algorithm;
 *  - the -prot image (DEPENDENCY on image 1 >= 1.0.0) installs in a
 *    two-image layout and is refused when image 1 is older.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/bootctl.h"
#include "keel/err.h"
#include "pf_tool.h"
#include "simboot.h"
#include "simconf.h"
#include "simflash.h"
#include "simport.h"

static char vdir[960], wdir[900];
static struct pf_buf app;
static struct keel_port port;
static int failures, checks;

#define SLOT 0x20000u
#define SECTOR 0x1000u

struct lay {
	const char *strategy;
	unsigned images;
	unsigned hash_bits;
	uint32_t max_align;
};

struct rig {
	struct simconf conf;
	struct simflash *sf;
	struct simboot sb;
};

static void fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL %-44s ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n---- boot log ----\n%s------------------\n", simport_log());
}

static void pass(const char *what, const char *detail)
{
	printf("ok   %-44s %s\n", what, detail);
}

static int rig_open(struct rig *r, const struct lay *l)
{
	uint32_t at = 0;
	char runs[32], why[100];
	static const char *const keys[] = { "key-ec-p256.pem", "key-ec-p384.pem", "key-ed25519.pem",
					    "key-rsa2048.pem" };

	memset(r, 0, sizeof(*r));
	simconf_defaults(&r->conf);
	snprintf(r->conf.strategy, sizeof(r->conf.strategy), "%s", l->strategy);
	r->conf.images = l->images;
	for (unsigned i = 0; i < l->images; i++) {
		uint32_t ps = SLOT + (!strcmp(l->strategy, "swap-move") ? SECTOR : 0);
		uint32_t ss = SLOT + (!strcmp(l->strategy, "swap-offset") ? SECTOR : 0);

		r->conf.primary[i] = (struct simconf_area){ at, ps, 1 };
		at += ps;
		r->conf.secondary[i] = (struct simconf_area){ at, ss, 1 };
		at += ss;
	}
	if (!strcmp(l->strategy, "swap-scratch")) {
		r->conf.scratch = (struct simconf_area){ at, SECTOR, 1 };
		at += SECTOR;
	}
	snprintf(runs, sizeof(runs), "%ux4K", at / SECTOR);
	if (simconf_parse_runs(runs, &r->conf.geom, why, sizeof(why)))
		return -1;
	r->conf.geom.write_size = 4;
	r->conf.hash_bits = l->hash_bits;
	r->conf.max_align = l->max_align;
	r->conf.n_keys = 4;
	for (unsigned i = 0; i < 4; i++)
		snprintf(r->conf.keys[i], SIMCONF_PATH, "%s/%s", vdir, keys[i]);
	r->sf = simflash_new(&r->conf.geom);
	if (!r->sf || simboot_setup(&r->sb, &r->conf, simflash_dev(r->sf)))
		return -1;
	return simboot_check(&r->sb, 1);
}

/* The device keys: P-256 and X25519 (the config holds one; add the second by hand). */
static struct keel_enc_key enc_keys[2];
static uint8_t enc_priv[2][32];

static int load_enc_keys(void)
{
	char p[1200];

	snprintf(p, sizeof(p), "%s/enc-ec256.pem", vdir);
	if (simboot_enc_key(p, &enc_keys[0], enc_priv[0]))
		return -1;
	snprintf(p, sizeof(p), "%s/enc-x25519.pem", vdir);
	if (simboot_enc_key(p, &enc_keys[1], enc_priv[1]))
		return -1;
	enc_keys[0].priv = enc_priv[0];
	enc_keys[1].priv = enc_priv[1];
	return 0;
}

static void rig_enc(struct rig *r)
{
	r->sb.cfg.enc_keys = enc_keys;
	r->sb.cfg.n_enc_keys = 2;
	r->sb.cfg.enc_slot_len = 32;
}

static void rig_close(struct rig *r)
{
	simboot_release(&r->sb);
	simflash_free(r->sf);
}

static int vec(const char *name, struct pf_buf *b)
{
	char p[1200];

	snprintf(p, sizeof(p), "%s/%s", vdir, name);
	return pf_read(p, b);
}

/* A keel-signed 1.0.0 (key and hash of the layout) to upgrade from. */
static int old_image(const char *key, const char *opts, uint64_t seed, struct pf_buf *b)
{
	char in[1100], out[1100];
	uint8_t p[9000];

	pf_fill(p, sizeof(p), seed);
	snprintf(in, sizeof(in), "%s/old%" PRIu64 ".raw", wdir, seed);
	snprintf(out, sizeof(out), "%s/old%" PRIu64 ".bin", wdir, seed);
	if (pf_write(in, p, sizeof(p)) ||
	    pf_run("'%s' sign -k '%s/%s' %s -H 0x20 --pad-header -S 0x20000 --align 4 '%s' '%s'", pf_keel(),
		   vdir, key, opts, in, out))
		return -1;
	return pf_read(out, b);
}

static int boot(struct rig *r, struct keel_boot_result *res)
{
	simport_log_clear();
	memset(res, 0, sizeof(*res));
	return keel_boot(&r->sb.cfg, &port, res);
}

static int is_ver(const struct keel_boot_image *bi, int maj, int min, int rev, uint32_t build)
{
	return bi->hdr.ver.major == maj && bi->hdr.ver.minor == min && bi->hdr.ver.revision == rev &&
	       bi->hdr.ver.build == build;
}

static int primary_has(struct rig *r, unsigned img, const struct pf_buf *b, uint32_t len)
{
	return !memcmp(simflash_mem(r->sf) + r->sb.cfg.images[img].primary.off, b->data, len);
}

static int payload_is_app(struct rig *r)
{
	return !memcmp(simflash_mem(r->sf) + r->sb.cfg.images[0].primary.off + 0x20, app.data, app.len);
}

/* ------------------------------------------------------------ the checks */

struct vcase {
	const char *file;
	unsigned hash_bits;
	int enc;
	const char *old_key;
	const char *old_opts;
};

static const struct vcase supported[] = {
	{ "signed-ec-p256.bin", 256, 0, "key-ec-p256.pem", "--version 1.0.0" },
	{ "signed-ec-p256-fullkey.bin", 256, 0, "key-ec-p256.pem", "--version 1.0.0" },
	{ "signed-ec-p256-padsig.bin", 256, 0, "key-ec-p256.pem", "--version 1.0.0" },
	{ "signed-ed25519.bin", 256, 0, "key-ed25519.pem", "--version 1.0.0" },
	{ "signed-ed25519-sha512.bin", 512, 0, "key-ed25519.pem", "--version 1.0.0 --sha 512" },
	{ "signed-ed25519-pure.bin", 512, 0, "key-ed25519.pem", "--version 1.0.0 --sha 512" },
	{ "signed-rsa2048.bin", 256, 0, "key-rsa2048.pem", "--version 1.0.0" },
	{ "signed-ec-p256-enc-ec256.bin", 256, 1, "key-ec-p256.pem", "--version 1.0.0" },
	{ "signed-ed25519-enc-x25519.bin", 256, 1, "key-ed25519.pem", "--version 1.0.0" },
	{ "signed-ed25519-enc-x25519-aes256-sha512.bin", 256, 1, "key-ed25519.pem", "--version 1.0.0" },
};

/* Factory-programmed primary: boots as is (encrypted images are not bootable in place). */
static void as_primary(const struct vcase *v)
{
	struct lay l = { "swap-offset", 1, v->hash_bits, 0 };
	struct keel_boot_result res;
	struct pf_buf img;
	struct rig r;
	char what[96];
	int rc;

	snprintf(what, sizeof(what), "%s as primary", v->file);
	checks++;
	if (vec(v->file, &img) || rig_open(&r, &l)) {
		fail(what, "setup");
		return;
	}
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, img.data, img.len);
	rc = boot(&r, &res);
	if (rc || !res.img[0].bootable || !is_ver(&res.img[0], 1, 2, 3, 0) || !primary_has(&r, 0, &img, img.len))
		fail(what, "rc %s, bootable %d (%s)", keel_strerror(rc), res.img[0].bootable,
		     keel_reason_str(res.img[0].primary_reason));
	else
		pass(what, "boots 1.2.3");
	rig_close(&r);
	pf_buf_free(&img);
}

/* Test upgrade over a keel-signed 1.0.0, then a boot without confirm: revert. */
static void as_upgrade(const struct vcase *v, const char *strategy)
{
	struct lay l = { strategy, 1, v->hash_bits, 0 };
	struct keel_boot_result res;
	struct keel_bootctl bc;
	struct pf_buf img, old;
	struct rig r;
	char what[120];
	int rc;

	snprintf(what, sizeof(what), "%s upgrade (%s)", v->file, strategy);
	checks++;
	if (vec(v->file, &img) || old_image(v->old_key, v->old_opts, v->hash_bits, &old) ||
	    rig_open(&r, &l)) {
		fail(what, "setup");
		return;
	}
	if (v->enc)
		rig_enc(&r);
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, old.data, old.len);
	simflash_program_image(r.sf, r.sb.cfg.images[0].secondary.off + keel_boot_upload_offset(&r.sb.cfg, 0),
			       img.data, img.len);
	bc = (struct keel_bootctl){ &r.sb.cfg.images[0].primary, &r.sb.cfg.images[0].secondary,
				    r.sb.cfg.trailer_align, r.sb.cfg.strategy, 0 };
	rc = keel_bootctl_request_upgrade(&bc, 0);
	if (!rc)
		rc = boot(&r, &res);
	if (rc || !res.img[0].bootable || !is_ver(&res.img[0], 1, 2, 3, 0) || !payload_is_app(&r)) {
		fail(what, "upgrade: rc %s, bootable %d, refused '%s', payload is app.bin: %d",
		     keel_strerror(rc), res.img[0].bootable, keel_reason_str(res.img[0].refused),
		     payload_is_app(&r));
		goto out;
	}
	rc = boot(&r, &res);
	if (rc || !res.img[0].bootable || !is_ver(&res.img[0], 1, 0, 0, 0) || !primary_has(&r, 0, &old, old.len) ||
	    res.img[0].swap != KEEL_SWAP_REVERT) {
		fail(what, "revert: rc %s, swap %s", keel_strerror(rc), keel_swap_type_str(res.img[0].swap));
		goto out;
	}
	if (simflash_violations(r.sf)) {
		fail(what, "flash rule violations");
		goto out;
	}
	pass(what, v->enc ? "decrypted into the primary, ran, reverted" : "installed, ran, reverted");
out:
	rig_close(&r);
	pf_buf_free(&img);
	pf_buf_free(&old);
}

/* imgtool's own trailer marks the upgrade: --pad = test, --confirm = permanent. */
static void padded(const char *file, const char *strategy, uint32_t max_align, int perm)
{
	struct lay l = { strategy, 1, 256, max_align };
	struct keel_boot_result res;
	struct pf_buf img, old;
	struct rig r;
	char what[120];
	int rc;
	enum keel_swap_type want = perm ? KEEL_SWAP_PERM : KEEL_SWAP_TEST;
	/* Overwrite-only has no swap type to report; the new version running is the result. */
	int check_type = strcmp(strategy, "overwrite") != 0;

	snprintf(what, sizeof(what), "%s (%s)", file, strategy);
	checks++;
	if (vec(file, &img) || old_image("key-ec-p256.pem", "--version 1.0.0", 7, &old) || rig_open(&r, &l)) {
		fail(what, "setup");
		return;
	}
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, old.data, old.len);
	/* The padded file is -S 0x20000 long: it ends exactly at the secondary's end. */
	simflash_program_image(r.sf, r.sb.cfg.images[0].secondary.off + keel_boot_upload_offset(&r.sb.cfg, 0),
			       img.data, img.len);
	rc = boot(&r, &res);
	if (rc || !is_ver(&res.img[0], 1, 2, 3, 0) || (check_type && res.img[0].swap != want) ||
	    (want == KEEL_SWAP_PERM && !res.img[0].confirmed))
		fail(what, "rc %s, swap %s (want %s), version %u.%u.%u, confirmed %u", keel_strerror(rc),
		     keel_swap_type_str(res.img[0].swap), keel_swap_type_str(want), res.img[0].hdr.ver.major,
		     res.img[0].hdr.ver.minor, res.img[0].hdr.ver.revision, res.img[0].confirmed);
	else
		pass(what, check_type ? keel_swap_type_str(want) : "installed");
	rig_close(&r);
	pf_buf_free(&img);
	pf_buf_free(&old);
}

static void refused(const char *file, enum keel_reason want, int enc)
{
	struct lay l = { "swap-offset", 1, 256, 0 };
	struct keel_boot_result res;
	struct keel_bootctl bc;
	struct pf_buf img, old;
	struct rig r;
	char what[120];
	int rc;

	snprintf(what, sizeof(what), "%s refused", file);
	checks++;
	if (vec(file, &img) || old_image("key-ec-p256.pem", "--version 1.0.0", 8, &old) || rig_open(&r, &l)) {
		fail(what, "setup");
		return;
	}
	if (enc)
		rig_enc(&r);
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, old.data, old.len);
	simflash_program_image(r.sf, r.sb.cfg.images[0].secondary.off + SECTOR, img.data, img.len);
	bc = (struct keel_bootctl){ &r.sb.cfg.images[0].primary, &r.sb.cfg.images[0].secondary,
				    r.sb.cfg.trailer_align, r.sb.cfg.strategy, 0 };
	keel_bootctl_request_upgrade(&bc, 0);
	rc = boot(&r, &res);
	if (rc || !is_ver(&res.img[0], 1, 0, 0, 0) || res.img[0].refused != want ||
	    !primary_has(&r, 0, &old, old.len))
		fail(what, "rc %s, refused '%s' (want '%s')", keel_strerror(rc),
		     keel_reason_str(res.img[0].refused), keel_reason_str(want));
	else
		pass(what, keel_reason_str(want));
	rig_close(&r);
	pf_buf_free(&img);
	pf_buf_free(&old);
}

/* -prot: DEPENDENCY (1, 1.0.0), SEC_CNT 5, boot record, custom TLV; two images. */
static void prot(int img1_major, int img1_minor, enum keel_reason want)
{
	struct lay l = { "swap-offset", 2, 256, 0 };
	struct keel_boot_result res;
	struct keel_bootctl bc;
	struct pf_buf img, old, one;
	struct rig r;
	char what[120], opts[64];
	int rc;

	snprintf(what, sizeof(what), "signed-ec-p256-prot.bin, image 1 at %d.%d.0", img1_major, img1_minor);
	snprintf(opts, sizeof(opts), "--version %d.%d.0", img1_major, img1_minor);
	checks++;
	if (vec("signed-ec-p256-prot.bin", &img) || old_image("key-ec-p256.pem", "--version 1.0.0", 9, &old) ||
	    old_image("key-ec-p256.pem", opts, 10 + (uint64_t)img1_minor, &one) || rig_open(&r, &l)) {
		fail(what, "setup");
		return;
	}
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, old.data, old.len);
	simflash_program_image(r.sf, r.sb.cfg.images[1].primary.off, one.data, one.len);
	simflash_program_image(r.sf, r.sb.cfg.images[0].secondary.off + SECTOR, img.data, img.len);
	bc = (struct keel_bootctl){ &r.sb.cfg.images[0].primary, &r.sb.cfg.images[0].secondary,
				    r.sb.cfg.trailer_align, r.sb.cfg.strategy, 0 };
	keel_bootctl_request_upgrade(&bc, 1);
	rc = boot(&r, &res);
	if (want == KEEL_R_OK) {
		if (rc || !is_ver(&res.img[0], 1, 2, 3, 7) || !res.img[1].bootable || !payload_is_app(&r))
			fail(what, "rc %s, refused '%s'", keel_strerror(rc), keel_reason_str(res.img[0].refused));
		else
			pass(what, "installed (dependency met)");
	} else {
		if (rc || !is_ver(&res.img[0], 1, 0, 0, 0) || res.img[0].refused != want)
			fail(what, "rc %s, refused '%s' (want '%s')", keel_strerror(rc),
			     keel_reason_str(res.img[0].refused), keel_reason_str(want));
		else
			pass(what, keel_reason_str(want));
	}
	rig_close(&r);
	pf_buf_free(&img);
	pf_buf_free(&old);
	pf_buf_free(&one);
}

int main(void)
{
	struct simport_opts po = { .console = SIMPORT_CONSOLE_CAPTURE };
	static const char *const strategies[] = { "swap-offset", "swap-move", "swap-scratch" };

	snprintf(vdir, sizeof(vdir), "%.900s/vectors/imgtool", pf_shared());
	snprintf(wdir, sizeof(wdir), "%.800s", pf_workdir("vectors"));
	if (simport_init(&port, &po) || vec("app.bin", &app) || load_enc_keys()) {
		printf("FAIL: setup (vectors in %s)\n", vdir);
		return 1;
	}
	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		if (!supported[i].enc)
			as_primary(&supported[i]);
		for (size_t s = 0; s < 3; s++)
			as_upgrade(&supported[i], strategies[s]);
	}
	padded("signed-ec-p256-pad.bin", "swap-offset", 0, 0);
	padded("signed-ec-p256-pad.bin", "swap-move", 0, 0);
	padded("signed-ec-p256-pad-confirm.bin", "swap-offset", 0, 1);
	padded("signed-ec-p256-pad-confirm.bin", "swap-scratch", 0, 1);
	padded("signed-ec-p256-pad-confirm-maxalign32.bin", "swap-offset", 32, 1);
	padded("signed-ec-p256-pad-confirm-ow.bin", "overwrite", 0, 1);
	refused("signed-ec-p384.bin", KEEL_R_SIG_ALG_UNSUPPORTED, 0);
	refused("signed-rsa2048-enc-rsa.bin", KEEL_R_ENC_ALG_UNSUPPORTED, 1);
	prot(1, 0, KEEL_R_OK);
	prot(0, 9, KEEL_R_DEPENDENCY_UNMET);
	printf("imgtool vectors: %d checks, %d failures\n", checks, failures);
	pf_workdir_cleanup();
	return failures ? 1 : 0;
}
