/* SPDX-License-Identifier: Apache-2.0 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "keel/cbor.h"
#include "smp_client.h"
#include "util.h"

void smp_client_init(struct smp_client *c)
{
	memset(c, 0, sizeof(*c));
	c->link.fd = -1;
	c->timeout_ms = 3000;
	c->retries = 3;
	c->line_chars = KEEL_SMP_LINE_CHARS;
	keel_smp_rx_init(&c->rx, c->rxbuf, sizeof(c->rxbuf));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct frame_out {
	struct smp_client *c;
	int rc;
};

static void frame_write(void *ctx, const void *buf, size_t len)
{
	struct frame_out *o = ctx;

	if (o->rc == 0 && serial_link_write(&o->c->link, buf, len) != 0)
		o->rc = -1;
	o->c->wire_tx += len;
}

static int send_packet(struct smp_client *c, const uint8_t *pkt, size_t len)
{
	struct frame_out o = { c, 0 };

	if (keel_smp_frame(pkt, len, c->line_chars, frame_write, &o) != 0) {
		keel_seterr("request too large to frame (%zu bytes)", len);
		return -1;
	}
	return o.rc;
}

/* Is pkt the response to the request header `req`? */
static int matches(const struct keel_smp_hdr *req, const uint8_t *pkt, size_t len)
{
	struct keel_smp_hdr h;

	if (len < KEEL_SMP_HDR_SIZE)
		return 0;
	keel_smp_hdr_decode(&h, pkt);
	return h.op == req->op + 1 && h.group == req->group && h.id == req->id &&
	       h.seq == req->seq && h.len == len - KEEL_SMP_HDR_SIZE;
}

/* 1 with the response in c->rsp, 0 on timeout, -1 on link error. */
static int await_response(struct smp_client *c, const struct keel_smp_hdr *req)
{
	long long deadline = now_ms() + c->timeout_ms;
	uint8_t buf[512];

	for (;;) {
		long long left = deadline - now_ms();
		int n;

		if (left <= 0)
			return 0;
		n = serial_link_read(&c->link, buf, sizeof(buf), (int)left);
		if (n < 0)
			return -1;
		c->wire_rx += (uint64_t)n;
		for (int i = 0; i < n; i++) {
			size_t got = keel_smp_rx_byte(&c->rx, buf[i]);

			if (got && matches(req, c->rxbuf, got)) {
				memcpy(c->rsp, c->rxbuf, got);
				c->rsp_len = got;
				return 1;
			}
			if (got && c->verbose)
				fprintf(stderr, "keel: serial: ignoring a stale or foreign response\n");
		}
	}
}

int smp_request(struct smp_client *c, uint16_t group, uint8_t id, uint8_t op,
		const uint8_t *cbor, size_t len, const uint8_t **rsp_cbor, size_t *cbor_len)
{
	uint8_t pkt[4096];
	struct keel_smp_hdr h = {
		.op = op, .version = (uint8_t)c->version, .len = (uint16_t)len,
		.group = group, .seq = c->seq++, .id = id,
	};

	if (len > sizeof(pkt) - KEEL_SMP_HDR_SIZE) {
		keel_seterr("request payload too large (%zu bytes)", len);
		return -1;
	}
	keel_smp_hdr_encode(&h, pkt);
	memcpy(pkt + KEEL_SMP_HDR_SIZE, cbor, len);
	for (int attempt = 0; attempt <= c->retries; attempt++) {
		int got;

		if (attempt && c->verbose)
			fprintf(stderr, "keel: serial: no answer, retry %d of %d\n", attempt, c->retries);
		if (c->link.fd < 0 && serial_link_reopen(&c->link) != 0)
			continue;
		if (send_packet(c, pkt, KEEL_SMP_HDR_SIZE + len) != 0) {
			serial_link_close(&c->link);
			continue;
		}
		got = await_response(c, &h);
		if (got == 1) {
			*rsp_cbor = c->rsp + KEEL_SMP_HDR_SIZE;
			*cbor_len = c->rsp_len - KEEL_SMP_HDR_SIZE;
			return 0;
		}
		if (got < 0)
			serial_link_close(&c->link);
	}
	keel_seterr("no response from %s after %d attempts (group %u, command %u)%s%s",
		    c->link.spec, c->retries + 1, group, id,
		    c->link.fd < 0 ? ": " : "", c->link.fd < 0 ? keel_lasterr() : "");
	return -1;
}

