/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The power-loss matrix: every strategy x geometry x write size x erased
 * value x scenario, with power cut at flash operations (fault models of
 * simflash.h: cut before op N, torn program, torn erase; optional bit flips)
 * and a second cut while the device resumes. After each fault the device is
 * powered on and booted until the scenario completes; it must end running
 * exactly the old or the new image (byte for byte, verified by keel-boot) as
 * the test/confirm rules say, and one more boot must move nothing.
 *
 *   pf_runner                 sampled run (make test); KEEL_POWERFAIL_FULL=1: all ops
 *   pf_runner --full          the same as KEEL_POWERFAIL_FULL=1
 *   pf_runner --case ID       re-runs one case (ID as printed on failure), verbose
 *   pf_runner --filter TEXT   only combinations whose name contains TEXT
 *   pf_runner --seed S        sample / torn-fault seed (default 20261126 or $KEEL_POWERFAIL_SEED)
 *   pf_runner --light         a smaller sample (sanitizer builds)
 *   pf_runner --expect-failures   exit 0 only if some case fails (test of the test)
 *
 * Case id: STRATEGY/wW/ERASED/GEOMETRY/SCENARIO/FAULTS/seed=S with FAULTS
 * "clean", "MODEL@N" or "MODEL@N+MODEL@M" (the second fault M ops after
 * power-on), e.g. swap-offset/w8/ff/u4k/test-revert/torn@123+cut@5/seed=77.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keel/bootctl.h"
#include "keel/err.h"
#include "pf_tool.h"
#include "simboot.h"
#include "simconf.h"
#include "simflash.h"
#include "simport.h"

/* ------------------------------------------------------------ matrix */

enum scenario { SC_PERM, SC_TEST_REVERT, SC_TEST_CONFIRM, SC_DEP, SC__COUNT };
static const char *const sc_names[] = { "perm", "test-revert", "test-confirm", "dep" };

struct geo {
	const char *name;
	uint32_t sector;          /* 0: the mixed 16/64/128 KiB layout */
	uint32_t base;
	uint32_t slot_sectors;
	uint32_t size_a, size_b;  /* payload bytes of the old and the new image */
	uint16_t board_w;         /* boards: their write size only, 0xff only */
};

static const struct geo geos[] = {
	{ "u4k", 4096, 0, 16, 20000, 24500, 0 },
	{ "mixed", 0, 0, 0, 60000, 90000, 0 },
	{ "nrf51", 1024, 0x8000, 24, 9000, 11000, 4 },
	{ "virt", 256 * 1024, 0, 4, 150000, 300000, 4 },
	{ "esp32c3", 4096, 0x10000, 256, 30000, 36000, 4 },
};

static const char *const strategies[] = { "swap-offset", "swap-move", "swap-scratch", "overwrite" };
static const uint16_t wsizes[] = { 1, 4, 8, 16, 32, 256 };

struct combo {
	const char *strategy;
	const struct geo *g;
	uint16_t w;
	uint8_t ev;
	enum scenario sc;
};

/* ------------------------------------------------------------ images */

struct img_set {
	struct pf_buf a0, b0, a1, b1;   /* image 0 old/new, image 1 old/new (b1 depends on b0) */
};

static char key_path[SIMCONF_PATH - 24];
static struct keel_port g_port;

static int sign(const char *dir, const char *name, uint32_t payload, uint64_t seed,
		const char *ver, const char *extra, struct pf_buf *out)
{
	char in[1200], outp[1200];
	uint8_t *p = malloc(payload);
	int rc;

	if (!p)
		return -1;
	pf_fill(p, payload, seed);
	snprintf(in, sizeof(in), "%s/%s.raw", dir, name);
	snprintf(outp, sizeof(outp), "%s/%s.bin", dir, name);
	rc = pf_write(in, p, payload);
	free(p);
	if (rc)
		return -1;
	if (pf_run("'%s' sign -k '%s' --version %s -H 0x20 --pad-header -S 0x4000000 %s '%s' '%s'",
		   pf_keel(), key_path, ver, extra, in, outp))
		return -1;
	return pf_read(outp, out);
}

static int make_images(const struct geo *g, struct img_set *s)
{
	const char *dir = pf_workdir("powerfail");
	char n[64];
	int rc = 0;

	snprintf(n, sizeof(n), "%s-a0", g->name);
	rc |= sign(dir, n, g->size_a, 1, "1.0.0", "", &s->a0);
	snprintf(n, sizeof(n), "%s-b0", g->name);
	rc |= sign(dir, n, g->size_b, 2, "2.0.0", "", &s->b0);
	snprintf(n, sizeof(n), "%s-a1", g->name);
	rc |= sign(dir, n, g->size_a / 2, 3, "1.0.0", "", &s->a1);
	snprintf(n, sizeof(n), "%s-b1", g->name);
	rc |= sign(dir, n, g->size_b / 2 + 999, 4, "2.1.0", "-d '(0,2.0.0)'", &s->b1);
	return rc ? -1 : 0;
}

/* ------------------------------------------------------------ layouts */

static void set_area(struct simconf_area *a, uint32_t off, uint32_t size)
{
	a->off = off;
	a->size = size;
	a->set = 1;
}

