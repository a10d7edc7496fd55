/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel serial upload`: the upload flow is driven by the offset the device
 * returns, as with every mcumgr client, which is also what makes resume
 * work: after a link loss the client reconnects and resends at its last
 * offset; the device answers with where it really is.
 */
#define _DEFAULT_SOURCE
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serial_cmd.h"
#include "util.h"

#define CMD "serial"
#define FRAME_OVERHEAD (2 + KEEL_SMP_HDR_SIZE + 2)   /* length prefix, header, CRC */
#define FIRST_CHUNK_TIMEOUT_MS 30000                  /* off 0 may erase a whole slot */
#define MAX_STALLS 8

struct upload {
	struct smp_client *c;
	const struct serial_args *a;
	const uint8_t *img;
	size_t len;
	uint8_t sha[32];
	size_t mtu;
	struct timespec t0;
	int tty;
	int last_pct;
};

static double elapsed(const struct upload *u)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - u->t0.tv_sec) + (double)(t.tv_nsec - u->t0.tv_nsec) / 1e9;
}

static void progress(struct upload *u, size_t done)
{
	int pct = u->len ? (int)(done * 100 / u->len) : 100;
	double s = elapsed(u), rate = s > 0 ? (double)done / s : 0;
	char bar[31];
	int fill = pct * 30 / 100;

	if (!u->tty && pct / 10 == u->last_pct / 10 && done != u->len)
		return;
	u->last_pct = pct;
	for (int i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "%s[%s] %3d%% %zu/%zu B %.1f KiB/s%s", u->tty ? "\r" : "", bar, pct, done,
		u->len, rate / 1024, u->tty && done != u->len ? "" : "\n");
	fflush(stderr);
}

/* Encodes the upload request for data [off, off + n). */
static int encode_chunk(const struct upload *u, uint8_t *buf, size_t cap, size_t off, size_t n,
			int with_sha)
{
	struct keel_cbor_enc e;
	int first = off == 0;

	keel_cbor_enc_init(&e, buf, cap);
	keel_cbor_put_map(&e, 2 + (first ? 1 : 0) + (first && u->a->have_image) + (with_sha ? 1 : 0));
	if (first && u->a->have_image) {
		keel_cbor_put_str(&e, "image");
		keel_cbor_put_uint(&e, u->a->image);
	}
	if (first) {
		keel_cbor_put_str(&e, "len");
		keel_cbor_put_uint(&e, u->len);
	}
	keel_cbor_put_str(&e, "off");
	keel_cbor_put_uint(&e, off);
	if (with_sha) {
		keel_cbor_put_str(&e, "sha");
		keel_cbor_put_bstr(&e, u->sha, sizeof(u->sha));
	}
	keel_cbor_put_str(&e, "data");
	keel_cbor_put_bstr(&e, u->img + off, n);
	return keel_cbor_enc_finish(&e);
}

/* The largest chunk at off whose frame fits the device's buffer. */
static size_t chunk_size(const struct upload *u, uint8_t *buf, size_t cap, size_t off)
{
	int base = encode_chunk(u, buf, cap, off, 0, off == 0);
	size_t n;

	if (base < 0 || (size_t)base + FRAME_OVERHEAD + 3 >= u->mtu)
		return 0;
	n = u->mtu - FRAME_OVERHEAD - (size_t)base;
	if (n > u->len - off)
		n = u->len - off;
	while (n > 0) {
		int total = encode_chunk(u, buf, cap, off, n, off == 0);

		if (total > 0 && (size_t)total + FRAME_OVERHEAD <= u->mtu)
			return n;
		n--;
	}
	return 0;
}

/* One chunk exchange; *dev_off receives the device's offset. 0, 1 = no answer, -1 = error. */
static int send_chunk(struct upload *u, size_t off, size_t n, int probe, uint64_t *dev_off)
{
	uint8_t buf[4200];
	const uint8_t *rsp;
	size_t rlen;
	struct keel_cbor_dec d;
	struct keel_cbor_item it;
	int enc = encode_chunk(u, buf, sizeof(buf), off, n, off == 0 || probe);
	int saved = u->c->timeout_ms;
	int rc;

	if (enc < 0) {
		keel_seterr("chunk does not fit the encoder buffer");
		return -1;
	}
	if (off == 0 && u->c->timeout_ms < FIRST_CHUNK_TIMEOUT_MS)
		u->c->timeout_ms = FIRST_CHUNK_TIMEOUT_MS;
	rc = smp_request(u->c, KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_UPLOAD, KEEL_SMP_OP_WRITE, buf,
			 (size_t)enc, &rsp, &rlen);
	u->c->timeout_ms = saved;
	if (rc)
		return 1;
	if (serial_report_error(rsp, rlen, "upload"))
		return -2;
	if (smp_map_find(rsp, rlen, "off", &d) != 1 || keel_cbor_next(&d, &it) ||
	    it.type != KEEL_CBOR_UINT) {
		keel_seterr("malformed upload response (no offset)");
		return -1;
	}
	*dev_off = it.val;
	return 0;
}

/* Asks the device where an earlier upload of this image stopped. */
static size_t probe_resume(struct upload *u)
{
	uint64_t dev_off = 0;

	if (send_chunk(u, u->len, 0, 1, &dev_off) != 0 || dev_off >= u->len)
		return 0;
	if (dev_off)
		fprintf(stderr, "resuming at offset %llu\n", (unsigned long long)dev_off);
	return (size_t)dev_off;
}

static int reconnect(struct upload *u, uint32_t *left)
{
	if (*left == 0)
		return -1;
	(*left)--;
	fprintf(stderr, "\nkeel: serial: link lost (%s); reconnecting (%u left)\n", keel_lasterr(), *left);
	sleep(1);
	/* A failed reopen is retried by the next request. */
	serial_link_reopen(&u->c->link);
	return 0;
}

static int run_upload(struct upload *u)
{
	uint8_t scratch[4200];
	size_t off = u->a->resume ? probe_resume(u) : 0;
	uint32_t reconnects = u->a->reconnects;
	int stalls = 0;

	while (off < u->len) {
		size_t n = chunk_size(u, scratch, sizeof(scratch), off);
		uint64_t dev_off = 0;
		int rc;

		if (n == 0)
			return keel_fail(CMD, "upload: --mtu %zu is too small for an upload request", u->mtu);
		rc = send_chunk(u, off, n, 0, &dev_off);
		if (rc == -2)
			return 1;
		if (rc < 0)
			return keel_fail_last(CMD);
		if (rc == 1) {
			if (reconnect(u, &reconnects))
				return keel_fail(CMD, "upload interrupted at offset %zu of %zu: %s", off,
						 u->len, keel_lasterr());
			continue;
		}
		if (dev_off > u->len)
			return keel_fail(CMD, "upload: device reports offset %llu beyond the image (%zu)",
					 (unsigned long long)dev_off, u->len);
		stalls = dev_off == off ? stalls + 1 : 0;
		if (stalls > MAX_STALLS)
			return keel_fail(CMD, "upload: device makes no progress at offset %zu", off);
		off = (size_t)dev_off;
		progress(u, off);
	}
	return 0;
}

int serial_upload(struct smp_client *c, const struct serial_args *a, const char *path)
{
	struct kbuf img = { 0 };
	struct upload u = { .c = c, .a = a, .last_pct = -100 };
	unsigned int shalen = 0;
	double secs;
	int rc;

	if (keel_read_file(path, &img))
		return keel_fail_last(CMD);
	if (img.len == 0) {
		kbuf_free(&img);
		return keel_fail(CMD, "upload: %s is empty", path);
	}
	u.img = img.data;
	u.len = img.len;
	u.mtu = a->mtu;
	u.tty = isatty(2);
	EVP_Digest(img.data, img.len, u.sha, &shalen, EVP_sha256(), NULL);
	if (!a->mtu_given)
		u.mtu = serial_query_mtu(c, a->mtu);
	clock_gettime(CLOCK_MONOTONIC, &u.t0);
	c->wire_tx = c->wire_rx = 0;
	rc = run_upload(&u);
	secs = elapsed(&u);
	if (!rc)
		printf("upload complete: %zu bytes in %.2f s (%.1f KiB/s), mtu %zu, "
		       "efficiency %.3f (image bytes / bytes sent)\n", u.len, secs,
		       secs > 0 ? (double)u.len / secs / 1024 : 0.0, u.mtu,
		       c->wire_tx ? (double)u.len / (double)c->wire_tx : 0.0);
	kbuf_free(&img);
	return rc;
}
