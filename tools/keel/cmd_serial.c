/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel serial`: an SMP (mcumgr) client for keel-boot's serial recovery and
 * for MCUboot devices: list, upload (with progress, rate and resume),
 * erase, reset, echo, params, info, test, confirm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel.h"
#include "serial_cmd.h"
#include "util.h"

#define CMD "serial"
#define DEFAULT_MTU 512          /* MCUboot's receive buffer where the port sets none */
#define ERASE_TIMEOUT_MS 30000   /* the first chunk may erase a whole slot */

enum {
	O_PORT = 1, O_BAUD, O_MTU, O_TIMEOUT, O_RETRIES, O_LINE, O_V2, O_VERBOSE,
	O_IMAGE, O_SLOT, O_RESUME, O_RECONNECTS,
};

static const struct kopt opts[] = {
	{ "port", 'p', 1, O_PORT }, { "baud", 'b', 1, O_BAUD }, { "mtu", 'm', 1, O_MTU },
	{ "timeout", 't', 1, O_TIMEOUT }, { "retries", 'r', 1, O_RETRIES },
	{ "line-length", 'l', 1, O_LINE }, { "smp-v2", 0, 0, O_V2 },
	{ "verbose", 'v', 0, O_VERBOSE }, { "image", 'n', 1, O_IMAGE }, { "slot", 's', 1, O_SLOT },
	{ "resume", 0, 0, O_RESUME }, { "reconnects", 0, 1, O_RECONNECTS },
	{ NULL, 0, 0, 0 },
};

int serial_report_error(const uint8_t *cbor, size_t len, const char *what)
{
	uint32_t group;
	int64_t rc;

	if (!smp_response_error(cbor, len, &group, &rc))
		return 0;
	if (group == 0xffff)
		return keel_fail(CMD, "%s: device answered rc %lld (%s)", what, (long long)rc,
				 smp_error_name(group, rc));
	return keel_fail(CMD, "%s: device answered group %u error %lld (%s)", what, group,
			 (long long)rc, smp_error_name(group, rc));
}

static int request(struct smp_client *c, uint16_t group, uint8_t id, uint8_t op,
		   struct keel_cbor_enc *e, const uint8_t **rsp, size_t *rlen)
{
	int n = keel_cbor_enc_finish(e);

	if (n < 0) {
		keel_seterr("request does not fit the encoder buffer");
		return -1;
	}
	return smp_request(c, group, id, op, e->buf, (size_t)n, rsp, rlen);
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Prints one entry of an "images" array; d is positioned on its map. */
static int print_image_entry(struct keel_cbor_dec *d)
{
	uint64_t image = 0, slot = 0;
	struct keel_cbor_str ver = { 0 }, hash = { 0 };
	int bootable = 0, pending = 0, confirmed = 0, active = 0, permanent = 0;
	struct keel_cbor_field f[] = {
		{ "image", KEEL_CBOR_WANT_UINT, &image, 0 }, { "slot", KEEL_CBOR_WANT_UINT, &slot, 0 },
		{ "version", KEEL_CBOR_WANT_TSTR, &ver, 0 }, { "hash", KEEL_CBOR_WANT_BSTR, &hash, 0 },
		{ "bootable", KEEL_CBOR_WANT_BOOL, &bootable, 0 },
		{ "pending", KEEL_CBOR_WANT_BOOL, &pending, 0 },
		{ "confirmed", KEEL_CBOR_WANT_BOOL, &confirmed, 0 },
		{ "active", KEEL_CBOR_WANT_BOOL, &active, 0 },
		{ "permanent", KEEL_CBOR_WANT_BOOL, &permanent, 0 },
	};

	if (keel_cbor_decode_map(d, f, sizeof(f) / sizeof(f[0])))
		return -1;
	printf(" image=%llu slot=%llu\n", (unsigned long long)image, (unsigned long long)slot);
	printf("    version: %.*s\n", (int)ver.len, ver.ptr ? (const char *)ver.ptr : "");
	if (f[4].found)
		printf("    bootable: %s\n", bootable ? "true" : "false");
	printf("    flags:%s%s%s%s\n", active ? " active" : "", confirmed ? " confirmed" : "",
	       pending ? " pending" : "", permanent ? " permanent" : "");
	printf("    hash: ");
	if (hash.ptr)
		print_hex(hash.ptr, hash.len);
	else
		printf("(none)");
	printf("\n");
	return 0;
}

static int print_image_list(const uint8_t *cbor, size_t len)
{
	struct keel_cbor_dec d;
	struct keel_cbor_item arr;
	int found = smp_map_find(cbor, len, "images", &d);

	if (found != 1 || keel_cbor_next(&d, &arr) || arr.type != KEEL_CBOR_ARRAY)
		return keel_fail(CMD, "list: malformed response (no \"images\" array)");
	printf("Images:\n");
	for (uint64_t i = 0; arr.indefinite || i < arr.val; i++) {
		if (arr.indefinite && d.p < d.end && *d.p == 0xff)
			break;
		if (print_image_entry(&d))
			return keel_fail(CMD, "list: malformed image entry %llu", (unsigned long long)i);
	}
	return 0;
}

static int do_list(struct smp_client *c)
{
	uint8_t buf[16];
	struct keel_cbor_enc e;
	const uint8_t *rsp;
	size_t rlen;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, 0);
	if (request(c, KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_STATE, KEEL_SMP_OP_READ, &e, &rsp, &rlen))
		return keel_fail_last(CMD);
	if (serial_report_error(rsp, rlen, "list"))
		return 1;
	return print_image_list(rsp, rlen);
}

static int do_set_state(struct smp_client *c, const char *hash_hex, int confirm)
{
	uint8_t buf[128], *hash = NULL;
	size_t hlen = 0;
	struct keel_cbor_enc e;
	const uint8_t *rsp;
	size_t rlen;
	int rc;

	if (hash_hex && keel_parse_hex(hash_hex, &hash, &hlen))
		return keel_fail(CMD, "bad hash '%s': %s", hash_hex, keel_lasterr());
	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, hash ? 2 : 1);
	if (hash) {
		keel_cbor_put_str(&e, "hash");
		keel_cbor_put_bstr(&e, hash, hlen);
	}
	keel_cbor_put_str(&e, "confirm");
	keel_cbor_put_bool(&e, confirm);
	free(hash);
	if (request(c, KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_STATE, KEEL_SMP_OP_WRITE, &e, &rsp, &rlen))
		return keel_fail_last(CMD);
	rc = serial_report_error(rsp, rlen, confirm ? "confirm" : "test");
	return rc ? rc : print_image_list(rsp, rlen);
}

static int do_simple(struct smp_client *c, uint16_t group, uint8_t id, uint8_t op,
		     const char *what, const uint8_t **rsp, size_t *rlen)
{
	uint8_t buf[16];
	struct keel_cbor_enc e;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, 0);
	if (request(c, group, id, op, &e, rsp, rlen))
		return keel_fail_last(CMD);
	return serial_report_error(*rsp, *rlen, what);
}

static int print_uint_key(const uint8_t *rsp, size_t rlen, const char *key)
{
	struct keel_cbor_dec d;
	struct keel_cbor_item it;

	if (smp_map_find(rsp, rlen, key, &d) != 1 || keel_cbor_next(&d, &it) ||
	    it.type != KEEL_CBOR_UINT)
		return -1;
	printf("%s: %llu\n", key, (unsigned long long)it.val);
	return 0;
}

static int do_params(struct smp_client *c)
{
	const uint8_t *rsp;
	size_t rlen;
	int rc = do_simple(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_PARAMS, KEEL_SMP_OP_READ, "params",
			   &rsp, &rlen);

	if (rc)
		return rc;
	if (print_uint_key(rsp, rlen, "buf_size") || print_uint_key(rsp, rlen, "buf_count"))
		return keel_fail(CMD, "params: malformed response");
	return 0;
}

size_t serial_query_mtu(struct smp_client *c, size_t fallback)
{
	uint8_t buf[4];
	struct keel_cbor_enc e;
	struct keel_cbor_dec d;
	struct keel_cbor_item it;
	const uint8_t *rsp;
	size_t rlen;
	uint32_t group;
	int64_t rc;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, 0);
	if (request(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_PARAMS, KEEL_SMP_OP_READ, &e, &rsp, &rlen) ||
	    smp_response_error(rsp, rlen, &group, &rc) ||
	    smp_map_find(rsp, rlen, "buf_size", &d) != 1 || keel_cbor_next(&d, &it) ||
	    it.type != KEEL_CBOR_UINT || it.val < 64)
		return fallback;
	return it.val > 4096 ? 4096 : (size_t)it.val;
}

static int do_info(struct smp_client *c)
{
	uint8_t buf[32];
	struct keel_cbor_enc e;
	struct keel_cbor_dec d;
	struct keel_cbor_item it;
	const uint8_t *rsp;
	size_t rlen;
	int rc = do_simple(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_BOOTLOADER_INFO, KEEL_SMP_OP_READ,
			   "info", &rsp, &rlen);

	if (rc)
		return rc;
	if (smp_map_find(rsp, rlen, "bootloader", &d) != 1 || keel_cbor_next(&d, &it) ||
	    it.type != KEEL_CBOR_TSTR)
		return keel_fail(CMD, "info: malformed response");
	printf("bootloader: %.*s\n", (int)it.len, (const char *)it.ptr);
	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, 1);
	keel_cbor_put_str(&e, "query");
	keel_cbor_put_str(&e, "mode");
	if (request(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_BOOTLOADER_INFO, KEEL_SMP_OP_READ, &e, &rsp, &rlen))
		return keel_fail_last(CMD);
	if (serial_report_error(rsp, rlen, "info mode"))
		return 1;
	if (smp_map_find(rsp, rlen, "mode", &d) == 1 && keel_cbor_next(&d, &it) == 0)
		printf("mode: %s%llu\n", it.type == KEEL_CBOR_NINT ? "-" : "",
		       (unsigned long long)(it.type == KEEL_CBOR_NINT ? it.val + 1 : it.val));
	if (smp_map_find(rsp, rlen, "no-downgrade", &d) == 1 && keel_cbor_next(&d, &it) == 0)
		printf("no-downgrade: %s\n", it.val == 21 ? "true" : "false");
	return 0;
}

static int do_echo(struct smp_client *c, const char *text)
{
	uint8_t buf[1024];
	struct keel_cbor_enc e;
	struct keel_cbor_dec d;
	struct keel_cbor_item it;
	const uint8_t *rsp;
	size_t rlen;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, 1);
	keel_cbor_put_str(&e, "d");
	keel_cbor_put_str(&e, text);
	if (request(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_ECHO, KEEL_SMP_OP_WRITE, &e, &rsp, &rlen))
		return keel_fail_last(CMD);
	if (serial_report_error(rsp, rlen, "echo"))
		return 1;
	if (smp_map_find(rsp, rlen, "r", &d) != 1 || keel_cbor_next(&d, &it) ||
	    it.type != KEEL_CBOR_TSTR)
		return keel_fail(CMD, "echo: malformed response");
	printf("%.*s\n", (int)it.len, (const char *)it.ptr);
	return 0;
}

static int do_erase(struct smp_client *c, const struct serial_args *a)
{
	uint8_t buf[16];
	struct keel_cbor_enc e;
	const uint8_t *rsp;
	size_t rlen;

	keel_cbor_enc_init(&e, buf, sizeof(buf));
	keel_cbor_put_map(&e, a->have_slot ? 1 : 0);
	if (a->have_slot) {
		keel_cbor_put_str(&e, "slot");
		keel_cbor_put_uint(&e, a->slot);
	}
	c->timeout_ms = c->timeout_ms > ERASE_TIMEOUT_MS ? c->timeout_ms : ERASE_TIMEOUT_MS;
	if (request(c, KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_ERASE, KEEL_SMP_OP_WRITE, &e, &rsp, &rlen))
		return keel_fail_last(CMD);
	if (serial_report_error(rsp, rlen, "erase"))
		return 1;
	printf("erased\n");
	return 0;
}

static int parse_args(int argc, char **argv, struct serial_args *a)
{
	struct kopt_state st;
	int id;

	memset(a, 0, sizeof(*a));
	a->baud = 115200;
	a->mtu = DEFAULT_MTU;
	a->reconnects = 5;
	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		uint32_t *num = NULL;

		switch (id) {
		case KOPT_ERR: return keel_fail(CMD, "%s", keel_lasterr()) + 1;
		case KOPT_POS:
			if (a->npos == 3)
				return keel_fail(CMD, "unexpected argument '%s'", st.pos) + 1;
			a->pos[a->npos++] = st.pos;
			continue;
		case O_PORT: a->port = st.val[0]; continue;
		case O_BAUD: num = &a->baud; break;
		case O_MTU: num = &a->mtu; a->mtu_given = 1; break;
		case O_IMAGE: num = &a->image; a->have_image = 1; break;
		case O_SLOT: num = &a->slot; a->have_slot = 1; break;
		case O_RECONNECTS: num = &a->reconnects; break;
		case O_RESUME: a->resume = 1; continue;
		default: continue;   /* link options, read again in configure() */
		}
		if (keel_parse_u32(st.val[0], num))
			return keel_fail(CMD, "bad number '%s'", st.val[0]) + 1;
	}
	if (!a->port)
		return keel_fail(CMD, "no port given (-p /dev/ttyX, unix:PATH or tcp:HOST:PORT)") + 1;
	if (a->npos == 0)
		return keel_fail(CMD, "no command given (see keel serial --help)") + 1;
	if (a->mtu < 64 || a->mtu > 4096)
		return keel_fail(CMD, "--mtu %u outside 64..4096", a->mtu) + 1;
	return 0;
}

/* Link options: timeout, retries, line length, SMP version, verbosity. */
static int configure(struct smp_client *c, int argc, char **argv)
{
	struct kopt_state st;
	uint32_t v;
	int id;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == O_V2)
			c->version = 1;
		else if (id == O_VERBOSE)
			c->verbose = 1;
		if (id != O_TIMEOUT && id != O_RETRIES && id != O_LINE)
			continue;
		if (keel_parse_u32(st.val[0], &v))
			return keel_fail(CMD, "bad number '%s'", st.val[0]) + 1;
		if (id == O_TIMEOUT)
			c->timeout_ms = (int)v;
		else if (id == O_RETRIES)
			c->retries = (int)v;
		else if (v < 7 || v > 127)
			return keel_fail(CMD, "--line-length %u outside 7..127", v) + 1;
		else
			c->line_chars = (v - 3) / 4 * 4;
	}
	return 0;
}

static int dispatch(struct smp_client *c, struct serial_args *a)
{
	const char *cmd = a->pos[0];
	const uint8_t *rsp;
	size_t rlen;

	if (!strcmp(cmd, "list"))
		return do_list(c);
	if (!strcmp(cmd, "upload"))
		return a->npos < 2 ? keel_fail(CMD, "upload needs an image file") + 1
				   : serial_upload(c, a, a->pos[1]);
	if (!strcmp(cmd, "erase"))
		return do_erase(c, a);
	if (!strcmp(cmd, "reset")) {
		int rc = do_simple(c, KEEL_SMP_GROUP_OS, KEEL_SMP_OS_RESET, KEEL_SMP_OP_WRITE,
				   "reset", &rsp, &rlen);
		if (!rc)
			printf("reset requested\n");
		return rc;
	}
	if (!strcmp(cmd, "echo"))
		return a->npos < 2 ? keel_fail(CMD, "echo needs a text") + 1 : do_echo(c, a->pos[1]);
	if (!strcmp(cmd, "params"))
		return do_params(c);
	if (!strcmp(cmd, "info"))
		return do_info(c);
	if (!strcmp(cmd, "test"))
		return a->npos < 2 ? keel_fail(CMD, "test needs the image hash") + 1
				   : do_set_state(c, a->pos[1], 0);
	if (!strcmp(cmd, "confirm"))
		return do_set_state(c, a->npos > 1 ? a->pos[1] : NULL, 1);
	return keel_fail(CMD, "unknown serial command '%s' (see keel serial --help)", cmd) + 1;
}

int cmd_serial(int argc, char **argv)
{
	struct smp_client *c = malloc(sizeof(*c));
	struct serial_args a;
	int rc;

	if (!c)
		return keel_fail(CMD, "out of memory");
	smp_client_init(c);
	rc = parse_args(argc, argv, &a);
	if (!rc)
		rc = configure(c, argc, argv);
	if (!rc && serial_link_open(&c->link, a.port, a.baud))
		rc = keel_fail_last(CMD);
	if (!rc)
		rc = dispatch(c, &a);
	serial_link_close(&c->link);
	free(c);
	return rc;
}
