/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layout refusals, downgrade prevention (version, security counter, NV
 * counter capacity), dependencies between two images (with a cut sweep),
 * the factory --pad --confirm primary (MCUboot #829) under cuts, bit flips
 * (never boot unverified code), failing flash ops, and bootctl.
 */
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
#include "keel/err.h"

static struct ct_key key;
static const struct ct_geom g4k = { "u4k-w8-ff", 4096, 8, 0xff, 8 };
static const struct ct_geom g1k = { "u1k-w4-ff", 1024, 4, 0xff, 8 };
static uint8_t img_a[64 * 1024], img_b[64 * 1024], img_c[64 * 1024], img_d[64 * 1024];

static uint32_t build(uint8_t *out, uint8_t minor, int sec_cnt, uint32_t len, uint32_t seed,
		      int dep_id, uint8_t dep_minor)
{
	struct ct_image_opts o = { 0 };

	o.major = 1;
	o.minor = minor;
	o.sec_cnt = sec_cnt;
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

/* ------------------------------------------------------------ layouts */

static void expect_refused(struct ct_env *e, const char *needle, const char *what)
{
	const char *why = NULL;
	struct keel_boot_result r;
	int rc = keel_boot_check_layout(&e->cfg, &why);

	CT_CHECK(rc == KEEL_EINVAL && why && strstr(why, needle),
		 "%s: want refusal containing '%s', got rc %d '%s'", what, needle, rc,
		 why ? why : "(null)");
	CT_CHECK(keel_boot(&e->cfg, &e->port, &r) == KEEL_EINVAL, "%s: keel_boot must refuse",
		 what);
	CT_CHECK(strstr(e->log, "layout refused") != NULL, "%s: boot log must say why", what);
}

static void layouts(void)
{
	static const struct ct_geom mixed = { "mixed", 0, 8, 0xff, 0 };
	struct ct_env *e = calloc(1, sizeof(*e));
	const char *why;

	/* swap-move and swap-offset need equal sectors: the mixed layout is refused */
	ct_env_init(e, KEEL_STRATEGY_SWAP_MOVE, &mixed, 1, &key);
	expect_refused(e, "equal sector sizes", "swap-move on 16/64/128K");
	e->cfg.strategy = KEEL_STRATEGY_SWAP_OFFSET;
	expect_refused(e, "equal sector sizes", "swap-offset on 16/64/128K");
	e->cfg.strategy = KEEL_STRATEGY_SWAP_SCRATCH;
	expect_refused(e, "scratch", "swap-scratch without scratch");
	e->cfg.strategy = KEEL_STRATEGY_OVERWRITE_ONLY;
	CT_CHECK(keel_boot_check_layout(&e->cfg, &why) == 0, "overwrite-only on mixed: %s", why);
	ct_env_free(e);

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	CT_CHECK(keel_boot_check_layout(&e->cfg, &why) == 0, "good offset layout: %s", why);
	CT_CHECK(keel_boot_upload_offset(&e->cfg, 0) == 4096, "upload offset one sector");
	CT_CHECK(keel_boot_max_image_size(&e->cfg, 0) == 7 * 4096, "max image 7 sectors: %u",
		 keel_boot_max_image_size(&e->cfg, 0));
	e->cfg.images[0].secondary.size -= 4096;
	expect_refused(e, "one sector larger", "swap-offset equal slots");
	e->cfg.images[0].secondary.size += 4096;
	e->cfg.images[0].primary.off += 512;
	expect_refused(e, "sector bounds", "misaligned primary");
	e->cfg.images[0].primary.off -= 512;
	e->cfg.images[0].secondary.off -= 4096;
	expect_refused(e, "overlap", "overlapping slots");
	e->cfg.images[0].secondary.off += 4096;
	e->cfg.trailer_align = 12;
	expect_refused(e, "alignment", "A=12");
	e->cfg.trailer_align = 0;
	e->cfg.n_keys = 0;
	expect_refused(e, "key", "no keys");
	e->cfg.n_keys = 1;
	e->cfg.max_sectors = 4;
	expect_refused(e, "max_sectors", "too many sectors");
	e->cfg.max_sectors = 0;
	e->cfg.images[0].primary.size = 4096;
	e->cfg.images[0].secondary.size = 8192;
	expect_refused(e, "too small", "one-sector slots");
	ct_env_free(e);

	/* a scratch region larger than the scratch: 128K regions, 64K scratch */
	ct_env_init(e, KEEL_STRATEGY_SWAP_SCRATCH, &mixed, 1, &key);
	CT_CHECK(keel_boot_check_layout(&e->cfg, &why) == 0, "scratch on mixed: %s", why);
	e->cfg.images[0].primary.off = 128 * 1024;
	e->cfg.images[0].secondary.off = 384 * 1024;
	e->cfg.scratch.off = 64 * 1024;
	e->cfg.scratch.size = 64 * 1024;
	expect_refused(e, "exceeds the scratch", "128K region, 64K scratch");
	ct_env_free(e);
	free(e);
	printf("layouts: refusals checked\n");
}

/* ------------------------------------------------------------ downgrade */

struct two {
	struct ct_env e;
	uint32_t len_a, len_b;
};

static int pend(struct ct_env *e, uint32_t image, const uint8_t *img, uint32_t len, int perm)
{
	struct keel_bootctl c = ct_ctl(e, image);

	ct_put(e, &e->cfg.images[image].secondary, keel_bootctl_upload_offset(&c), img, len);
	return keel_bootctl_request_upgrade(&c, perm);
}

static void downgrade_case(uint32_t flags, uint8_t sec_minor, int pri_cnt, int sec_cnt,
			   uint32_t nv, enum keel_reason want, const char *what)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	uint32_t la = build(img_a, 5, pri_cnt, 5000, 1, -1, 0);
	uint32_t lb = build(img_b, sec_minor, sec_cnt, 6000, 2, -1, 0);
	struct keel_bootctl_state st;
	int rc;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	e->cfg.flags |= flags;
	ct_nv[0] = nv;
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	pend(e, 0, img_b, lb, 1);
	rc = ct_boot_done(e, &r);
	if (want == KEEL_R_OK) {
		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_PERM &&
			 ct_holds(e, &e->cfg.images[0].primary, 0, img_b, lb),
			 "%s: must install\n%s", what, e->log);
	} else {
		struct keel_bootctl c = ct_ctl(e, 0);

		CT_CHECK(rc == 0 && r.img[0].swap == KEEL_SWAP_FAIL && r.img[0].refused == want &&
			 ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la),
			 "%s: want '%s', got swap %s '%s'\n%s", what, keel_reason_str(want),
			 keel_swap_type_str(r.img[0].swap), keel_reason_str(r.img[0].refused), e->log);
		CT_CHECK(keel_bootctl_read_state(&c, &st) == 0 && st.next == KEEL_SWAP_NONE,
			 "%s: the request must be dropped", what);
	}
	CT_CHECK(ct_nv[0] >= nv, "%s: NV counter went down", what);
	ct_env_free(e);
	free(e);
}

