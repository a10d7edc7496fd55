/* SPDX-License-Identifier: Apache-2.0 */
#include "vectors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_name[] = { "invalid", "valid", "acceptable" };

void vec_path(char *out, size_t cap, const char *rel)
{
	const char *shared = getenv("KEEL_SHARED");

	if (!shared || !*shared) {
		fprintf(stderr, "vectors: KEEL_SHARED is not set (run through ctest or export it)\n");
		exit(2);
	}
	if ((size_t)snprintf(out, cap, "%s/vectors/crypto/%s", shared, rel) >= cap) {
		fprintf(stderr, "vectors: path too long for %s\n", rel);
		exit(2);
	}
}

void vec_open_any(struct vec_file *f, const char *rel)
{
	char err[512];
	const char *base = strrchr(rel, '/');

	memset(f, 0, sizeof(*f));
	f->expected_total = -1;
	snprintf(f->name, sizeof(f->name), "%s", base ? base + 1 : rel);
	vec_path(f->path, sizeof(f->path), rel);
	f->root = json_parse_file(f->path, err, sizeof(err));
	if (!f->root) {
		fprintf(stderr, "vectors: %s\n", err);
		exit(2);
	}
}

void vec_open(struct vec_file *f, const char *rel)
{
	const struct json *g;
	long long n;

	vec_open_any(f, rel);
	g = json_get(f->root, "testGroups");
	if (!g || g->type != JSON_ARRAY || g->count == 0) {
		fprintf(stderr, "vectors: %s: no testGroups array\n", f->name);
		exit(2);
	}
	if (json_get_int(f->root, "numberOfTests", &n) == 0)
		f->expected_total = n;
}

const struct json *vec_groups(const struct vec_file *f)
{
	return json_first(json_get(f->root, "testGroups"));
}

const struct json *vec_tests(const struct vec_file *f, const struct json *group)
{
	const struct json *t = json_get(group, "tests");

	if (!t || t->type != JSON_ARRAY) {
		fprintf(stderr, "vectors: %s: a test group has no tests array\n", f->name);
		exit(2);
	}
	return json_first(t);
}

static long long id_of(const struct json *obj)
{
	long long id;

	return json_get_int(obj, "tcId", &id) == 0 ? id : -1;
}

static void field_error(const struct vec_file *f, const struct json *obj, const char *key,
			const char *what)
{
	fprintf(stderr, "vectors: %s: tcId %lld: field '%s' %s\n", f->name, id_of(obj), key, what);
	exit(2);
}

const char *vec_str(const struct vec_file *f, const struct json *obj, const char *key)
{
	const struct json *m = json_get(obj, key);

	if (!m)
		field_error(f, obj, key, "missing");
	if (m->type != JSON_STRING)
		field_error(f, obj, key, "is not a string");
	return m->str;
}

long long vec_int(const struct vec_file *f, const struct json *obj, const char *key)
{
	long long v;

	if (json_get_int(obj, key, &v) != 0)
		field_error(f, obj, key, "missing or not an integer");
	return v;
}

size_t vec_hex(const struct vec_file *f, const struct json *obj, const char *key, uint8_t **out)
{
	long n = json_hex_alloc(vec_str(f, obj, key), out);

	if (n < 0)
		field_error(f, obj, key, "is not valid hex");
	return (size_t)n;
}

long long vec_tcid(const struct vec_file *f, const struct json *t)
{
	return vec_int(f, t, "tcId");
}

enum vec_expect vec_result(const struct vec_file *f, const struct json *t)
{
	const char *r = vec_str(f, t, "result");

	if (strcmp(r, "valid") == 0)
		return VEC_VALID;
	if (strcmp(r, "invalid") == 0)
		return VEC_INVALID;
	if (strcmp(r, "acceptable") == 0)
		return VEC_ACCEPTABLE;
	field_error(f, t, "result", "is not valid/invalid/acceptable");
	return VEC_INVALID;
}

