/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Simulated NOR flash for the host: a struct keel_flash over RAM (optionally
 * loaded from and saved to a file) that enforces the physics a real part has,
 * counts every operation, and cuts power where a test asks it to.
 *
 * The same model serves keel-sim, the power-loss matrix and the core's unit
 * tests, so a fault seen in one reproduces in the others.
 *
 * Physics enforced (each breach is a "violation": the op returns an error,
 * changes nothing, is printed to stderr and counted; tests fail on any):
 *  - prog: off and len multiples of write_size, inside the device; every
 *    write unit touched must not have been programmed since its last erase.
 *    Programming only moves bits away from the erased value (AND for 0xff,
 *    OR for 0x00).
 *  - erase: off and len on sector boundaries.
 *  - read: anywhere inside the device.
 *
 * Operations: every prog call and every erase call is one op, numbered from
 * 1 since simflash_reset_ops(). A fault armed "at op N" strikes op N:
 *  SIMFLASH_CUT         power fails before op N; nothing of it lands.
 *  SIMFLASH_TORN        op N lands in part, then power fails:
 *                       prog:  a prefix of its write units is done, and in
 *                              the unit being written a random subset of the
 *                              bits it was moving away from the erased value
 *                              has moved;
 *                       erase: a prefix of the range is erased, and one
 *                              region after it has a random subset of its
 *                              bits moved toward the erased value.
 *  SIMFLASH_TORN_PROG   as TORN when op N is a prog; a plain cut otherwise.
 *  SIMFLASH_TORN_ERASE  as TORN when op N is an erase; a plain cut otherwise.
 *  SIMFLASH_FLIP        flips `flips` random bits (either direction) in the
 *                       range op N targets, then cuts before op N.
 *  SIMFLASH_EIO         op N fails with KEEL_EIO and changes nothing; power
 *                       stays on (a flaky driver, not a cut).
 * Random choices come from a PRNG seeded from (seed, N, model) only, so a
 * fault is reproduced by those three values.
 *
 * After a cut the device is powered off: every further op and read returns
 * KEEL_EIO without effect until simflash_power_on(). The cut hook, if set,
 * is called once the damage is done; a harness longjmps out of keel_boot()
 * from it (the core keeps no static state, so that is a clean reset).
 */
#ifndef KEEL_SIMFLASH_H
#define KEEL_SIMFLASH_H

#include <stdint.h>
#include <stdio.h>

#include "keel/flash.h"

#define SIMFLASH_MAX_RUNS 16

struct simflash_geom {
	uint32_t size;                  /* must equal the sum of the runs */
	uint16_t write_size;            /* 1..256, power of two */
	uint8_t erased_val;             /* 0xff or 0x00 */
	uint8_t n_runs;
	struct keel_sector_run runs[SIMFLASH_MAX_RUNS];
};

enum simflash_model {
	SIMFLASH_NONE = 0,
	SIMFLASH_CUT = 1,
	SIMFLASH_TORN = 2,
	SIMFLASH_TORN_PROG = 3,
	SIMFLASH_TORN_ERASE = 4,
	SIMFLASH_FLIP = 5,
	SIMFLASH_EIO = 6,
};

struct simflash_fault {
	enum simflash_model model;
	uint64_t at_op;                 /* 1-based op index (absolute, see reset_ops) */
	uint64_t seed;
	uint32_t flips;                 /* SIMFLASH_FLIP: bits to flip (0 means 1) */
};

/* What the last fault actually did (for case ids and logs). */
enum simflash_effect {
	SIMFLASH_FX_NONE = 0,
	SIMFLASH_FX_CUT,                /* nothing of op N landed */
	SIMFLASH_FX_TORN_PROG,
	SIMFLASH_FX_TORN_ERASE,
	SIMFLASH_FX_FLIP,
	SIMFLASH_FX_EIO,
};

struct simflash_stats {
	uint64_t ops;                   /* prog + erase calls since reset_ops */
	uint64_t progs;
	uint64_t erases;                /* erase calls */
	uint64_t sectors_erased;        /* sectors covered by those calls */
	uint64_t bytes_programmed;
	uint64_t reads;
	uint64_t bytes_read;
	uint64_t violations;            /* since creation; never reset */
};

