/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pf_tool.h"
#include "simflash.h"

static char workdir[1024];

const char *pf_workdir(const char *tag)
{
	const char *t = getenv("TMPDIR");

	if (workdir[0])
		return workdir;
	snprintf(workdir, sizeof(workdir), "%s/keel-%s-XXXXXX", t && *t ? t : "/tmp", tag);
	if (!mkdtemp(workdir)) {
		fprintf(stderr, "cannot create a scratch folder %s\n", workdir);
		exit(1);
	}
	return workdir;
}

void pf_workdir_cleanup(void)
{
	char cmd[1100];

	if (!workdir[0] || getenv("KEEL_KEEP_WORKDIR"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", workdir);
	workdir[0] = 0;
}

const char *pf_keel(void)
{
	static char path[1024];
	const char *t = getenv("KEEL_TOOL"), *b = getenv("KEEL_BUILD");

	if (t && *t)
		return t;
	snprintf(path, sizeof(path), "%s/tools/keel/keel", b && *b ? b : ".");
	if (access(path, X_OK)) {
		fprintf(stderr, "the keel tool is not at %s (set KEEL_BUILD or KEEL_TOOL)\n", path);
		exit(1);
	}
	return path;
}

const char *pf_shared(void)
{
	static char path[1024];
	const char *s = getenv("KEEL_SHARED"), *src = getenv("KEEL_SRC");

	if (s && *s)
		return s;
	snprintf(path, sizeof(path), "%s/../shared", src && *src ? src : ".");
	return path;
}

int pf_run(const char *fmt, ...)
{
	char cmd[8192], full[8300], out[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	p = popen(full, "r");
	if (!p) {
		fprintf(stderr, "cannot run: %s\n", cmd);
		return -1;
	}
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	while (fread(full, 1, sizeof(full), p) > 0)
		;
	st = pclose(p);
	if (st != 0) {
		fprintf(stderr, "command failed (status %d): %s\n%s\n", st, cmd, out);
		return -1;
	}
	return 0;
}

int pf_read(const char *path, struct pf_buf *b)
{
	FILE *f = fopen(path, "rb");
	long n;

	b->data = NULL;
	b->len = 0;
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	b->data = malloc((size_t)n + 1);
	if (!b->data || fread(b->data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(b->data);
		b->data = NULL;
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	fclose(f);
	b->len = (uint32_t)n;
	return 0;
}

int pf_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : -1;
}

void pf_buf_free(struct pf_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void pf_fill(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t st = seed * 0x9e3779b97f4a7c15ull + 12345;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = simflash_rng_next(&st);

		for (size_t k = 0; k < 8 && i + k < n; k++)
			p[i + k] = (uint8_t)(v >> (8 * k));
	}
}
