/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dumpinfo_cmp A B: extracts the reported values from two dumpinfo texts
 * (imgtool's and keel's human format) and compares them in order. Layout
 * whitespace and the decorative '#' rules do not count; every value does:
 * file name, section titles with their offsets, header fields, flag names,
 * payload size, TLV area magic/size, each TLV's type, length and data
 * bytes, and trailer fields. Exit 0 if equal, 1 with the first difference.
 *
 * Extraction: a "#### title ####" line is ("section", title); "key: value"
 * is (key, value); a line without a colon continues the previous value
 * (data bytes, further flag names); "| text |" frame lines are
 * ("frame", text); a dashed line starts a TLV record.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
	char key[64];
	char *val;
	int line;
};

struct list {
	struct item *v;
	size_t n;
};

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

/* Copies s with every whitespace run reduced to one space. */
static char *squeeze(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	int sp = 0;

	if (!o)
		exit(2);
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			sp = 1;
			continue;
		}
		if (sp && p != o)
			*p++ = ' ';
		sp = 0;
		*p++ = *s;
	}
	*p = 0;
	return o;
}

static void add(struct list *l, const char *key, const char *val, int line)
{
	struct item *n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (!n)
		exit(2);
	l->v = n;
	snprintf(n[l->n].key, sizeof(n[l->n].key), "%s", key);
	n[l->n].val = squeeze(val);
	n[l->n].line = line;
	l->n++;
}

static void append(struct list *l, const char *more)
{
	struct item *it = &l->v[l->n - 1];
	char *m = squeeze(more);
	char *j = malloc(strlen(it->val) + strlen(m) + 2);

	if (!j)
		exit(2);
	sprintf(j, "%s%s%s", it->val, *it->val ? " " : "", m);
	free(it->val);
	free(m);
	it->val = j;
}

static int all_of(const char *s, char c)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s != c)
			return 0;
	return 1;
}

static int parse_line(struct list *l, char *raw, int line)
{
	char *s = trim(raw), *colon;

	if (!*s || all_of(s, '#') || all_of(s, '|'))
		return 0;
	if (!strncmp(s, "####", 4)) {
		char *t = s + 4, *e = t + strlen(t);

		while (e > t && e[-1] == '#')
			*--e = 0;
		add(l, "section", trim(t), line);
		return 0;
	}
	if (s[0] == '|') {
		char *t = trim(s + 1);
		size_t n = strlen(t);

		if (n && t[n - 1] == '|')
			t[n - 1] = 0;
		t = trim(t);
		if (*t)
			add(l, "frame", t, line);
		return 0;
	}
	if (all_of(s, '-')) {
		add(l, "record", "", line);
		return 0;
	}
	colon = strchr(s, ':');
	if (!colon || colon == s || memchr(s, ' ', (size_t)(colon - s))) {
		if (!l->n) {
			fprintf(stderr, "line %d: text before any field: %s\n", line, s);
			return -1;
		}
		append(l, s);
		return 0;
	}
	*colon = 0;
	add(l, trim(s), colon + 1, line);
	return 0;
}

static int load(const char *path, struct list *l)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	int line = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (!strncmp(buf, "Printing content of signed image:", 33)) {
			add(l, "file", buf + 33, line);
			continue;
		}
		if (parse_line(l, buf, line)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static void drop(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].val);
	free(l->v);
}

static int compare(const char *pa, const struct list *a, const char *pb, const struct list *b)
{
	size_t i;

	if (a->n < 10) {
		fprintf(stderr, "%s: only %zu values extracted; not a dumpinfo text\n", pa, a->n);
		return 1;
	}
	for (i = 0; i < a->n && i < b->n; i++) {
		if (strcmp(a->v[i].key, b->v[i].key) || strcmp(a->v[i].val, b->v[i].val)) {
			fprintf(stderr, "differ: %s:%d %s = '%s'\n        %s:%d %s = '%s'\n", pa,
				a->v[i].line, a->v[i].key, a->v[i].val, pb, b->v[i].line,
				b->v[i].key, b->v[i].val);
			return 1;
		}
	}
	if (a->n != b->n) {
		const struct list *l = a->n > b->n ? a : b;

		fprintf(stderr, "differ: %s has %zu more values, first: %s = '%s'\n",
			a->n > b->n ? pa : pb, a->n > b->n ? a->n - b->n : b->n - a->n,
			l->v[i].key, l->v[i].val);
		return 1;
	}
	printf("same %zu values\n", a->n);
	return 0;
}

int main(int argc, char **argv)
{
	struct list a = { 0 }, b = { 0 };
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: dumpinfo_cmp EXPECTED ACTUAL\n");
		return 2;
	}
	if (load(argv[1], &a) || load(argv[2], &b))
		return 2;
	rc = compare(argv[1], &a, argv[2], &b);
	drop(&a);
	drop(&b);
	return rc;
}
