/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SMP console framing and CBOR codec against the byte-exact examples
 * in shared/research/smp.md section 6, plus hostile-input checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/cbor.h"
#include "keel/err.h"
#include "keel/smp.h"

static int failures;
static int checks;

#define CHECK(cond, ...) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			abort();
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

struct sink {
	char buf[4096];
	size_t len;
};

static void sink_write(void *ctx, const void *p, size_t n)
{
	struct sink *s = ctx;

	if (s->len + n > sizeof(s->buf))
		abort();
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

/* A line as smp.md prints it: marker bytes + base64 text, LF appended here. */
static size_t make_line(char *out, int first, const char *text)
{
	out[0] = first ? 0x06 : 0x04;
	out[1] = first ? 0x09 : 0x14;
	strcpy(out + 2, text);
	size_t n = 2 + strlen(text);
	out[n++] = '\n';
	return n;
}

struct vector {
	const char *name;
	const char *packet;
	const char *lines[2];
};

static const struct vector vectors[] = {
	{ "list request", "00 00 00 01 00 01 00 00 A0", { "AAsAAAABAAEAAKCG/g==" } },
	{ "list request v2", "08 00 00 01 00 01 00 00 A0", { "AAsIAAABAAEAAKCvAQ==" } },
	{ "list request empty", "00 00 00 00 00 01 00 00", { "AAoAAAAAAAEAADcw" } },
	{ "list response",
	  "01 00 00 48 00 01 00 00 bf 66 69 6d 61 67 65 73 9f bf 64 73 6c 6f 74 00 64 68 61 73 68 58 20 "
	  "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f "
	  "67 76 65 72 73 69 6f 6e 65 31 2e 32 2e 33 ff ff ff",
	  { "AFIBAABIAAEAAL9maW1hZ2Vzn79kc2xvdABkaGFzaFggAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9ndmVyc2lvbmUxLjIuM////1qe" } },
	{ "upload first",
	  "02 00 00 2a 00 01 01 01 a4 65 69 6d 61 67 65 00 63 6c 65 6e 19 12 34 63 6f 66 66 00 64 64 61 74 61 50 "
	  "3d b8 f3 96 00 00 00 00 00 00 00 00 00 00 00 00",
	  { "ADQCAAAqAAEBAaRlaW1hZ2UAY2xlbhkSNGNvZmYAZGRhdGFQPbjzlgAAAAAAAAAAAAAAAJra" } },
	{ "upload response", "03 00 00 0b 00 01 01 01 bf 62 72 63 00 63 6f 66 66 10 ff",
	  { "ABUDAAALAAEBAb9icmMAY29mZhD/UVM=" } },
	{ "echo request", "02 00 00 09 00 00 02 00 a1 61 64 65 68 65 6c 6c 6f", { "ABMCAAAJAAACAKFhZGVoZWxsb4Xc" } },
	{ "echo response", "03 00 00 0a 00 00 02 00 bf 61 72 65 68 65 6c 6c 6f ff", { "ABQDAAAKAAACAL9hcmVoZWxsb/8A1A==" } },
	{ "reset request", "02 00 00 01 00 00 03 05 a0", { "AAsCAAABAAADBaCQiA==" } },
	{ "params request", "00 00 00 01 00 00 04 06 a0", { "AAsAAAABAAAEBqCGLA==" } },
	{ "params response",
	  "01 00 00 19 00 00 04 06 bf 68 62 75 66 5f 73 69 7a 65 19 04 00 69 62 75 66 5f 63 6f 75 6e 74 01 ff",
	  { "ACMBAAAZAAAEBr9oYnVmX3NpemUZBABpYnVmX2NvdW50Af/IAg==" } },
	{ "upload continuation",
	  "02 00 00 71 00 01 02 01 a2 63 6f 66 66 10 64 64 61 74 61 58 64 "
	  "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f "
	  "20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f "
	  "40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54 55 56 57 58 59 5a 5b 5c 5d 5e 5f "
	  "60 61 62 63",
	  { "AHsCAABxAAECAaJjb2ZmEGRkYXRhWGQAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RF",
	    "RkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjB1E=" } },
};

static void test_vector(const struct vector *v)
{
	uint8_t pkt[512], rxbuf[1024];
	char want[1024];
	size_t plen = unhex(v->packet, pkt), wlen = 0, got = 0;
	struct sink out = { .len = 0 };
	struct keel_smp_rx rx;

	for (int i = 0; i < 2 && v->lines[i]; i++)
		wlen += make_line(want + wlen, i == 0, v->lines[i]);
	CHECK(keel_smp_frame(pkt, plen, KEEL_SMP_LINE_CHARS, sink_write, &out) == 0, "%s: frame", v->name);
	CHECK(out.len == wlen && !memcmp(out.buf, want, wlen), "%s: wire bytes differ from smp.md", v->name);

	keel_smp_rx_init(&rx, rxbuf, sizeof(rxbuf));
	for (size_t i = 0; i < wlen; i++) {
		size_t n = keel_smp_rx_byte(&rx, (uint8_t)want[i]);

		if (n) {
			CHECK(i == wlen - 1, "%s: packet completed early", v->name);
			got = n;
			CHECK(n == plen && !memcmp(rxbuf, pkt, plen), "%s: decoded packet differs", v->name);
		}
	}
	CHECK(got == plen, "%s: receiver did not complete the packet", v->name);
}

static void test_crc_and_base64(void)
{
	uint8_t dec[16];

	CHECK(keel_crc16_xmodem(0, "123456789", 9) == 0x31C3, "CRC-16/XMODEM check value");
	CHECK(keel_base64_decode("AB=C", 4, dec, sizeof(dec)) == KEEL_EINVAL, "data after padding accepted");
	CHECK(keel_base64_decode("AB*C", 4, dec, sizeof(dec)) == KEEL_EINVAL, "bad character accepted");
	CHECK(keel_base64_decode("ABC", 3, dec, sizeof(dec)) == KEEL_EINVAL, "length not multiple of 4 accepted");
	CHECK(keel_base64_decode("AAAA", 4, dec, 2) == KEEL_ENOSPC, "overflow not reported");
	CHECK(keel_base64_decode("YQ==", 4, dec, sizeof(dec)) == 1 && dec[0] == 'a', "YQ== decodes to a");
}

/* Feeds text; returns the size of the last completed packet (0 if none). */
static size_t feed(struct keel_smp_rx *rx, const char *p, size_t n)
{
	size_t last = 0;

	for (size_t i = 0; i < n; i++) {
		size_t got = keel_smp_rx_byte(rx, (uint8_t)p[i]);

		if (got)
			last = got;
	}
	return last;
}

static void test_hostile_lines(void)
{
	uint8_t buf[64];
	struct keel_smp_rx rx;
	char line[300];
	size_t n;

	keel_smp_rx_init(&rx, buf, sizeof(buf));
	n = make_line(line, 1, "AAsAAAABAAEAAKCG/g=="), line[5] ^= 1;
	CHECK(feed(&rx, line, n) == 0 && rx.dropped == 1, "bad CRC must be dropped");
	n = make_line(line, 1, "AAsAAAABAAEAAKCG/g=!");
	CHECK(feed(&rx, line, n) == 0 && rx.dropped == 2, "bad base64 must be dropped");
	memset(line, 'A', sizeof(line));
	line[0] = 0x06, line[1] = 0x09, line[200] = '\n';
	CHECK(feed(&rx, line, 201) == 0 && rx.dropped == 3, "overlong line must be dropped");
	/* More decoded bytes than the buffer holds: dropped, never written past. */
	n = make_line(line, 1, "//////////////////////////////////////////////////////////////////////////////////////////////////");
	CHECK(feed(&rx, line, n) == 0 && rx.dropped == 4, "oversized packet must be dropped");
	n = make_line(line, 0, "AAsAAAABAAEAAKCG/g==");
	CHECK(feed(&rx, line, n) == 0, "continuation without start must be ignored");
	CHECK(feed(&rx, "hello console\n", 14) == 0, "plain text must be ignored");
	n = make_line(line, 1, "AAsAAAABAAEAAKCG/g==");
	CHECK(feed(&rx, line, n) == 9, "a good packet after garbage must decode");
}

static void test_cbor_encode(void)
{
	uint8_t buf[64], want[64];
	struct keel_cbor_enc e;
	size_t wn;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map_indef(&e);
	keel_cbor_put_str(&e, "rc");
	keel_cbor_put_uint(&e, 0);
	keel_cbor_put_str(&e, "off");
	keel_cbor_put_uint(&e, 16);
	keel_cbor_put_break(&e);
	wn = unhex("bf 62 72 63 00 63 6f 66 66 10 ff", want);
	CHECK(keel_cbor_enc_finish(&e) == (int)wn && !memcmp(buf, want, wn), "{rc:0,off:16} encoding");

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_uint(&e, 23);
	keel_cbor_put_uint(&e, 24);
	keel_cbor_put_uint(&e, 0x100);
	keel_cbor_put_uint(&e, 0x10000);
	keel_cbor_put_uint(&e, 0x100000000ull);
	keel_cbor_put_int(&e, -1);
	keel_cbor_put_int(&e, -500);
	keel_cbor_put_bool(&e, 1);
	wn = unhex("17 18 18 19 01 00 1a 00 01 00 00 1b 00 00 00 01 00 00 00 00 20 39 01 f3 f5", want);
	CHECK(keel_cbor_enc_finish(&e) == (int)wn && !memcmp(buf, want, wn), "integer heads");

	keel_cbor_enc_init(&e, buf, 4);
	keel_cbor_put_str(&e, "toolong");
	CHECK(keel_cbor_enc_finish(&e) == KEEL_ENOSPC && e.len <= 4, "overflow reported, buffer respected");
}

static void test_cbor_decode(void)
{
	uint8_t in[128];
	size_t n;
	uint64_t off = 99, len = 0;
	struct keel_cbor_str data = { 0 };
	int upgrade = 0;
	struct keel_cbor_field f[] = {
		{ "off", KEEL_CBOR_WANT_UINT, &off, 0 },
		{ "len", KEEL_CBOR_WANT_UINT, &len, 0 },
		{ "data", KEEL_CBOR_WANT_BSTR, &data, 0 },
		{ "upgrade", KEEL_CBOR_WANT_BOOL, &upgrade, 0 },
	};
	struct keel_cbor_dec d;

	/* Definite map with an unknown nested key to skip. */
	n = unhex("a4 63 6f 66 66 10 63 73 68 61 82 01 bf 61 61 9f 01 ff ff 64 64 61 74 61 42 aa bb 63 6c 65 6e 19 12 34", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == 0, "definite map decodes");
	CHECK(f[0].found && off == 16 && f[1].found && len == 0x1234, "off/len values");
	CHECK(f[2].found && data.len == 2 && data.ptr[0] == 0xaa, "data value");
	CHECK(!f[3].found, "absent key not found");
	CHECK(d.p == in + n, "decoder stops after the map");

	/* Indefinite map. */
	n = unhex("bf 63 6f 66 66 00 67 75 70 67 72 61 64 65 f5 ff", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == 0 && upgrade == 1 && off == 0, "indefinite map decodes");

	/* Duplicate known key, wrong type, truncation, non-text key, deep nesting. */
	n = unhex("a2 63 6f 66 66 00 63 6f 66 66 01", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "duplicate key rejected");
	n = unhex("a1 63 6f 66 66 20", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "negative off rejected");
	n = unhex("a1 64 64 61 74 61 58 40 00", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "string past the end rejected");
	n = unhex("a1 01 02", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "integer key rejected");
	n = unhex("a1 61 78 81 81 81 81 81 81 81 81 81 81 00", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "nesting beyond the limit rejected");
	n = unhex("bf 63 6f 66 66 00", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "unterminated indefinite map rejected");
	n = unhex("a1 61 78 5f 41 00 ff", in);
	keel_cbor_dec_init(&d, in, n);
	CHECK(keel_cbor_decode_map(&d, f, 4) == KEEL_EINVAL, "indefinite string rejected");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		test_vector(&vectors[i]);
	test_crc_and_base64();
	test_hostile_lines();
	test_cbor_encode();
	test_cbor_decode();
	printf("smp console + cbor: %zu wire vectors, %d checks, %d failures\n",
	       sizeof(vectors) / sizeof(vectors[0]), checks, failures);
	return failures != 0;
}