static void downgrades(void)
{
	downgrade_case(0, 4, -1, -1, 0, KEEL_R_OK, "older version, no policy");
	downgrade_case(KEEL_BOOT_DOWNGRADE_VERSION, 4, -1, -1, 0, KEEL_R_DOWNGRADE_VERSION,
		       "older version");
	downgrade_case(KEEL_BOOT_DOWNGRADE_VERSION, 5, -1, -1, 0, KEEL_R_OK, "equal version");
	downgrade_case(KEEL_BOOT_DOWNGRADE_SEC_CNT, 6, 4, 3, 0, KEEL_R_DOWNGRADE_SEC_CNT,
		       "lower SEC_CNT than the primary");
	downgrade_case(KEEL_BOOT_DOWNGRADE_SEC_CNT, 6, 4, -1, 0, KEEL_R_DOWNGRADE_SEC_CNT,
		       "no SEC_CNT after a primary with one");
	downgrade_case(KEEL_BOOT_HW_ROLLBACK, 6, 4, 3, 4, KEEL_R_DOWNGRADE_SEC_CNT,
		       "SEC_CNT below the NV counter");
	downgrade_case(KEEL_BOOT_HW_ROLLBACK, 6, 4, 2000, 4, KEEL_R_SEC_CNT_CAPACITY,
		       "SEC_CNT beyond capacity");
	downgrade_case(KEEL_BOOT_REQUIRE_SEC_CNT, 6, 4, -1, 0, KEEL_R_SEC_CNT_MISSING,
		       "SEC_CNT required");
	downgrade_case(KEEL_BOOT_HW_ROLLBACK, 6, 4, 9, 4, KEEL_R_OK, "higher SEC_CNT");
	printf("downgrades: 9 cases\n");
}

