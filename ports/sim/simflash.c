/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Simulated NOR flash (see simflash.h for the model). Host code: allocates,
 * prints, and treats every breach of the flash rules as a bug of the caller.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/err.h"
#include "simflash.h"

#define STATE_MAGIC "KEELSIMFLASH1\n"

struct simflash {
	struct keel_flash dev;          /* dev.ctx == this */
	struct simflash_geom geom;
	uint8_t *mem;
	uint8_t *programmed;            /* one flag per write unit */
	uint32_t n_units;
	uint32_t n_sectors;
	uint32_t *wear;                 /* erase count per sector */
	struct simflash_stats st;
	struct simflash_fault fault;
	int armed;
	int powered_off;
	enum simflash_effect last_fx;
	uint64_t last_fx_op;
	void (*cut_hook)(void *arg);
	void *cut_arg;
	FILE *trace;
	int quiet;
	simflash_observer observer;
	void *observer_arg;
};

/* ------------------------------------------------------------- PRNG */

uint64_t simflash_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t simflash_rng_seed(uint64_t seed, uint64_t op, uint64_t model)
{
	uint64_t s = seed ^ 0x6b65656c73696dull;
	uint64_t a;

	s ^= op * 0xd1b54a32d192ed03ull;
	a = simflash_rng_next(&s);
	s = a ^ (model * 0x8cb92ba72f3d8dd7ull);
	return simflash_rng_next(&s);
}

static uint32_t rng_below(uint64_t *st, uint32_t n)
{
	return n ? (uint32_t)(simflash_rng_next(st) % n) : 0;
}

/* ------------------------------------------------------------ geometry */

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int simflash_geom_check(const struct simflash_geom *g, char *why, size_t why_len)
{
	uint64_t total = 0;

	if (g->write_size < 1 || g->write_size > 256 || !is_pow2(g->write_size)) {
		snprintf(why, why_len, "write size %u is not a power of two in 1..256", g->write_size);
		return KEEL_EINVAL;
	}
	if (g->erased_val != 0xff && g->erased_val != 0x00) {
		snprintf(why, why_len, "erased value 0x%02x is neither 0xff nor 0x00", g->erased_val);
		return KEEL_EINVAL;
	}
	if (g->n_runs < 1 || g->n_runs > SIMFLASH_MAX_RUNS) {
		snprintf(why, why_len, "%u sector runs (need 1..%d)", g->n_runs, SIMFLASH_MAX_RUNS);
		return KEEL_EINVAL;
	}
	for (unsigned i = 0; i < g->n_runs; i++) {
		const struct keel_sector_run *r = &g->runs[i];

		if (r->count == 0 || r->size == 0 || r->size % g->write_size) {
			snprintf(why, why_len, "sector run %u (%" PRIu32 " x %" PRIu32
				 ") is empty or not a multiple of the write size %u",
				 i, r->count, r->size, g->write_size);
			return KEEL_EINVAL;
		}
		total += (uint64_t)r->count * r->size;
	}
	if (total != g->size || total > 0x80000000u) {
		snprintf(why, why_len, "sector runs add up to %" PRIu64 " bytes, device size is %" PRIu32,
			 total, g->size);
		return KEEL_EINVAL;
	}
	return 0;
}

int simflash_sector_index(const struct simflash *sf, uint32_t off, uint32_t *start, uint32_t *size)
{
	uint32_t base = 0, idx = 0;

	for (unsigned r = 0; r < sf->geom.n_runs; r++) {
		const struct keel_sector_run *run = &sf->geom.runs[r];
		uint32_t len = run->count * run->size;

		if (off < base + len) {
			uint32_t k = (off - base) / run->size;

			if (start)
				*start = base + k * run->size;
			if (size)
				*size = run->size;
			return (int)(idx + k);
		}
		base += len;
		idx += run->count;
	}
	return -1;
}

static int on_sector_boundary(const struct simflash *sf, uint32_t off)
{
	uint32_t start;

	if (off == sf->geom.size)
		return 1;
	return simflash_sector_index(sf, off, &start, NULL) >= 0 && start == off;
}

/* ------------------------------------------------------------ helpers */

