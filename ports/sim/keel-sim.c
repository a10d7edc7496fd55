/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-sim: keel-boot on the host, against flash kept in a file.
 *
 *   keel-sim [-c LAYOUT] init [options]        write a layout and erased flash
 *   keel-sim [-c LAYOUT] flash SLOT IMAGE      program an image (like a programmer)
 *   keel-sim [-c LAYOUT] erase SLOT
 *   keel-sim [-c LAYOUT] boot [--cut-at N ...] run keel-boot once, print what it started
 *   keel-sim [-c LAYOUT] cut --at N [--torn]   boot and lose power at flash op N
 *   keel-sim [-c LAYOUT] app confirm|upgrade [--permanent]|state [--image N]
 *   keel-sim [-c LAYOUT] stats                 op counters and wear per area
 *   keel-sim help [config]
 *
 * The layout (default ./keel-sim.conf, or $KEEL_SIM_LAYOUT) is described by
 * `keel-sim help config`.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keel/bootctl.h"
#include "keel/err.h"
#include "keel/recovery.h"
#include "simboot.h"
#include "simconf.h"
#include "simflash.h"
#include "simport.h"

struct sim {
	struct simconf conf;
	struct simflash *sf;
	struct simboot boot;
	char flash_path[SIMCONF_PATH * 2];
};

static const char *layout_path = "keel-sim.conf";

static int usage(void)
{
	fputs(
"usage: keel-sim [-c LAYOUT] COMMAND [ARGS]\n"
"  init [--strategy S] [--geometry G] [--write-size W] [--erased 0xff|0x00]\n"
"       [--images 1|2] [--key PATH]... [--enc-key PATH] [--nv-counter PATH] [--force]\n"
"                        write LAYOUT (unless it exists) and an erased flash file;\n"
"                        G: uniform-4k (default), mixed (4x16K,1x64K,128K...), nrf51,\n"
"                        virt (256 KiB sectors), esp32c3\n"
"  flash SLOT IMAGE [--at OFF]  program IMAGE into SLOT (primary, secondary, primary1,\n"
"                        secondary1, scratch); the secondary of swap-offset is written\n"
"                        at its upload offset (one sector in) unless --at is given\n"
"  erase SLOT            erase a whole slot\n"
"  boot [--cut-at N [--model cut|torn|torn-prog|torn-erase|flip|eio] [--seed S]]\n"
"       [--recovery] [--trace] [--console pty|unix:PATH]\n"
"                        run keel-boot once and print what it would start\n"
"  cut --at N [--torn] [--model M] [--seed S]   boot, losing power at flash op N\n"
"  app confirm [--image N]            what the running app does to confirm itself\n"
"  app upgrade [--permanent] [--image N]   mark the secondary as a pending upgrade\n"
"  app state [--image N]              both trailers and what the next boot will do\n"
"  stats                 flash op counters and wear per area\n"
"  help [config]         this text, or the layout file format\n", stderr);
	return 2;
}

/* ------------------------------------------------------------ setup */

static int sim_open(struct sim *s, int need_keys)
{
	simconf_defaults(&s->conf);
	if (simconf_load(&s->conf, layout_path))
		return -1;
	s->sf = simflash_new(&s->conf.geom);
	if (!s->sf)
		return -1;
	simconf_abspath(&s->conf, s->conf.flash_file, s->flash_path, sizeof(s->flash_path));
	if (simflash_load(s->sf, s->flash_path)) {
		fprintf(stderr, "keel-sim: run `keel-sim init` to create the flash file\n");
		return -1;
	}
	if (simboot_setup(&s->boot, &s->conf, simflash_dev(s->sf)))
		return -1;
	if (need_keys && s->conf.n_keys == 0) {
		fprintf(stderr, "keel-sim: %s has no 'key =' line: keel-boot would trust no image\n",
			layout_path);
		return -1;
	}
	return simboot_check(&s->boot, 1);
}

static int sim_save(struct sim *s)
{
	return simflash_save(s->sf, s->flash_path) ? -1 : 0;
}

static void sim_close(struct sim *s)
{
	simboot_release(&s->boot);
	simflash_free(s->sf);
	s->sf = NULL;
}