/* Builds the layout for a combination; 0, or -1 if the geometry cannot hold it. */
static int make_layout(const struct combo *c, unsigned images, struct simconf *conf)
{
	const struct geo *g = c->g;
	char why[160];

	simconf_defaults(conf);
	snprintf(conf->strategy, sizeof(conf->strategy), "%s", c->strategy);
	conf->images = images;
	conf->n_keys = 1;
	snprintf(conf->keys[0], SIMCONF_PATH, "%s", key_path);
	conf->validate_primary = 1;
	if (!g->sector) {
		/*
		 * STM32F4-like sectors: the primary spans 4x16K + 64K + 128K, the
		 * secondary two 128K sectors, the scratch one 128K sector.
		 */
		if (simconf_parse_runs(images == 1 ? "4x16K,1x64K,5x128K" : "4x16K,1x64K,9x128K",
				       &conf->geom, why, sizeof(why)))
			return -1;
		set_area(&conf->primary[0], 0, 0x40000);
		set_area(&conf->secondary[0], 0x40000, 0x40000);
		if (images == 2) {
			set_area(&conf->primary[1], 0x80000, 0x40000);
			set_area(&conf->secondary[1], 0xc0000, 0x40000);
		}
		set_area(&conf->scratch, images == 1 ? 0x80000 : 0x100000, 0x20000);
	} else {
		uint32_t at = g->base, ps = g->slot_sectors, ss = g->slot_sectors;

		if (!strcmp(c->strategy, "swap-offset"))
			ss++;
		if (!strcmp(c->strategy, "swap-move"))
			ps++;
		for (unsigned i = 0; i < images; i++) {
			set_area(&conf->primary[i], at, ps * g->sector);
			at += ps * g->sector;
			set_area(&conf->secondary[i], at, ss * g->sector);
			at += ss * g->sector;
		}
		if (!strcmp(c->strategy, "swap-scratch")) {
			set_area(&conf->scratch, at, g->sector);
			at += g->sector;
		}
		snprintf(why, sizeof(why), "%" PRIu32 "x%" PRIu32, at / g->sector, g->sector);
		if (simconf_parse_runs(why, &conf->geom, why, sizeof(why)))
			return -1;
	}
	conf->geom.write_size = c->w;
	conf->geom.erased_val = c->ev;
	return 0;
}

/* ------------------------------------------------------------ scripts */

enum step_kind { ST_REQ0_TEST, ST_REQ0_PERM, ST_REQ1_PERM, ST_BOOT, ST_CONFIRM0 };

struct expect {
	const struct pf_buf *img[2];
	int confirmed[2];        /* -1: not checked */
	int stable;              /* this boot must do no flash op */
};

struct step {
	enum step_kind k;
	struct expect e;
};

struct script {
	unsigned n;
	struct step s[6];
};

static int is_swap(const char *strategy)
{
	return strncmp(strategy, "swap-", 5) == 0;
}

static void boot_step(struct script *sc, const struct pf_buf *i0, const struct pf_buf *i1,
		      int conf0, int conf1, int stable)
{
	struct step *s = &sc->s[sc->n++];

	s->k = ST_BOOT;
	s->e.img[0] = i0;
	s->e.img[1] = i1;
	s->e.confirmed[0] = conf0;
	s->e.confirmed[1] = conf1;
	s->e.stable = stable;
}

static void app_step(struct script *sc, enum step_kind k)
{
	sc->s[sc->n++].k = k;
}

