/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgtool's images (../shared/vectors/imgtool) under keel-boot: each one
 * boots from the primary with its key built in, or is refused with the
 * reason that names what this build lacks; the encrypted ones are
 * installed through an upgrade (plaintext lands in the primary) and
 * reverted (the ciphertext is back in the secondary, byte for byte).
 */
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
#include "keel/err.h"

static const struct ct_geom vg = { "vec-4k-w4", 4096, 4, 0xff, 32 };
static struct ct_key k_ec, k_ed, k_rsa, k_p384_unused;
static struct keel_pubkey all_keys[3];

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

static void env(struct ct_env *e, enum keel_strategy s, int images)
{
	ct_env_init(e, s, &vg, images, &k_ec);
	e->cfg.keys = all_keys;
	e->cfg.n_keys = 3;
}

/* Boots a primary-only slot holding the file; returns the result code. */
static int boot_primary(const char *file, enum keel_hash_alg h, uint32_t align,
			struct keel_boot_result *r)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct vimg v = load(file);
	int rc;

	env(e, KEEL_STRATEGY_SWAP_OFFSET, 1);
	e->cfg.hash_alg = h;
	e->cfg.trailer_align = align;
	ct_put(e, &e->cfg.images[0].primary, 0, v.b, (uint32_t)v.len);
	rc = ct_boot_done(e, r);
	if (getenv("KEEL_CORE_VERBOSE"))
		printf("--- %s\n%s", file, e->log);
	ct_env_free(e);
	free(e);
	free(v.b);
	return rc;
}

static void primaries(void)
{
	static const struct {
		const char *file;
		enum keel_hash_alg h;
		uint32_t align;
		enum keel_reason want;
	} v[] = {
		{ "signed-ec-p256.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ed25519.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-rsa2048.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ec-p256-fullkey.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ec-p256-padsig.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ec-p256-pad.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ec-p256-pad-confirm.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
		{ "signed-ec-p256-pad-confirm-maxalign32.bin", KEEL_HASH_SHA256, 32, KEEL_R_OK },
		{ "signed-ed25519-sha512.bin", KEEL_HASH_SHA512, 0, KEEL_R_OK },
		{ "signed-ed25519-sha512.bin", KEEL_HASH_SHA256, 0, KEEL_R_NO_HASH },
		{ "signed-ed25519-pure.bin", KEEL_HASH_SHA512, 0, KEEL_R_OK },
		{ "signed-ec-p384.bin", KEEL_HASH_SHA256, 0, KEEL_R_SIG_ALG_UNSUPPORTED },
		{ "signed-ec-p256-prot.bin", KEEL_HASH_SHA256, 0, KEEL_R_OK },
	};

	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct keel_boot_result r;
		int rc = boot_primary(v[i].file, v[i].h, v[i].align, &r);

		if (v[i].want == KEEL_R_OK)
			CT_CHECK(rc == 0 && r.img[0].bootable && r.img[0].hdr.ver.major == 1 &&
				 r.img[0].payload_off == 32, "%s: must boot (rc %s, %s)", v[i].file,
				 keel_strerror(rc), keel_reason_str(r.img[0].primary_reason));
		else if (v[i].want == KEEL_R_SIG_ALG_UNSUPPORTED)
			CT_CHECK(rc == KEEL_ENOENT && r.img[0].primary_reason == v[i].want &&
				 r.img[0].detail && strstr(r.img[0].detail, "P384"),
				 "%s: refusal must name ECDSA-P384 (%s)", v[i].file,
				 r.img[0].detail ? r.img[0].detail : "no detail");
		else
			CT_CHECK(rc == KEEL_ENOENT && r.img[0].primary_reason == v[i].want,
				 "%s: want refusal '%s', got rc %s '%s'", v[i].file,
				 keel_reason_str(v[i].want), keel_strerror(rc),
				 keel_reason_str(r.img[0].primary_reason));
	}
	printf("primaries: %u imgtool images checked\n", (unsigned)(sizeof(v) / sizeof(v[0])));
}

struct enc_case {
	const char *file;
	const char *enc_pem;
	enum keel_enc_key_type type;
	enum keel_reason want;      /* KEEL_R_OK: installs */
};

