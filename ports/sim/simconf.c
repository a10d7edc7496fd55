/* SPDX-License-Identifier: Apache-2.0 */
/* keel-sim's layout file: parser, checker and writer (format in simconf.h). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simconf.h"

void simconf_defaults(struct simconf *c)
{
	memset(c, 0, sizeof(*c));
	c->geom.write_size = 4;
	c->geom.erased_val = 0xff;
	snprintf(c->flash_file, sizeof(c->flash_file), "flash.bin");
	snprintf(c->strategy, sizeof(c->strategy), "swap-offset");
	c->images = 1;
	c->nv_capacity = 0xffffffffu;
	c->validate_primary = 1;
	c->hash_bits = 256;
}

int simconf_parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	if (*end == 'K' || *end == 'k') {
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v *= 1024 * 1024;
		end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end || v > 0xffffffffull)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int simconf_parse_runs(const char *s, struct simflash_geom *g, char *why, unsigned why_len)
{
	char buf[512], *save = NULL, *tok;
	uint64_t total = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	g->n_runs = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *x = strchr(tok, 'x');
		uint32_t count, size;

		if (!x)
			x = strchr(tok, 'X');
		if (!x) {
			snprintf(why, why_len, "sector run '%s' is not COUNTxSIZE", tok);
			return -1;
		}
		*x = 0;
		if (simconf_parse_size(tok, &count) || simconf_parse_size(x + 1, &size) ||
		    !count || !size) {
			snprintf(why, why_len, "sector run '%s x %s' has a bad number", tok, x + 1);
			return -1;
		}
		if (g->n_runs == SIMFLASH_MAX_RUNS) {
			snprintf(why, why_len, "more than %d sector runs", SIMFLASH_MAX_RUNS);
			return -1;
		}
		g->runs[g->n_runs].count = count;
		g->runs[g->n_runs].size = size;
		g->n_runs++;
		total += (uint64_t)count * size;
	}
	if (!g->n_runs || total > 0x80000000u) {
		snprintf(why, why_len, "no sector runs, or more than 2 GiB");
		return -1;
	}
	g->size = (uint32_t)total;
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int parse_area(const char *v, struct simconf_area *a)
{
	char buf[128], *sp;

	snprintf(buf, sizeof(buf), "%s", v);
	sp = strpbrk(buf, " \t");
	if (!sp)
		return -1;
	*sp++ = 0;
	if (simconf_parse_size(buf, &a->off) || simconf_parse_size(sp, &a->size) || !a->size)
		return -1;
	a->set = 1;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int copy_str(char *dst, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* One `name = value`; returns 0, or -1 with why set. */
