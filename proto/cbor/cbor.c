/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CBOR encoder and decoder for SMP. Input comes from an untrusted serial
 * line, so every length is checked against the bytes left before use and
 * nesting is bounded without recursion.
 */
#include <string.h>

#include "keel/cbor.h"
#include "keel/err.h"

enum {
	MT_UINT = 0, MT_NINT = 1, MT_BSTR = 2, MT_TSTR = 3,
	MT_ARRAY = 4, MT_MAP = 5, MT_TAG = 6, MT_SIMPLE = 7,
};

#define AI_INDEF 31
#define CBOR_FALSE 20
#define CBOR_TRUE 21

void keel_cbor_enc_init(struct keel_cbor_enc *e, uint8_t *buf, size_t cap)
{
	e->buf = buf;
	e->cap = cap;
	e->len = 0;
	e->overflow = 0;
}

int keel_cbor_enc_finish(const struct keel_cbor_enc *e)
{
	return e->overflow ? KEEL_ENOSPC : (int)e->len;
}

static void put_bytes(struct keel_cbor_enc *e, const void *p, size_t n)
{
	if (e->overflow || n > e->cap - e->len) {
		e->overflow = 1;
		return;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
}

/* Head with the shortest argument encoding (RFC 8949 preferred serialisation). */
static void put_head(struct keel_cbor_enc *e, unsigned major, uint64_t v)
{
	uint8_t h[9];
	size_t n;

	if (v < 24) {
		h[0] = (uint8_t)(major << 5 | v);
		n = 1;
	} else if (v <= 0xff) {
		h[0] = (uint8_t)(major << 5 | 24);
		n = 2;
	} else if (v <= 0xffff) {
		h[0] = (uint8_t)(major << 5 | 25);
		n = 3;
	} else if (v <= 0xffffffffu) {
		h[0] = (uint8_t)(major << 5 | 26);
		n = 5;
	} else {
		h[0] = (uint8_t)(major << 5 | 27);
		n = 9;
	}
	for (size_t i = 1; i < n; i++)
		h[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	put_bytes(e, h, n);
}

void keel_cbor_put_uint(struct keel_cbor_enc *e, uint64_t v)
{
	put_head(e, MT_UINT, v);
}

void keel_cbor_put_int(struct keel_cbor_enc *e, int64_t v)
{
	if (v >= 0)
		put_head(e, MT_UINT, (uint64_t)v);
	else
		put_head(e, MT_NINT, (uint64_t)(-(v + 1)));
}

void keel_cbor_put_bstr(struct keel_cbor_enc *e, const void *p, size_t len)
{
	put_head(e, MT_BSTR, len);
	put_bytes(e, p, len);
}

void keel_cbor_put_tstr(struct keel_cbor_enc *e, const char *s, size_t len)
{
	put_head(e, MT_TSTR, len);
	put_bytes(e, s, len);
}

void keel_cbor_put_str(struct keel_cbor_enc *e, const char *s)
{
	keel_cbor_put_tstr(e, s, strlen(s));
}

void keel_cbor_put_bool(struct keel_cbor_enc *e, int v)
{
	put_head(e, MT_SIMPLE, v ? CBOR_TRUE : CBOR_FALSE);
}

void keel_cbor_put_map(struct keel_cbor_enc *e, size_t pairs)
{
	put_head(e, MT_MAP, pairs);
}

void keel_cbor_put_array(struct keel_cbor_enc *e, size_t items)
{
	put_head(e, MT_ARRAY, items);
}

static void put_byte(struct keel_cbor_enc *e, uint8_t b)
{
	put_bytes(e, &b, 1);
}

void keel_cbor_put_map_indef(struct keel_cbor_enc *e)
{
	put_byte(e, MT_MAP << 5 | AI_INDEF);
}

void keel_cbor_put_array_indef(struct keel_cbor_enc *e)
{
	put_byte(e, MT_ARRAY << 5 | AI_INDEF);
}

void keel_cbor_put_break(struct keel_cbor_enc *e)
{
	put_byte(e, 0xff);
}

void keel_cbor_dec_init(struct keel_cbor_dec *d, const void *buf, size_t len)
{
	d->p = buf;
	d->end = d->p + len;
}

/* Argument of a head whose additional info is ai (< 28). */
static int read_arg(struct keel_cbor_dec *d, unsigned ai, uint64_t *v)
{
	size_t n;

	if (ai < 24) {
		*v = ai;
		return 0;
	}
	if (ai > 27)
		return KEEL_EINVAL;
	n = (size_t)1 << (ai - 24);
	if ((size_t)(d->end - d->p) < n)
		return KEEL_EINVAL;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v << 8 | *d->p++;
	return 0;
}

static int read_string(struct keel_cbor_dec *d, struct keel_cbor_item *it, int indef)
{
	if (indef)
		return KEEL_EINVAL;
	if (it->val > (uint64_t)(d->end - d->p))
		return KEEL_EINVAL;
	it->ptr = d->p;
	it->len = (size_t)it->val;
	d->p += it->len;
	return 0;
}

int keel_cbor_next(struct keel_cbor_dec *d, struct keel_cbor_item *it)
{
	static const enum keel_cbor_type types[8] = {
		KEEL_CBOR_UINT, KEEL_CBOR_NINT, KEEL_CBOR_BSTR, KEEL_CBOR_TSTR,
		KEEL_CBOR_ARRAY, KEEL_CBOR_MAP, KEEL_CBOR_TAG, KEEL_CBOR_SIMPLE,
	};
	unsigned major, ai;
	int indef;

	if (d->p >= d->end)
		return KEEL_EINVAL;
	major = *d->p >> 5;
	ai = *d->p & 0x1f;
	d->p++;
	memset(it, 0, sizeof(*it));
	it->type = types[major];
	indef = ai == AI_INDEF;
	if (indef) {
		if (major == MT_SIMPLE) {
			it->type = KEEL_CBOR_BREAK;
			return 0;
		}
		if (major != MT_ARRAY && major != MT_MAP && major != MT_BSTR && major != MT_TSTR)
			return KEEL_EINVAL;
		it->indefinite = 1;
	} else if (read_arg(d, ai, &it->val)) {
		return KEEL_EINVAL;
	}
	if (major == MT_SIMPLE && ai >= 25)
		it->type = KEEL_CBOR_FLOAT;
	if (major == MT_BSTR || major == MT_TSTR)
		return read_string(d, it, indef);
	return 0;
}

/*
 * Skips one item without recursion: `pending[k]` counts the items still
 * owed at nesting level k (UINT64_MAX for an indefinite container, which
 * ends at its break).
 */
int keel_cbor_skip(struct keel_cbor_dec *d)
{
	uint64_t pending[KEEL_CBOR_MAX_DEPTH + 1];
	int depth = 0;
	struct keel_cbor_item it;

	pending[0] = 1;
	while (depth > 0 || pending[0] > 0) {
		if (keel_cbor_next(d, &it))
			return KEEL_EINVAL;
		if (it.type == KEEL_CBOR_BREAK) {
			if (depth == 0 || pending[depth] != UINT64_MAX)
				return KEEL_EINVAL;
			depth--;
			goto unwind;
		}
		if (pending[depth] != UINT64_MAX)
			pending[depth]--;
		if (it.type == KEEL_CBOR_TAG) {
			/* A tag is followed by exactly one item that belongs to it. */
			if (pending[depth] != UINT64_MAX)
				pending[depth]++;
			continue;
		}
		if (it.type != KEEL_CBOR_ARRAY && it.type != KEEL_CBOR_MAP)
			goto unwind;
		if (depth == KEEL_CBOR_MAX_DEPTH)
			return KEEL_EINVAL;
		if (it.indefinite)
			pending[++depth] = UINT64_MAX;
		else if (it.type == KEEL_CBOR_MAP && it.val > UINT64_MAX / 2)
			return KEEL_EINVAL;
		else
			pending[++depth] = it.type == KEEL_CBOR_MAP ? it.val * 2 : it.val;
unwind:
		while (depth > 0 && pending[depth] == 0)
			depth--;
	}
	return 0;
}

static int take_value(struct keel_cbor_dec *d, struct keel_cbor_field *f)
{
	struct keel_cbor_item it;
	struct keel_cbor_str *s = f->out;

	if (keel_cbor_next(d, &it))
		return KEEL_EINVAL;
	switch (f->want) {
	case KEEL_CBOR_WANT_UINT:
		if (it.type != KEEL_CBOR_UINT)
			return KEEL_EINVAL;
		*(uint64_t *)f->out = it.val;
		return 0;
	case KEEL_CBOR_WANT_BSTR:
	case KEEL_CBOR_WANT_TSTR:
		if (it.type != (f->want == KEEL_CBOR_WANT_BSTR ? KEEL_CBOR_BSTR : KEEL_CBOR_TSTR))
			return KEEL_EINVAL;
		s->ptr = it.ptr;
		s->len = it.len;
		return 0;
	case KEEL_CBOR_WANT_BOOL:
		if (it.type != KEEL_CBOR_SIMPLE || (it.val != CBOR_TRUE && it.val != CBOR_FALSE))
			return KEEL_EINVAL;
		*(int *)f->out = it.val == CBOR_TRUE;
		return 0;
	}
	return KEEL_EINVAL;
}

static struct keel_cbor_field *find_field(struct keel_cbor_field *fields, size_t n,
					  const struct keel_cbor_item *key)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(fields[i].key) == key->len && !memcmp(fields[i].key, key->ptr, key->len))
			return &fields[i];
	return NULL;
}

int keel_cbor_decode_map(struct keel_cbor_dec *d, struct keel_cbor_field *fields, size_t n)
{
	struct keel_cbor_item map, key;
	struct keel_cbor_field *f;
	uint64_t left;

	for (size_t i = 0; i < n; i++)
		fields[i].found = 0;
	if (keel_cbor_next(d, &map) || map.type != KEEL_CBOR_MAP)
		return KEEL_EINVAL;
	left = map.val;
	while (map.indefinite || left--) {
		if (keel_cbor_next(d, &key))
			return KEEL_EINVAL;
		if (key.type == KEEL_CBOR_BREAK && map.indefinite)
			return 0;
		if (key.type != KEEL_CBOR_TSTR)
			return KEEL_EINVAL;
		f = find_field(fields, n, &key);
		if (!f) {
			if (keel_cbor_skip(d))
				return KEEL_EINVAL;
			continue;
		}
		if (f->found || take_value(d, f))
			return KEEL_EINVAL;
		f->found = 1;
	}
	return 0;
}
