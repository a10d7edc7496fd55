/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for vector runners (Wycheproof, CCTV, speccheck, ...).
 *
 * Pattern for a Wycheproof file:
 *
 *   struct vec_file f;
 *   vec_open(&f, "wycheproof/hmac_sha256_test.json");   // exits(2) on any load error
 *   for (const struct json *g = vec_groups(&f); g; g = g->next)
 *       for (const struct json *t = vec_tests(&f, g); t; t = t->next) {
 *           uint8_t *key; long klen = vec_hex(&f, t, "key", &key);   // exits on missing/bad field
 *           int accepted = ...run the primitive...;
 *           vec_check(&f, t, accepted, -1, NULL);     // follow Wycheproof's verdict
 *           // or, for a documented policy choice on this case:
 *           // vec_check(&f, t, accepted, 0, "compressed points are not accepted");
 *           free(key);
 *       }
 *   return vec_finish(&f);    // prints totals; nonzero if any case failed or was missed
 *
 * For files that are plain arrays (CCTV, speccheck) use vec_open_any + vec_case
 * with the verdict the documented policy expects.
 *
 * Output (stdout):
 *   tcId 25: treated as invalid, Wycheproof says valid: <reason>     (each policy difference)
 *   FAIL tcId 7 (<comment>): accepted, expected invalid               (each failure, to stderr)
 *   hmac_sha256_test.json: 174 cases, 66 valid, 108 invalid, 0 acceptable, 0 policy differences
 *     flags: ModifiedTag 60, Pseudorandom 66, ...                      (per-flag counts)
 */
#ifndef KEEL_TEST_VECTORS_H
#define KEEL_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

enum vec_expect { VEC_VALID = 1, VEC_INVALID = 0, VEC_ACCEPTABLE = 2 };

#define VEC_MAX_FLAGS 96

struct vec_file {
	char name[128];          /* base name, used in every printed line */
	char path[1024];
	struct json *root;
	unsigned long cases, valid, invalid, acceptable, policy_diff, failures;
	unsigned long acc_accepted, acc_rejected;  /* pinned verdicts of 'acceptable' cases */
	long long expected_total;                  /* numberOfTests, or -1 */
	struct { const char *name; unsigned long n; } flags[VEC_MAX_FLAGS];
	size_t nflags;
};

/* Path of a vector file: $KEEL_SHARED/vectors/crypto/<rel>. Exits if KEEL_SHARED is unset. */
void vec_path(char *out, size_t cap, const char *rel);

/* Loads a Wycheproof file (must have testGroups); exits(2) with a message on any error. */
void vec_open(struct vec_file *f, const char *rel);
/* Loads any JSON vector file (arrays too). */
void vec_open_any(struct vec_file *f, const char *rel);

const struct json *vec_groups(const struct vec_file *f);
const struct json *vec_tests(const struct vec_file *f, const struct json *group);

/* Required fields: exit(2) naming file, tcId and field if missing or malformed. */
const char *vec_str(const struct vec_file *f, const struct json *obj, const char *key);
long long vec_int(const struct vec_file *f, const struct json *obj, const char *key);
/* Hex field decoded into a malloc'd buffer (*out never NULL on return); returns the length. */
size_t vec_hex(const struct vec_file *f, const struct json *obj, const char *key, uint8_t **out);
long long vec_tcid(const struct vec_file *f, const struct json *t);
enum vec_expect vec_result(const struct vec_file *f, const struct json *t);
int vec_has_flag(const struct json *t, const char *flag);

/*
 * Records one Wycheproof case. accepted: 1 if the implementation accepted.
 * policy: -1 = follow Wycheproof (valid => must accept, invalid => must
 * reject; for 'acceptable' cases policy must be 0 or 1); 0/1 = the verdict
 * Keel's documented policy requires, with reason naming that policy. A
 * policy verdict that differs from a valid/invalid label is printed as a
 * policy difference. Anything else that disagrees is a failure.
 */
void vec_check(struct vec_file *f, const struct json *t, int accepted, int policy,
	       const char *reason);
/*
 * Same for non-Wycheproof files: id names the case in messages, expect is
 * the verdict the source gives (VEC_VALID/INVALID/ACCEPTABLE), flags may be
 * NULL or a JSON array of flag strings.
 */
void vec_case(struct vec_file *f, long long id, const char *comment, enum vec_expect expect,
	      const struct json *flags, int accepted, int policy, const char *reason);
/* Records a failure that is not a verdict (wrong output bytes etc.). */
void vec_fail(struct vec_file *f, long long id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prints the totals and per-flag counts; returns 0 if no failure and, when
 * the file states numberOfTests, every case was recorded; 1 otherwise.
 * Frees the document.
 */
int vec_finish(struct vec_file *f);

#endif
