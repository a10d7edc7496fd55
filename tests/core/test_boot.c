/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Upgrades, reverts and confirms for every strategy on several geometries,
 * and a power cut (plain and torn) at every flash operation of a scenario
 * on a small geometry, on ports/sim/simflash.
 *
 * Usage: test_boot basic | sweep STRATEGY [--expect-failures] | erases
 *
 * --expect-failures is the test of the test (a core with a broken swap
 * engine): exit 0 only if scenarios ran and some of their checks failed,
 * so a crash or a setup error does not count as the expected failure.
 */
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
#include "keel/err.h"

enum scen { SC_PERM, SC_TEST_REVERT, SC_TEST_CONFIRM };
static const char *const scen_name[] = { "perm", "test-revert", "test-confirm" };

struct images {
	uint8_t old_img[200 * 1024], new_img[200 * 1024];
	uint32_t old_len, new_len;
};

static struct ct_key key;
static struct images im;
static uint64_t scenarios_run, early_reverts;

static const char *strat_name(enum keel_strategy s)
{
	switch (s) {
	case KEEL_STRATEGY_SWAP_OFFSET: return "swap-offset";
	case KEEL_STRATEGY_SWAP_MOVE: return "swap-move";
	case KEEL_STRATEGY_SWAP_SCRATCH: return "swap-scratch";
	default: return "overwrite-only";
	}
}

static void make_images(const struct ct_geom *g)
{
	struct ct_image_opts o = { 0 };
	uint32_t sec = g->sector ? g->sector : 32 * 1024;

	o.sec_cnt = -1;
	o.major = 1;
	o.payload_len = sec * 5 / 2 - 300;
	o.seed = 1;
	im.old_len = ct_build_image(im.old_img, sizeof(im.old_img), &o, &key);
	o.minor = 1;
	o.payload_len = sec * 3 + sec / 3;
	o.seed = 2;
	im.new_len = ct_build_image(im.new_img, sizeof(im.new_img), &o, &key);
}

/* 0 old, 1 new, -1 neither. */
static int running(struct ct_env *e, const struct keel_boot_result *r)
{
	const struct keel_area *p = &e->cfg.images[0].primary;

	if (!r->img[0].bootable)
		return -1;
	if (ct_holds(e, p, 0, im.new_img, im.new_len) && r->img[0].hdr.ver.minor == 1)
		return 1;
	if (ct_holds(e, p, 0, im.old_img, im.old_len) && r->img[0].hdr.ver.minor == 0)
		return 0;
	return -1;
}

static int boot_once(struct ct_env *e, const char *id, int step)
{
	struct keel_boot_result r;
	int rc = ct_boot_done(e, &r), x;

	x = rc == 0 ? running(e, &r) : -1;
	if (x < 0) {
		fprintf(stderr, "%s: boot %d: rc %s, no verified old/new image in the primary\n%s",
			id, step, keel_strerror(rc), e->log);
		ct_failures++;
	}
	return x;
}

static void setup(struct ct_env *e, enum keel_strategy s, const struct ct_geom *g, enum scen sc)
{
	struct keel_bootctl c;

	ct_env_init(e, s, g, 1, &key);
	if (strstr(g->name, "-N128"))
		e->cfg.max_sectors = 128;
	c = ct_ctl(e, 0);
	ct_put(e, &e->cfg.images[0].primary, 0, im.old_img, im.old_len);
	ct_put(e, &e->cfg.images[0].secondary, keel_bootctl_upload_offset(&c), im.new_img,
	       im.new_len);
	CT_CHECK(keel_bootctl_request_upgrade(&c, sc == SC_PERM) == 0, "request upgrade");
	simflash_reset_ops(e->sf);
}

static void fail_if(int cond, const char *id, struct ct_env *e, const char *what, int a, int b)
{
	if (!cond)
		return;
	ct_failures++;
	fprintf(stderr, "FAIL %s: %s (%d, %d)\n--- boot log ---\n%s\n", id, what, a, b, e->log);
}

/*
 * Runs one scenario with an optional fault; checks the outcome against the
 * test/confirm rules. Returns the number of flash ops the scenario took.
 */
static uint64_t second_delta;

static uint64_t scenario(enum keel_strategy s, const struct ct_geom *g, enum scen sc,
			 enum simflash_model model, uint64_t at, uint64_t seed)
{
	struct ct_env *e = calloc(1, sizeof(*e));
	struct simflash_stats st;
	struct keel_bootctl c;
	char id[160];
	int x1, x2, x3, x4, confirmed = 0;
	uint64_t before;