static const struct enc_case enc_cases[] = {
	{ "signed-ec-p256-enc-ec256.bin", "enc-ec256.pem", KEEL_ENC_KEY_P256, KEEL_R_OK },
	{ "signed-ed25519-enc-x25519.bin", "enc-x25519.pem", KEEL_ENC_KEY_X25519, KEEL_R_OK },
	{ "signed-ed25519-enc-x25519-aes256-sha512.bin", "enc-x25519.pem", KEEL_ENC_KEY_X25519,
	  KEEL_R_OK },
	{ "signed-rsa2048-enc-rsa.bin", "enc-ec256.pem", KEEL_ENC_KEY_P256,
	  KEEL_R_ENC_ALG_UNSUPPORTED },
	/* the right kind of key, but not the one the image was encrypted for */
	{ "signed-ec-p256-enc-ec256.bin", "enc-x25519.pem", KEEL_ENC_KEY_P256,
	  KEEL_R_ENC_UNWRAP_FAILED },
};

static struct keel_enc_key enc_key;
static uint8_t enc_priv[32];

/* Sets up: old plain image in the primary, the encrypted one pending in the secondary. */
static void enc_setup(struct ct_env *e, const struct enc_case *c, enum keel_strategy s,
		      int save_tlv, struct vimg *old, struct vimg *img)
{
	struct keel_bootctl ctl;

	*old = load("signed-ec-p256.bin");
	*img = load(c->file);
	env(e, s, 1);
	ct_enc_priv(ct_vector(c->enc_pem), enc_priv);
	enc_key.type = c->type;
	enc_key.priv = enc_priv;
	e->cfg.enc_keys = &enc_key;
	e->cfg.n_enc_keys = 1;
	e->cfg.enc_slot_len = 32;
	if (save_tlv) {
		e->cfg.flags |= KEEL_BOOT_SAVE_ENCTLV;
		e->cfg.enc_slot_len = c->type == KEEL_ENC_KEY_P256 ? 113 : 80;
	}
	ctl = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, old->b, (uint32_t)old->len);
	ct_put(e, &e->cfg.images[0].secondary, keel_bootctl_upload_offset(&ctl), img->b,
	       (uint32_t)img->len);
	CT_CHECK(keel_bootctl_request_upgrade(&ctl, 0) == 0, "request");
}

/* Upgrade (plaintext == app.bin in the primary) then revert (ciphertext back). */
static void enc_one(const struct enc_case *c, enum keel_strategy s, int save_tlv)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct vimg old, img, app = load("app.bin");
	struct keel_boot_result r;
	const struct keel_area *p, *sa;
	uint32_t up;
	int rc;

	enc_setup(e, c, s, save_tlv, &old, &img);
	p = &e->cfg.images[0].primary;
	sa = &e->cfg.images[0].secondary;
	up = keel_boot_upload_offset(&e->cfg, 0);
	rc = ct_boot_done(e, &r);
	if (c->want != KEEL_R_OK) {
		CT_CHECK(rc == 0 && r.img[0].refused == c->want && ct_holds(e, p, 0, old.b, (uint32_t)old.len),
			 "%s: want refusal '%s', got '%s'", c->file, keel_reason_str(c->want),
			 keel_reason_str(r.img[0].refused));
		if (c->want == KEEL_R_ENC_ALG_UNSUPPORTED)
			CT_CHECK(r.img[0].detail && strstr(r.img[0].detail, "RSA-OAEP"),
				 "%s: refusal must name RSA-OAEP", c->file);
	} else if (s == KEEL_STRATEGY_OVERWRITE_ONLY) {
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_PERM &&
			 ct_holds(e, p, 32, app.b, (uint32_t)app.len),
			 "%s: overwrite must leave the plaintext\n%s", c->file, e->log);
	} else {
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_TEST &&
			 ct_holds(e, p, 32, app.b, (uint32_t)app.len),
			 "%s: primary must hold the plaintext (rc %s, swap %s, %s)\n%s", c->file,
			 keel_strerror(rc), keel_swap_type_str(r.img[0].swap),
			 keel_reason_str(r.img[0].refused), e->log);
		rc = ct_boot_done(e, &r);
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_REVERT &&
			 ct_holds(e, p, 0, old.b, (uint32_t)old.len) &&
			 ct_holds(e, sa, up, img.b, (uint32_t)img.len),
			 "%s: revert must restore both slots byte for byte\n%s", c->file, e->log);
	}
	CT_CHECK(simflash_violations(e->sf) == 0, "%s: NOR violations", c->file);
	ct_env_free(e);
	free(e);
	free(old.b);
	free(img.b);
	free(app.b);
}

