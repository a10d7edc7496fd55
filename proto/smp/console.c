/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMP over a console: base64 lines starting 06 09 (first) or 04 14 (more),
 * carrying length(2, BE) + packet + CRC-16/XMODEM(2, BE). The receiver is a
 * byte-at-a-time state machine so a port can feed it straight from a UART.
 */
#include <string.h>

#include "keel/err.h"
#include "keel/smp.h"

#define MARK_START_0 0x06
#define MARK_START_1 0x09
#define MARK_MORE_0 0x04
#define MARK_MORE_1 0x14

void keel_smp_hdr_decode(struct keel_smp_hdr *h, const uint8_t raw[KEEL_SMP_HDR_SIZE])
{
	h->op = raw[0] & 7;
	h->version = (raw[0] >> 3) & 3;
	h->flags = raw[1];
	h->len = (uint16_t)(raw[2] << 8 | raw[3]);
	h->group = (uint16_t)(raw[4] << 8 | raw[5]);
	h->seq = raw[6];
	h->id = raw[7];
}

void keel_smp_hdr_encode(const struct keel_smp_hdr *h, uint8_t raw[KEEL_SMP_HDR_SIZE])
{
	raw[0] = (uint8_t)((h->version & 3) << 3 | (h->op & 7));
	raw[1] = h->flags;
	raw[2] = (uint8_t)(h->len >> 8);
	raw[3] = (uint8_t)h->len;
	raw[4] = (uint8_t)(h->group >> 8);
	raw[5] = (uint8_t)h->group;
	raw[6] = h->seq;
	raw[7] = h->id;
}

uint16_t keel_crc16_xmodem(uint16_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1);
	}
	return crc;
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int keel_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = (len + 2) / 3 * 4, o = 0;

	if (need > cap)
		return KEEL_ENOSPC;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = n > 1 ? b64_alphabet[v >> 6 & 63] : '=';
		out[o++] = n > 2 ? b64_alphabet[v & 63] : '=';
	}
	return (int)o;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes one 4-character group into out; returns bytes produced or -1. */
static int b64_group(const char *g, int last, uint8_t out[3])
{
	int v[4], pad = 0;

	for (int i = 0; i < 4; i++) {
		if (g[i] == '=' && last && i >= 2) {
			pad++;
			v[i] = 0;
			continue;
		}
		if (pad)
			return -1;     /* data after padding */
		v[i] = b64_value(g[i]);
		if (v[i] < 0)
			return -1;
	}
	out[0] = (uint8_t)(v[0] << 2 | v[1] >> 4);
	out[1] = (uint8_t)(v[1] << 4 | v[2] >> 2);
	out[2] = (uint8_t)(v[2] << 6 | v[3]);
	return 3 - pad;
}

int keel_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t o = 0;

	if (len % 4)
		return KEEL_EINVAL;
	for (size_t i = 0; i < len; i += 4) {
		uint8_t b[3];
		int n = b64_group(in + i, i + 4 == len, b);

		if (n < 0)
			return KEEL_EINVAL;
		if ((size_t)n > cap - o)
			return KEEL_ENOSPC;
		memcpy(out + o, b, (size_t)n);
		o += (size_t)n;
	}
	return (int)o;
}

void keel_smp_rx_init(struct keel_smp_rx *rx, uint8_t *buf, size_t cap)
{
	memset(rx, 0, sizeof(*rx));
	rx->buf = buf;
	rx->cap = cap;
}

static void rx_drop(struct keel_smp_rx *rx)
{
	rx->len = 0;
	rx->have_start = 0;
	rx->dropped++;
}

/* A complete line (without LF) arrived: decode it into the packet buffer. */
static size_t rx_line(struct keel_smp_rx *rx)
{
	const char *l = rx->line;
	size_t n = rx->line_len;
	int got;
	uint16_t want;

	if (n < 2)
		return 0;
	if (l[0] == MARK_START_0 && l[1] == MARK_START_1) {
		rx->len = 0;
		rx->have_start = 1;
	} else if (!(l[0] == MARK_MORE_0 && l[1] == MARK_MORE_1) || !rx->have_start) {
		return 0;       /* console text or a stray continuation */
	}
	got = keel_base64_decode(l + 2, n - 2, rx->buf + rx->len, rx->cap - rx->len);
	if (got < 0) {
		rx_drop(rx);
		return 0;
	}
	rx->len += (size_t)got;
	if (rx->len < 2)
		return 0;
	want = (uint16_t)(rx->buf[0] << 8 | rx->buf[1]);
	if (rx->len - 2 < want)
		return 0;
	if (rx->len - 2 > want || want <= 2 ||
	    keel_crc16_xmodem(0, rx->buf + 2, want) != 0) {
		rx_drop(rx);
		return 0;
	}
	rx->have_start = 0;
	memmove(rx->buf, rx->buf + 2, want - 2u);
	rx->len = 0;
	return want - 2u;
}

size_t keel_smp_rx_byte(struct keel_smp_rx *rx, uint8_t byte)
{
	size_t got;

	if (byte != '\n') {
		if (rx->line_len < sizeof(rx->line))
			rx->line[rx->line_len++] = (char)byte;
		else
			rx->line_overflow = 1;
		return 0;
	}
	if (rx->line_overflow || rx->line_len + 1 > KEEL_SMP_LINE_MAX) {
		/* An overlong line is lost; the packet it belonged to with it. */
		rx->line_len = 0;
		rx->line_overflow = 0;
		if (rx->have_start)
			rx_drop(rx);
		else
			rx->dropped++;
		return 0;
	}
	got = rx_line(rx);
	rx->line_len = 0;
	return got;
}

int keel_smp_frame(const uint8_t *pkt, size_t len, size_t line_chars,
		   void (*write)(void *ctx, const void *buf, size_t len), void *ctx)
{
	uint8_t triple[3];
	char line[2 + KEEL_SMP_LINE_CHARS + 1];
	size_t total = len + 4, pos = 0, chars = 0;
	uint16_t crc = keel_crc16_xmodem(0, pkt, len);

	if (len > 0xffff - 2 || line_chars == 0 || line_chars % 4 || line_chars > KEEL_SMP_LINE_CHARS)
		return KEEL_EINVAL;
	/* Stream = BE16(len + 2) | pkt | BE16(crc), encoded 3 bytes at a time. */
	while (pos < total) {
		size_t n = 0;

		for (; n < 3 && pos < total; n++, pos++) {
			if (pos < 2)
				triple[n] = (uint8_t)((len + 2) >> (pos ? 0 : 8));
			else if (pos < 2 + len)
				triple[n] = pkt[pos - 2];
			else
				triple[n] = (uint8_t)(crc >> (pos == 2 + len ? 8 : 0));
		}
		if (chars == 0) {
			int first = pos <= 3;

			line[0] = first ? MARK_START_0 : MARK_MORE_0;
			line[1] = first ? MARK_START_1 : MARK_MORE_1;
		}
		keel_base64_encode(triple, n, line + 2 + chars, 4);
		chars += 4;
		if (chars == line_chars || pos == total) {
			line[2 + chars] = '\n';
			write(ctx, line, chars + 3);
			chars = 0;
		}
	}
	return 0;
}