/* Slot name -> area; NULL with a message if the layout has no such slot. */
static const struct keel_area *slot_area(struct sim *s, const char *name, unsigned *image, int *secondary)
{
	struct keel_boot_config *c = &s->boot.cfg;
	unsigned img = 0;
	int sec;

	if (!strcmp(name, "scratch")) {
		if (!c->scratch.size) {
			fprintf(stderr, "keel-sim: the layout has no scratch area\n");
			return NULL;
		}
		*secondary = 0;
		return &c->scratch;
	}
	if (!strncmp(name, "primary", 7))
		sec = 0;
	else if (!strncmp(name, "secondary", 9))
		sec = 1;
	else {
		fprintf(stderr, "keel-sim: unknown slot '%s' (primary, secondary, primary1, "
			"secondary1, scratch)\n", name);
		return NULL;
	}
	name += sec ? 9 : 7;
	if (*name == '1')
		img = 1;
	else if (*name && strcmp(name, "0")) {
		fprintf(stderr, "keel-sim: unknown slot suffix '%s'\n", name);
		return NULL;
	}
	if (img >= c->n_images) {
		fprintf(stderr, "keel-sim: the layout has %u image(s)\n", c->n_images);
		return NULL;
	}
	*image = img;
	*secondary = sec;
	return sec ? &c->images[img].secondary : &c->images[img].primary;
}

static const char *area_name(const struct keel_area *a)
{
	static const char *const names[] = { "primary0", "secondary0", "primary1", "secondary1",
					     "scratch" };

	return a->id < 5 ? names[a->id] : "?";
}

/* ------------------------------------------------------------- init */

struct preset {
	const char *name;
	const char *runs;        /* "" = computed */
	uint32_t sector;
	uint16_t write_size;
	uint32_t base;           /* first slot offset */
	uint32_t slot_sectors;
};

static const struct preset presets[] = {
	{ "uniform-4k", "", 4096, 4, 0, 32 },
	{ "mixed", "4x16K,1x64K,5x128K", 0, 4, 0, 0 },
	{ "nrf51", "", 1024, 4, 0x8000, 48 },
	{ "virt", "", 256 * 1024, 4, 0, 4 },
	{ "esp32c3", "", 4096, 4, 0x10000, 64 },
};

/* Places slots for a uniform geometry: secondary +1 sector for offset, primary +1 for move. */
static int place_uniform(struct simconf *c, const struct preset *p, unsigned images)
{
	uint32_t at = p->base, ps = p->slot_sectors, ss = p->slot_sectors;
	char why[160];

	if (!strcmp(c->strategy, "swap-offset"))
		ss++;
	if (!strcmp(c->strategy, "swap-move"))
		ps++;
	for (unsigned i = 0; i < images; i++) {
		c->primary[i] = (struct simconf_area){ at, ps * p->sector, 1 };
		at += ps * p->sector;
		c->secondary[i] = (struct simconf_area){ at, ss * p->sector, 1 };
		at += ss * p->sector;
	}
	if (!strcmp(c->strategy, "swap-scratch")) {
		c->scratch = (struct simconf_area){ at, p->sector, 1 };
		at += p->sector;
	}
	snprintf(why, sizeof(why), "%" PRIu32 "x%" PRIu32, at / p->sector, p->sector);
	return simconf_parse_runs(why, &c->geom, why, sizeof(why));
}

/* STM32F4-like: primary = 4x16K + 64K + 128K, secondary = two 128K sectors, scratch 128K. */
static int place_mixed(struct simconf *c, unsigned images, char *why, unsigned wl)
{
	if (images != 1) {
		snprintf(why, wl, "the mixed preset has room for one image");
		return -1;
	}
	if (simconf_parse_runs("4x16K,1x64K,5x128K", &c->geom, why, wl))
		return -1;
	c->primary[0] = (struct simconf_area){ 0, 0x40000, 1 };
	c->secondary[0] = (struct simconf_area){ 0x40000, 0x40000, 1 };
	c->scratch = (struct simconf_area){ 0x80000, 0x20000, 1 };
	return 0;
}

