/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmarks on the simulator (make bench, via ports/sim/bench.sh):
 *
 *   pf_bench wear            sector erases and bytes programmed per upgrade
 *                            (test swap) and per revert, as a function of the
 *                            image size N in sectors, for each strategy;
 *                            Markdown table on stdout
 *   pf_bench validate SIZE KEYTYPE
 *                            one keel_boot() of a primary holding a SIZE-byte
 *                            image signed with KEYTYPE (ed25519, ecdsa-p256):
 *                            run under callgrind --toggle-collect=keel_boot
 *
 * Figures come from simflash's counters, so they are exact for this core and
 * layout: 4 KiB sectors, write size 4, swap-offset secondary / swap-move
 * primary one sector larger, swap-scratch with a one-sector scratch.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
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

#define SECTOR 4096u
#define SLOT_SECTORS 72u

static char key[1000];
static struct keel_port port;

static int sign(const char *name, uint32_t payload, const char *ver, uint64_t seed, struct pf_buf *out)
{
	char in[1100], o[1100];
	uint8_t *p = malloc(payload);
	int rc;

	if (!p)
		return -1;
	pf_fill(p, payload, seed);
	snprintf(in, sizeof(in), "%s/%s.raw", pf_workdir("bench"), name);
	snprintf(o, sizeof(o), "%s/%s.bin", pf_workdir("bench"), name);
	rc = pf_write(in, p, payload);
	free(p);
	if (rc || pf_run("'%s' sign -k '%s' --version %s -H 0x20 --pad-header -S 0x4000000 '%s' '%s'",
			 pf_keel(), key, ver, in, o))
		return -1;
	return pf_read(o, out);
}

struct rig {
	struct simconf conf;
	struct simflash *sf;
	struct simboot sb;
};

static int rig_open(struct rig *r, const char *strategy, uint32_t slot_sectors)
{
	uint32_t ps = slot_sectors, ss = slot_sectors, at;
	char runs[32], why[100];

	memset(r, 0, sizeof(*r));
	simconf_defaults(&r->conf);
	snprintf(r->conf.strategy, sizeof(r->conf.strategy), "%s", strategy);
	if (!strcmp(strategy, "swap-offset"))
		ss++;
	if (!strcmp(strategy, "swap-move"))
		ps++;
	r->conf.primary[0] = (struct simconf_area){ 0, ps * SECTOR, 1 };
	r->conf.secondary[0] = (struct simconf_area){ ps * SECTOR, ss * SECTOR, 1 };
	at = (ps + ss) * SECTOR;
	if (!strcmp(strategy, "swap-scratch")) {
		r->conf.scratch = (struct simconf_area){ at, SECTOR, 1 };
		at += SECTOR;
	}
	snprintf(runs, sizeof(runs), "%ux4K", at / SECTOR);
	if (simconf_parse_runs(runs, &r->conf.geom, why, sizeof(why)))
		return -1;
	r->conf.n_keys = 1;
	snprintf(r->conf.keys[0], SIMCONF_PATH, "%s", key);
	r->sf = simflash_new(&r->conf.geom);
	if (!r->sf || simboot_setup(&r->sb, &r->conf, simflash_dev(r->sf)))
		return -1;
	return simboot_check(&r->sb, 1);
}

static void rig_close(struct rig *r)
{
	simboot_release(&r->sb);
	simflash_free(r->sf);
}

struct cost {
	uint64_t sectors, bytes;
};

/* One boot; its erases and programmed bytes. -1 if it failed. */
static int boot_cost(struct rig *r, struct cost *c, int want_major)
{
	struct simflash_stats a, b;
	struct keel_boot_result res;
	int rc;

	simflash_stats(r->sf, &a);
	memset(&res, 0, sizeof(res));
	rc = keel_boot(&r->sb.cfg, &port, &res);
	simflash_stats(r->sf, &b);
	if (rc || res.img[0].hdr.ver.major != want_major) {
		fprintf(stderr, "pf_bench: boot failed (%s) or wrong version %u\n", keel_strerror(rc),
			res.img[0].hdr.ver.major);
		return -1;
	}
	c->sectors = b.sectors_erased - a.sectors_erased;
	c->bytes = b.bytes_programmed - a.bytes_programmed;
	return 0;
}

static int measure(const char *strategy, const struct pf_buf *old, const struct pf_buf *nw,
		   struct cost *up, struct cost *rev)
{
	struct rig r;
	struct keel_bootctl bc;
	int rc = -1;

	if (rig_open(&r, strategy, SLOT_SECTORS))
		goto out;
	simflash_program_image(r.sf, r.sb.cfg.images[0].primary.off, old->data, old->len);
	simflash_program_image(r.sf, r.sb.cfg.images[0].secondary.off + keel_boot_upload_offset(&r.sb.cfg, 0),
			       nw->data, nw->len);
	bc = (struct keel_bootctl){ &r.sb.cfg.images[0].primary, &r.sb.cfg.images[0].secondary,
				    r.sb.cfg.trailer_align, r.sb.cfg.strategy, 0 };
	/* Overwrite-only has no revert: its upgrade is permanent. */
	if (keel_bootctl_request_upgrade(&bc, !strcmp(strategy, "overwrite")) ||
	    boot_cost(&r, up, 2))
		goto out;
	rev->sectors = rev->bytes = 0;
	if (strcmp(strategy, "overwrite") && boot_cost(&r, rev, 1))
		goto out;
	rc = simflash_violations(r.sf) ? -1 : 0;
out:
	rig_close(&r);
	return rc;
}

