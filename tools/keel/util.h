/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small helpers shared by every `keel` command: whole-file I/O, atomic
 * output, the one-line error convention and number parsing.
 *
 * Error convention: a helper that fails records a message with
 * keel_seterr() and returns -1; the command prints it once with
 * keel_fail(), as "keel: <cmd>: <what is wrong>", and exits non-zero.
 */
#ifndef KEEL_TOOL_UTIL_H
#define KEEL_TOOL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define KEEL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KEEL_PRINTF(a, b)
#endif

/* Growable byte buffer. */
struct kbuf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void kbuf_free(struct kbuf *b);
/* All return 0, or -1 with keel_seterr("out of memory"). */
int kbuf_reserve(struct kbuf *b, size_t extra);
int kbuf_append(struct kbuf *b, const void *p, size_t n);
int kbuf_fill(struct kbuf *b, uint8_t v, size_t n);
int kbuf_put16(struct kbuf *b, uint16_t v, int big_endian);
int kbuf_put32(struct kbuf *b, uint32_t v, int big_endian);

/* Records the message for the failing operation; keel_lasterr() returns it. */
void keel_seterr(const char *fmt, ...) KEEL_PRINTF(1, 2);
const char *keel_lasterr(void);

/* Prints "keel: <cmd>: <message>\n" on stderr; returns 1 (the exit status). */
int keel_fail(const char *cmd, const char *fmt, ...) KEEL_PRINTF(2, 3);
/* keel_fail(cmd, "%s", keel_lasterr()). */
int keel_fail_last(const char *cmd);

/* Reads a whole file ("-" = stdin). 0, or -1 with an error naming the path. */
int keel_read_file(const char *path, struct kbuf *out);

/*
 * Writes data to path atomically: a temporary file in the same folder,
 * fsync, rename. On any failure the temporary is removed and path is left
 * as it was (absent if it was absent). "-" writes to stdout.
 * mode is the permission of a new file (0600 for private keys).
 */
int keel_write_file(const char *path, const void *data, size_t len, unsigned mode);

/* Parses an unsigned integer: decimal, 0x hex, 0b binary, 0o or leading-0 octal; whole string. */
int keel_parse_u64(const char *s, uint64_t *out);
int keel_parse_u32(const char *s, uint32_t *out);

/* Parses hex digits (optional 0x prefix, even count) into out (malloc'd). */
int keel_parse_hex(const char *s, uint8_t **out, size_t *len);

/* Appends a C array body in imgtool's style: 8 bytes a line, "0x%02x,". */
int keel_format_c_bytes(struct kbuf *out, const uint8_t *p, size_t n);
/* Appends formatted text. */
int kbuf_printf(struct kbuf *b, const char *fmt, ...) KEEL_PRINTF(2, 3);

/* True if path ends with suffix (case-insensitive). */
int keel_has_suffix(const char *path, const char *suffix);

/*
 * Command-line options: a table of {long name, short letter, number of
 * values (0, 1 or 2), id}. Options and positional arguments may mix, as in
 * imgtool; "--" ends the options; "--name=value" and "-xVALUE" work for
 * one-value options.
 */
struct kopt {
	const char *lng;
	char shrt;
	int nargs;
	int id;
};

struct kopt_state {
	int argc;
	char **argv;
	int i;              /* next argv index */
	int only_pos;       /* after "--" */
	const char *val[2]; /* the option's values */
	const char *pos;    /* the positional argument (id KOPT_POS) */
};

#define KOPT_POS 0        /* a positional argument in st->pos */
#define KOPT_END (-1)     /* no more arguments */
#define KOPT_ERR (-2)     /* unknown option or missing value; message set */

void kopt_init(struct kopt_state *st, int argc, char **argv);
int kopt_next(struct kopt_state *st, const struct kopt *opts);

#endif
