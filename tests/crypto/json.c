/* SPDX-License-Identifier: Apache-2.0 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	char *err;
	size_t err_len;
	int failed;
};

static void fail(struct parser *p, const char *fmt, ...)
{
	size_t line = 1, col = 1;
	char msg[160];
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	for (size_t i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->err_len)
		snprintf(p->err, p->err_len, "line %zu col %zu: %s", line, col, msg);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *v = calloc(n ? n : 1, sz ? sz : 1);

	if (!v) {
		fprintf(stderr, "json: out of memory\n");
		exit(2);
	}
	return v;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int peek(struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long read_u4(struct parser *p)
{
	long v = 0;

	if (p->pos + 4 > p->len) {
		fail(p, "truncated \\u escape");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p->s[p->pos + i]);
		if (h < 0) {
			fail(p, "bad hex digit in \\u escape");
			return -1;
		}
		v = v * 16 + h;
	}
	p->pos += 4;
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int parse_escape(struct parser *p, char *out, size_t *o)
{
	int c = peek(p);
	long cp, lo;

	p->pos++;
	switch (c) {
	case '"': out[(*o)++] = '"'; return 0;
	case '\\': out[(*o)++] = '\\'; return 0;
	case '/': out[(*o)++] = '/'; return 0;
	case 'b': out[(*o)++] = '\b'; return 0;
	case 'f': out[(*o)++] = '\f'; return 0;
	case 'n': out[(*o)++] = '\n'; return 0;
	case 'r': out[(*o)++] = '\r'; return 0;
	case 't': out[(*o)++] = '\t'; return 0;
	case 'u': break;
	default:
		p->pos--;
		fail(p, "bad escape character");
		return -1;
	}
	cp = read_u4(p);
	if (cp < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		fail(p, "lone low surrogate");
		return -1;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->pos + 2 > p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
			fail(p, "high surrogate without low surrogate");
			return -1;
		}
		p->pos += 2;
		lo = read_u4(p);
		if (lo < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff) {
			fail(p, "high surrogate followed by non-low surrogate");
			return -1;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	*o += put_utf8(out + *o, (unsigned long)cp);
	return 0;
}

/* Decoded text is never longer than the raw text, so one allocation of the raw length fits. */
static char *parse_string(struct parser *p, size_t *out_len)
{
	size_t start, o = 0;
	char *out;

	if (peek(p) != '"') {
		fail(p, "expected string");
		return NULL;
	}
	p->pos++;
	start = p->pos;
	while (p->pos < p->len && p->s[p->pos] != '"') {
		if (p->s[p->pos] == '\\')
			p->pos++;
		p->pos++;
	}
	if (p->pos >= p->len) {
		fail(p, "unterminated string");
		return NULL;
	}
	out = xcalloc(p->pos - start + 1, 1);
	p->pos = start;
	while (p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c < 0x20) {
			fail(p, "control character in string");
			free(out);
			return NULL;
		}
		if (c == '\\') {
			p->pos++;
			if (parse_escape(p, out, &o)) {
				free(out);
				return NULL;
			}
			continue;
		}
		out[o++] = (char)c;
		p->pos++;
	}
	p->pos++;
	out[o] = 0;
	*out_len = o;
	return out;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(struct parser *p, struct json *v)
{
	size_t start = p->pos;
	int frac = 0;
	char *end;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (is_digit(peek(p))) {
			fail(p, "leading zero in number");
			return -1;
		}
	} else if (is_digit(peek(p))) {
		while (is_digit(peek(p)))
			p->pos++;
	} else {
		fail(p, "bad number");
		return -1;
	}
	if (peek(p) == '.') {
		frac = 1;
		p->pos++;
		if (!is_digit(peek(p))) {
			fail(p, "digit expected after '.'");
			return -1;
		}
		while (is_digit(peek(p)))
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		frac = 1;
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!is_digit(peek(p))) {
			fail(p, "digit expected in exponent");
			return -1;
		}
		while (is_digit(peek(p)))
			p->pos++;
	}
	v->type = JSON_NUMBER;
	v->str_len = p->pos - start;
	v->str = xcalloc(v->str_len + 1, 1);
	memcpy(v->str, p->s + start, v->str_len);
	v->num = strtod(v->str, NULL);
	if (!frac) {
		errno = 0;
		v->inum = strtoll(v->str, &end, 10);
		v->is_int = errno == 0 && *end == 0;
	}
	return 0;
}

static int parse_literal(struct parser *p, const char *word, enum json_type t, struct json *v)
{
	size_t n = strlen(word);

	if (p->pos + n > p->len || memcmp(p->s + p->pos, word, n) != 0) {
		fail(p, "unexpected character");
		return -1;
	}
	p->pos += n;
	v->type = t;
	return 0;
}