static int file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int cmd_init(int argc, char **argv)
{
	struct simconf c;
	const struct preset *p = &presets[0];
	int force = 0;
	char why[200];
	uint32_t ws = 0, ev = 0xff;

	simconf_defaults(&c);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--force")) {
			force = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "keel-sim: init: %s needs a value\n", o);
			return 2;
		}
		i++;
		if (!strcmp(o, "--strategy")) {
			if (!simboot_strategy(v)) {
				fprintf(stderr, "keel-sim: init: unknown strategy '%s'\n", v);
				return 2;
			}
			snprintf(c.strategy, sizeof(c.strategy), "%s", v);
		} else if (!strcmp(o, "--geometry")) {
			p = NULL;
			for (size_t k = 0; k < sizeof(presets) / sizeof(presets[0]); k++)
				if (!strcmp(presets[k].name, v))
					p = &presets[k];
			if (!p) {
				fprintf(stderr, "keel-sim: init: unknown geometry '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(o, "--write-size")) {
			if (simconf_parse_size(v, &ws) || !ws || ws > 256) {
				fprintf(stderr, "keel-sim: init: bad write size '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(o, "--erased")) {
			if (simconf_parse_size(v, &ev) || (ev != 0 && ev != 0xff)) {
				fprintf(stderr, "keel-sim: init: erased value must be 0xff or 0x00\n");
				return 2;
			}
		} else if (!strcmp(o, "--images")) {
			if (strcmp(v, "1") && strcmp(v, "2")) {
				fprintf(stderr, "keel-sim: init: --images 1 or 2\n");
				return 2;
			}
			c.images = (unsigned)atoi(v);
		} else if (!strcmp(o, "--key")) {
			if (c.n_keys == SIMCONF_MAX_KEYS)
				return 2;
			snprintf(c.keys[c.n_keys++], SIMCONF_PATH, "%s", v);
		} else if (!strcmp(o, "--enc-key")) {
			snprintf(c.enc_key, sizeof(c.enc_key), "%s", v);
		} else if (!strcmp(o, "--nv-counter")) {
			snprintf(c.nv_file, sizeof(c.nv_file), "%s", v);
			c.nv_capacity = 1u << 20;
		} else {
			fprintf(stderr, "keel-sim: init: unknown option %s\n", o);
			return 2;
		}
	}
	if (file_exists(layout_path) && !force) {
		fprintf(stderr, "keel-sim: %s exists; using it (--force rewrites it)\n", layout_path);
		if (simconf_load(&c, layout_path))
			return 1;
	} else {
		int rc = p->sector ? place_uniform(&c, p, c.images) : place_mixed(&c, c.images, why, sizeof(why));

		if (rc) {
			fprintf(stderr, "keel-sim: init: %s\n", why);
			return 1;
		}
		c.geom.write_size = (uint16_t)(ws ? ws : p->write_size);
		c.geom.erased_val = (uint8_t)ev;
		if (simconf_write(&c, layout_path))
			return 1;
		printf("wrote layout %s (%s, %s, write size %u, erased 0x%02x)\n", layout_path, c.strategy,
		       p->name, c.geom.write_size, c.geom.erased_val);
		if (simconf_load(&c, layout_path))
			return 1;
	}
	{
		struct simflash *sf = simflash_new(&c.geom);
		char fp[SIMCONF_PATH * 2];
		int rc;

		if (!sf)
			return 1;
		simconf_abspath(&c, c.flash_file, fp, sizeof(fp));
		rc = simflash_save(sf, fp);
		simflash_free(sf);
		if (rc)
			return 1;
		printf("erased flash %s (%" PRIu32 " bytes)\n", fp, c.geom.size);
	}
	return 0;
}

/* ------------------------------------------------------- flash/erase */

static int read_file(const char *path, uint8_t **data, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		fprintf(stderr, "keel-sim: cannot open %s\n", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) || n > 0x7fffffff) {
		fclose(f);
		return -1;
	}
	*data = malloc(n ? (size_t)n : 1);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*data);
		fprintf(stderr, "keel-sim: cannot read %s\n", path);
		return -1;
	}
	fclose(f);
	*len = (uint32_t)n;
	return 0;
}