	snprintf(id, sizeof(id), "%s/%s/%s/%s@%llu#%llu+torn@%llu", strat_name(s), g->name,
		 scen_name[sc], model ? simflash_model_name(model) : "clean", (unsigned long long)at,
		 (unsigned long long)seed, (unsigned long long)second_delta);
	setup(e, s, g, sc);
	if (second_delta) {
		e->second.model = SIMFLASH_TORN;
		e->second.at_op = second_delta;
		e->second.seed = seed + 1;
	}
	c = ct_ctl(e, 0);
	if (model) {
		struct simflash_fault f = { model, at, seed, 1 };

		simflash_arm(e->sf, &f);
	}
	x1 = boot_once(e, id, 1);
	if (sc == SC_TEST_CONFIRM) {
		confirmed = keel_bootctl_confirm(&c) == 0;
		if (!simflash_powered(e->sf)) {
			simflash_disarm(e->sf);
			simflash_power_on(e->sf);
		}
	}
	x2 = boot_once(e, id, 2);
	x3 = boot_once(e, id, 3);
	simflash_disarm(e->sf);
	simflash_stats(e->sf, &st);
	before = st.ops;
	x4 = boot_once(e, id, 4);
	simflash_stats(e->sf, &st);
	fail_if(st.ops != before, id, e, "a boot after the last one moved something",
		(int)(st.ops - before), 0);
	fail_if(simflash_violations(e->sf) != 0, id, e, "NOR rule violations",
		(int)simflash_violations(e->sf), 0);
	fail_if(x3 != x4, id, e, "fourth boot differs", x3, x4);
	if (s == KEEL_STRATEGY_OVERWRITE_ONLY || sc == SC_PERM) {
		fail_if(x1 != 1 || x2 != 1 || x3 != 1, id, e, "permanent upgrade must stay", x1, x3);
	} else {
		int early = x1 == 0;

		early_reverts += early;
		fail_if(early, id, e, "reverted before the test image ran", x1, 0);
		fail_if(!model && x1 != 1, id, e, "clean test upgrade must run the new image", x1, 0);
		if (sc == SC_TEST_REVERT)
			fail_if(x2 != 0 || x3 != 0, id, e, "unconfirmed test must revert", x2, x3);
		else if (confirmed)
			fail_if(x2 != x1 || x3 != x1, id, e, "confirmed image must stay", x2, x3);
	}
	scenarios_run++;
	if (getenv("KEEL_CORE_VERBOSE"))
		printf("--- %s\n%s", id, e->log);
	ct_env_free(e);
	free(e);
	return before;
}

static const struct ct_geom geoms[] = {
	{ "u4k-w8-ff", 4096, 8, 0xff, 8 },
	{ "u4k-w8-ff-N128", 4096, 8, 0xff, 8 },   /* MCUboot's default status area */
	{ "u4k-w4-00", 4096, 4, 0x00, 8 },
	{ "u1k-w1-ff", 1024, 1, 0xff, 12 },
	{ "u4k-w32-ff", 4096, 32, 0xff, 8 },
	{ "u4k-w256-00", 4096, 256, 0x00, 8 },
	{ "mixed-w16-ff", 0, 16, 0xff, 0 },
};

static int supports(enum keel_strategy s, const struct ct_geom *g)
{
	return g->sector || s == KEEL_STRATEGY_SWAP_SCRATCH || s == KEEL_STRATEGY_OVERWRITE_ONLY;
}

static void basic(void)
{
	for (int s = KEEL_STRATEGY_SWAP_OFFSET; s <= KEEL_STRATEGY_OVERWRITE_ONLY; s++)
		for (unsigned gi = 0; gi < sizeof(geoms) / sizeof(geoms[0]); gi++) {
			if (!supports((enum keel_strategy)s, &geoms[gi]))
				continue;
			make_images(&geoms[gi]);
			for (int sc = 0; sc < 3; sc++)
				scenario((enum keel_strategy)s, &geoms[gi], (enum scen)sc, SIMFLASH_NONE,
					 0, 0);
		}
	printf("basic: %llu scenarios\n", (unsigned long long)scenarios_run);
}

/* A cut, then a torn op, at every operation of each scenario. */
static void sweep(enum keel_strategy s)
{
	static const struct ct_geom small = { "u1k-w8-ff", 1024, 8, 0xff, 8 };
	static const struct ct_geom small0 = { "u1k-w4-00", 1024, 4, 0x00, 8 };
	const struct ct_geom *gs[2] = { &small, &small0 };
	uint64_t cuts = 0;

	for (int gi = 0; gi < 2; gi++) {
		make_images(gs[gi]);
		for (int sc = 0; sc < 3; sc++) {
			uint64_t n = scenario(s, gs[gi], (enum scen)sc, SIMFLASH_NONE, 0, 0);

			for (uint64_t at = 1; at <= n; at++) {
				scenario(s, gs[gi], (enum scen)sc, SIMFLASH_CUT, at, 0);
				scenario(s, gs[gi], (enum scen)sc, SIMFLASH_TORN, at, at * 7919);
				/* and a torn op again while recovering from the first */
				second_delta = 1 + at * 7 % 23;
				scenario(s, gs[gi], (enum scen)sc, SIMFLASH_TORN, at, at * 104729);
				second_delta = 0;
				cuts += 3;
			}
		}
	}
	printf("sweep %s: %llu scenarios (%llu with a cut or torn op, a third of them torn "
	       "again during recovery), %llu early reverts\n", strat_name(s), (unsigned long long)scenarios_run,
	       (unsigned long long)cuts, (unsigned long long)early_reverts);
}

