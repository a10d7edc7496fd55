/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot's serial recovery server, driven request by request on the
 * simulated flash: recover a wiped device, upload beside a working image,
 * refuse bad images at boot, resume, and survive hostile requests without
 * ever writing outside the target slot.
 */
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
#include "keel/cbor.h"
#include "keel/err.h"
#include "keel/recovery.h"


static int checks;

#define CHECK(cond, ...) do { checks++; CT_CHECK(cond, __VA_ARGS__); } while (0)

static struct ct_key key;
static struct ct_env env;
static struct keel_recovery rec;
static struct keel_recovery_config rcfg;
static uint8_t rsp[KEEL_RECOVERY_TX];
static size_t rsp_len;
static uint8_t seq;

/* ------------------------------------------------------------ requests */

static size_t request(int version, uint8_t op, uint16_t group, uint8_t id, const uint8_t *body,
		      size_t len)
{
	uint8_t pkt[8192 + KEEL_SMP_HDR_SIZE];
	struct keel_smp_hdr h = { op, (uint8_t)version, 0, (uint16_t)len, group, seq++, id };

	keel_smp_hdr_encode(&h, pkt);
	memcpy(pkt + KEEL_SMP_HDR_SIZE, body, len);
	rsp_len = keel_recovery_handle(&rec, pkt, KEEL_SMP_HDR_SIZE + len, rsp, sizeof(rsp));
	return rsp_len;
}

/* Positions d at the value of key in the reply's top-level map; 1 if found. */
static int find(const char *key_name, struct keel_cbor_dec *d)
{
	struct keel_cbor_item m, k;

	keel_cbor_dec_init(d, rsp + KEEL_SMP_HDR_SIZE, rsp_len - KEEL_SMP_HDR_SIZE);
	if (keel_cbor_next(d, &m) || m.type != KEEL_CBOR_MAP)
		return 0;
	for (;;) {
		if (keel_cbor_next(d, &k) || k.type != KEEL_CBOR_TSTR)
			return 0;
		if (k.len == strlen(key_name) && !memcmp(k.ptr, key_name, k.len))
			return 1;
		if (keel_cbor_skip(d))
			return 0;
	}
}

static int64_t reply_uint(const char *key_name)
{
	struct keel_cbor_dec d;
	struct keel_cbor_item it;

	if (!find(key_name, &d) || keel_cbor_next(&d, &it) || it.type != KEEL_CBOR_UINT)
		return -1;
	return (int64_t)it.val;
}

/* The v2 {"err": {"group": g, "rc": r}} code, or -1. */
static int64_t reply_err_rc(void)
{
	struct keel_cbor_dec d;
	uint64_t g = 0, r = 0;
	struct keel_cbor_field f[] = {
		{ "group", KEEL_CBOR_WANT_UINT, &g, 0 }, { "rc", KEEL_CBOR_WANT_UINT, &r, 0 },
	};

	if (!find("err", &d) || keel_cbor_decode_map(&d, f, 2) || !f[1].found)
		return -1;
	return (int64_t)r;
}

static size_t upload_chunk(int version, const uint8_t *img, uint32_t total, uint32_t off,
			   uint32_t n, int image)
{
	uint8_t body[8192];
	struct keel_cbor_enc e;
	static const uint8_t sha[32] = { 1, 2, 3 };

	keel_cbor_enc_init(&e, body, sizeof(body));
	keel_cbor_put_map(&e, off == 0 ? 4 + (image >= 0) : 2);
	if (off == 0 && image >= 0) {
		keel_cbor_put_str(&e, "image");
		keel_cbor_put_uint(&e, (uint64_t)image);
	}
	if (off == 0) {
		keel_cbor_put_str(&e, "len");
		keel_cbor_put_uint(&e, total);
		keel_cbor_put_str(&e, "sha");
		keel_cbor_put_bstr(&e, sha, sizeof(sha));
	}
	keel_cbor_put_str(&e, "off");
	keel_cbor_put_uint(&e, off);
	keel_cbor_put_str(&e, "data");
	keel_cbor_put_bstr(&e, img + off, n);
	if (keel_cbor_enc_finish(&e) < 0) {
		fprintf(stderr, "test bug: chunk of %u bytes does not fit\n", n);
		exit(2);
	}
	return request(version, KEEL_SMP_OP_WRITE, 1, 1, body, (size_t)keel_cbor_enc_finish(&e));
}