static int cmd_flash(int argc, char **argv)
{
	struct sim s = { 0 };
	const struct keel_area *a;
	unsigned img = 0;
	int sec = 0, rc = 1;
	uint32_t at = UINT32_MAX, len;
	uint8_t *data = NULL;

	if (argc < 3)
		return usage();
	if (argc == 5 && !strcmp(argv[3], "--at")) {
		if (simconf_parse_size(argv[4], &at)) {
			fprintf(stderr, "keel-sim: flash: bad offset '%s'\n", argv[4]);
			return 2;
		}
	} else if (argc != 3) {
		return usage();
	}
	if (sim_open(&s, 0))
		goto out;
	a = slot_area(&s, argv[1], &img, &sec);
	if (!a || read_file(argv[2], &data, &len))
		goto out;
	if (at == UINT32_MAX)
		at = sec ? keel_boot_upload_offset(&s.boot.cfg, img) : 0;
	if (at > a->size || len > a->size - at) {
		fprintf(stderr, "keel-sim: flash: %s (%" PRIu32 " bytes at +0x%" PRIx32
			") does not fit %s (%" PRIu32 " bytes)\n", argv[2], len, at, argv[1], a->size);
		goto out;
	}
	/* A programmer erases the whole slot first, so no stale trailer survives. */
	if (simflash_erase_raw(s.sf, a->off, a->size) ||
	    simflash_program_image(s.sf, a->off + at, data, len)) {
		fprintf(stderr, "keel-sim: flash: programming failed\n");
		goto out;
	}
	if (sim_save(&s))
		goto out;
	printf("programmed %s (%" PRIu32 " bytes) into %s at 0x%06" PRIx32 " (slot offset 0x%" PRIx32 ")\n",
	       argv[2], len, area_name(a), a->off + at, at);
	rc = 0;
out:
	free(data);
	sim_close(&s);
	return rc;
}

static int cmd_erase(int argc, char **argv)
{
	struct sim s = { 0 };
	const struct keel_area *a;
	unsigned img;
	int sec, rc = 1;

	if (argc != 2)
		return usage();
	if (sim_open(&s, 0))
		goto out;
	a = slot_area(&s, argv[1], &img, &sec);
	if (!a || simflash_erase_raw(s.sf, a->off, a->size) || sim_save(&s))
		goto out;
	printf("erased %s\n", area_name(a));
	rc = 0;
out:
	sim_close(&s);
	return rc;
}

/* -------------------------------------------------------------- boot */

static jmp_buf cut_env;

static void on_cut(void *arg)
{
	longjmp(cut_env, 1);
}

static void print_result(const struct keel_boot_result *r)
{
	for (unsigned i = 0; i < r->n_images; i++) {
		const struct keel_boot_image *im = &r->img[i];
		const struct keel_version *v = &im->hdr.ver;

		if (!im->bootable) {
			printf("image %u: not bootable (%s)\n", i, keel_reason_str(im->primary_reason));
			continue;
		}
		printf("booted image %u version %u.%u.%u+%" PRIu32 " from slot %s (0x%06" PRIx32
		       ", payload at +0x%" PRIx32 "), swap %s%s, %s\n",
		       i, v->major, v->minor, v->revision, v->build, area_name(im->area), im->area->off,
		       im->payload_off, keel_swap_type_str(im->swap), im->resumed ? " (resumed)" : "",
		       im->confirmed ? "confirmed" : "not confirmed (reverts unless the app confirms)");
		if (im->refused != KEEL_R_OK)
			printf("image %u: secondary refused: %s\n", i, keel_reason_str(im->refused));
	}
}

static int open_port(struct sim *s, struct keel_port *port, int recovery, const char *console)
{
	struct simport_opts o = { 0 };
	char nv[SIMCONF_PATH * 2];

	if (!console && s->conf.console[0])
		console = s->conf.console;
	if (console) {
		o.console = SIMPORT_CONSOLE_FD;
		o.console_spec = console;
	}
	if (s->conf.nv_file[0]) {
		o.nv_file = simconf_abspath(&s->conf, s->conf.nv_file, nv, sizeof(nv));
		o.nv_capacity = s->conf.nv_capacity;
	}
	o.recovery = recovery;
	o.detect_window_ms = s->conf.detect_window_ms;
	return simport_init(port, &o);
}

