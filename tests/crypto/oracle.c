/* SPDX-License-Identifier: Apache-2.0 */
#include "oracle.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNTERS 64
#define MAX_PRINTED_FAILURES 20

static struct {
	const char *test;
	uint64_t seed;
	uint64_t s[4];        /* xoshiro256** state */
	unsigned long soak;
	unsigned long failures;
	struct {
		char name[48];
		unsigned long n, min;
		int required;
	} ctr[MAX_COUNTERS];
	size_t nctr;
} g;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void oracle_init(const char *test_name)
{
	const char *env = getenv("KEEL_SEED");
	const char *soak = getenv("KEEL_SOAK");
	uint64_t x;

	g.test = test_name;
	if (env && *env) {
		char *end;
		g.seed = strtoull(env, &end, 0);
		if (*end) {
			fprintf(stderr, "%s: KEEL_SEED '%s' is not a number\n", test_name, env);
			exit(2);
		}
	} else {
		g.seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid() << 20;
	}
	x = g.seed;
	for (int i = 0; i < 4; i++)
		g.s[i] = splitmix(&x);
	g.soak = 1;
	if (soak && *soak && strcmp(soak, "0") != 0) {
		unsigned long v = strtoul(soak, NULL, 10);
		g.soak = v > 1 ? v : 100;
	}
	printf("%s: seed 0x%llx (KEEL_SEED=0x%llx repeats this run), soak x%lu\n", test_name,
	       (unsigned long long)g.seed, (unsigned long long)g.seed, g.soak);
	fflush(stdout);
}

uint64_t oracle_seed(void)
{
	return g.seed;
}

unsigned long oracle_soak(void)
{
	/* Before oracle_init the multiplier is unknown: a soak run would silently run 1x. */
	if (!g.test) {
		fprintf(stderr, "oracle: oracle_scale/oracle_soak called before oracle_init\n");
		exit(2);
	}
	return g.soak;
}

unsigned long oracle_scale(unsigned long base)
{
	return base * oracle_soak();
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t oracle_rand64(void)
{
	uint64_t r = rotl(g.s[1] * 5, 7) * 9;
	uint64_t t = g.s[1] << 17;

	g.s[2] ^= g.s[0];
	g.s[3] ^= g.s[1];
	g.s[1] ^= g.s[2];
	g.s[0] ^= g.s[3];
	g.s[2] ^= t;
	g.s[3] = rotl(g.s[3], 45);
	return r;
}

uint32_t oracle_rand32(void)
{
	return (uint32_t)(oracle_rand64() >> 32);
}

uint64_t oracle_below(uint64_t n)
{
	uint64_t lim = -n % n, r;

	/* Rejection sampling keeps the distribution uniform. */
	do
		r = oracle_rand64();
	while (r < lim);
	return r % n;
}

void oracle_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t r = oracle_rand64();
		size_t n = len < 8 ? len : 8;
		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

static const unsigned short edges[] = {
	0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65,
	111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129,
	191, 192, 255, 256, 257, 1023, 1024, 1025,
};

size_t oracle_len(size_t max)
{
	if (oracle_below(2)) {
		size_t n = 0;
		while (n < sizeof(edges) / sizeof(edges[0]) && edges[n] <= max)
			n++;
		if (n)
			return edges[oracle_below(n)];
	}
	return (size_t)oracle_below((uint64_t)max + 1);
}

size_t oracle_chunk(size_t remaining)
{
	uint64_t k = oracle_below(8);
	size_t c;

	if (k == 0)
		return 0;
	if (k < 5)
		c = (size_t)(2 * oracle_below(9) + 1);   /* odd, 1..17 */
	else
		c = (size_t)oracle_below((uint64_t)remaining + 1);
	return c < remaining ? c : remaining;
}

size_t oracle_mut_count(enum oracle_mut kind, size_t len)
{
	return kind == ORACLE_MUT_BIT ? 8 * len : 255 * len;
}

void oracle_mutate(uint8_t *dst, const uint8_t *src, size_t len, enum oracle_mut kind, size_t i)
{
	memmove(dst, src, len);
	if (kind == ORACLE_MUT_BIT)
		dst[i / 8] ^= (uint8_t)(1u << (i % 8));
	else
		dst[i / 255] ^= (uint8_t)(i % 255 + 1);
}

size_t oracle_mutate_random(uint8_t *buf, size_t len)
{
	size_t pos = (size_t)oracle_below(len);

	if (oracle_below(2))
		buf[pos] ^= (uint8_t)(1u << oracle_below(8));
	else
		buf[pos] ^= (uint8_t)(oracle_below(255) + 1);
	return pos;
}

static size_t counter(const char *name)
{
	for (size_t i = 0; i < g.nctr; i++)
		if (strcmp(g.ctr[i].name, name) == 0)
			return i;
	if (g.nctr == MAX_COUNTERS) {
		fprintf(stderr, "%s: too many counters\n", g.test);
		exit(2);
	}
	snprintf(g.ctr[g.nctr].name, sizeof(g.ctr[g.nctr].name), "%s", name);
	return g.nctr++;
}

void oracle_count(const char *name, unsigned long n)
{
	g.ctr[counter(name)].n += n;
}

unsigned long oracle_counted(const char *name)
{
	return g.ctr[counter(name)].n;
}

void oracle_require(const char *name, unsigned long min)
{
	size_t i = counter(name);

	g.ctr[i].required = 1;
	g.ctr[i].min = min;
}

void oracle_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	g.failures++;
	if (g.failures > MAX_PRINTED_FAILURES)
		return;
	fprintf(stderr, "FAIL %s [%s] (seed 0x%llx): ", g.test, name, (unsigned long long)g.seed);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

unsigned long oracle_failures(void)
{
	return g.failures;
}

void oracle_hex(FILE *f, const char *label, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	fprintf(f, "  %s:", label);
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

int oracle_finish(void)
{
	int rc = 0;

	for (size_t i = 0; i < g.nctr; i++) {
		printf("%s: %s: %lu cases\n", g.test, g.ctr[i].name, g.ctr[i].n);
		if (g.ctr[i].required && g.ctr[i].n < g.ctr[i].min) {
			fprintf(stderr, "FAIL %s: %s ran %lu cases, at least %lu required\n", g.test,
				g.ctr[i].name, g.ctr[i].n, g.ctr[i].min);
			rc = 1;
		}
	}
	if (g.failures) {
		fprintf(stderr, "FAIL %s: %lu failures (seed 0x%llx)\n", g.test, g.failures,
			(unsigned long long)g.seed);
		rc = 1;
	}
	printf("%s: %s (seed 0x%llx)\n", g.test, rc ? "FAILED" : "ok", (unsigned long long)g.seed);
	return rc;
}