/* NV counter: PERM raises at once; TEST only after confirm; a revert never. */
static void counters(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	uint32_t la = build(img_a, 0, 3, 5000, 1, -1, 0), lb = build(img_b, 1, 7, 5000, 2, -1, 0);
	struct keel_bootctl c;

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	e->cfg.flags |= KEEL_BOOT_HW_ROLLBACK;
	c = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	CT_CHECK(ct_boot_done(e, &r) == 0 && ct_nv[0] == 3, "factory image raises NV to 3 (%u)",
		 ct_nv[0]);
	pend(e, 0, img_b, lb, 0);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST && ct_nv[0] == 3,
		 "TEST must not raise NV (%u)", ct_nv[0]);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_REVERT && ct_nv[0] == 3,
		 "revert keeps NV (%u)", ct_nv[0]);
	ct_env_free(e);

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	e->cfg.flags |= KEEL_BOOT_HW_ROLLBACK;
	c = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	pend(e, 0, img_b, lb, 0);
	CT_CHECK(ct_boot_done(e, &r) == 0 && ct_nv[0] == 0, "TEST: NV stays (%u)", ct_nv[0]);
	CT_CHECK(keel_bootctl_confirm(&c) == 0, "confirm");
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_NONE && ct_nv[0] == 7,
		 "confirmed TEST raises NV to 7 (%u)", ct_nv[0]);
	ct_env_free(e);

	ct_env_init(e, KEEL_STRATEGY_SWAP_MOVE, &g4k, 1, &key);
	e->cfg.flags |= KEEL_BOOT_HW_ROLLBACK;
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	pend(e, 0, img_b, lb, 1);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_PERM && ct_nv[0] == 7,
		 "PERM raises NV at once (%u)", ct_nv[0]);
	ct_env_free(e);
	free(e);
	printf("counters: ok\n");
}

/* ------------------------------------------------------------ dependencies */

static void deps(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_boot_result r;
	uint32_t a0 = build(img_a, 0, -1, 3000, 1, -1, 0);
	uint32_t a1 = build(img_b, 0, -1, 3000, 2, -1, 0);
	uint32_t n1 = build(img_c, 1, -1, 3500, 3, 0, 1);   /* image 1 v1.1 needs image 0 >= 1.1 */
	uint32_t n0 = build(img_d, 1, -1, 3200, 4, -1, 0);  /* image 0 v1.1 */

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 2, &key);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, a0);
	ct_put(e, &e->cfg.images[1].primary, 0, img_b, a1);
	pend(e, 1, img_c, n1, 1);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[1].swap == KEEL_SWAP_NONE &&
		 r.img[1].refused == KEEL_R_DEPENDENCY_UNMET &&
		 ct_holds(e, &e->cfg.images[1].primary, 0, img_b, a1),
		 "unmet dependency must hold image 1\n%s", e->log);
	pend(e, 0, img_d, n0, 1);
	uint64_t feeds = ct_feeds;
	struct simflash_stats fs;

	simflash_reset_ops(e->sf);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_PERM &&
		 r.img[1].swap == KEEL_SWAP_PERM && ct_holds(e, &e->cfg.images[0].primary, 0, img_d, n0) &&
		 ct_holds(e, &e->cfg.images[1].primary, 0, img_c, n1),
		 "met dependency: both images upgrade in one boot\n%s", e->log);
	simflash_stats(e->sf, &fs);
	CT_CHECK(ct_feeds - feeds >= fs.ops, "watchdog fed %llu times for %llu flash ops",
		 (unsigned long long)(ct_feeds - feeds), (unsigned long long)fs.ops);
	ct_env_free(e);

	/* a dependency naming an image that does not exist */
	n1 = build(img_c, 1, -1, 3500, 3, 5, 0);
	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 2, &key);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, a0);
	ct_put(e, &e->cfg.images[1].primary, 0, img_b, a1);
	pend(e, 1, img_c, n1, 1);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[1].swap == KEEL_SWAP_NONE &&
		 r.img[1].refused == KEEL_R_DEPENDENCY_BAD, "dependency on image 5 must be refused");
	ct_env_free(e);
	free(e);
	printf("deps: ok\n");
}