static void violation(struct simflash *sf, const char *fmt, uint32_t a, uint32_t b)
{
	sf->st.violations++;
	if (!sf->quiet) {
		fprintf(stderr, "simflash: VIOLATION at op %" PRIu64 ": ", sf->st.ops);
		fprintf(stderr, fmt, a, b);
		fputc('\n', stderr);
	}
	if (sf->trace && sf->trace != stderr) {
		fprintf(sf->trace, "simflash: VIOLATION at op %" PRIu64 ": ", sf->st.ops);
		fprintf(sf->trace, fmt, a, b);
		fputc('\n', sf->trace);
	}
}

static uint8_t program_byte(uint8_t ev, uint8_t old, uint8_t val)
{
	return ev == 0xff ? (uint8_t)(old & val) : (uint8_t)(old | val);
}

static int unit_is_erased(const struct simflash *sf, uint32_t unit)
{
	uint32_t ws = sf->geom.write_size;
	const uint8_t *p = sf->mem + (size_t)unit * ws;

	for (uint32_t i = 0; i < ws; i++)
		if (p[i] != sf->geom.erased_val)
			return 0;
	return 1;
}

static void count_wear(struct simflash *sf, uint32_t off, uint32_t len)
{
	uint32_t end = off + len;

	while (off < end) {
		uint32_t start, size;
		int idx = simflash_sector_index(sf, off, &start, &size);

		if (idx < 0)
			return;
		sf->wear[idx]++;
		sf->st.sectors_erased++;
		off = start + size;
	}
}

/* Erase without any checks; caller ensured sector bounds. */
static void do_erase(struct simflash *sf, uint32_t off, uint32_t len)
{
	uint32_t ws = sf->geom.write_size;

	memset(sf->mem + off, sf->geom.erased_val, len);
	memset(sf->programmed + off / ws, 0, len / ws);
}

/* ------------------------------------------------------- fault models */

static void cut_power(struct simflash *sf, enum simflash_effect fx)
{
	sf->powered_off = 1;
	sf->armed = 0;
	sf->last_fx = fx;
	sf->last_fx_op = sf->st.ops;
	if (sf->trace)
		fprintf(sf->trace, "simflash: power cut at op %" PRIu64 " (%s)\n",
			sf->st.ops, simflash_effect_name(fx));
}

/*
 * Torn program: units [0, k) done; unit k gets a random subset of the bit
 * changes it was making; the rest untouched. Unit k counts as programmed
 * only if something in it changed, since an untouched unit is physically
 * still erased.
 */
static void torn_prog(struct simflash *sf, uint32_t off, const uint8_t *buf, uint32_t len, uint64_t *rng)
{
	uint32_t ws = sf->geom.write_size;
	uint32_t units = len / ws;
	uint32_t k = rng_below(rng, units);
	uint8_t ev = sf->geom.erased_val;

	for (uint32_t u = 0; u < k; u++) {
		for (uint32_t i = 0; i < ws; i++) {
			uint8_t *p = sf->mem + off + u * ws + i;

			*p = program_byte(ev, *p, buf[u * ws + i]);
		}
		sf->programmed[off / ws + u] = 1;
	}
	for (uint32_t i = 0; i < ws; i++) {
		uint8_t *p = sf->mem + off + k * ws + i;
		uint8_t target = program_byte(ev, *p, buf[k * ws + i]);
		uint8_t moving = (uint8_t)(*p ^ target);
		uint8_t subset = (uint8_t)(moving & simflash_rng_next(rng));

		*p = (uint8_t)(*p ^ subset);
	}
	if (!unit_is_erased(sf, off / ws + k))
		sf->programmed[off / ws + k] = 1;
	sf->st.bytes_programmed += (uint64_t)k * ws;
}

/*
 * Torn erase: [off, off+p) erased; [off+p, off+p+r) keeps its data with a
 * random subset of bits moved toward the erased value; the rest untouched.
 * Units in the noisy region count as programmed unless they read erased.
 */
static void torn_erase(struct simflash *sf, uint32_t off, uint32_t len, uint64_t *rng)
{
	uint32_t ws = sf->geom.write_size;
	uint32_t p = rng_below(rng, len + 1);
	uint32_t pa = p - p % ws;
	uint32_t rmax = len - p < 512 ? len - p : 512;
	uint32_t r = rmax ? 1 + rng_below(rng, rmax) : 0;
	uint8_t ev = sf->geom.erased_val;

	count_wear(sf, off, len);
	memset(sf->mem + off, ev, p);
	memset(sf->programmed + off / ws, 0, pa / ws);
	for (uint32_t i = p; i < p + r; i++) {
		uint8_t *b = sf->mem + off + i;
		uint8_t moving = (uint8_t)(*b ^ ev);

		*b = (uint8_t)(*b ^ (moving & simflash_rng_next(rng)));
	}
	for (uint32_t u = pa / ws; u * ws < p + r; u++)
		sf->programmed[off / ws + u] = !unit_is_erased(sf, off / ws + u);
}