static int parse_value(struct parser *p, struct json *v, int depth);

/* Parses the members of an array (close = ']') or object (close = '}'). */
static int parse_members(struct parser *p, struct json *v, int close, int depth)
{
	struct json **tail = &v->child;

	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct json *m = xcalloc(1, sizeof(*m));
		*tail = m;
		tail = &m->next;
		v->count++;
		skip_ws(p);
		if (close == '}') {
			size_t kl;
			m->key = parse_string(p, &kl);
			if (!m->key)
				return -1;
			skip_ws(p);
			if (peek(p) != ':') {
				fail(p, "expected ':'");
				return -1;
			}
			p->pos++;
		}
		if (parse_value(p, m, depth + 1))
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == close) {
			p->pos++;
			return 0;
		}
		fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
		return -1;
	}
}

static int parse_value(struct parser *p, struct json *v, int depth)
{
	int c;

	if (depth > JSON_MAX_DEPTH) {
		fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
		return -1;
	}
	skip_ws(p);
	c = peek(p);
	switch (c) {
	case '{':
		v->type = JSON_OBJECT;
		return parse_members(p, v, '}', depth);
	case '[':
		v->type = JSON_ARRAY;
		return parse_members(p, v, ']', depth);
	case '"':
		v->type = JSON_STRING;
		v->str = parse_string(p, &v->str_len);
		return v->str ? 0 : -1;
	case 't':
		return parse_literal(p, "true", JSON_TRUE, v);
	case 'f':
		return parse_literal(p, "false", JSON_FALSE, v);
	case 'n':
		return parse_literal(p, "null", JSON_NULL, v);
	case -1:
		fail(p, "unexpected end of input");
		return -1;
	default:
		if (c == '-' || is_digit(c))
			return parse_number(p, v);
		fail(p, "unexpected character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
		return -1;
	}
}

struct json *json_parse(const char *text, size_t len, char *err, size_t err_len)
{
	struct parser p = { text, len, 0, err, err_len, 0 };
	struct json *root = xcalloc(1, sizeof(*root));

	if (err && err_len)
		err[0] = 0;
	if (parse_value(&p, root, 0) == 0) {
		skip_ws(&p);
		if (p.pos != p.len)
			fail(&p, "trailing data after the document");
	}
	if (p.failed) {
		json_free(root);
		return NULL;
	}
	return root;
}

struct json *json_parse_file(const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	struct json *v;
	char sub[200];

	if (!f) {
		snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, err_len, "cannot size %s", path);
		fclose(f);
		return NULL;
	}
	buf = xcalloc((size_t)n + 1, 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, err_len, "short read on %s", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	v = json_parse(buf, (size_t)n, sub, sizeof(sub));
	free(buf);
	if (!v)
		snprintf(err, err_len, "%s: %s", path, sub);
	return v;
}

void json_free(struct json *v)
{
	while (v) {
		struct json *next = v->next;
		json_free(v->child);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (const struct json *m = obj->child; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const struct json *json_first(const struct json *v)
{
	if (!v || (v->type != JSON_ARRAY && v->type != JSON_OBJECT))
		return NULL;
	return v->child;
}

const struct json *json_at(const struct json *v, size_t i)
{
	const struct json *m = json_first(v);

	while (m && i--)
		m = m->next;
	return m;
}

const char *json_get_str(const struct json *obj, const char *key)
{
	const struct json *m = json_get(obj, key);

	return m && m->type == JSON_STRING ? m->str : NULL;
}

int json_get_int(const struct json *obj, const char *key, long long *out)
{
	const struct json *m = json_get(obj, key);

	if (!m || m->type != JSON_NUMBER || !m->is_int)
		return -1;
	*out = m->inum;
	return 0;
}

int json_array_has_str(const struct json *arr, const char *s)
{
	for (const struct json *m = json_first(arr); m; m = m->next)
		if (m->type == JSON_STRING && strcmp(m->str, s) == 0)
			return 1;
	return 0;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = { "null", "false", "true", "number",
					     "string", "array", "object" };
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

long json_hex_decode(const char *hex, uint8_t *out, size_t out_cap)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > out_cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

long json_hex_alloc(const char *hex, uint8_t **out)
{
	size_t cap = strlen(hex) / 2;
	long r;

	*out = xcalloc(cap + 1, 1);
	r = json_hex_decode(hex, *out, cap);
	if (r < 0) {
		free(*out);
		*out = NULL;
	}
	return r;
}