/* Both images pending, image 1 depending on image 0: a cut/torn op at every operation. */
static void deps_sweep(void)
{
	uint32_t a0 = build(img_a, 0, -1, 2000, 1, -1, 0), a1 = build(img_b, 0, -1, 2100, 2, -1, 0);
	uint32_t n1 = build(img_c, 1, -1, 2600, 3, 0, 1), n0 = build(img_d, 1, -1, 2300, 4, -1, 0);
	uint64_t total = 0, runs = 0;

	for (uint64_t at = 0; at <= total; at++)
		for (int m = 0; m < (at ? 2 : 1); m++) {
			struct ct_env *e = calloc(1, sizeof(*e));
			struct keel_boot_result r;
			struct simflash_stats st;
			struct simflash_fault f = { m ? SIMFLASH_TORN : SIMFLASH_CUT, at, at * 31, 1 };
			int rc, ok0, ok1;

			ct_env_init(e, KEEL_STRATEGY_SWAP_MOVE, &g1k, 2, &key);
			ct_put(e, &e->cfg.images[0].primary, 0, img_a, a0);
			ct_put(e, &e->cfg.images[1].primary, 0, img_b, a1);
			pend(e, 0, img_d, n0, 1);
			pend(e, 1, img_c, n1, 1);
			simflash_reset_ops(e->sf);
			if (at)
				simflash_arm(e->sf, &f);
			rc = ct_boot_done(e, &r);
			if (!at) {
				simflash_stats(e->sf, &st);
				total = st.ops;
			}
			ok0 = ct_holds(e, &e->cfg.images[0].primary, 0, img_d, n0);
			ok1 = ct_holds(e, &e->cfg.images[1].primary, 0, img_c, n1);
			CT_CHECK(rc == 0 && ok0 && ok1 && simflash_violations(e->sf) == 0,
				 "deps sweep @%llu %s: rc %d img0 %d img1 %d\n%s",
				 (unsigned long long)at, m ? "torn" : "cut", rc, ok0, ok1, e->log);
			runs++;
			ct_env_free(e);
			free(e);
		}
	printf("deps sweep: %llu ops, %llu runs\n", (unsigned long long)total,
	       (unsigned long long)runs);
}

/* ------------------------------------------------------------ MCUboot #829 */

/* A primary programmed from an imgtool --pad --confirm image: magic good, image_ok set. */
static void factory_sweep(enum keel_strategy s)
{
	uint32_t la = build(img_a, 0, -1, 2500, 1, -1, 0), lb = build(img_b, 1, -1, 3000, 2, -1, 0);
	uint64_t total = 0, runs = 0;

	for (uint64_t at = 0; at <= total; at++)
		for (int m = 0; m < (at ? 2 : 1); m++) {
			struct ct_env *e = calloc(1, sizeof(*e));
			struct keel_boot_result r;
			struct simflash_stats st;
			struct simflash_fault f = { m ? SIMFLASH_TORN : SIMFLASH_CUT, at, at * 13, 1 };
			struct keel_bootctl c;
			int rc1, rc2, x2;

			ct_env_init(e, s, &g1k, 1, &key);
			c = ct_ctl(e, 0);
			c.secondary = &e->cfg.images[0].primary;  /* write the factory trailer */
			ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
			keel_bootctl_request_upgrade(&c, 1);
			c = ct_ctl(e, 0);
			pend(e, 0, img_b, lb, 0);
			simflash_reset_ops(e->sf);
			if (at)
				simflash_arm(e->sf, &f);
			rc1 = ct_boot_done(e, &r);
			rc2 = ct_boot_done(e, &r);
			if (!at) {
				simflash_stats(e->sf, &st);
				total = st.ops;
			}
			x2 = ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la);
			CT_CHECK(rc1 == 0 && rc2 == 0 && x2 && simflash_violations(e->sf) == 0,
				 "factory %d @%llu %s: must end reverted to the factory image\n%s", s,
				 (unsigned long long)at, m ? "torn" : "cut", e->log);
			runs++;
			ct_env_free(e);
			free(e);
		}
	printf("factory --pad --confirm primary, strategy %d: %llu ops, %llu runs\n", s,
	       (unsigned long long)total, (unsigned long long)runs);
}