void simflash_flip_bits(struct simflash *sf, uint32_t off, uint32_t len, uint32_t n, uint64_t seed)
{
	uint64_t rng = seed;

	if (off >= sf->geom.size || len == 0)
		return;
	if (len > sf->geom.size - off)
		len = sf->geom.size - off;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t bit = rng_below(&rng, len * 8u);

		sf->mem[off + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		sf->programmed[(off + bit / 8) / sf->geom.write_size] = 1;
	}
}

/*
 * Called for op N before anything lands. Returns 1 if the op must not go
 * ahead (power cut or injected error), with *rc set.
 */
static int strike(struct simflash *sf, int is_prog, uint32_t off, const uint8_t *buf,
		  uint32_t len, int *rc)
{
	enum simflash_model m = sf->fault.model;
	uint64_t rng;

	if (!sf->armed || sf->st.ops != sf->fault.at_op)
		return 0;
	rng = simflash_rng_seed(sf->fault.seed, sf->fault.at_op, (uint64_t)m);
	*rc = KEEL_EIO;
	switch (m) {
	case SIMFLASH_EIO:
		sf->armed = 0;
		sf->last_fx = SIMFLASH_FX_EIO;
		sf->last_fx_op = sf->st.ops;
		return 1;
	case SIMFLASH_TORN:
	case SIMFLASH_TORN_PROG:
	case SIMFLASH_TORN_ERASE:
		if (is_prog && m != SIMFLASH_TORN_ERASE) {
			torn_prog(sf, off, buf, len, &rng);
			cut_power(sf, SIMFLASH_FX_TORN_PROG);
		} else if (!is_prog && m != SIMFLASH_TORN_PROG) {
			torn_erase(sf, off, len, &rng);
			cut_power(sf, SIMFLASH_FX_TORN_ERASE);
		} else {
			cut_power(sf, SIMFLASH_FX_CUT);
		}
		break;
	case SIMFLASH_FLIP:
		simflash_flip_bits(sf, off, len, sf->fault.flips ? sf->fault.flips : 1, rng);
		cut_power(sf, SIMFLASH_FX_FLIP);
		break;
	default:
		cut_power(sf, SIMFLASH_FX_CUT);
		break;
	}
	if (sf->cut_hook)
		sf->cut_hook(sf->cut_arg);
	return 1;
}

/* ------------------------------------------------------------ driver */

static int sf_read(const struct keel_flash *dev, uint32_t off, void *buf, uint32_t len)
{
	struct simflash *sf = dev->ctx;

	if (sf->powered_off)
		return KEEL_EIO;
	if (off > sf->geom.size || len > sf->geom.size - off) {
		violation(sf, "read [0x%x, +0x%x) outside the device", off, len);
		return KEEL_ERANGE;
	}
	sf->st.reads++;
	sf->st.bytes_read += len;
	memcpy(buf, sf->mem + off, len);
	return 0;
}

static int sf_prog(const struct keel_flash *dev, uint32_t off, const void *vbuf, uint32_t len)
{
	struct simflash *sf = dev->ctx;
	const uint8_t *buf = vbuf;
	uint32_t ws = sf->geom.write_size;
	int rc;

	if (sf->powered_off)
		return KEEL_EIO;
	sf->st.ops++;
	sf->st.progs++;
	if (off > sf->geom.size || len > sf->geom.size - off) {
		violation(sf, "prog [0x%x, +0x%x) outside the device", off, len);
		return KEEL_ERANGE;
	}
	if (off % ws || len % ws || len == 0) {
		violation(sf, "prog [0x%x, +0x%x) not aligned to the write size", off, len);
		return KEEL_EINVAL;
	}
	for (uint32_t u = off / ws; u < (off + len) / ws; u++) {
		if (sf->programmed[u]) {
			violation(sf, "prog at 0x%x: unit 0x%x already programmed since its erase",
				  off, u * ws);
			return KEEL_EIO;
		}
	}
	if (sf->trace)
		fprintf(sf->trace, "op %" PRIu64 ": prog 0x%x +0x%x\n", sf->st.ops, off, len);
	if (sf->observer)
		sf->observer(sf->observer_arg, sf->st.ops, 0, off, len);
	if (strike(sf, 1, off, buf, len, &rc))
		return rc;
	for (uint32_t i = 0; i < len; i++)
		sf->mem[off + i] = program_byte(sf->geom.erased_val, sf->mem[off + i], buf[i]);
	memset(sf->programmed + off / ws, 1, len / ws);
	sf->st.bytes_programmed += len;
	return 0;
}