static void encrypted(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++)
		for (int s = KEEL_STRATEGY_SWAP_OFFSET; s <= KEEL_STRATEGY_OVERWRITE_ONLY; s++, n++)
			enc_one(&enc_cases[i], (enum keel_strategy)s, 0);
	enc_one(&enc_cases[0], KEEL_STRATEGY_SWAP_OFFSET, 1);
	enc_one(&enc_cases[1], KEEL_STRATEGY_SWAP_MOVE, 1);
	printf("encrypted: %u upgrade+revert cases\n", n + 2);
}

/* Every op of an encrypted test upgrade and its revert, cut and torn. */
static void enc_sweep(int save_tlv, enum keel_strategy strat, int models)
{
	const struct enc_case *c = &enc_cases[1];
	uint64_t total = 0, runs = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t at = 1; pass == 0 ? at == 1 : at <= total; at++)
			for (int m = 0; m < (pass ? models : 1); m++) {
				struct ct_env *e = calloc(1, sizeof(*e));
				struct vimg old, img, app = load("app.bin");
				struct keel_boot_result r;
				struct simflash_stats st;
				struct simflash_fault f = { m ? SIMFLASH_TORN : SIMFLASH_CUT, at, at, 1 };
				int rc1, rc2;

				enc_setup(e, c, strat, save_tlv, &old, &img);
				simflash_reset_ops(e->sf);
				if (pass)
					simflash_arm(e->sf, &f);
				rc1 = ct_boot_done(e, &r);
				CT_CHECK(rc1 == 0 && (ct_holds(e, &e->cfg.images[0].primary, 32, app.b,
							       (uint32_t)app.len) ||
						      ct_holds(e, &e->cfg.images[0].primary, 0, old.b,
							       (uint32_t)old.len)),
					 "enc sweep @%llu m%d: boot 1\n%s", (unsigned long long)at, m,
					 e->log);
				rc2 = ct_boot_done(e, &r);
				simflash_stats(e->sf, &st);
				if (!pass)
					total = st.ops;
				CT_CHECK(rc2 == 0 &&
					 ct_holds(e, &e->cfg.images[0].primary, 0, old.b, (uint32_t)old.len),
					 "enc sweep @%llu m%d: not reverted\n%s", (unsigned long long)at, m,
					 e->log);
				CT_CHECK(simflash_violations(e->sf) == 0, "enc sweep: NOR violations");
				runs++;
				ct_env_free(e);
				free(e);
				free(old.b);
				free(img.b);
				free(app.b);
			}
	}
	printf("encrypted sweep (strategy %d, %s, %s): %llu ops, %llu runs\n", strat,
	       save_tlv ? "enc TLV saved" : "keys saved", models == 2 ? "cut+torn" : "cut",
	       (unsigned long long)total, (unsigned long long)runs);
}

/*
 * Encrypted to encrypted: the old image (installed from an ECIES-P256
 * image, plaintext in the primary) leaves re-encrypted with its own key
 * when an ECIES-X25519 image is tested, and comes back byte for byte.
 */
static void enc_to_enc(enum keel_strategy s)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct vimg base = load("signed-ec-p256.bin"), a = load("signed-ec-p256-enc-ec256.bin");
	struct vimg b = load("signed-ed25519-enc-x25519.bin");
	static uint8_t pa[0x20000];
	static uint8_t kp[32], kx[32];
	struct keel_enc_key keys[2] = { { KEEL_ENC_KEY_P256, kp }, { KEEL_ENC_KEY_X25519, kx } };
	struct keel_boot_result r;
	const struct keel_area *p, *sa;
	struct keel_bootctl c;
	uint32_t up;

	env(e, s, 1);
	ct_enc_priv(ct_vector("enc-ec256.pem"), kp);
	ct_enc_priv(ct_vector("enc-x25519.pem"), kx);
	e->cfg.enc_keys = keys;
	e->cfg.n_enc_keys = 2;
	e->cfg.enc_slot_len = 32;
	p = &e->cfg.images[0].primary;
	sa = &e->cfg.images[0].secondary;
	c = ct_ctl(e, 0);
	up = keel_bootctl_upload_offset(&c);
	ct_put(e, p, 0, base.b, (uint32_t)base.len);
	ct_put(e, sa, up, a.b, (uint32_t)a.len);
	keel_bootctl_request_upgrade(&c, 1);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_PERM, "enc->enc: first install");
	memcpy(pa, simflash_mem(e->sf) + p->off, a.len);
	ct_put(e, sa, up, b.b, (uint32_t)b.len);
	keel_bootctl_request_upgrade(&c, 0);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST &&
		 r.img[0].hdr.flags & KEEL_IMAGE_F_ENCRYPTED_AES128, "enc->enc: test\n%s", e->log);
	/* the old image left as imgtool made it: re-encrypted with its own key */
	CT_CHECK(ct_holds(e, sa, 0, a.b, (uint32_t)a.len),
		 "enc->enc (strategy %d): old image must sit in the secondary as ciphertext", s);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_REVERT &&
		 ct_holds(e, p, 0, pa, (uint32_t)a.len) && ct_holds(e, sa, up, b.b, (uint32_t)b.len),
		 "enc->enc (strategy %d): revert must restore both slots\n%s", s, e->log);
	CT_CHECK(simflash_violations(e->sf) == 0, "enc->enc NOR violations");
	ct_env_free(e);
	free(e);
	free(base.b);
	free(a.b);
	free(b.b);
}