static int wear(void)
{
	static const uint32_t ns[] = { 1, 2, 4, 8, 16, 32, 64 };
	static const char *const st[] = { "swap-offset", "swap-move", "swap-scratch", "overwrite" };

	static const int k[] = { 2, 3, 3, 1 };
	int64_t lo[4][2], hi[4][2];

	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 2; b++)
			lo[a][b] = INT64_MAX, hi[a][b] = INT64_MIN;
	printf("| N (sectors) | image bytes | swap-offset up / revert | swap-move up / revert | "
	       "swap-scratch up / revert | overwrite up |\n|---:|---:|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct pf_buf old, nw;
		char n1[32], n2[32];
		/* Both images span exactly N sectors (header + payload + TLVs). */
		uint32_t payload = ns[i] * SECTOR - 0x20 - 256;

		snprintf(n1, sizeof(n1), "old%u", ns[i]);
		snprintf(n2, sizeof(n2), "new%u", ns[i]);
		if (sign(n1, payload - 64, "1.0.0", ns[i], &old) || sign(n2, payload, "2.0.0", ns[i] + 100, &nw))
			return 1;
		printf("| %u | %u |", ns[i], nw.len);
		for (size_t s = 0; s < 4; s++) {
			struct cost up, rev;

			if (measure(st[s], &old, &nw, &up, &rev)) {
				printf(" failed |");
				continue;
			}
			for (int b = 0; b < 2; b++) {
				int64_t extra = (int64_t)(b ? rev.sectors : up.sectors) - (int64_t)k[s] * ns[i];

				lo[s][b] = extra < lo[s][b] ? extra : lo[s][b];
				hi[s][b] = extra > hi[s][b] ? extra : hi[s][b];
			}
			if (s == 3)
				printf(" %" PRIu64 " erases, %" PRIu64 " KiB |", up.sectors, up.bytes / 1024);
			else
				printf(" %" PRIu64 " / %" PRIu64 " erases, %" PRIu64 " / %" PRIu64 " KiB |",
				       up.sectors, rev.sectors, up.bytes / 1024, rev.bytes / 1024);
		}
		printf("\n");
		pf_buf_free(&old);
		pf_buf_free(&nw);
	}
	printf("\nErases as k*N + c over N = 1..64 (c as min..max):\n\n");
	for (size_t s = 0; s < 4; s++) {
		printf("- %s: upgrade %dN %+" PRId64 "..%+" PRId64, st[s], k[s], lo[s][0], hi[s][0]);
		if (s < 3)
			printf(", revert %dN %+" PRId64 "..%+" PRId64, k[s], lo[s][1], hi[s][1]);
		printf("\n");
	}
	return 0;
}

/* One keel_boot of a verified primary; callgrind counts keel_boot only. */
static int validate(uint32_t size)
{
	struct pf_buf img;
	struct rig r;
	struct keel_boot_result res;
	uint32_t sectors = (size + 2 * SECTOR) / SECTOR + 1;
	int rc;

	if (sign("validate", size - 0x20 - 256, "1.0.0", 5, &img) || rig_open(&r, "swap-offset", sectors))
		return 1;
	simflash_program_image(r.sf, 0, img.data, img.len);
	memset(&res, 0, sizeof(res));
	rc = keel_boot(&r.sb.cfg, &port, &res);
	if (rc || !res.img[0].bootable) {
		fprintf(stderr, "pf_bench: the %u-byte image did not verify (%s)\n", img.len, keel_strerror(rc));
		return 1;
	}
	printf("validated %u bytes\n", img.len);
	rig_close(&r);
	pf_buf_free(&img);
	return 0;
}

int main(int argc, char **argv)
{
	struct simport_opts po = { .console = SIMPORT_CONSOLE_CAPTURE };
	const char *kt = argc > 3 ? argv[3] : "ed25519";
	int rc;

	if (argc < 2 || (strcmp(argv[1], "wear") && (strcmp(argv[1], "validate") || argc < 3))) {
		fprintf(stderr, "usage: pf_bench wear | pf_bench validate SIZE [ed25519|ecdsa-p256]\n");
		return 2;
	}
	if (simport_init(&port, &po))
		return 1;
	snprintf(key, sizeof(key), "%.900s/key.pem", pf_workdir("bench"));
	if (pf_run("'%s' keygen -t %s -k '%s'", pf_keel(), kt, key))
		return 1;
	rc = !strcmp(argv[1], "wear") ? wear() : validate((uint32_t)strtoul(argv[2], NULL, 0));
	pf_workdir_cleanup();
	return rc;
}