static int sf_erase(const struct keel_flash *dev, uint32_t off, uint32_t len)
{
	struct simflash *sf = dev->ctx;
	int rc;

	if (sf->powered_off)
		return KEEL_EIO;
	sf->st.ops++;
	sf->st.erases++;
	if (off > sf->geom.size || len > sf->geom.size - off) {
		violation(sf, "erase [0x%x, +0x%x) outside the device", off, len);
		return KEEL_ERANGE;
	}
	if (len == 0 || !on_sector_boundary(sf, off) || !on_sector_boundary(sf, off + len)) {
		violation(sf, "erase [0x%x, +0x%x) not on sector boundaries", off, len);
		return KEEL_EINVAL;
	}
	if (sf->trace)
		fprintf(sf->trace, "op %" PRIu64 ": erase 0x%x +0x%x\n", sf->st.ops, off, len);
	if (sf->observer)
		sf->observer(sf->observer_arg, sf->st.ops, 1, off, len);
	if (strike(sf, 0, off, NULL, len, &rc))
		return rc;
	count_wear(sf, off, len);
	do_erase(sf, off, len);
	return 0;
}

static const struct keel_flash_ops simflash_ops = {
	.read = sf_read,
	.prog = sf_prog,
	.erase = sf_erase,
};

/* ------------------------------------------------------ construction */

struct simflash *simflash_new(const struct simflash_geom *g)
{
	struct simflash *sf;
	char why[160];

	if (simflash_geom_check(g, why, sizeof(why))) {
		fprintf(stderr, "simflash: bad geometry: %s\n", why);
		return NULL;
	}
	sf = calloc(1, sizeof(*sf));
	if (!sf)
		return NULL;
	sf->geom = *g;
	sf->n_units = g->size / g->write_size;
	for (unsigned i = 0; i < g->n_runs; i++)
		sf->n_sectors += g->runs[i].count;
	sf->mem = malloc(g->size);
	sf->programmed = calloc(sf->n_units, 1);
	sf->wear = calloc(sf->n_sectors, sizeof(uint32_t));
	if (!sf->mem || !sf->programmed || !sf->wear) {
		simflash_free(sf);
		return NULL;
	}
	memset(sf->mem, g->erased_val, g->size);
	sf->dev.ops = &simflash_ops;
	sf->dev.ctx = sf;
	sf->dev.size = g->size;
	sf->dev.write_size = g->write_size;
	sf->dev.erased_val = g->erased_val;
	sf->dev.n_runs = g->n_runs;
	sf->dev.runs = sf->geom.runs;
	return sf;
}

void simflash_free(struct simflash *sf)
{
	if (!sf)
		return;
	free(sf->mem);
	free(sf->programmed);
	free(sf->wear);
	free(sf);
}

const struct keel_flash *simflash_dev(struct simflash *sf)
{
	return &sf->dev;
}

const struct simflash_geom *simflash_geom(const struct simflash *sf)
{
	return &sf->geom;
}

uint8_t *simflash_mem(struct simflash *sf)
{
	return sf->mem;
}

/* ------------------------------------------------------- file backing */

static int read_exact(FILE *f, void *buf, size_t len)
{
	return fread(buf, 1, len, f) == len ? 0 : KEEL_EIO;
}

static int load_state(struct simflash *sf, const char *path)
{
	char sp[4096];
	char magic[sizeof(STATE_MAGIC)];
	uint32_t n_units, n_sectors;
	FILE *f;
	int rc;

	snprintf(sp, sizeof(sp), "%s.state", path);
	f = fopen(sp, "rb");
	if (!f)
		return KEEL_ENOENT;
	rc = read_exact(f, magic, sizeof(STATE_MAGIC) - 1);
	magic[sizeof(STATE_MAGIC) - 1] = 0;
	if (!rc && strcmp(magic, STATE_MAGIC))
		rc = KEEL_ECORRUPT;
	if (!rc)
		rc = read_exact(f, &n_units, 4);
	if (!rc)
		rc = read_exact(f, &n_sectors, 4);
	if (!rc && (n_units != sf->n_units || n_sectors != sf->n_sectors))
		rc = KEEL_ECORRUPT;
	if (!rc)
		rc = read_exact(f, &sf->st, sizeof(sf->st));
	if (!rc)
		rc = read_exact(f, sf->wear, (size_t)n_sectors * 4);
	if (!rc)
		rc = read_exact(f, sf->programmed, n_units);
	fclose(f);
	if (rc)
		fprintf(stderr, "simflash: %s does not match the geometry or is damaged; "
			"ignoring it\n", sp);
	return rc;
}