/* The -prot image (image 0, needs image 1 >= 1.0.0) in a two-image layout. */
static void prot_two_images(void)
{
	for (int have_dep = 0; have_dep < 2; have_dep++) {
		struct ct_env *e = calloc(1, sizeof(*e));
		struct vimg p0 = load("signed-ec-p256.bin"), p1 = load("signed-ed25519.bin");
		struct vimg prot = load("signed-ec-p256-prot.bin");
		struct keel_bootctl c;
		struct keel_boot_result r;
		int rc;

		env(e, KEEL_STRATEGY_SWAP_OFFSET, 2);
		c = ct_ctl(e, 0);
		ct_put(e, &e->cfg.images[0].primary, 0, p0.b, (uint32_t)p0.len);
		if (have_dep)
			ct_put(e, &e->cfg.images[1].primary, 0, p1.b, (uint32_t)p1.len);
		ct_put(e, &e->cfg.images[0].secondary, keel_bootctl_upload_offset(&c), prot.b,
		       (uint32_t)prot.len);
		keel_bootctl_request_upgrade(&c, 1);
		rc = ct_boot_done(e, &r);
		if (have_dep)
			CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_PERM && r.img[0].hdr.ver.build == 7 &&
				 ct_holds(e, &e->cfg.images[0].primary, 0, prot.b, (uint32_t)prot.len),
				 "-prot must install next to image 1 1.2.3\n%s", e->log);
		else
			CT_CHECK(r.img[0].swap == KEEL_SWAP_NONE &&
				 r.img[0].refused == KEEL_R_DEPENDENCY_UNMET,
				 "-prot without image 1 must be held\n%s", e->log);
		ct_env_free(e);
		free(e);
		free(p0.b);
		free(p1.b);
		free(prot.b);
	}
	printf("prot: two-image dependency checked\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";

	ct_key_load(&k_ec, ct_vector("key-ec-p256.pem"));
	ct_key_load(&k_ed, ct_vector("key-ed25519.pem"));
	ct_key_load(&k_rsa, ct_vector("key-rsa2048.pem"));
	(void)k_p384_unused;
	all_keys[0] = k_ec.pub;
	all_keys[1] = k_ed.pub;
	all_keys[2] = k_rsa.pub;
	if (!strcmp(mode, "all")) {
		primaries();
		encrypted();
		prot_two_images();
		for (int s = KEEL_STRATEGY_SWAP_OFFSET; s <= KEEL_STRATEGY_SWAP_SCRATCH; s++)
			enc_to_enc((enum keel_strategy)s);
		printf("enc->enc: re-encrypted on the way out, restored by revert (3 strategies)\n");
	} else if (!strcmp(mode, "enc-sweep-keys")) {
		enc_sweep(0, KEEL_STRATEGY_SWAP_OFFSET, 2);
		enc_sweep(0, KEEL_STRATEGY_SWAP_SCRATCH, 1);
	} else if (!strcmp(mode, "enc-sweep-tlv")) {
		enc_sweep(1, KEEL_STRATEGY_SWAP_MOVE, 2);
	} else {
		fprintf(stderr, "usage: test_vectors all | enc-sweep-keys | enc-sweep-tlv\n");
		return 2;
	}
	if (ct_failures) {
		printf("test_vectors: %d failures\n", ct_failures);
		return 1;
	}
	printf("test_vectors %s: ok\n", mode);
	return 0;
}