/*
 * MCUboot #1966: a revert whose secondary magic was half written. The
 * secondary trailer carries copy_done and 8 of the 16 magic bytes (A = 8);
 * the next boot must still revert, and the one after must move nothing.
 */
static void half_magic(enum keel_strategy s)
{
	static const uint8_t magic8[8] = { 0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f };
	struct ct_env *e = calloc(1, sizeof(*e));
	uint32_t la = build(img_a, 0, -1, 2500, 1, -1, 0), lb = build(img_b, 1, -1, 3000, 2, -1, 0);
	struct keel_boot_result r;
	struct simflash_stats st;
	const struct keel_area *sa;
	uint8_t *mem;

	ct_env_init(e, s, &g4k, 1, &key);
	sa = &e->cfg.images[0].secondary;
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	pend(e, 0, img_b, lb, 0);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_TEST, "1966: test swap");
	mem = simflash_mem(e->sf) + sa->off + sa->size;
	mem[-32] = 0x01;                     /* copy_done */
	memcpy(mem - 16, magic8, 8);         /* half of the magic */
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_REVERT &&
		 ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la),
		 "1966 (strategy %d): half-written secondary magic must still revert\n%s", s, e->log);
	simflash_reset_ops(e->sf);
	CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_NONE, "1966: settled");
	simflash_stats(e->sf, &st);
	CT_CHECK(st.ops == 0, "1966: the boot after the revert moved something");
	ct_env_free(e);
	free(e);
}

/* ------------------------------------------------------------ flips, EIO */

static void flips_and_eio(void)
{
	uint32_t la = build(img_a, 0, -1, 2500, 1, -1, 0), lb = build(img_b, 1, -1, 3000, 2, -1, 0);
	uint64_t total = 60, unverified = 0, recovered = 0, runs = 0;

	for (uint64_t at = 1; at <= total; at++)
		for (int m = 0; m < 2; m++) {
			struct ct_env *e = calloc(1, sizeof(*e));
			struct keel_boot_result r;
			struct simflash_fault f = { m ? SIMFLASH_EIO : SIMFLASH_FLIP, at, at * 101, 3 };
			int rc, a, b;

			ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g1k, 1, &key);
			ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
			pend(e, 0, img_b, lb, 1);
			simflash_quiet(e->sf, 1);
			simflash_reset_ops(e->sf);
			simflash_arm(e->sf, &f);
			rc = ct_boot(e, &r);
			if (m && rc != 0 && rc != 1) {
				/* the failed op surfaced as an error; a plain reboot finishes */
				simflash_disarm(e->sf);
				rc = ct_boot_done(e, &r);
				recovered++;
			} else {
				rc = ct_boot_done(e, &r);
			}
			a = ct_holds(e, &e->cfg.images[0].primary, 0, img_a, la);
			b = ct_holds(e, &e->cfg.images[0].primary, 0, img_b, lb);
			if (rc == 0 && !a && !b)
				unverified++;
			if (m)
				CT_CHECK(rc == 0 && b, "EIO @%llu: must finish after a reboot\n%s",
					 (unsigned long long)at, e->log);
			runs++;
			ct_env_free(e);
			free(e);
		}
	CT_CHECK(unverified == 0, "%llu boots of an image that is neither old nor new",
		 (unsigned long long)unverified);
	printf("flips/EIO: %llu runs, %llu EIO errors surfaced and recovered, 0 unverified boots\n",
	       (unsigned long long)runs, (unsigned long long)recovered);
}