/* 0 if the scenario does not apply to the strategy. */
static int make_script(const struct combo *c, const struct img_set *im, struct script *sc)
{
	int sw = is_swap(c->strategy);
	int yes = sw ? 1 : -1;

	memset(sc, 0, sizeof(*sc));
	switch (c->sc) {
	case SC_PERM:
		app_step(sc, ST_REQ0_PERM);
		boot_step(sc, &im->b0, NULL, yes, -1, 0);
		boot_step(sc, &im->b0, NULL, yes, -1, 1);
		return 1;
	case SC_TEST_REVERT:
		if (!sw)
			return 0;
		app_step(sc, ST_REQ0_TEST);
		boot_step(sc, &im->b0, NULL, 0, -1, 0);
		boot_step(sc, &im->a0, NULL, 1, -1, 0);
		boot_step(sc, &im->a0, NULL, 1, -1, 1);
		return 1;
	case SC_TEST_CONFIRM:
		if (!sw)
			return 0;
		app_step(sc, ST_REQ0_TEST);
		boot_step(sc, &im->b0, NULL, 0, -1, 0);
		app_step(sc, ST_CONFIRM0);
		boot_step(sc, &im->b0, NULL, 1, -1, 1);
		return 1;
	case SC_DEP:
		app_step(sc, ST_REQ0_PERM);
		app_step(sc, ST_REQ1_PERM);
		boot_step(sc, &im->b0, &im->b1, yes, yes, 0);
		boot_step(sc, &im->b0, &im->b1, yes, yes, 1);
		return 1;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ the device */

struct rig {
	struct combo c;
	struct simconf conf;
	struct simflash *sf;
	struct simflash *snap;        /* state before the script */
	struct simboot sb;
	struct keel_port port;
	struct img_set *im;
	struct script script;
	unsigned images;
	struct simflash *post_cut[2];  /* flash right after cut 1 and cut 2 */
	struct simflash *replay;       /* a replay's flash at the end of one step */
};

static int rig_open(struct rig *r, const struct combo *c, struct img_set *im)
{
	memset(r, 0, sizeof(*r));
	r->c = *c;
	r->im = im;
	r->images = c->sc == SC_DEP ? 2 : 1;
	if (make_layout(c, r->images, &r->conf))
		return -1;
	r->sf = simflash_new(&r->conf.geom);
	r->snap = simflash_new(&r->conf.geom);
	r->post_cut[0] = simflash_new(&r->conf.geom);
	r->post_cut[1] = simflash_new(&r->conf.geom);
	r->replay = simflash_new(&r->conf.geom);
	if (!r->sf || !r->snap || !r->post_cut[0] || !r->post_cut[1] || !r->replay)
		return -1;
	simflash_quiet(r->sf, 1);
	r->port = g_port;
	if (simboot_setup(&r->sb, &r->conf, simflash_dev(r->sf)))
		return -1;
	return 0;
}

static void rig_close(struct rig *r)
{
	simflash_free(r->post_cut[0]);
	simflash_free(r->post_cut[1]);
	simflash_free(r->replay);
	simboot_release(&r->sb);
	simflash_free(r->sf);
	simflash_free(r->snap);
}

/* Factory state: old images in the primaries, new ones at the upload offsets. */
static int rig_factory(struct rig *r)
{
	const struct keel_boot_config *cfg = &r->sb.cfg;
	const struct pf_buf *old[2] = { &r->im->a0, &r->im->a1 };
	const struct pf_buf *nw[2] = { &r->im->b0, &r->im->b1 };

	for (unsigned i = 0; i < r->images; i++) {
		const struct keel_area *p = &cfg->images[i].primary, *s = &cfg->images[i].secondary;
		uint32_t up = keel_boot_upload_offset(cfg, i);

		if (simflash_program_image(r->sf, p->off, old[i]->data, old[i]->len) ||
		    simflash_program_image(r->sf, s->off + up, nw[i]->data, nw[i]->len))
			return -1;
	}
	simflash_reset_ops(r->sf);
	return simflash_copy_state(r->snap, r->sf);
}

static void bootctl_for(struct rig *r, unsigned img, struct keel_bootctl *bc)
{
	bc->primary = &r->sb.cfg.images[img].primary;
	bc->secondary = &r->sb.cfg.images[img].secondary;
	bc->trailer_align = r->sb.cfg.trailer_align;
	bc->strategy = r->sb.cfg.strategy;
	bc->image = (uint8_t)img;
}

/* ------------------------------------------------------------ one case */

struct fault_spec {
	enum simflash_model m1, m2;
	uint64_t n1, n2;              /* n2 relative to power-on after the first fault; 0 = none */
	uint64_t seed;
};

/*
 * How run_case runs a case: how many of its faults to inject (2 = all),
 * which step's end state to copy into rig->replay, and after which cut to
 * stop holding the script's expectations and only settle.
 */
struct case_opts {
	unsigned keep;
	int capture_step;             /* -1: none */
	unsigned settle_after_cut;    /* 0: never */
};

struct case_result {
	int ok;
	int fail_step;                /* step that failed, -1 */
	int cut_step[2];              /* step each cut hit */
	int captured;
	char why[512];
	uint64_t total_ops;
	uint64_t resume_ops;          /* ops from power-on after the first fault to completion */
	unsigned cuts;
	enum simflash_effect fx1;
};

/*
 * Runs the script with the given faults. Globals below are what survives a
 * longjmp out of keel_boot.
 */
static struct {
	unsigned step;
	int faulted;
	int lenient;
	int second_pending;
	uint64_t poweron_ops;
} cs;

static jmp_buf cut_env;
static int verbose;

static void on_cut(void *arg)
{
	longjmp(cut_env, 1);
}

static uint64_t ops_now(struct rig *r)
{
	struct simflash_stats st;

	simflash_stats(r->sf, &st);
	return st.ops;
}

static int same_bytes(struct rig *r, const struct keel_area *a, const struct pf_buf *b)
{
	return b->len <= a->size && !memcmp(simflash_mem(r->sf) + a->off, b->data, b->len);
}

static const char *which(struct rig *r, unsigned i)
{
	const struct keel_area *p = &r->sb.cfg.images[i].primary;
	const struct pf_buf *a = i ? &r->im->a1 : &r->im->a0, *b = i ? &r->im->b1 : &r->im->b0;

	if (same_bytes(r, p, a))
		return "old";
	if (same_bytes(r, p, b))
		return "new";
	return "neither old nor new";
}

static int fail(struct case_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct case_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
	res->ok = 0;
	return -1;
}

static int check_boot(struct rig *r, int rc, const struct keel_boot_result *br,
		      const struct expect *e, uint64_t ops, struct case_result *res, const char *when)
{
	if (rc)
		return fail(res, "%s: keel_boot returned %s", when, keel_strerror(rc));
	for (unsigned i = 0; i < r->images; i++) {
		const struct keel_boot_image *bi = &br->img[i];

		if (!bi->bootable)
			return fail(res, "%s: image %u not bootable (%s)", when, i,
				    keel_reason_str(bi->primary_reason));
		if (!same_bytes(r, &r->sb.cfg.images[i].primary, e->img[i]))
			return fail(res, "%s: image %u primary holds %s, expected the %s image", when, i,
				    which(r, i), e->img[i] == (i ? &r->im->a1 : &r->im->a0) ? "old" : "new");
		/*
		 * The reported flag must match in clean runs. After a fault only the
		 * behaviour counts (a torn image_ok reads BAD, which keel-boot may
		 * report either way): the next step checks it, since every
		 * "confirmed" boot is followed by a boot that must move nothing and
		 * every "unconfirmed" one by the revert.
		 */
		if (e->confirmed[i] >= 0 && bi->confirmed != e->confirmed[i] && !cs.faulted)
			return fail(res, "%s: image %u confirmed=%u, expected %d", when, i, bi->confirmed,
				    e->confirmed[i]);
	}
	if (e->stable && ops)
		return fail(res, "%s: a boot of a settled device did %" PRIu64 " flash ops", when, ops);
	return 0;
}

static int do_app(struct rig *r, enum step_kind k, struct case_result *res)
{
	struct keel_bootctl bc;
	int rc;

	bootctl_for(r, k == ST_REQ1_PERM ? 1 : 0, &bc);
	if (k == ST_CONFIRM0)
		rc = keel_bootctl_confirm(&bc);
	else
		rc = keel_bootctl_request_upgrade(&bc, k != ST_REQ0_TEST);
	if (rc)
		return fail(res, "app step %d failed: %s", (int)k, keel_strerror(rc));
	return 0;
}

/*
 * After power failed inside an app step the app's intent is lost: boot
 * until the device settles and accept the old or the new image, verified.
 */
static int settle(struct rig *r, struct case_result *res)
{
	for (int boots = 0; boots < 6; boots++) {
		struct keel_boot_result br;
		uint64_t o0 = ops_now(r);
		int rc;

		memset(&br, 0, sizeof(br));
		rc = keel_boot(&r->sb.cfg, &r->port, &br);
		if (rc)
			return fail(res, "settling boot %d: keel_boot returned %s", boots, keel_strerror(rc));
		for (unsigned i = 0; i < r->images; i++) {
			const char *w = which(r, i);

			if (!br.img[i].bootable || !strcmp(w, "neither old nor new"))
				return fail(res, "settling boot %d: image %u %s", boots, i,
					    br.img[i].bootable ? w : "not bootable");
		}
		if (ops_now(r) == o0)
			return 0;
	}
	return fail(res, "the device never settled: 6 boots in a row moved flash");
}

static void run_case_opts(struct rig *r, const struct fault_spec *f, const struct case_opts *o,
			  struct case_result *res)
{
	struct simflash_fault f1 = { .model = f->m1, .at_op = f->n1, .seed = f->seed, .flips = 1 };

	memset(res, 0, sizeof(*res));
	res->ok = 1;
	res->fail_step = res->cut_step[0] = res->cut_step[1] = -1;
	simflash_copy_state(r->sf, r->snap);
	simflash_disarm(r->sf);
	simflash_set_cut_hook(r->sf, on_cut, NULL);
	if (f->m1 != SIMFLASH_NONE && o->keep >= 1)
		simflash_arm(r->sf, &f1);
	cs.step = 0;
	cs.faulted = f->m1 != SIMFLASH_NONE;
	cs.lenient = 0;
	cs.second_pending = f->n2 != 0 && o->keep >= 2;
	cs.poweron_ops = 0;
	if (setjmp(cut_env)) {
		res->cuts++;
		if (res->cuts == 1)
			res->fx1 = simflash_last_effect(r->sf, NULL);
		simflash_power_on(r->sf);
		if (res->cuts <= 2) {
			res->cut_step[res->cuts - 1] = (int)cs.step;
			simflash_copy_state(r->post_cut[res->cuts - 1], r->sf);
		}
		cs.poweron_ops = ops_now(r);
		/*
		 * Power lost inside an app step: its intent is lost, and the rules
		 * leave old or new open, as long as it is verified and settles.
		 */
		if (r->script.s[cs.step].k != ST_BOOT || res->cuts == o->settle_after_cut)
			cs.lenient = 1;
		if (cs.second_pending) {
			struct simflash_fault f2 = { .model = f->m2, .at_op = cs.poweron_ops + f->n2,
						     .seed = f->seed ^ 0x5555, .flips = 1 };

			cs.second_pending = 0;
			simflash_arm(r->sf, &f2);
		}
		if (res->cuts > 4) {
			fail(res, "more cuts than armed faults");
			goto done;
		}
	}
	if (cs.lenient) {
		if (settle(r, res))
			goto done;
		cs.step = r->script.n;
	}
	for (; cs.step < r->script.n; cs.step++) {
		const struct step *s = &r->script.s[cs.step];
		struct keel_boot_result br;
		char when[64];
		uint64_t o0;
		int rc;

		if (s->k != ST_BOOT) {
			if (do_app(r, s->k, res))
				goto done;
		} else {
			uint64_t feeds = simport_watchdog_feeds();

			memset(&br, 0, sizeof(br));
			o0 = ops_now(r);
			rc = keel_boot(&r->sb.cfg, &r->port, &br);
			snprintf(when, sizeof(when), "step %u (boot)", cs.step);
			if (check_boot(r, rc, &br, &s->e, ops_now(r) - o0, res, when)) {
				res->fail_step = (int)cs.step;
				goto done;
			}
			if (ops_now(r) != o0 && simport_watchdog_feeds() == feeds) {
				fail(res, "%s: erased/copied without feeding the watchdog", when);
				res->fail_step = (int)cs.step;
				goto done;
			}
		}
		if (o->capture_step == (int)cs.step) {
			simflash_copy_state(r->replay, r->sf);
			res->captured = 1;
		}
	}
done:
	simflash_disarm(r->sf);
	res->total_ops = ops_now(r);
	if (res->cuts)
		res->resume_ops = res->total_ops - cs.poweron_ops;
	if (res->ok && f->m1 != SIMFLASH_NONE && f->m1 != SIMFLASH_EIO && o->keep && res->cuts == 0)
		fail(res, "the fault at op %" PRIu64 " never struck (case selection bug)", f->n1);
	if (simflash_violations(r->sf)) {
		res->ok = 0;
		snprintf(res->why + strlen(res->why), sizeof(res->why) - strlen(res->why),
			 "%s%" PRIu64 " flash rule violation(s) (no prog without erase, alignment)",
			 res->why[0] ? "; " : "", simflash_violations(r->sf));
	}
}

/*
 * A boot that loses power on its last op, with that op landed in full (a
 * torn op may complete), had finished: the app just never ran, and a test
 * upgrade legitimately reverts at the next boot. When a boot step fails
 * after its last cut, replay the case without that cut: if the flash at the
 * end of the step equals the flash right after the cut, the cut was such a
 * no-op, and the case is judged again with only "old or new, verified,
 * settles" expected from that cut on.
 */
static void run_case(struct rig *r, const struct fault_spec *f, struct case_result *res)
{
	struct case_opts all = { .keep = 2, .capture_step = -1 };
	struct case_result rep;
	unsigned k;

	run_case_opts(r, f, &all, res);
	if (res->ok || !res->cuts || res->cuts > 2)
		return;
	k = res->cuts;
	if (res->fail_step < 0 || res->fail_step != res->cut_step[k - 1] ||
	    r->script.s[res->fail_step].k != ST_BOOT)
		return;
	{
		struct case_opts drop = { .keep = k - 1, .capture_step = res->fail_step };

		run_case_opts(r, f, &drop, &rep);
	}
	if (!rep.captured || memcmp(simflash_mem(r->replay), simflash_mem(r->post_cut[k - 1]),
				    r->conf.geom.size))
		return;
	{
		struct case_opts settle_k = { .keep = 2, .capture_step = -1, .settle_after_cut = k };

		run_case_opts(r, f, &settle_k, res);
	}
}

/* ------------------------------------------------------------ ids */

static void combo_name(const struct combo *c, char *out, size_t n)
{
	snprintf(out, n, "%s/w%u/%s/%s/%s", c->strategy, c->w, c->ev ? "ff" : "00", c->g->name,
		 sc_names[c->sc]);
}

static void case_id(const struct combo *c, const struct fault_spec *f, char *out, size_t n)
{
	char cn[128], fs[96];

	combo_name(c, cn, sizeof(cn));
	if (f->m1 == SIMFLASH_NONE)
		snprintf(fs, sizeof(fs), "clean");
	else if (!f->n2)
		snprintf(fs, sizeof(fs), "%s@%" PRIu64, simflash_model_name(f->m1), f->n1);
	else
		snprintf(fs, sizeof(fs), "%s@%" PRIu64 "+%s@%" PRIu64, simflash_model_name(f->m1), f->n1,
			 simflash_model_name(f->m2), f->n2);
	snprintf(out, n, "%s/%s/seed=%" PRIu64, cn, fs, f->seed);
}

static int parse_fault(const char *s, enum simflash_model *m, uint64_t *n)
{
	char name[32];
	const char *at = strchr(s, '@');

	if (!at || at - s >= (long)sizeof(name))
		return -1;
	memcpy(name, s, (size_t)(at - s));
	name[at - s] = 0;
	*m = simflash_model_parse(name);
	*n = strtoull(at + 1, NULL, 10);
	return *m && *n ? 0 : -1;
}

static int parse_id(const char *id, struct combo *c, struct fault_spec *f)
{
	char buf[256], *part[8], *save = NULL;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", id);
	for (char *t = strtok_r(buf, "/", &save); t && n < 8; t = strtok_r(NULL, "/", &save))
		part[n++] = t;
	if (n != 7 || part[1][0] != 'w' || strncmp(part[6], "seed=", 5))
		return -1;
	memset(c, 0, sizeof(*c));
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (!strcmp(part[0], strategies[i]))
			c->strategy = strategies[i];
	c->w = (uint16_t)atoi(part[1] + 1);
	c->ev = !strcmp(part[2], "ff") ? 0xff : 0x00;
	for (size_t i = 0; i < sizeof(geos) / sizeof(geos[0]); i++)
		if (!strcmp(part[3], geos[i].name))
			c->g = &geos[i];
	c->sc = SC__COUNT;
	for (int i = 0; i < SC__COUNT; i++)
		if (!strcmp(part[4], sc_names[i]))
			c->sc = (enum scenario)i;
	if (!c->strategy || !c->g || c->sc == SC__COUNT)
		return -1;
	f->seed = strtoull(part[6] + 5, NULL, 10);
	if (strcmp(part[5], "clean")) {
		char *plus = strchr(part[5], '+');

		if (plus)
			*plus = 0;
		if (parse_fault(part[5], &f->m1, &f->n1))
			return -1;
		if (plus && parse_fault(plus + 1, &f->m2, &f->n2))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ selection */

struct run_cfg {
	int full;
	uint64_t seed;
	const char *filter;
	int expect_failures;
	unsigned max_fail_print;
	unsigned sample_single;       /* sampled mode: cut points per model and combo */
	unsigned sample_double;       /* first-cut points for double cuts */
	unsigned sample_second;       /* second-cut points per first cut */
	unsigned sample_erase;        /* sampled mode: torn erases per combo */
	uint64_t full_cap;            /* full mode: at most this many cut points per model */
};

struct totals {
	uint64_t combos, cases, failures, refusals, skipped;
	uint64_t by_fx[8];
};

static uint64_t pick(uint64_t *rng, uint64_t lo, uint64_t hi)
{
	return lo + simflash_rng_next(rng) % (hi - lo + 1);
}

static void report_failure(const struct run_cfg *rc, struct totals *t, const struct combo *c,
			   const struct fault_spec *f, const struct case_result *res)
{
	char id[256];

	t->failures++;
	if (t->failures > rc->max_fail_print)
		return;
	case_id(c, f, id, sizeof(id));
	printf("FAIL %s\n     %s (first fault: %s)\n     re-run: pf_runner --case '%s'\n", id,
	       res->why, simflash_effect_name(res->fx1), id);
	if (verbose)
		printf("---- boot log ----\n%s\n------------------\n", simport_log());
}

static void one(const struct run_cfg *rc, struct totals *t, struct rig *r,
		const struct fault_spec *f, struct case_result *res)
{
	simport_log_clear();
	run_case(r, f, res);
	t->cases++;
	t->by_fx[res->fx1 < 8 ? res->fx1 : 0]++;
	if (!res->ok)
		report_failure(rc, t, &r->c, f, res);
}

/* Cut points 1..T: all (full, capped by stride) or a seeded sample. */
static unsigned points(const struct run_cfg *rc, uint64_t T, uint64_t *rng, uint64_t *out, unsigned cap)
{
	unsigned n = 0;

	if (rc->full) {
		uint64_t stride = rc->full_cap && T > rc->full_cap ? (T + rc->full_cap - 1) / rc->full_cap : 1;

		for (uint64_t i = 1; i <= T && n < cap; i += stride)
			out[n++] = i;
		return n;
	}
	for (unsigned k = 0; k < rc->sample_single && n < cap; k++)
		out[n++] = k == 0 ? 1 : k == 1 ? T : pick(rng, 1, T);
	return n;
}

static struct {
	unsigned n;
	uint64_t op[4096];
} erase_ops;

static void note_erase(void *arg, uint64_t op, int is_erase, uint32_t off, uint32_t len)
{
	if (is_erase && erase_ops.n < sizeof(erase_ops.op) / sizeof(erase_ops.op[0]))
		erase_ops.op[erase_ops.n++] = op;
}

static void run_combo(const struct run_cfg *rc, struct totals *t, const struct combo *c,
		      struct img_set *im)
{
	static uint64_t pts[1 << 20];
	struct rig r;
	struct case_result res;
	struct fault_spec f = { .seed = rc->seed };
	uint64_t rng, T;
	unsigned n;
	char name[128];

	combo_name(c, name, sizeof(name));
	if (rig_open(&r, c, im) || !make_script(c, im, &r.script)) {
		t->skipped++;
		rig_close(&r);
		return;
	}
	if (simboot_check(&r.sb, 0)) {
		printf("FAIL %s: layout refused: ", name);
		fflush(stdout);
		simboot_check(&r.sb, 1);
		t->failures++;
		rig_close(&r);
		return;
	}
	if (rig_factory(&r)) {
		printf("FAIL %s: cannot program the factory images\n", name);
		t->failures++;
		rig_close(&r);
		return;
	}
	t->combos++;
	rng = simflash_rng_seed(rc->seed, (uint64_t)(c->g - geos) * 131 + c->w * 7u + c->ev,
				(uint64_t)c->sc * 17 + (uint64_t)(c->strategy[5] + c->strategy[0]));
	one(rc, t, &r, &f, &res);
	if (!res.ok) {
		rig_close(&r);
		return;
	}
	T = res.total_ops;
	erase_ops.n = 0;
	simflash_observe(r.sf, note_erase, &erase_ops);
	run_case(&r, &f, &res);
	simflash_observe(r.sf, NULL, NULL);
	/* Models 1 (cut) and 2/3 (torn prog or erase, whichever op N is). */
	for (int m = 0; m < 2; m++) {
		n = points(rc, T, &rng, pts, sizeof(pts) / sizeof(pts[0]));
		for (unsigned i = 0; i < n; i++) {
			struct fault_spec fs = { .m1 = m ? SIMFLASH_TORN : SIMFLASH_CUT, .n1 = pts[i],
						 .seed = rc->seed + pts[i] };

			one(rc, t, &r, &fs, &res);
		}
	}
	/* Torn erases are rarer than torn programs: sample them among the erase ops. */
	if (rc->full && rc->full_cap && T > rc->full_cap) {
		/* Full run with a stride over the ops: still tear every erase. */
		for (unsigned i = 0; i < erase_ops.n; i++) {
			struct fault_spec fs = { .m1 = SIMFLASH_TORN_ERASE, .n1 = erase_ops.op[i],
						 .seed = rc->seed + 500 + i };

			one(rc, t, &r, &fs, &res);
		}
	} else if (!rc->full) {
		for (unsigned i = 0; i < rc->sample_erase && erase_ops.n; i++) {
			struct fault_spec fs = { .m1 = SIMFLASH_TORN_ERASE,
						 .n1 = erase_ops.op[pick(&rng, 0, erase_ops.n - 1)],
						 .seed = rc->seed + 500 + i };

			one(rc, t, &r, &fs, &res);
		}
	}
	/* A second cut while resuming from the first. */
	{
		unsigned firsts = rc->full ? 8 : rc->sample_double;

		for (unsigned i = 0; i < firsts; i++) {
			struct fault_spec fs = { .m1 = (i & 1) ? SIMFLASH_TORN : SIMFLASH_CUT,
						 .n1 = rc->full ? 1 + (T - 1) * i / (firsts - 1 ? firsts - 1 : 1)
								: pick(&rng, 1, T),
						 .seed = rc->seed + i };
			uint64_t R;
			unsigned seconds;

			one(rc, t, &r, &fs, &res);
			if (!res.ok || !res.resume_ops)
				continue;
			R = res.resume_ops;
			seconds = rc->full ? (unsigned)(R < 200 ? R : 200) : rc->sample_second;
			for (unsigned k = 0; k < seconds; k++) {
				fs.m2 = (k & 1) ? SIMFLASH_CUT : SIMFLASH_TORN;
				fs.n2 = rc->full ? 1 + (R - 1) * k / (seconds - 1 ? seconds - 1 : 1) : pick(&rng, 1, R);
				one(rc, t, &r, &fs, &res);
			}
		}
	}
	/* Bit flips: weaker promise (never boot unverified code); one per combination when sampled. */
	{
		for (unsigned i = 0; i < (rc->full ? 16u : 1u); i++) {
			struct fault_spec fs = { .m1 = SIMFLASH_FLIP, .n1 = pick(&rng, 1, T),
						 .seed = rc->seed + 1000 + i };

			simport_log_clear();
			run_case(&r, &fs, &res);
			t->cases++;
			t->by_fx[SIMFLASH_FX_FLIP]++;
			/* A refusal to boot is allowed after bit flips; booting garbage is not. */
			if (!res.ok && strstr(res.why, "neither old nor new"))
				report_failure(rc, t, c, &fs, &res);
		}
	}
	if (verbose || (rc->full && rc->full_cap && T > rc->full_cap))
		printf("%s: clean run %" PRIu64 " ops%s\n", name, T,
		       rc->full && rc->full_cap && T > rc->full_cap ? " (full run: every k-th op, --cap 0 for all)" : "");
	fflush(stdout);
	rig_close(&r);
}

/* Swap-move and swap-offset on mixed sectors must be refused when the layout is loaded. */
static void refusal_tests(struct totals *t, struct img_set *im)
{
	for (int s = 0; s < 2; s++) {
		struct combo c = { .strategy = strategies[s], .g = &geos[1], .w = 4, .ev = 0xff, .sc = SC_PERM };
		struct rig r;

		if (rig_open(&r, &c, im)) {
			printf("FAIL %s/mixed: rig\n", c.strategy);
			t->failures++;
		} else if (!simboot_check(&r.sb, 0)) {
			printf("FAIL %s/w4/ff/mixed: a mixed-sector layout was accepted for %s\n", c.strategy,
			       c.strategy);
			t->failures++;
		} else {
			const char *why = "";

			keel_boot_check_layout(&r.sb.cfg, &why);
			printf("ok   %s/w4/ff/mixed: layout refused at load: %s\n", c.strategy, why);
			t->refusals++;
		}
		rig_close(&r);
	}
}

static int run_one_id(const char *id)
{
	struct combo c;
	struct fault_spec f;
	struct img_set im = { 0 };
	struct rig r;
	struct case_result res;

	if (parse_id(id, &c, &f)) {
		fprintf(stderr, "pf_runner: cannot parse case id '%s'\n", id);
		return 2;
	}
	if (make_images(c.g, &im) || rig_open(&r, &c, &im) || !make_script(&c, &im, &r.script) ||
	    simboot_check(&r.sb, 1) || rig_factory(&r))
		return 2;
	simport_log_clear();
	simflash_quiet(r.sf, 0);
	simflash_trace(r.sf, stdout);
	run_case(&r, &f, &res);
	printf("---- boot log ----\n%s\n------------------\n", simport_log());
	printf("%s %s: %s (first fault: %s, %" PRIu64 " ops, %u cuts)\n", res.ok ? "PASS" : "FAIL", id,
	       res.ok ? "ok" : res.why, simflash_effect_name(res.fx1), res.total_ops, res.cuts);
	rig_close(&r);
	return res.ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct run_cfg rc = { .seed = 20261126, .max_fail_print = 25, .sample_single = 8,
			      .sample_double = 2, .sample_second = 3, .sample_erase = 4,
			      .full_cap = 2000 };
	struct totals t = { 0 };
	const char *one_id = NULL, *e;
	struct simport_opts po = { .console = SIMPORT_CONSOLE_CAPTURE };
	time_t t0 = time(NULL);
	int status;

	if ((e = getenv("KEEL_POWERFAIL_FULL")) && *e && strcmp(e, "0"))
		rc.full = 1;
	if ((e = getenv("KEEL_POWERFAIL_SEED")) && *e)
		rc.seed = strtoull(e, NULL, 0);
	if ((e = getenv("KEEL_POWERFAIL_SAMPLE")) && *e)
		rc.sample_single = (unsigned)atoi(e);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--full"))
			rc.full = 1;
		else if (!strcmp(argv[i], "--case") && i + 1 < argc)
			one_id = argv[++i];
		else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
			rc.filter = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rc.seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--sample") && i + 1 < argc)
			rc.sample_single = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cap") && i + 1 < argc)
			rc.full_cap = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--light"))
			rc.sample_single = 3, rc.sample_double = 1, rc.sample_second = 2, rc.sample_erase = 2;
		else if (!strcmp(argv[i], "--expect-failures"))
			rc.expect_failures = 1, rc.max_fail_print = 3;
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: pf_runner [--full] [--case ID] [--filter TEXT] [--seed S] "
				"[--sample N] [--light] [--cap N] [--expect-failures] [-v]\n");
			return 2;
		}
	}
	if (simport_init(&g_port, &po))
		return 2;
	snprintf(key_path, sizeof(key_path), "%.900s/key-ed25519.pem", pf_workdir("powerfail"));
	if (pf_run("'%s' keygen -t ed25519 -k '%s'", pf_keel(), key_path))
		return 2;
	if (one_id) {
		status = run_one_id(one_id);
		pf_workdir_cleanup();
		return status;
	}
	printf("power-loss matrix: %s run, seed %" PRIu64 "\n", rc.full ? "full" : "sampled", rc.seed);
	for (size_t gi = 0; gi < sizeof(geos) / sizeof(geos[0]); gi++) {
		const struct geo *g = &geos[gi];
		struct img_set im = { 0 };
		uint64_t before = t.cases;

		if (make_images(g, &im)) {
			printf("FAIL %s: cannot make the images\n", g->name);
			t.failures++;
			continue;
		}
		if (!g->sector && !rc.filter)
			refusal_tests(&t, &im);
		for (size_t si = 0; si < sizeof(strategies) / sizeof(strategies[0]); si++) {
			for (size_t wi = 0; wi < sizeof(wsizes) / sizeof(wsizes[0]); wi++) {
				for (int evi = 0; evi < 2; evi++) {
					struct combo c = { .strategy = strategies[si], .g = g, .w = wsizes[wi],
							   .ev = evi ? 0x00 : 0xff };

					if (!g->sector && (si == 0 || si == 1))
						continue;
					if (g->board_w && (wsizes[wi] != g->board_w || evi))
						continue;
					for (int s = 0; s < SC__COUNT; s++) {
						char name[128];

						c.sc = (enum scenario)s;
						combo_name(&c, name, sizeof(name));
						if (rc.filter && !strstr(name, rc.filter))
							continue;
						run_combo(&rc, &t, &c, &im);
					}
				}
			}
		}
		printf("geometry %-8s %8" PRIu64 " cases\n", g->name, t.cases - before);
		fflush(stdout);
		pf_buf_free(&im.a0);
		pf_buf_free(&im.b0);
		pf_buf_free(&im.a1);
		pf_buf_free(&im.b1);
	}
	printf("power-loss matrix: %" PRIu64 " combinations, %" PRIu64 " scenarios run "
	       "(first fault: %" PRIu64 " none, %" PRIu64 " cut, %" PRIu64 " torn-prog, %" PRIu64
	       " torn-erase, %" PRIu64 " flip), %" PRIu64 " layout refusals checked, %" PRIu64
	       " failures, %lds\n",
	       t.combos, t.cases, t.by_fx[SIMFLASH_FX_NONE], t.by_fx[SIMFLASH_FX_CUT],
	       t.by_fx[SIMFLASH_FX_TORN_PROG], t.by_fx[SIMFLASH_FX_TORN_ERASE], t.by_fx[SIMFLASH_FX_FLIP],
	       t.refusals, t.failures, (long)(time(NULL) - t0));
	pf_workdir_cleanup();
	if (rc.expect_failures) {
		printf("%s: the deliberately broken core %s\n", t.failures ? "ok" : "FAIL",
		       t.failures ? "was caught" : "passed the matrix: the suite cannot see this bug");
		return t.failures ? 0 : 1;
	}
	if (t.combos == 0) {
		printf("FAIL: no combination ran\n");
		return 1;
	}
	return t.failures ? 1 : 0;
}