/*
 * Serial recovery on the console (docs/serial-recovery.md). An SMP reset
 * longjmps back into run_boot through simport's reset; the trigger counts
 * as released from then on, as a user lets go of the button.
 */
static struct keel_recovery rec;
static struct keel_recovery_config rcfg;

/* 1 if a client spoke within the detect window (its request is answered). */
static int recovery_detected(struct sim *s, struct keel_port *port)
{
	if (!port->detect_window_ms || !port->console_read)
		return 0;
	rcfg.boot = &s->boot.cfg;
	rcfg.port = port;
	keel_recovery_init(&rec, &rcfg);
	return keel_recovery_detect(&rec, port->detect_window_ms);
}

static int run_recovery(struct sim *s, struct keel_port *port, const char *why, int keep)
{
	int rc;

	if (!port->console_read) {
		fprintf(stderr, "keel-sim: %s, and serial recovery needs a console "
			"(console = pty or unix:PATH in the layout)\n", why);
		return 1;
	}
	printf("keel-boot: entering serial recovery (%s)\n", why);
	fflush(stdout);
	rcfg.boot = &s->boot.cfg;
	rcfg.port = port;
	if (!keep)
		keel_recovery_init(&rec, &rcfg);
	simport_set_recovery(0);
	rc = keel_recovery_run(&rec);
	return rc ? 1 : 0;
}

struct boot_opts {
	const char *console;
	uint64_t cut_at;
	enum simflash_model model;
	uint64_t seed;
	int recovery;
	int trace;
};

static int run_boot(const struct boot_opts *bo)
{
	struct sim s = { 0 };
	struct keel_port port;
	struct keel_boot_result res;
	struct simflash_stats st0, st1;
	static jmp_buf reset_env;
	volatile int resets = 0;
	volatile int rc = 1;
	int brc, held;

	if (sim_open(&s, 1) || open_port(&s, &port, bo->recovery, bo->console))
		goto out;
	simflash_stats(s.sf, &st0);
	if (bo->trace)
		simflash_trace(s.sf, stdout);
	if (bo->cut_at) {
		struct simflash_fault f = { .model = bo->model, .at_op = st0.ops + bo->cut_at,
					    .seed = bo->seed, .flips = 1 };

		simflash_arm(s.sf, &f);
		simflash_set_cut_hook(s.sf, on_cut, NULL);
	}
	simport_reset_to(&reset_env);
	if (setjmp(reset_env) == 2) {
		if (++resets > 8) {
			fprintf(stderr, "keel-sim: keel-boot reset 8 times in a row; giving up\n");
			goto save;
		}
		printf("keel-sim: reset requested; booting again\n");
	}
	if (setjmp(cut_env)) {
		uint64_t at;
		enum simflash_effect fx = simflash_last_effect(s.sf, &at);

		printf("\nkeel-sim: POWER LOST at flash op %" PRIu64 " of this boot (%s); flash saved.\n"
		       "keel-sim: run `keel-sim boot` to power on again.\n",
		       at - st0.ops, simflash_effect_name(fx));
		rc = 0;
		goto save;
	}
	memset(&res, 0, sizeof(res));
	brc = keel_boot(&s.boot.cfg, &port, &res);
	simflash_stats(s.sf, &st1);
	print_result(&res);
	printf("flash: %" PRIu64 " ops (%" PRIu64 " erases of %" PRIu64 " sectors, %" PRIu64
	       " bytes programmed)\n", st1.ops - st0.ops, st1.erases - st0.erases,
	       st1.sectors_erased - st0.sectors_erased, st1.bytes_programmed - st0.bytes_programmed);
	held = port.recovery_requested && port.recovery_requested();
	if (held || brc == KEEL_ENOENT) {
		rc = run_recovery(&s, &port, held ? "recovery trigger held" : "no bootable image", 0);
		goto save;
	}
	if (recovery_detected(&s, &port)) {
		rc = run_recovery(&s, &port, "a client spoke within the detect window", 1);
		goto save;
	}
	if (brc) {
		printf("keel-boot: no bootable image: %s\n", keel_strerror(brc));
		rc = 1;
	} else {
		rc = 0;
	}
	if (simflash_violations(s.sf) != st0.violations) {
		fprintf(stderr, "keel-sim: keel-boot broke the flash rules (see VIOLATION lines)\n");
		rc = 1;
	}
save:
	simport_reset_to(NULL);
	if (sim_save(&s))
		rc = 1;
out:
	simport_close();
	sim_close(&s);
	return rc;
}