/* ROM_FIXED images boot only where the primary is mapped. */
static void rom_fixed(void)
{
	struct ct_image_opts o = { 0 };
	struct keel_boot_result r;
	uint32_t la;

	o.major = 1;
	o.sec_cnt = -1;
	o.payload_len = 3000;
	o.flags = KEEL_IMAGE_F_ROM_FIXED;
	o.load_addr = 0x08020000;
	la = ct_build_image(img_a, sizeof(img_a), &o, &key);
	for (int match = 0; match < 2; match++) {
		struct ct_env *e = calloc(1, sizeof(*e));

		ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
		e->cfg.images[0].rom_addr = match ? 0x08020000 : 0x08040000;
		ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
		if (match)
			CT_CHECK(ct_boot_done(e, &r) == 0, "ROM_FIXED at its address must boot");
		else
			CT_CHECK(ct_boot_done(e, &r) == KEEL_ENOENT &&
				 r.img[0].primary_reason == KEEL_R_WRONG_SLOT,
				 "ROM_FIXED elsewhere must be WRONG_SLOT");
		ct_env_free(e);
		free(e);
	}
	printf("rom-fixed: ok\n");
}

/* ------------------------------------------------------------ bootctl */

static void bootctl(void)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct keel_bootctl_state st;
	struct keel_bootctl c;
	uint32_t la = build(img_a, 0, -1, 2500, 1, -1, 0);

	ct_env_init(e, KEEL_STRATEGY_SWAP_OFFSET, &g4k, 1, &key);
	c = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, img_a, la);
	CT_CHECK(keel_bootctl_read_state(&c, &st) == 0 && st.next == KEEL_SWAP_NONE, "idle");
	CT_CHECK(keel_bootctl_confirm(&c) == 0, "confirm without magic is a no-op");
	CT_CHECK(keel_bootctl_request_upgrade(&c, 0) == 0, "request test");
	CT_CHECK(keel_bootctl_request_upgrade(&c, 0) == KEEL_EBUSY, "second test request");
	CT_CHECK(keel_bootctl_read_state(&c, &st) == 0 && st.next == KEEL_SWAP_TEST &&
		 st.table_row == 2 && st.secondary.swap_type == KEEL_SWAP_TEST, "pending test");
	CT_CHECK(keel_bootctl_request_upgrade(&c, 1) == 0, "test -> permanent");
	CT_CHECK(keel_bootctl_read_state(&c, &st) == 0 && st.next == KEEL_SWAP_PERM &&
		 st.table_row == 3, "pending perm");
	CT_CHECK(keel_bootctl_request_upgrade(&c, 0) == KEEL_EBUSY, "perm cannot go back to test");
	CT_CHECK(keel_bootctl_upload_offset(&c) == 4096, "upload offset");
	CT_CHECK(simflash_violations(e->sf) == 0, "bootctl NOR violations");
	{
		struct keel_boot_result r;
		uint32_t lb = build(img_b, 1, -1, 2600, 2, -1, 0);

		ct_put(e, &e->cfg.images[0].secondary, 4096, img_b, lb);
		CT_CHECK(ct_boot_done(e, &r) == 0 && r.img[0].swap == KEEL_SWAP_PERM, "perm boot");
		e->cfg.flags |= KEEL_BOOT_QUIET;
		e->log_len = 0;
		e->log[0] = 0;
		CT_CHECK(ct_boot_done(e, &r) == 0 && e->log_len == 0,
			 "a quiet boot that changes nothing logs nothing: '%s'", e->log);
	}
	ct_env_free(e);
	free(e);
	printf("bootctl: ok\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";

	ct_key_load(&key, ct_vector("key-ed25519.pem"));
	if (!strcmp(mode, "all")) {
		layouts();
		downgrades();
		counters();
		deps();
		bootctl();
		rom_fixed();
		for (int s = KEEL_STRATEGY_SWAP_OFFSET; s <= KEEL_STRATEGY_SWAP_SCRATCH; s++)
			half_magic((enum keel_strategy)s);
		printf("#1966 half-written secondary magic: reverts under 3 strategies\n");
		flips_and_eio();
	} else if (!strcmp(mode, "sweep")) {
		deps_sweep();
		factory_sweep(KEEL_STRATEGY_SWAP_MOVE);
		factory_sweep(KEEL_STRATEGY_SWAP_OFFSET);
		factory_sweep(KEEL_STRATEGY_SWAP_SCRATCH);
	} else {
		fprintf(stderr, "usage: test_policy all | sweep\n");
		return 2;
	}
	if (ct_failures) {
		printf("test_policy %s: %d failures\n", mode, ct_failures);
		return 1;
	}
	printf("test_policy %s: ok\n", mode);
	return 0;
}