static int set_value(struct simconf *c, const char *k, const char *v, char *why, unsigned wl)
{
	uint32_t n;
	int b;

	if (!strcmp(k, "sectors"))
		return simconf_parse_runs(v, &c->geom, why, wl);
	if (!strcmp(k, "write-size")) {
		if (simconf_parse_size(v, &n) || n > 256)
			goto bad;
		c->geom.write_size = (uint16_t)n;
		return 0;
	}
	if (!strcmp(k, "erased-value")) {
		if (simconf_parse_size(v, &n) || (n != 0xff && n != 0))
			goto bad;
		c->geom.erased_val = (uint8_t)n;
		return 0;
	}
	if (!strcmp(k, "flash-file"))
		return copy_str(c->flash_file, sizeof(c->flash_file), v) ? (snprintf(why, wl, "path too long"), -1) : 0;
	if (!strcmp(k, "strategy")) {
		if (strcmp(v, "swap-offset") && strcmp(v, "swap-move") && strcmp(v, "swap-scratch") &&
		    strcmp(v, "overwrite"))
			goto bad;
		snprintf(c->strategy, sizeof(c->strategy), "%s", v);
		return 0;
	}
	if (!strcmp(k, "images")) {
		if (simconf_parse_size(v, &n) || n < 1 || n > 2)
			goto bad;
		c->images = n;
		return 0;
	}
	if (!strncmp(k, "primary", 7) || !strncmp(k, "secondary", 9)) {
		int prim = k[0] == 'p';
		const char *idx = k + (prim ? 7 : 9);
		struct simconf_area *a;

		if (strcmp(idx, "0") && strcmp(idx, "1"))
			goto bad_name;
		a = prim ? &c->primary[idx[0] - '0'] : &c->secondary[idx[0] - '0'];
		if (parse_area(v, a))
			goto bad;
		return 0;
	}
	if (!strcmp(k, "scratch"))
		return parse_area(v, &c->scratch) ? (snprintf(why, wl, "scratch wants 'OFFSET SIZE'"), -1) : 0;
	if (!strcmp(k, "key")) {
		if (c->n_keys == SIMCONF_MAX_KEYS) {
			snprintf(why, wl, "more than %d keys", SIMCONF_MAX_KEYS);
			return -1;
		}
		return copy_str(c->keys[c->n_keys++], SIMCONF_PATH, v);
	}
	if (!strcmp(k, "enc-key"))
		return copy_str(c->enc_key, sizeof(c->enc_key), v);
	if (!strcmp(k, "nv-counter"))
		return copy_str(c->nv_file, sizeof(c->nv_file), v);
	if (!strcmp(k, "nv-capacity")) {
		if (simconf_parse_size(v, &c->nv_capacity))
			goto bad;
		return 0;
	}
	if (!strcmp(k, "max-align")) {
		if (simconf_parse_size(v, &n) || (n && n != 8 && n != 16 && n != 32))
			goto bad;
		c->max_align = n;
		return 0;
	}
	if (!strcmp(k, "hash")) {
		if (!strcmp(v, "sha256"))
			c->hash_bits = 256;
		else if (!strcmp(v, "sha512"))
			c->hash_bits = 512;
		else
			goto bad;
		return 0;
	}
	if (!strcmp(k, "max-sectors")) {
		if (simconf_parse_size(v, &c->max_sectors))
			goto bad;
		return 0;
	}
	if (!strcmp(k, "console"))
		return copy_str(c->console, sizeof(c->console), v);
	if (!strcmp(k, "detect-window-ms")) {
		if (simconf_parse_size(v, &c->detect_window_ms))
			goto bad;
		return 0;
	}
	if (!strcmp(k, "validate-primary") || !strcmp(k, "downgrade-version") ||
	    !strcmp(k, "downgrade-security-counter") || !strcmp(k, "require-security-counter")) {
		if (parse_bool(v, &b))
			goto bad;
		if (k[0] == 'v')
			c->validate_primary = b;
		else if (!strcmp(k, "downgrade-version"))
			c->downgrade_version = b;
		else if (k[0] == 'd')
			c->downgrade_sec_cnt = b;
		else
			c->require_sec_cnt = b;
		return 0;
	}
bad_name:
	snprintf(why, wl, "unknown setting '%s' (keel-sim help config lists them)", k);
	return -1;
bad:
	snprintf(why, wl, "bad value '%s' for %s", v, k);
	return -1;
}

static int area_check(const struct simconf *c, const char *name, const struct simconf_area *a,
		      char *why, unsigned wl)
{
	if (!a->set) {
		snprintf(why, wl, "%s is not set", name);
		return -1;
	}
	if (a->off > c->geom.size || a->size > c->geom.size - a->off) {
		snprintf(why, wl, "%s [0x%" PRIx32 ", +0x%" PRIx32 ") is outside the %" PRIu32
			 "-byte flash", name, a->off, a->size, c->geom.size);
		return -1;
	}
	return 0;
}

/* Consistency that the flash model itself can judge; the boot core judges the rest. */
static int check(struct simconf *c, char *why, unsigned wl)
{
	if (!c->geom.n_runs) {
		snprintf(why, wl, "'sectors' is missing");
		return -1;
	}
	if (simflash_geom_check(&c->geom, why, wl))
		return -1;
	for (unsigned i = 0; i < c->images; i++) {
		char n[32];

		snprintf(n, sizeof(n), "primary%u", i);
		if (area_check(c, n, &c->primary[i], why, wl))
			return -1;
		snprintf(n, sizeof(n), "secondary%u", i);
		if (area_check(c, n, &c->secondary[i], why, wl))
			return -1;
	}
	if (!strcmp(c->strategy, "swap-scratch") && area_check(c, "scratch", &c->scratch, why, wl))
		return -1;
	return 0;
}

