/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char lasterr[512] = "unknown error";

void keel_seterr(const char *fmt, ...)
{
	char msg[sizeof(lasterr)];
	va_list ap;

	/* Via a copy, so the message may quote keel_lasterr() itself. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(lasterr, msg, sizeof(lasterr));
}

const char *keel_lasterr(void)
{
	return lasterr;
}

int keel_fail(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One line, whatever the message contains. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "keel: %s: %s\n", cmd, msg);
	return 1;
}

int keel_fail_last(const char *cmd)
{
	return keel_fail(cmd, "%s", lasterr);
}

void kbuf_free(struct kbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int kbuf_reserve(struct kbuf *b, size_t extra)
{
	size_t want, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len) {
		keel_seterr("out of memory");
		return -1;
	}
	want = b->len + extra;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		keel_seterr("out of memory");
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int kbuf_append(struct kbuf *b, const void *p, size_t n)
{
	if (kbuf_reserve(b, n))
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int kbuf_fill(struct kbuf *b, uint8_t v, size_t n)
{
	if (kbuf_reserve(b, n))
		return -1;
	memset(b->data + b->len, v, n);
	b->len += n;
	return 0;
}

int kbuf_put16(struct kbuf *b, uint16_t v, int big_endian)
{
	uint8_t p[2];

	if (big_endian) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	} else {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
	return kbuf_append(b, p, 2);
}

int kbuf_put32(struct kbuf *b, uint32_t v, int big_endian)
{
	if (big_endian)
		return kbuf_put16(b, (uint16_t)(v >> 16), 1) || kbuf_put16(b, (uint16_t)v, 1) ? -1 : 0;
	return kbuf_put16(b, (uint16_t)v, 0) || kbuf_put16(b, (uint16_t)(v >> 16), 0) ? -1 : 0;
}

int kbuf_printf(struct kbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		keel_seterr("formatting failed");
		return -1;
	}
	if (kbuf_reserve(b, (size_t)n + 1))
		return -1;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int keel_read_file(const char *path, struct kbuf *out)
{
	FILE *f;
	uint8_t tmp[65536];
	size_t n;
	int is_stdin = strcmp(path, "-") == 0;

	out->len = 0;
	f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		keel_seterr("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (kbuf_append(out, tmp, n)) {
			if (!is_stdin)
				fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		keel_seterr("cannot read '%s': %s", path, strerror(errno ? errno : EIO));
		if (!is_stdin)
			fclose(f);
		return -1;
	}
	if (!is_stdin)
		fclose(f);
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int keel_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
	char *tmp;
	size_t plen = strlen(path);
	int fd, err;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len)) {
			keel_seterr("cannot write to stdout: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	tmp = malloc(plen + 16);
	if (!tmp) {
		keel_seterr("out of memory");
		return -1;
	}
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		keel_seterr("cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchmod(fd, mode & 07777) || write_all(fd, data, len) || fsync(fd)) {
		err = errno;
		close(fd);
		unlink(tmp);
		keel_seterr("cannot write '%s': %s", path, strerror(err));
		free(tmp);
		return -1;
	}
	if (close(fd) || rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		keel_seterr("cannot write '%s': %s", path, strerror(err));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int keel_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s)) {
		keel_seterr("'%s' is not a number", s ? s : "");
		return -1;
	}
	errno = 0;
	/* Python's int(x, 0) spellings too: 0b... binary and 0o... octal. */
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B' || s[1] == 'o' || s[1] == 'O') &&
	    isdigit((unsigned char)s[2]))
		v = strtoull(s + 2, &end, s[1] == 'b' || s[1] == 'B' ? 2 : 8);
	else
		v = strtoull(s, &end, 0);
	if (errno || *end) {
		keel_seterr("'%s' is not a number%s", s, errno == ERANGE ? " (too large)" : "");
		return -1;
	}
	*out = v;
	return 0;
}

int keel_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (keel_parse_u64(s, &v))
		return -1;
	if (v > UINT32_MAX) {
		keel_seterr("'%s' does not fit in 32 bits", s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int keel_parse_hex(const char *s, uint8_t **out, size_t *len)
{
	size_t n;
	uint8_t *p;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n == 0 || n % 2) {
		keel_seterr("'%s' is not an even number of hex digits", s);
		return -1;
	}
	p = malloc(n / 2);
	if (!p) {
		keel_seterr("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(p);
			keel_seterr("'%s' is not hex", s);
			return -1;
		}
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = p;
	*len = n / 2;
	return 0;
}

int keel_format_c_bytes(struct kbuf *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (kbuf_printf(out, "%s0x%02x,", i % 8 == 0 ? "\n    " : " ", p[i]))
			return -1;
	return 0;
}

int keel_has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);

	return n >= m && strcasecmp(path + n - m, suffix) == 0;
}

void kopt_init(struct kopt_state *st, int argc, char **argv)
{
	memset(st, 0, sizeof(*st));
	st->argc = argc;
	st->argv = argv;
	st->i = 1;
}

static const struct kopt *find_long(const struct kopt *opts, const char *name, size_t n)
{
	for (; opts->id; opts++)
		if (opts->lng && strlen(opts->lng) == n && strncmp(opts->lng, name, n) == 0)
			return opts;
	return NULL;
}

static const struct kopt *find_short(const struct kopt *opts, char c)
{
	for (; opts->id; opts++)
		if (opts->shrt == c)
			return opts;
	return NULL;
}

int kopt_next(struct kopt_state *st, const struct kopt *opts)
{
	const struct kopt *o;
	const char *a, *inl = NULL, *eq;
	int k;

	st->val[0] = st->val[1] = NULL;
	if (st->i >= st->argc)
		return KOPT_END;
	a = st->argv[st->i++];
	if (st->only_pos || a[0] != '-' || a[1] == '\0') {
		st->pos = a;
		return KOPT_POS;
	}
	if (strcmp(a, "--") == 0) {
		st->only_pos = 1;
		return kopt_next(st, opts);
	}
	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		o = find_long(opts, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (eq)
			inl = eq + 1;
	} else {
		o = find_short(opts, a[1]);
		if (a[2])
			inl = a + 2;
	}
	if (!o) {
		keel_seterr("unknown option '%s' (see --help)", a);
		return KOPT_ERR;
	}
	if (inl && o->nargs != 1) {
		keel_seterr("option '%s' takes %s", a, o->nargs ? "two values" : "no value");
		return KOPT_ERR;
	}
	for (k = 0; k < o->nargs; k++) {
		if (k == 0 && inl) {
			st->val[0] = inl;
			continue;
		}
		if (st->i >= st->argc) {
			keel_seterr("option '%s' needs %s", a, o->nargs == 2 ? "two values" : "a value");
			return KOPT_ERR;
		}
		st->val[k] = st->argv[st->i++];
	}
	return o->id;
}