static int cmd_boot(int argc, char **argv, int is_cut)
{
	struct boot_opts bo = { .model = SIMFLASH_CUT, .seed = 1 };

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--recovery")) {
			bo.recovery = 1;
		} else if (!strcmp(o, "--trace")) {
			bo.trace = 1;
		} else if (!strcmp(o, "--torn")) {
			bo.model = SIMFLASH_TORN;
		} else if ((!strcmp(o, "--cut-at") || !strcmp(o, "--at")) && v) {
			bo.cut_at = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(o, "--model") && v) {
			bo.model = simflash_model_parse(v);
			if (!bo.model) {
				fprintf(stderr, "keel-sim: unknown fault model '%s'\n", v);
				return 2;
			}
			i++;
		} else if (!strcmp(o, "--seed") && v) {
			bo.seed = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(o, "--console") && v) {
			bo.console = v;
			i++;
		} else {
			fprintf(stderr, "keel-sim: boot: unknown option %s\n", o);
			return 2;
		}
	}
	if (is_cut && !bo.cut_at) {
		fprintf(stderr, "keel-sim: cut: --at N (N >= 1) is required\n");
		return 2;
	}
	return run_boot(&bo);
}

/* --------------------------------------------------------------- app */

static const char *magic_str(enum keel_magic_state m)
{
	return m == KEEL_MAGIC_GOOD ? "good" : m == KEEL_MAGIC_BAD ? "BAD" : "unset";
}

static const char *flag_str(enum keel_flag_state f)
{
	return f == KEEL_FLAG_SET ? "set" : f == KEEL_FLAG_BAD ? "BAD" : "unset";
}

static void print_trailer(const char *name, const struct keel_trailer_state *t)
{
	printf("  %-9s magic %-5s image_ok %-5s copy_done %-5s swap_info type %u image %u\n", name,
	       magic_str(t->magic), flag_str(t->image_ok), flag_str(t->copy_done), t->swap_type,
	       t->swap_image);
}

static int cmd_app(int argc, char **argv)
{
	struct sim s = { 0 };
	struct keel_bootctl bc;
	unsigned img = 0;
	int permanent = 0, rc = 1, r;
	const char *what;

	if (argc < 2)
		return usage();
	what = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--permanent"))
			permanent = 1;
		else if (!strcmp(argv[i], "--image") && i + 1 < argc)
			img = (unsigned)atoi(argv[++i]);
		else
			return usage();
	}
	if (sim_open(&s, 0))
		goto out;
	if (img >= s.boot.cfg.n_images) {
		fprintf(stderr, "keel-sim: app: the layout has %u image(s)\n", s.boot.cfg.n_images);
		goto out;
	}
	bc.primary = &s.boot.cfg.images[img].primary;
	bc.secondary = &s.boot.cfg.images[img].secondary;
	bc.trailer_align = s.boot.cfg.trailer_align;
	bc.strategy = s.boot.cfg.strategy;
	bc.image = (uint8_t)img;
	if (!strcmp(what, "confirm")) {
		r = keel_bootctl_confirm(&bc);
		printf("app: confirm image %u: %s\n", img, r ? keel_strerror(r) : "ok");
	} else if (!strcmp(what, "upgrade")) {
		r = keel_bootctl_request_upgrade(&bc, permanent);
		printf("app: request %s upgrade of image %u: %s\n", permanent ? "permanent" : "test", img,
		       r == KEEL_EBUSY ? "already requested" : r ? keel_strerror(r) : "ok");
		if (r == KEEL_EBUSY)
			r = 0;
	} else if (!strcmp(what, "state")) {
		struct keel_bootctl_state st;

		r = keel_bootctl_read_state(&bc, &st);
		if (!r) {
			printf("image %u:\n", img);
			print_trailer("primary", &st.primary);
			print_trailer("secondary", &st.secondary);
			printf("  next boot: %s (decision-table row %u)\n", keel_swap_type_str(st.next),
			       st.table_row);
		} else {
			printf("app: state: %s\n", keel_strerror(r));
		}
	} else {
		rc = usage();
		goto out;
	}
	if (simflash_violations(s.sf)) {
		fprintf(stderr, "keel-sim: the bootctl library broke the flash rules\n");
		r = -1;
	}
	if (sim_save(&s))
		goto out;
	rc = r ? 1 : 0;