int simconf_load(struct simconf *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048], why[256];
	unsigned lineno = 0;
	const char *slash;

	simconf_defaults(c);
	if (!f) {
		fprintf(stderr, "keel-sim: cannot open layout %s: %s (keel-sim init writes one)\n",
			path, strerror(errno));
		return -1;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	slash = strrchr(path, '/');
	if (slash)
		snprintf(c->dir, sizeof(c->dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(c->dir, sizeof(c->dir), ".");
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#'), *eq, *k, *v;

		lineno++;
		if (hash)
			*hash = 0;
		k = trim(line);
		if (!*k)
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			fprintf(stderr, "keel-sim: %s:%u: expected 'name = value'\n", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = 0;
		k = trim(k);
		v = trim(eq + 1);
		why[0] = 0;
		if (set_value(c, k, v, why, sizeof(why))) {
			fprintf(stderr, "keel-sim: %s:%u: %s\n", path, lineno,
				why[0] ? why : "value too long");
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (check(c, why, sizeof(why))) {
		fprintf(stderr, "keel-sim: %s: %s\n", path, why);
		return -1;
	}
	return 0;
}

const char *simconf_abspath(const struct simconf *c, const char *rel, char *out, unsigned out_len)
{
	if (rel[0] == '/')
		snprintf(out, out_len, "%s", rel);
	else
		snprintf(out, out_len, "%s/%s", c->dir, rel);
	return out;
}

static void put_area(FILE *f, const char *name, const struct simconf_area *a)
{
	if (a->set)
		fprintf(f, "%-26s = 0x%06" PRIx32 " 0x%" PRIx32 "\n", name, a->off, a->size);
}

int simconf_write(const struct simconf *c, const char *path)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f) {
		fprintf(stderr, "keel-sim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# keel-sim layout (keel-sim help config describes every setting)\n\n");
	fprintf(f, "# The flash device: sector runs COUNTxSIZE from offset 0, program unit, erased value.\n");
	fprintf(f, "%-26s = ", "sectors");
	for (unsigned i = 0; i < c->geom.n_runs; i++) {
		uint32_t sz = c->geom.runs[i].size;

		fprintf(f, "%s%" PRIu32 "x", i ? "," : "", c->geom.runs[i].count);
		if (sz % (1024 * 1024) == 0)
			fprintf(f, "%" PRIu32 "M", sz / (1024 * 1024));
		else if (sz % 1024 == 0)
			fprintf(f, "%" PRIu32 "K", sz / 1024);
		else
			fprintf(f, "%" PRIu32, sz);
	}
	fprintf(f, "\n%-26s = %u\n", "write-size", c->geom.write_size);
	fprintf(f, "%-26s = 0x%02x\n", "erased-value", c->geom.erased_val);
	fprintf(f, "%-26s = %s\n\n", "flash-file", c->flash_file);
	fprintf(f, "# Upgrade strategy: swap-offset, swap-move, swap-scratch or overwrite.\n");
	fprintf(f, "%-26s = %s\n%-26s = %u\n", "strategy", c->strategy, "images", c->images);
	fprintf(f, "# Slots: OFFSET SIZE on the device.\n");
	for (unsigned i = 0; i < 2; i++) {
		char n[32];

		snprintf(n, sizeof(n), "primary%u", i);
		put_area(f, n, &c->primary[i]);
		snprintf(n, sizeof(n), "secondary%u", i);
		put_area(f, n, &c->secondary[i]);
	}
	put_area(f, "scratch", &c->scratch);
	if (c->max_align)
		fprintf(f, "%-26s = %" PRIu32 "\n", "max-align", c->max_align);
	if (c->max_sectors)
		fprintf(f, "%-26s = %" PRIu32 "\n", "max-sectors", c->max_sectors);
	fprintf(f, "%-26s = sha%u\n", "hash", c->hash_bits);
	fprintf(f, "\n# Keys built into keel-boot (PEM, public or private, or `keel getpub -e raw` DER).\n");
	for (unsigned i = 0; i < c->n_keys; i++)
		fprintf(f, "%-26s = %s\n", "key", c->keys[i]);
	if (c->enc_key[0])
		fprintf(f, "%-26s = %s\n", "enc-key", c->enc_key);
	if (c->nv_file[0]) {
		fprintf(f, "%-26s = %s\n", "nv-counter", c->nv_file);
		fprintf(f, "%-26s = %" PRIu32 "\n", "nv-capacity", c->nv_capacity);
	}
	fprintf(f, "\n# Policies.\n");
	fprintf(f, "%-26s = %s\n", "validate-primary", c->validate_primary ? "yes" : "no");
	fprintf(f, "%-26s = %s\n", "downgrade-version", c->downgrade_version ? "yes" : "no");
	fprintf(f, "%-26s = %s\n", "downgrade-security-counter", c->downgrade_sec_cnt ? "yes" : "no");
	fprintf(f, "%-26s = %s\n", "require-security-counter", c->require_sec_cnt ? "yes" : "no");
	if (c->console[0])
		fprintf(f, "%-26s = %s\n", "console", c->console);
	if (c->detect_window_ms)
		fprintf(f, "%-26s = %" PRIu32 "\n", "detect-window-ms", c->detect_window_ms);
	ok = !ferror(f);
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : -1;
}

void simconf_help(void)
{
	fputs(
"keel-sim layout file: `name = value` lines, '#' comments. Numbers: decimal, 0x hex,\n"
"K/M suffixes. Paths are relative to the layout file's folder.\n"
"\n"
"  sectors = RUNS              sector map from offset 0, e.g. 64x4K or 4x16K,1x64K,7x128K\n"
"  write-size = W              program unit in bytes: 1, 2, 4, ... 256 (default 4)\n"
"  erased-value = 0xff|0x00    value of an erased byte (default 0xff)\n"
"  flash-file = PATH           raw flash contents (default flash.bin; PATH.state holds\n"
"                              wear counters and the programmed-unit map)\n"
"  strategy = S                swap-offset (default), swap-move, swap-scratch, overwrite\n"
"  images = 1|2                number of updatable images\n"
"  primary0 = OFF SIZE         primary slot of image 0 (likewise secondary0, primary1,\n"
"  secondary0 = OFF SIZE       secondary1); swap-offset wants the secondary one sector\n"
"                              larger, swap-move the primary one sector larger\n"
"  scratch = OFF SIZE          scratch area (swap-scratch only)\n"
"  max-align = 8|16|32         trailer alignment (default max(8, write size))\n"
"  max-sectors = N             sectors the swap status is sized for (imgtool -M; default:\n"
"                              the slot's own sector count)\n"
"  hash = sha256|sha512        image hash TLV keel-boot requires (default sha256)\n"
"  key = PATH                  a signing key keel-boot trusts; repeat for more keys.\n"
"                              PEM (public or private) or the DER `keel getpub -e raw` prints\n"
"  enc-key = PATH              the device's private key for encrypted images (PEM,\n"
"                              P-256 or X25519)\n"
"  nv-counter = PATH           security counter file (one decimal number per image line);\n"
"                              absent = no hardware rollback counter\n"
"  nv-capacity = N             largest counter value the 'hardware' holds\n"
"  validate-primary = yes|no   re-verify the primary on every boot (default yes)\n"
"  downgrade-version = yes|no  refuse an upgrade to a lower version (default no)\n"
"  downgrade-security-counter = yes|no   refuse a lower SEC_CNT (default no)\n"
"  require-security-counter = yes|no     refuse images without SEC_CNT (default no)\n"
"  console = pty|unix:PATH     boot console on a pty or unix socket instead of stdout\n"
"  detect-window-ms = N        at power-on, serial recovery waits N ms for a first SMP\n"
"                              frame before booting (needs a console; default 0)\n",
	      stdout);
}
