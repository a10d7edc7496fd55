/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: an SMP request payload decoded as the upload handler
 * does. Whatever the bytes, the decoder stays inside them, and any string it
 * returns lies inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "keel/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const struct keel_cbor_str *s, const uint8_t *data, size_t size)
{
	if (s->ptr && (s->ptr < data || s->len > size || s->ptr + s->len > data + size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t off = 0, len = 0, image = 0;
	struct keel_cbor_str blob = { 0 }, sha = { 0 }, text = { 0 };
	int upgrade = 0;
	struct keel_cbor_field f[] = {
		{ "image", KEEL_CBOR_WANT_UINT, &image, 0 },
		{ "len", KEEL_CBOR_WANT_UINT, &len, 0 },
		{ "off", KEEL_CBOR_WANT_UINT, &off, 0 },
		{ "data", KEEL_CBOR_WANT_BSTR, &blob, 0 },
		{ "sha", KEEL_CBOR_WANT_BSTR, &sha, 0 },
		{ "d", KEEL_CBOR_WANT_TSTR, &text, 0 },
		{ "upgrade", KEEL_CBOR_WANT_BOOL, &upgrade, 0 },
	};
	struct keel_cbor_dec d;

	keel_cbor_dec_init(&d, data, size);
	if (keel_cbor_decode_map(&d, f, sizeof(f) / sizeof(f[0])) == 0 && d.p > data + size)
		abort();
	check_str(&blob, data, size);
	check_str(&sha, data, size);
	check_str(&text, data, size);
	keel_cbor_dec_init(&d, data, size);
	keel_cbor_skip(&d);
	if (d.p > data + size)
		abort();
	return 0;
}