/* Uploads from off on the way a client does, driven by the returned offsets. */
static int upload_from(const uint8_t *img, uint32_t len, uint32_t off, uint32_t chunk)
{
	int rounds = 0;

	while (off < len && rounds++ < 10000) {
		uint32_t n = len - off < chunk ? len - off : chunk;
		int64_t next;

		upload_chunk(0, img, len, off, n, -1);
		next = reply_uint("off");
		if (reply_uint("rc") != 0 || next < 0)
			return -1;
		off = (uint32_t)next;
	}
	return off == len ? 0 : -1;
}

static int upload(const uint8_t *img, uint32_t len, uint32_t chunk)
{
	return upload_from(img, len, 0, chunk);
}

static int list_count(void)
{
	static const uint8_t empty[] = { 0xa0 };
	struct keel_cbor_dec d;
	struct keel_cbor_item arr;
	int n = 0;

	request(0, KEEL_SMP_OP_READ, 1, 0, empty, 1);
	if (!find("images", &d) || keel_cbor_next(&d, &arr) || arr.type != KEEL_CBOR_ARRAY)
		return -1;
	while (d.p < d.end && *d.p != 0xff) {
		if (keel_cbor_skip(&d))
			return -1;
		n++;
	}
	return n;
}

/* ------------------------------------------------------------ fixtures */

static const struct ct_geom geom = { "u4k-w8-ff", 4096, 8, 0xff, 8 };

static void fresh_device(void)
{
	if (env.sf)
		ct_env_free(&env);
	ct_env_init(&env, KEEL_STRATEGY_SWAP_OFFSET, &geom, 1, &key);
	rcfg.boot = &env.cfg;
	rcfg.port = &env.port;
	rcfg.flags = 0;
	keel_recovery_init(&rec, &rcfg);
}

static uint32_t make(uint8_t *buf, uint8_t major, uint32_t seed)
{
	struct ct_image_opts o = { .major = major, .payload_len = 9000, .seed = seed, .sec_cnt = -1 };

	return ct_build_image(buf, 16384, &o, &key);
}

static int boot_version(void)
{
	struct keel_boot_result r;

	if (ct_boot_done(&env, &r) != 0 || !r.img[0].bootable)
		return -1;
	return r.img[0].hdr.ver.major;
}

/* ------------------------------------------------------------ scenarios */

static void test_recover_wiped_device(void)
{
	uint8_t v1[16384];
	uint32_t n = make(v1, 1, 11);

	fresh_device();
	CHECK(boot_version() == -1, "a wiped device must not boot");
	CHECK(list_count() == 0, "wiped device lists no image");
	CHECK(upload(v1, n, 300) == 0, "upload to the wiped primary");
	CHECK(list_count() == 1, "list shows the uploaded image");
	CHECK(ct_holds(&env, &env.cfg.images[0].primary, 0, v1, n), "primary holds the upload");
	CHECK(boot_version() == 1, "recovered device boots v1");
}

static void test_upload_beside_working_image(void)
{
	uint8_t v1[16384], v2[16384], bad[16384];
	uint32_t n1 = make(v1, 1, 11), n2 = make(v2, 2, 22), nb = make(bad, 3, 33);

	fresh_device();
	ct_put(&env, &env.cfg.images[0].primary, 0, v1, n1);
	CHECK(boot_version() == 1, "v1 boots");
	/* A bad image: the last signature byte flipped. It goes to the secondary. */
	bad[nb - 1] ^= 1;
	CHECK(upload(bad, nb, 512) == 0, "bad image uploads (checked at boot)");
	CHECK(ct_holds(&env, &env.cfg.images[0].primary, 0, v1, n1), "primary untouched by upload");
	CHECK(list_count() == 1, "a bad image is not listed");
	CHECK(boot_version() == 1, "bad upload refused at boot, v1 keeps running");
	CHECK(upload(v2, n2, 512) == 0, "v2 uploads into the secondary");
	CHECK(list_count() == 2, "list shows v1 and pending v2");
	CHECK(boot_version() == 2, "v2 installed by a test swap");
	CHECK(boot_version() == 1, "unconfirmed v2 reverts to v1");
}