int simflash_load(struct simflash *sf, const char *path)
{
	FILE *f = fopen(path, "rb");
	long len;
	int rc;

	if (!f) {
		fprintf(stderr, "simflash: cannot open %s: %s\n", path, strerror(errno));
		return KEEL_ENOENT;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return KEEL_EIO;
	}
	if ((uint64_t)len != sf->geom.size) {
		fprintf(stderr, "simflash: %s holds %ld bytes, the layout says %" PRIu32 "\n",
			path, len, sf->geom.size);
		fclose(f);
		return KEEL_EINVAL;
	}
	rc = read_exact(f, sf->mem, sf->geom.size);
	fclose(f);
	if (rc) {
		fprintf(stderr, "simflash: short read from %s\n", path);
		return rc;
	}
	if (load_state(sf, path)) {
		/* Without the map, anything not reading erased must be erased before a prog. */
		memset(&sf->st, 0, sizeof(sf->st));
		memset(sf->wear, 0, (size_t)sf->n_sectors * 4);
		for (uint32_t u = 0; u < sf->n_units; u++)
			sf->programmed[u] = !unit_is_erased(sf, u);
	}
	return 0;
}

int simflash_save(const struct simflash *sf, const char *path)
{
	char sp[4096];
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		fprintf(stderr, "simflash: cannot write %s: %s\n", path, strerror(errno));
		return KEEL_EIO;
	}
	ok = fwrite(sf->mem, 1, sf->geom.size, f) == sf->geom.size;
	ok = (fclose(f) == 0) && ok;
	snprintf(sp, sizeof(sp), "%s.state", path);
	f = fopen(sp, "wb");
	if (!f || !ok) {
		if (f)
			fclose(f);
		fprintf(stderr, "simflash: cannot write %s\n", ok ? sp : path);
		return KEEL_EIO;
	}
	ok = fwrite(STATE_MAGIC, 1, sizeof(STATE_MAGIC) - 1, f) == sizeof(STATE_MAGIC) - 1;
	ok = ok && fwrite(&sf->n_units, 4, 1, f) == 1;
	ok = ok && fwrite(&sf->n_sectors, 4, 1, f) == 1;
	ok = ok && fwrite(&sf->st, sizeof(sf->st), 1, f) == 1;
	ok = ok && fwrite(sf->wear, 4, sf->n_sectors, f) == sf->n_sectors;
	ok = ok && fwrite(sf->programmed, 1, sf->n_units, f) == sf->n_units;
	ok = (fclose(f) == 0) && ok;
	if (!ok) {
		fprintf(stderr, "simflash: short write to %s\n", sp);
		return KEEL_EIO;
	}
	return 0;
}

int simflash_copy_state(struct simflash *dst, const struct simflash *src)
{
	if (dst->geom.size != src->geom.size || dst->geom.write_size != src->geom.write_size ||
	    dst->n_sectors != src->n_sectors)
		return KEEL_EINVAL;
	memcpy(dst->mem, src->mem, src->geom.size);
	memcpy(dst->programmed, src->programmed, src->n_units);
	memcpy(dst->wear, src->wear, (size_t)src->n_sectors * sizeof(uint32_t));
	dst->st = src->st;
	dst->powered_off = src->powered_off;
	dst->last_fx = src->last_fx;
	dst->last_fx_op = src->last_fx_op;
	return 0;
}

/* ------------------------------------------------------- programmer */

static int sector_span(const struct simflash *sf, uint32_t off, uint32_t len,
		       uint32_t *s_off, uint32_t *s_end)
{
	uint32_t start, size;

	if (len == 0 || off > sf->geom.size || len > sf->geom.size - off)
		return KEEL_ERANGE;
	if (simflash_sector_index(sf, off, &start, &size) < 0)
		return KEEL_ERANGE;
	*s_off = start;
	if (simflash_sector_index(sf, off + len - 1, &start, &size) < 0)
		return KEEL_ERANGE;
	*s_end = start + size;
	return 0;
}

