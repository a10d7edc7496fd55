/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small, strict JSON reader for the test-vector files (Wycheproof, CCTV,
 * speccheck). RFC 8259 grammar only: no comments, no trailing commas, no
 * NaN, no leading zeros, control characters in strings rejected, \uXXXX
 * escapes decoded to UTF-8 (surrogate pairs checked). Host test code only:
 * it allocates.
 *
 * A parsed document is a tree of struct json nodes. Arrays and objects keep
 * their members as a linked list (child -> next), so walking testGroups and
 * tests is a plain for loop:
 *
 *   for (const struct json *g = json_first(json_get(root, "testGroups")); g; g = g->next)
 *       for (const struct json *t = json_first(json_get(g, "tests")); t; t = t->next)
 *           ...
 */
#ifndef KEEL_TEST_JSON_H
#define KEEL_TEST_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *key;            /* member name when the parent is an object */
	char *str;            /* JSON_STRING: decoded, NUL-terminated; JSON_NUMBER: the literal */
	size_t str_len;       /* bytes in str (a string may contain \u0000) */
	double num;           /* JSON_NUMBER */
	int is_int;           /* number is an integer that fits in long long */
	long long inum;       /* JSON_NUMBER when is_int */
	size_t count;         /* members of an array or object */
	struct json *child;   /* first member */
	struct json *next;    /* next sibling */
};

/*
 * Parses text[0..len). Returns NULL on error with a one-line message in err
 * ("line 12 col 5: expected ':'").
 */
struct json *json_parse(const char *text, size_t len, char *err, size_t err_len);
/* Reads and parses a file; NULL with err filled (also for I/O errors). */
struct json *json_parse_file(const char *path, char *err, size_t err_len);
void json_free(struct json *v);

/* Member of an object by name (first match), or NULL (also if v is not an object). */
const struct json *json_get(const struct json *obj, const char *key);
/* First element of an array/object, or NULL. */
const struct json *json_first(const struct json *v);
/* Element i of an array/object, or NULL. */
const struct json *json_at(const struct json *v, size_t i);
/* The string of member key, or NULL if missing or not a string. */
const char *json_get_str(const struct json *obj, const char *key);
/* Integer member into *out; 0 on success, -1 if missing or not an integer. */
int json_get_int(const struct json *obj, const char *key, long long *out);
/* 1 if the array member "flags" (or any array of strings) contains s. */
int json_array_has_str(const struct json *arr, const char *s);
const char *json_type_name(enum json_type t);

/*
 * Hex decoding. Returns the decoded length (hex must have even length and
 * only [0-9a-fA-F]), or -1. json_hex_alloc mallocs *out (at least 1 byte,
 * so an empty string still gives a valid pointer).
 */
long json_hex_decode(const char *hex, uint8_t *out, size_t out_cap);
long json_hex_alloc(const char *hex, uint8_t **out);

#endif