/* Sector erases per upgrade and per revert of an N-sector image. */
static void erases(void)
{
	static const struct ct_geom g = { "u4k-w8-ff", 4096, 8, 0xff, 16 };

	for (int s = KEEL_STRATEGY_SWAP_OFFSET; s <= KEEL_STRATEGY_OVERWRITE_ONLY; s++)
		for (uint32_t n = 1; n <= 12; n += 11) {
			struct ct_image_opts o = { 0 };
			struct ct_env *e = calloc(1, sizeof(*e));
			struct simflash_stats st;
			struct keel_boot_result r;
			uint64_t up, rev;

			o.sec_cnt = -1;
			o.major = 1;
			o.payload_len = n * g.sector - 400;
			im.old_len = ct_build_image(im.old_img, sizeof(im.old_img), &o, &key);
			o.minor = 1;
			o.seed = 3;
			im.new_len = ct_build_image(im.new_img, sizeof(im.new_img), &o, &key);
			setup(e, (enum keel_strategy)s, &g, SC_TEST_REVERT);
			ct_boot_done(e, &r);
			simflash_stats(e->sf, &st);
			up = st.sectors_erased;
			simflash_reset_ops(e->sf);
			ct_boot_done(e, &r);
			simflash_stats(e->sf, &st);
			rev = st.sectors_erased;
			/* again, now that the primary trailer is in use */
			struct keel_bootctl c = ct_ctl(e, 0);
			uint64_t up2;

			ct_put(e, &e->cfg.images[0].secondary, keel_bootctl_upload_offset(&c),
			       im.new_img, im.new_len);
			keel_bootctl_request_upgrade(&c, 1);
			simflash_reset_ops(e->sf);
			ct_boot_done(e, &r);
			simflash_stats(e->sf, &st);
			up2 = st.sectors_erased;
			CT_CHECK(ct_holds(e, &e->cfg.images[0].primary, 0, im.new_img, im.new_len),
				 "second upgrade");
			printf("erases %-14s N=%2u: upgrade %llu, revert %llu, upgrade again %llu\n",
			       strat_name((enum keel_strategy)s), n, (unsigned long long)up,
			       (unsigned long long)rev, (unsigned long long)up2);
			if (s == KEEL_STRATEGY_SWAP_OFFSET)
				CT_CHECK(up <= 2 * n + 2 && rev <= 2 * n + 2 && up2 <= 2 * n + 2,
					 "swap-offset over 2N+2: %llu/%llu/%llu", (unsigned long long)up,
					 (unsigned long long)rev, (unsigned long long)up2);
			ct_env_free(e);
			free(e);
		}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	int expect_failures = argc > 3 && !strcmp(argv[3], "--expect-failures");

	ct_key_load(&key, ct_vector("key-ed25519.pem"));
	if (!strcmp(mode, "basic")) {
		basic();
	} else if (!strcmp(mode, "erases")) {
		erases();
	} else if (!strcmp(mode, "sweep") && argc > 2) {
		static const char *const names[] = { "", "offset", "move", "scratch", "overwrite" };
		int s = 0;

		for (int i = 1; i <= 4; i++)
			if (!strcmp(argv[2], names[i]))
				s = i;
		if (!s) {
			fprintf(stderr, "test_boot: unknown strategy '%s'\n", argv[2]);
			return 2;
		}
		sweep((enum keel_strategy)s);
	} else {
		fprintf(stderr, "usage: test_boot basic | erases | sweep offset|move|scratch|overwrite "
			"[--expect-failures]\n");
		return 2;
	}
	if (expect_failures) {
		printf("test_boot %s: %d failures in %llu scenarios (failures expected)\n", mode,
		       ct_failures, (unsigned long long)scenarios_run);
		if (ct_failures > 0 && scenarios_run > 0)
			return 0;
		fprintf(stderr, "test_boot: expected failing checks, got none\n");
		return 1;
	}
	if (ct_failures) {
		printf("test_boot %s: %d failures\n", mode, ct_failures);
		return 1;
	}
	printf("test_boot %s: ok\n", mode);
	return 0;
}