int simflash_erase_raw(struct simflash *sf, uint32_t off, uint32_t len)
{
	uint32_t s, e;
	int rc = sector_span(sf, off, len, &s, &e);

	if (rc)
		return rc;
	{
		/* Wear counts; the op statistics are keel-boot's alone. */
		uint64_t se = sf->st.sectors_erased;

		count_wear(sf, s, e - s);
		sf->st.sectors_erased = se;
	}
	do_erase(sf, s, e - s);
	return 0;
}

int simflash_program_image(struct simflash *sf, uint32_t off, const void *data, uint32_t len)
{
	uint32_t ws = sf->geom.write_size;
	uint32_t padded;
	int rc;

	if (off % ws)
		return KEEL_EINVAL;
	rc = simflash_erase_raw(sf, off, len);
	if (rc)
		return rc;
	padded = (len + ws - 1) / ws * ws;
	if (padded > sf->geom.size - off)
		return KEEL_ERANGE;
	memcpy(sf->mem + off, data, len);
	memset(sf->programmed + off / ws, 1, padded / ws);
	return 0;
}

/* ------------------------------------------------------------ faults */

void simflash_arm(struct simflash *sf, const struct simflash_fault *f)
{
	sf->fault = *f;
	sf->armed = f->model != SIMFLASH_NONE;
}

void simflash_disarm(struct simflash *sf)
{
	sf->armed = 0;
}

void simflash_set_cut_hook(struct simflash *sf, void (*hook)(void *arg), void *arg)
{
	sf->cut_hook = hook;
	sf->cut_arg = arg;
}

enum simflash_effect simflash_last_effect(const struct simflash *sf, uint64_t *at_op)
{
	if (at_op)
		*at_op = sf->last_fx_op;
	return sf->last_fx;
}

const char *simflash_effect_name(enum simflash_effect e)
{
	switch (e) {
	case SIMFLASH_FX_CUT: return "cut";
	case SIMFLASH_FX_TORN_PROG: return "torn-prog";
	case SIMFLASH_FX_TORN_ERASE: return "torn-erase";
	case SIMFLASH_FX_FLIP: return "flip";
	case SIMFLASH_FX_EIO: return "eio";
	default: return "none";
	}
}

static const char *const model_names[] = {
	[SIMFLASH_NONE] = "none", [SIMFLASH_CUT] = "cut", [SIMFLASH_TORN] = "torn",
	[SIMFLASH_TORN_PROG] = "torn-prog", [SIMFLASH_TORN_ERASE] = "torn-erase",
	[SIMFLASH_FLIP] = "flip", [SIMFLASH_EIO] = "eio",
};

const char *simflash_model_name(enum simflash_model m)
{
	if ((unsigned)m < sizeof(model_names) / sizeof(model_names[0]))
		return model_names[m];
	return "?";
}

enum simflash_model simflash_model_parse(const char *s)
{
	for (unsigned i = 1; i < sizeof(model_names) / sizeof(model_names[0]); i++)
		if (!strcmp(s, model_names[i]))
			return (enum simflash_model)i;
	return SIMFLASH_NONE;
}

void simflash_power_on(struct simflash *sf)
{
	sf->powered_off = 0;
}

int simflash_powered(const struct simflash *sf)
{
	return !sf->powered_off;
}

/* ---------------------------------------------------------- counters */

void simflash_reset_ops(struct simflash *sf)
{
	uint64_t v = sf->st.violations;

	memset(&sf->st, 0, sizeof(sf->st));
	sf->st.violations = v;
}

void simflash_stats(const struct simflash *sf, struct simflash_stats *out)
{
	*out = sf->st;
}

uint64_t simflash_violations(const struct simflash *sf)
{
	return sf->st.violations;
}

uint32_t simflash_sector_count(const struct simflash *sf)
{
	return sf->n_sectors;
}

uint32_t simflash_wear(const struct simflash *sf, uint32_t sector)
{
	return sector < sf->n_sectors ? sf->wear[sector] : 0;
}

void simflash_observe(struct simflash *sf, simflash_observer fn, void *arg)
{
	sf->observer = fn;
	sf->observer_arg = arg;
}

void simflash_trace(struct simflash *sf, FILE *f)
{
	sf->trace = f;
}

void simflash_quiet(struct simflash *sf, int quiet)
{
	sf->quiet = quiet;
}