int vec_has_flag(const struct json *t, const char *flag)
{
	return json_array_has_str(json_get(t, "flags"), flag);
}

static void count_flags(struct vec_file *f, const struct json *flags)
{
	for (const struct json *m = json_first(flags); m; m = m->next) {
		size_t i;

		if (m->type != JSON_STRING)
			continue;
		for (i = 0; i < f->nflags; i++)
			if (strcmp(f->flags[i].name, m->str) == 0)
				break;
		if (i == f->nflags) {
			if (f->nflags == VEC_MAX_FLAGS)
				continue;
			f->flags[f->nflags].name = m->str;
			f->flags[f->nflags].n = 0;
			f->nflags++;
		}
		f->flags[i].n++;
	}
}

void vec_case(struct vec_file *f, long long id, const char *comment, enum vec_expect expect,
	      const struct json *flags, int accepted, int policy, const char *reason)
{
	int want;

	accepted = accepted != 0;
	f->cases++;
	count_flags(f, flags);
	if (expect == VEC_VALID)
		f->valid++;
	else if (expect == VEC_INVALID)
		f->invalid++;
	else
		f->acceptable++;

	if (policy < 0) {
		if (expect == VEC_ACCEPTABLE) {
			vec_fail(f, id, "'acceptable' case without a pinned policy verdict");
			return;
		}
		want = expect == VEC_VALID;
	} else {
		want = policy != 0;
		if (!reason || !*reason) {
			vec_fail(f, id, "policy verdict without a reason");
			return;
		}
		if (expect != VEC_ACCEPTABLE && want != (expect == VEC_VALID)) {
			f->policy_diff++;
			printf("tcId %lld: treated as %s, Wycheproof says %s: %s\n", id,
			       want ? "valid" : "invalid", verdict_name[expect], reason);
		}
	}
	if (expect == VEC_ACCEPTABLE) {
		if (want)
			f->acc_accepted++;
		else
			f->acc_rejected++;
	}
	if (accepted != want) {
		f->failures++;
		fprintf(stderr, "FAIL %s: tcId %lld (%s): %s, expected %s\n", f->name, id,
			comment ? comment : "", accepted ? "accepted" : "rejected",
			want ? "accept" : "reject");
	}
}

void vec_check(struct vec_file *f, const struct json *t, int accepted, int policy,
	       const char *reason)
{
	const char *comment = json_get_str(t, "comment");

	vec_case(f, vec_tcid(f, t), comment, vec_result(f, t), json_get(t, "flags"), accepted,
		 policy, reason);
}

void vec_fail(struct vec_file *f, long long id, const char *fmt, ...)
{
	va_list ap;

	f->failures++;
	fprintf(stderr, "FAIL %s: tcId %lld: ", f->name, id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int vec_finish(struct vec_file *f)
{
	int rc = 0;

	printf("%s: %lu cases, %lu valid, %lu invalid, %lu acceptable, %lu policy differences\n",
	       f->name, f->cases, f->valid, f->invalid, f->acceptable, f->policy_diff);
	if (f->acceptable)
		printf("  acceptable cases pinned: %lu accepted, %lu rejected\n", f->acc_accepted,
		       f->acc_rejected);
	if (f->nflags) {
		printf("  flags:");
		for (size_t i = 0; i < f->nflags; i++)
			printf("%s %s %lu", i ? "," : "", f->flags[i].name, f->flags[i].n);
		printf("\n");
	}
	if (f->expected_total >= 0 && (unsigned long long)f->expected_total != f->cases) {
		fprintf(stderr, "FAIL %s: numberOfTests is %lld but %lu cases were run\n", f->name,
			f->expected_total, f->cases);
		rc = 1;
	}
	if (f->cases == 0) {
		fprintf(stderr, "FAIL %s: no cases run\n", f->name);
		rc = 1;
	}
	if (f->failures) {
		fprintf(stderr, "FAIL %s: %lu failures\n", f->name, f->failures);
		rc = 1;
	}
	json_free(f->root);
	f->root = NULL;
	return rc;
}