static void test_resume_and_restart(void)
{
	uint8_t v1[16384];
	uint32_t n = make(v1, 1, 44);

	fresh_device();
	upload_chunk(0, v1, n, 0, 1000, -1);
	CHECK(reply_uint("off") == 1000, "first chunk accepted: off %lld", (long long)reply_uint("off"));
	/* The link drops; the client resends an old chunk: the device says where it is. */
	upload_chunk(0, v1, n, 200, 100, -1);
	CHECK(reply_uint("rc") == 0 && reply_uint("off") == 1000, "out-of-order chunk gets the expected offset");
	CHECK(upload_from(v1, n, 1000, 512) == 0, "resumed upload completes");
	CHECK(boot_version() == 1, "resumed upload boots");
	/* A device reset loses the upload state: a late chunk is told to start over. */
	keel_recovery_init(&rec, &rcfg);
	upload_chunk(0, v1, n, 4000, 100, -1);
	CHECK(reply_uint("off") == 0, "after a reset an upload restarts at 0");
}

static void test_interrupted_upload_never_boots(void)
{
	uint8_t v1[16384], v2[16384];
	uint32_t n1 = make(v1, 1, 11), n2 = make(v2, 2, 22);

	fresh_device();
	ct_put(&env, &env.cfg.images[0].primary, 0, v1, n1);
	upload_chunk(0, v2, n2, 0, 4000, -1);
	keel_recovery_init(&rec, &rcfg);      /* reset mid-upload */
	CHECK(boot_version() == 1, "half-uploaded v2 is not installed");
	fresh_device();
	upload_chunk(0, v2, n2, 0, 4000, -1);
	keel_recovery_init(&rec, &rcfg);
	CHECK(boot_version() == -1, "a partial image in the primary is never booted");
}

static void test_hostile_requests(void)
{
	static const uint8_t garbage[] = { 0xa2, 0x63, 'o', 'f', 'f' };
	static const uint8_t resp_op[] = { 0xa0 };
	uint8_t big[16384], *before;
	uint32_t n, size;

	fresh_device();
	n = make(big, 1, 55);
	size = env.cfg.images[0].primary.dev->size;
	before = malloc(size);
	memcpy(before, simflash_mem(env.sf), size);

	CHECK(request(0, KEEL_SMP_OP_WRITE, 1, 1, garbage, sizeof(garbage)) && reply_uint("rc") == KEEL_MGMT_EINVAL,
	      "malformed CBOR: rc 3");
	CHECK(request(0, KEEL_SMP_OP_READ_RSP, 1, 0, resp_op, 1) == 0, "a response op gets no reply");
	CHECK(request(0, KEEL_SMP_OP_READ, 7, 3, resp_op, 1) && reply_uint("rc") == KEEL_MGMT_ENOTSUP,
	      "unknown group: rc 8");
	CHECK(upload_chunk(0, big, 0x7fffffff, 0, 100, -1) && reply_uint("rc") == KEEL_MGMT_EINVAL,
	      "len beyond the slot: rc 3");
	CHECK(upload_chunk(1, big, 0x7fffffff, 0, 100, -1) && reply_err_rc() == KEEL_IMG_INVALID_IMAGE_TOO_LARGE,
	      "v2 request gets the img_mgmt code (30)");
	CHECK(upload_chunk(0, big, n, 0, 100, 5) && reply_uint("rc") == KEEL_MGMT_EINVAL,
	      "image number 5 refused");
	upload_chunk(0, big, 200, 0, 104, -1);
	CHECK(reply_uint("off") == 104, "small upload started");
	CHECK(upload_chunk(0, big, 200, 104, 500, -1) && reply_uint("rc") == KEEL_MGMT_EINVAL,
	      "data past len refused");
	/* Only the target slot (the primary of a wiped device) may have changed. */
	{
		const struct keel_area *p = &env.cfg.images[0].primary;
		const uint8_t *after = simflash_mem(env.sf);
		int outside = 0;

		for (uint32_t i = 0; i < size; i++)
			if (before[i] != after[i] && (i < p->off || i >= p->off + p->size))
				outside++;
		CHECK(outside == 0, "%d bytes changed outside the target slot", outside);
	}
	free(before);
}

