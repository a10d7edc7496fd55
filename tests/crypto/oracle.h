/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers for differential tests against OpenSSL / libsodium.
 *
 *   int main(void) {
 *       oracle_init("test_sym_diff");                   // prints the seed (KEEL_SEED overrides)
 *       unsigned long n = oracle_scale(10000);          // x KEEL_SOAK multiplier
 *       for (unsigned long i = 0; i < n; i++) {
 *           size_t len = oracle_len(4096);              // biased to block edges
 *           ...
 *           if (memcmp(mine, theirs, 32))
 *               oracle_fail("sha256", "len %zu: digest differs", len);
 *           oracle_count("sha256", 1);
 *       }
 *       oracle_require("sha256", 10000);                // the loop really ran
 *       return oracle_finish();                         // prints counts + seed, 0/1
 *   }
 *
 * Mutations: oracle_mutate(dst, src, len, ORACLE_MUT_BIT, i) for i in
 * [0, 8*len) flips bit i; ORACLE_MUT_BYTE, i in [0, 255*len) replaces byte
 * i/255 with each of its 255 other values (this includes the bit flips);
 * oracle_mutate_random applies one random change of either kind.
 *
 * Environment: KEEL_SEED=<n> (decimal or 0x hex) repeats a run; KEEL_SOAK=1
 * multiplies oracle_scale() by 100 (KEEL_SOAK=<n> with n > 1 by n).
 */
#ifndef KEEL_TEST_ORACLE_H
#define KEEL_TEST_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void oracle_init(const char *test_name);
uint64_t oracle_seed(void);
/* The soak multiplier (1 normally). */
unsigned long oracle_soak(void);
/* base * oracle_soak(). */
unsigned long oracle_scale(unsigned long base);

uint64_t oracle_rand64(void);
uint32_t oracle_rand32(void);
/* Uniform in [0, n); n > 0. */
uint64_t oracle_below(uint64_t n);
void oracle_bytes(void *buf, size_t len);
/*
 * A length in [0, max]: half the time one of the edges 0, 1, 15..17, 31..33,
 * 55, 56, 63..65, 111..129, 191, 192, 255..257, 1023..1025 (those <= max),
 * otherwise uniform.
 */
size_t oracle_len(size_t max);
/* Next chunk for a streaming API: in [0, remaining], often 0 or small and odd. */
size_t oracle_chunk(size_t remaining);

enum oracle_mut { ORACLE_MUT_BIT, ORACLE_MUT_BYTE };
size_t oracle_mut_count(enum oracle_mut kind, size_t len);
void oracle_mutate(uint8_t *dst, const uint8_t *src, size_t len, enum oracle_mut kind, size_t i);
/* One random single-bit or single-byte change in place; returns the byte index changed. */
size_t oracle_mutate_random(uint8_t *buf, size_t len);

/* Adds n to the named case counter (names are compared by content). */
void oracle_count(const char *name, unsigned long n);
unsigned long oracle_counted(const char *name);
/* Fails the run at finish unless counter name reached min. */
void oracle_require(const char *name, unsigned long min);
/* Records a failure; the first 20 per run are printed with the seed. */
void oracle_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned long oracle_failures(void);
/* Prints "label: hex" to f. */
void oracle_hex(FILE *f, const char *label, const void *buf, size_t len);
/* Prints every counter and the seed; returns 0 when nothing failed, else 1. */
int oracle_finish(void);

#endif