out:
	sim_close(&s);
	return rc;
}

/* ------------------------------------------------------------- stats */

static void area_wear(struct sim *s, const struct keel_area *a)
{
	uint32_t first, last, min = UINT32_MAX, max = 0;
	uint64_t sum = 0;

	if (!a->size)
		return;
	first = (uint32_t)simflash_sector_index(s->sf, a->off, NULL, NULL);
	last = (uint32_t)simflash_sector_index(s->sf, a->off + a->size - 1, NULL, NULL);
	for (uint32_t i = first; i <= last; i++) {
		uint32_t w = simflash_wear(s->sf, i);

		min = w < min ? w : min;
		max = w > max ? w : max;
		sum += w;
	}
	printf("  %-10s 0x%06" PRIx32 " +0x%06" PRIx32 " %3u sectors, erases min %u max %u total %" PRIu64
	       "\n", area_name(a), a->off, a->size, last - first + 1, min, max, sum);
}

static int cmd_stats(void)
{
	struct sim s = { 0 };
	struct simflash_stats st;

	if (sim_open(&s, 0)) {
		sim_close(&s);
		return 1;
	}
	simflash_stats(s.sf, &st);
	printf("flash ops since init: %" PRIu64 " (%" PRIu64 " progs, %" PRIu64 " erase calls, %" PRIu64
	       " sectors erased, %" PRIu64 " bytes programmed), %" PRIu64 " rule violations\n",
	       st.ops, st.progs, st.erases, st.sectors_erased, st.bytes_programmed, st.violations);
	for (unsigned i = 0; i < s.boot.cfg.n_images; i++) {
		area_wear(&s, &s.boot.cfg.images[i].primary);
		area_wear(&s, &s.boot.cfg.images[i].secondary);
	}
	area_wear(&s, &s.boot.cfg.scratch);
	for (unsigned i = 0; i < s.boot.cfg.n_images; i++)
		printf("  image %u: largest image %" PRIu32 " bytes, upload offset 0x%" PRIx32 "\n", i,
		       keel_boot_max_image_size(&s.boot.cfg, i), keel_boot_upload_offset(&s.boot.cfg, i));
	sim_close(&s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("KEEL_SIM_LAYOUT");
	int i = 1;

	if (env && *env)
		layout_path = env;
	if (i + 1 < argc && (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--layout"))) {
		layout_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		return usage();
	argc -= i;
	argv += i;
	if (!strcmp(argv[0], "help")) {
		if (argc > 1 && !strcmp(argv[1], "config")) {
			simconf_help();
			return 0;
		}
		usage();
		return 0;
	}
	if (!strcmp(argv[0], "init"))
		return cmd_init(argc, argv);
	if (!strcmp(argv[0], "flash"))
		return cmd_flash(argc, argv);
	if (!strcmp(argv[0], "erase"))
		return cmd_erase(argc, argv);
	if (!strcmp(argv[0], "boot"))
		return cmd_boot(argc, argv, 0);
	if (!strcmp(argv[0], "cut"))
		return cmd_boot(argc, argv, 1);
	if (!strcmp(argv[0], "app"))
		return cmd_app(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats();
	fprintf(stderr, "keel-sim: unknown command '%s'\n", argv[0]);
	return usage();
}