static void test_state_and_misc(void)
{
	uint8_t v1[16384], v2[16384], body[128];
	uint32_t n1 = make(v1, 1, 11), n2 = make(v2, 2, 22);
	static const uint8_t empty[] = { 0xa0 };
	struct keel_cbor_enc e;
	struct keel_slot_info si;

	fresh_device();
	ct_put(&env, &env.cfg.images[0].primary, 0, v1, n1);
	CHECK(upload(v2, n2, 700) == 0, "v2 upload");
	CHECK(keel_boot_slot_info(&env.cfg, &env.port, 0, 1, &si) == 0 && si.valid, "v2 valid in secondary");
	/* Make it permanent by hash. */
	keel_cbor_enc_init(&e, body, sizeof(body));
	keel_cbor_put_map(&e, 2);
	keel_cbor_put_str(&e, "hash");
	keel_cbor_put_bstr(&e, si.hash, si.hash_len);
	keel_cbor_put_str(&e, "confirm");
	keel_cbor_put_bool(&e, 1);
	request(0, KEEL_SMP_OP_WRITE, 1, 0, body, (size_t)keel_cbor_enc_finish(&e));
	CHECK(reply_uint("rc") == -1, "state write answers with the list");
	CHECK(boot_version() == 2 && boot_version() == 2, "permanent v2 stays");

	keel_cbor_enc_init(&e, body, sizeof(body));
	keel_cbor_put_map(&e, 1);
	keel_cbor_put_str(&e, "d");
	keel_cbor_put_str(&e, "hello");
	request(0, KEEL_SMP_OP_WRITE, 0, 0, body, (size_t)keel_cbor_enc_finish(&e));
	{
		struct keel_cbor_dec d;
		struct keel_cbor_item it;

		CHECK(find("r", &d) && !keel_cbor_next(&d, &it) && it.len == 5 && !memcmp(it.ptr, "hello", 5),
		      "echo");
	}
	request(0, KEEL_SMP_OP_READ, 0, 6, empty, 1);
	CHECK(reply_uint("buf_size") == KEEL_RECOVERY_BUF && reply_uint("buf_count") == 1, "params");
	request(0, KEEL_SMP_OP_WRITE, 0, 5, empty, 1);
	CHECK(reply_uint("rc") == 0 && rec.reset_requested, "reset answers rc 0 and requests a reset");
	keel_cbor_enc_init(&e, body, sizeof(body));
	keel_cbor_put_map(&e, 1);
	keel_cbor_put_str(&e, "slot");
	keel_cbor_put_uint(&e, 1);
	request(0, KEEL_SMP_OP_WRITE, 1, 5, body, (size_t)keel_cbor_enc_finish(&e));
	CHECK(reply_uint("rc") == 0, "erase of slot 1");
	CHECK(keel_area_is_erased(&env.cfg.images[0].secondary, 0, env.cfg.images[0].secondary.size) == 1,
	      "secondary erased");
	keel_cbor_enc_init(&e, body, sizeof(body));
	keel_cbor_put_map(&e, 1);
	keel_cbor_put_str(&e, "slot");
	keel_cbor_put_uint(&e, 0);
	request(0, KEEL_SMP_OP_WRITE, 1, 5, body, (size_t)keel_cbor_enc_finish(&e));
	CHECK(reply_uint("rc") == KEEL_MGMT_EBADSTATE, "erasing the verified primary is refused");
	CHECK(boot_version() == 2, "the primary still boots after the refused erase");
}

static void test_refuses_unsafe_config(void)
{
	fresh_device();
	env.cfg.flags &= ~KEEL_BOOT_VALIDATE_PRIMARY;
	CHECK(keel_recovery_run(&rec) == KEEL_EINVAL,
	      "recovery refuses a boot config that does not verify the primary every boot");
}

int main(void)
{
	ct_key_load(&key, ct_vector("key-ed25519.pem"));
	test_recover_wiped_device();
	test_upload_beside_working_image();
	test_resume_and_restart();
	test_interrupted_upload_never_boots();
	test_hostile_requests();
	test_state_and_misc();
	test_refuses_unsafe_config();
	ct_env_free(&env);
	printf("serial recovery: %d checks, %d failures\n", checks, ct_failures);
	return ct_failures != 0;
}