struct simflash;

/* NULL with a message on stderr if the geometry is invalid. */
struct simflash *simflash_new(const struct simflash_geom *g);
void simflash_free(struct simflash *sf);

/* Checks a geometry; on error writes a one-line reason into why. */
int simflash_geom_check(const struct simflash_geom *g, char *why, size_t why_len);

/* The device to hand to keel_area / keel_boot. */
const struct keel_flash *simflash_dev(struct simflash *sf);
const struct simflash_geom *simflash_geom(const struct simflash *sf);

/*
 * File backing: the device bytes are stored raw in path (exactly size
 * bytes), wear counters, op counter and the programmed-unit map in
 * path + ".state". Without a state file, a unit counts as programmed when
 * it does not read erased. Returns 0 or a negative keel_err, with a
 * message on stderr.
 */
int simflash_load(struct simflash *sf, const char *path);
int simflash_save(const struct simflash *sf, const char *path);

/*
 * Snapshots: copies bytes, programmed map, wear, counters and power state
 * of src into dst (same geometry, else KEEL_EINVAL). Faults stay as armed
 * in dst.
 */
int simflash_copy_state(struct simflash *dst, const struct simflash *src);

/* Direct access for programmers and checks; no op counting, no faults. */
uint8_t *simflash_mem(struct simflash *sf);
/*
 * What a flash programmer does: erases the sectors [off, off+len) touches
 * (whole sectors; wear counted) and programs data, padding the last write
 * unit with the erased value. Not counted as ops; ignores power state.
 */
int simflash_program_image(struct simflash *sf, uint32_t off, const void *data, uint32_t len);
/* Erases whole sectors covering [off, off+len) outside the op count. */
int simflash_erase_raw(struct simflash *sf, uint32_t off, uint32_t len);

/* Faults. */
void simflash_arm(struct simflash *sf, const struct simflash_fault *f);
void simflash_disarm(struct simflash *sf);
void simflash_set_cut_hook(struct simflash *sf, void (*hook)(void *arg), void *arg);
/* Model of the last fault that struck, and the op index it struck at. */
enum simflash_effect simflash_last_effect(const struct simflash *sf, uint64_t *at_op);
const char *simflash_effect_name(enum simflash_effect e);
const char *simflash_model_name(enum simflash_model m);
/* Parses "cut", "torn", "torn-prog", "torn-erase", "flip", "eio"; 0 on error. */
enum simflash_model simflash_model_parse(const char *s);

/* Flips n random bits in [off, off+len) (seeded); for bit-flip studies. */
void simflash_flip_bits(struct simflash *sf, uint32_t off, uint32_t len, uint32_t n, uint64_t seed);

void simflash_power_on(struct simflash *sf);
int simflash_powered(const struct simflash *sf);

/* Counters. */
void simflash_reset_ops(struct simflash *sf);   /* ops/progs/erases/bytes to 0 */
void simflash_stats(const struct simflash *sf, struct simflash_stats *out);
uint64_t simflash_violations(const struct simflash *sf);
uint32_t simflash_sector_count(const struct simflash *sf);
uint32_t simflash_wear(const struct simflash *sf, uint32_t sector);
/* Sector index holding device offset off, or -1. */
int simflash_sector_index(const struct simflash *sf, uint32_t off, uint32_t *start, uint32_t *size);

/* Called for every prog/erase op before it runs (after the op count moved). */
typedef void (*simflash_observer)(void *arg, uint64_t op, int is_erase, uint32_t off, uint32_t len);
void simflash_observe(struct simflash *sf, simflash_observer fn, void *arg);

/* Prints every op (and violations) to f; NULL stops. */
void simflash_trace(struct simflash *sf, FILE *f);
/* Violations are printed to stderr unless silenced (hostile tests that expect them). */
void simflash_quiet(struct simflash *sf, int quiet);

/* Seeded PRNG shared by the simulator and tests (splitmix64). */
uint64_t simflash_rng_next(uint64_t *state);
uint64_t simflash_rng_seed(uint64_t seed, uint64_t op, uint64_t model);

#endif
