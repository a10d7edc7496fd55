/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keel's small CBOR (RFC 8949) encoder and decoder, sized for SMP: no
 * allocation, no floats produced, strings by reference into the input.
 *
 * The encoder never writes past its buffer: after an overflow every
 * further call is a no-op and keel_cbor_enc_finish() reports KEEL_ENOSPC,
 * so callers check once at the end.
 *
 * The decoder reads one data item header at a time. Definite and
 * indefinite-length maps and arrays are accepted; strings must be definite
 * (SMP clients never chunk strings) and an indefinite string is rejected as
 * malformed. Nesting is limited to KEEL_CBOR_MAX_DEPTH.
 */
#ifndef KEEL_CBOR_H
#define KEEL_CBOR_H

#include <stdint.h>
#include <stddef.h>

#define KEEL_CBOR_MAX_DEPTH 8

struct keel_cbor_enc {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int overflow;
};

void keel_cbor_enc_init(struct keel_cbor_enc *e, uint8_t *buf, size_t cap);
/* Bytes written, or KEEL_ENOSPC if anything did not fit. */
int keel_cbor_enc_finish(const struct keel_cbor_enc *e);

void keel_cbor_put_uint(struct keel_cbor_enc *e, uint64_t v);
void keel_cbor_put_int(struct keel_cbor_enc *e, int64_t v);
void keel_cbor_put_bstr(struct keel_cbor_enc *e, const void *p, size_t len);
void keel_cbor_put_tstr(struct keel_cbor_enc *e, const char *s, size_t len);
/* A NUL-terminated text string. */
void keel_cbor_put_str(struct keel_cbor_enc *e, const char *s);
void keel_cbor_put_bool(struct keel_cbor_enc *e, int v);
void keel_cbor_put_map(struct keel_cbor_enc *e, size_t pairs);
void keel_cbor_put_array(struct keel_cbor_enc *e, size_t items);
/* Indefinite-length map/array, closed by keel_cbor_put_break (MCUboot's replies use these). */
void keel_cbor_put_map_indef(struct keel_cbor_enc *e);
void keel_cbor_put_array_indef(struct keel_cbor_enc *e);
void keel_cbor_put_break(struct keel_cbor_enc *e);

enum keel_cbor_type {
	KEEL_CBOR_UINT,
	KEEL_CBOR_NINT,     /* value is -1 - val */
	KEEL_CBOR_BSTR,
	KEEL_CBOR_TSTR,
	KEEL_CBOR_ARRAY,
	KEEL_CBOR_MAP,
	KEEL_CBOR_TAG,
	KEEL_CBOR_SIMPLE,   /* false 20, true 21, null 22, undefined 23, others */
	KEEL_CBOR_FLOAT,    /* half/single/double; raw bits in val */
	KEEL_CBOR_BREAK,
};

struct keel_cbor_item {
	enum keel_cbor_type type;
	uint64_t val;           /* integer, simple value, tag, or element count */
	const uint8_t *ptr;     /* string bytes */
	size_t len;             /* string length */
	int indefinite;         /* array/map of unknown length */
};

struct keel_cbor_dec {
	const uint8_t *p;
	const uint8_t *end;
};

void keel_cbor_dec_init(struct keel_cbor_dec *d, const void *buf, size_t len);
/* Reads one item header (and a string's bytes): 0, or KEEL_EINVAL on malformed or truncated input. */
int keel_cbor_next(struct keel_cbor_dec *d, struct keel_cbor_item *it);
/* Skips one complete item including everything nested in it. */
int keel_cbor_skip(struct keel_cbor_dec *d);

/* What keel_cbor_decode_map may fill. */
enum keel_cbor_want {
	KEEL_CBOR_WANT_UINT,    /* out: uint64_t */
	KEEL_CBOR_WANT_BSTR,    /* out: struct keel_cbor_str */
	KEEL_CBOR_WANT_TSTR,    /* out: struct keel_cbor_str */
	KEEL_CBOR_WANT_BOOL,    /* out: int */
};

struct keel_cbor_str {
	const uint8_t *ptr;
	size_t len;
};

struct keel_cbor_field {
	const char *key;
	enum keel_cbor_want want;
	void *out;
	int found;              /* set by the decoder */
};

/*
 * Decodes one map (definite or indefinite) whose keys are text strings.
 * Known keys fill their field; unknown keys and their values are skipped; a
 * known key given twice or with a value of the wrong type is KEEL_EINVAL.
 * On return d points after the map.
 */
int keel_cbor_decode_map(struct keel_cbor_dec *d, struct keel_cbor_field *fields, size_t n);

#endif