int smp_map_find(const uint8_t *cbor, size_t len, const char *key, struct keel_cbor_dec *d)
{
	struct keel_cbor_item m, k;

	keel_cbor_dec_init(d, cbor, len);
	if (keel_cbor_next(d, &m) || m.type != KEEL_CBOR_MAP)
		return -1;
	for (uint64_t i = 0; m.indefinite || i < m.val; i++) {
		if (keel_cbor_next(d, &k))
			return -1;
		if (k.type == KEEL_CBOR_BREAK && m.indefinite)
			return 0;
		if (k.type != KEEL_CBOR_TSTR)
			return -1;
		if (k.len == strlen(key) && !memcmp(k.ptr, key, k.len))
			return 1;
		if (keel_cbor_skip(d))
			return -1;
	}
	return 0;
}

int smp_response_error(const uint8_t *cbor, size_t len, uint32_t *group, int64_t *rc)
{
	uint64_t g = 0, r = 0;
	struct keel_cbor_field inner[] = {
		{ "group", KEEL_CBOR_WANT_UINT, &g, 0 },
		{ "rc", KEEL_CBOR_WANT_UINT, &r, 0 },
	};
	struct keel_cbor_item it;
	struct keel_cbor_dec d;

	if (smp_map_find(cbor, len, "rc", &d) == 1 && keel_cbor_next(&d, &it) == 0 &&
	    (it.type == KEEL_CBOR_UINT || it.type == KEEL_CBOR_NINT) && it.val != 0) {
		*group = 0xffff;
		*rc = it.type == KEEL_CBOR_UINT ? (int64_t)it.val : -1 - (int64_t)it.val;
		return 1;
	}
	if (smp_map_find(cbor, len, "err", &d) == 1 && keel_cbor_decode_map(&d, inner, 2) == 0 &&
	    inner[1].found && r != 0) {
		*group = (uint32_t)g;
		*rc = (int64_t)r;
		return 1;
	}
	return 0;
}

const char *smp_error_name(uint32_t group, int64_t rc)
{
	static const char *const mgmt[] = {
		"ok", "unknown error", "out of memory", "invalid value", "timeout",
		"no such entry", "bad state", "message too large", "not supported",
		"corrupt", "busy", "access denied",
	};
	static const struct { int64_t rc; const char *name; } img[] = {
		{ 1, "unknown error" }, { 2, "flash configuration query failed" },
		{ 3, "no image in the slot" }, { 4, "image has no TLVs" },
		{ 5, "invalid TLV" }, { 7, "invalid TLV size" }, { 8, "hash TLV not found" },
		{ 9, "no free slot" }, { 10, "cannot open flash area" },
		{ 11, "flash read failed" }, { 12, "flash write failed" },
		{ 13, "flash erase failed" }, { 14, "invalid slot" },
		{ 20, "invalid offset" }, { 21, "invalid length" },
		{ 22, "invalid image header" }, { 23, "bad image header magic" },
		{ 24, "invalid hash" }, { 27, "running version is newer" },
		{ 28, "an image operation is already pending" },
		{ 30, "image too large for the slot" }, { 31, "more data than the image length" },
		{ 32, "confirmation denied" }, { 33, "cannot set the active image to test" },
	};

	if (group == 0xffff)
		return rc >= 0 && rc < (int64_t)(sizeof(mgmt) / sizeof(mgmt[0])) ? mgmt[rc] : "error";
	if (group == 1)
		for (size_t i = 0; i < sizeof(img) / sizeof(img[0]); i++)
			if (img[i].rc == rc)
				return img[i].name;
	return "error";
}
