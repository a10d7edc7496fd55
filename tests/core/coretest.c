/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "coretest.h"
#include "keel/err.h"

int ct_failures;
struct ct_env *ct_cur;
uint32_t ct_nv[2];
uint32_t ct_nv_capacity = 1000;
uint64_t ct_feeds;

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "coretest: %s: %s\n", what, arg ? arg : "");
	exit(2);
}

const char *ct_vector(const char *name)
{
	static char path[1024];
	const char *sh = getenv("KEEL_SHARED");

	if (!sh)
		die("KEEL_SHARED is not set", "run through ctest");
	snprintf(path, sizeof(path), "%s/vectors/imgtool/%s", sh, name);
	return path;
}

uint8_t *ct_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		die("cannot open", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static EVP_PKEY *load_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (!f)
		die("cannot open key", path);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k)
		die("not a private key PEM", path);
	return k;
}

/* The blob `keel getpub` prints: SPKI, or PKCS#1 RSAPublicKey for RSA. */
static size_t pub_der(EVP_PKEY *k, uint8_t *out, size_t cap)
{
	const char *structure = EVP_PKEY_is_a(k, "RSA") ? "type-specific" : "SubjectPublicKeyInfo";
	OSSL_ENCODER_CTX *ctx = OSSL_ENCODER_CTX_new_for_pkey(k, EVP_PKEY_PUBLIC_KEY, "DER",
							       structure, NULL);
	unsigned char *p = out;
	size_t left = cap;

	if (!ctx || !OSSL_ENCODER_to_data(ctx, &p, &left))
		die("cannot encode public key", structure);
	OSSL_ENCODER_CTX_free(ctx);
	return cap - left;
}

void ct_key_load(struct ct_key *k, const char *pem_path)
{
	memset(k, 0, sizeof(*k));
	k->pkey = load_pem(pem_path);
	k->der_len = pub_der(k->pkey, k->der, sizeof(k->der));
	if (keel_pubkey_parse(&k->pub, k->der, k->der_len) != 0)
		die("keel_pubkey_parse refused", pem_path);
}

void ct_enc_priv(const char *pem_path, uint8_t out[32])
{
	EVP_PKEY *k = load_pem(pem_path);
	size_t len = 32;

	if (EVP_PKEY_is_a(k, "X25519")) {
		if (!EVP_PKEY_get_raw_private_key(k, out, &len) || len != 32)
			die("bad X25519 key", pem_path);
	} else {
		BIGNUM *bn = NULL;

		if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn) ||
		    BN_bn2binpad(bn, out, 32) != 32)
			die("bad P-256 key", pem_path);
		BN_free(bn);
	}
	EVP_PKEY_free(k);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static uint32_t add_tlv(uint8_t *p, uint16_t type, const uint8_t *v, uint16_t len)
{
	put16(p, type);
	put16(p + 2, len);
	memcpy(p + 4, v, len);
	return 4u + len;
}

static uint32_t prot_tlvs(uint8_t *p, const struct ct_image_opts *o)
{
	uint8_t v[12];
	uint32_t n = 4;

	if (o->sec_cnt >= 0) {
		put32(v, (uint32_t)o->sec_cnt);
		n += add_tlv(p + n, KEEL_TLV_SEC_CNT, v, 4);
	}
	for (int i = 0; i < o->n_deps; i++) {
		memset(v, 0, sizeof(v));
		v[0] = o->dep_id[i];
		v[4] = o->dep_ver[i][0];
		v[5] = o->dep_ver[i][1];
		put16(v + 6, o->dep_ver[i][2]);
		n += add_tlv(p + n, KEEL_TLV_DEPENDENCY, v, 12);
	}
	if (n == 4)
		return 0;
	put16(p, KEEL_TLV_PROT_MAGIC);
	put16(p + 2, n);
	return n;
}

static size_t sign(const struct ct_key *key, const uint8_t *msg, size_t len, uint8_t *sig)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ed = EVP_PKEY_is_a(key->pkey, "ED25519");
	size_t sl = 128;

	if (!m || EVP_DigestSignInit(m, NULL, ed ? NULL : EVP_sha256(), NULL, key->pkey) != 1 ||
	    EVP_DigestSign(m, sig, &sl, msg, len) != 1)
		die("signing failed", NULL);
	EVP_MD_CTX_free(m);
	return sl;
}

uint32_t ct_build_image(uint8_t *out, uint32_t cap, const struct ct_image_opts *o,
			const struct ct_key *key)
{
	uint32_t hs = 32, n, prot, u;
	uint8_t digest[32], kh[32], sig[128];
	uint32_t x = o->seed * 2654435761u + 1;
	int ed = EVP_PKEY_is_a(key->pkey, "ED25519");
	size_t sl;

	if (hs + o->payload_len + 400 > cap)
		die("image buffer too small", NULL);
	memset(out, 0, hs);
	for (uint32_t i = 0; i < o->payload_len; i++) {
		x = x * 1103515245u + 12345u;
		out[hs + i] = (uint8_t)(x >> 16);
	}
	prot = prot_tlvs(out + hs + o->payload_len, o);
	put32(out, KEEL_IMAGE_MAGIC);
	put32(out + 4, o->load_addr);
	put32(out + 16, o->flags);
	put16(out + 8, hs);
	put16(out + 10, prot);
	put32(out + 12, o->payload_len);
	out[20] = o->major;
	out[21] = o->minor;
	put16(out + 22, o->rev);
	put32(out + 24, o->build);
	n = hs + o->payload_len + prot;
	EVP_Digest(out, n, digest, NULL, EVP_sha256(), NULL);
	EVP_Digest(key->der, key->der_len, kh, NULL, EVP_sha256(), NULL);
	sl = ed ? sign(key, digest, 32, sig) : sign(key, out, n, sig);
	u = 4;
	u += add_tlv(out + n + u, KEEL_TLV_SHA256, digest, 32);
	u += add_tlv(out + n + u, KEEL_TLV_KEYHASH, kh, 32);
	u += add_tlv(out + n + u, ed ? KEEL_TLV_ED25519 : KEEL_TLV_ECDSA_SIG, sig, (uint16_t)sl);
	put16(out + n, KEEL_TLV_INFO_MAGIC);
	put16(out + n + 2, u);
	return n + u;
}

/* ------------------------------------------------------------ port */

static void console(const void *buf, size_t len)
{
	struct ct_env *e = ct_cur;

	if (!e)
		return;
	if (e->log_len + len >= sizeof(e->log))
		e->log_len = 0;
	memcpy(e->log + e->log_len, buf, len);
	e->log_len += len;
	e->log[e->log_len] = 0;
}

static void feed(void)
{
	ct_feeds++;
}

static void no_reset(void)
{
	die("reset called", NULL);
}

static uint32_t nv_cap(void *ctx, uint32_t image)
{
	return ct_nv_capacity;
}

static int nv_read(void *ctx, uint32_t image, uint32_t *v)
{
	*v = ct_nv[image & 1];
	return 0;
}

static int nv_advance(void *ctx, uint32_t image, uint32_t v)
{
	if (v > ct_nv_capacity)
		return KEEL_ENOSPC;
	if (v > ct_nv[image & 1])
		ct_nv[image & 1] = v;
	return 0;
}

static const struct keel_nv_counter_ops nv_ops = { nv_cap, nv_read, nv_advance, NULL };

/* ------------------------------------------------------------ environment */

static void on_cut(void *arg)
{
	struct ct_env *e = arg;

	if (e->jb_armed)
		longjmp(e->jb, 1);
}

static void set_area(struct keel_area *a, const struct keel_flash *dev, uint32_t *off,
		     uint32_t size, uint8_t id)
{
	a->dev = dev;
	a->off = *off;
	a->size = size;
	a->id = id;
	*off += size;
}

/* Uniform sectors; slot sizes in sectors per strategy (swap-offset: S = P + 1). */
static void uniform(struct ct_env *e, enum keel_strategy s, const struct ct_geom *g, int images)
{
	struct simflash_geom fg = { 0 };
	uint32_t n = g->pri_sectors, ps = n, ss = n, total, off = 0;

	if (s == KEEL_STRATEGY_SWAP_OFFSET)
		ss = n + 1;
	if (s == KEEL_STRATEGY_SWAP_MOVE)
		ps = n + 1;
	total = (uint32_t)images * (ps + ss) + (s == KEEL_STRATEGY_SWAP_SCRATCH ? 1 : 0);
	fg.size = total * g->sector;
	fg.write_size = g->write_size;
	fg.erased_val = g->erased;
	fg.n_runs = 1;
	fg.runs[0].count = total;
	fg.runs[0].size = g->sector;
	e->sf = simflash_new(&fg);
	if (!e->sf)
		die("simflash_new failed", g->name);
	for (int i = 0; i < images; i++) {
		set_area(&e->cfg.images[i].primary, simflash_dev(e->sf), &off, ps * g->sector,
			 (uint8_t)(2 * i));
		set_area(&e->cfg.images[i].secondary, simflash_dev(e->sf), &off, ss * g->sector,
			 (uint8_t)(2 * i + 1));
	}
	if (s == KEEL_STRATEGY_SWAP_SCRATCH)
		set_area(&e->cfg.scratch, simflash_dev(e->sf), &off, g->sector, KEEL_AREA_SCRATCH);
}

/* STM32F4-like: 4 x 16K, 64K, then 128K sectors. P = [0,256K), S = 2 x 128K. */
static void mixed(struct ct_env *e, enum keel_strategy s, const struct ct_geom *g)
{
	struct simflash_geom fg = { 0 };
	uint32_t off = 0;

	fg.size = 640 * 1024;
	fg.write_size = g->write_size;
	fg.erased_val = g->erased;
	fg.n_runs = 3;
	fg.runs[0] = (struct keel_sector_run){ 4, 16 * 1024 };
	fg.runs[1] = (struct keel_sector_run){ 1, 64 * 1024 };
	fg.runs[2] = (struct keel_sector_run){ 4, 128 * 1024 };
	e->sf = simflash_new(&fg);
	if (!e->sf)
		die("simflash_new failed", g->name);
	set_area(&e->cfg.images[0].primary, simflash_dev(e->sf), &off, 256 * 1024, 0);
	set_area(&e->cfg.images[0].secondary, simflash_dev(e->sf), &off, 256 * 1024, 1);
	if (s == KEEL_STRATEGY_SWAP_SCRATCH)
		set_area(&e->cfg.scratch, simflash_dev(e->sf), &off, 128 * 1024, KEEL_AREA_SCRATCH);
}

void ct_env_init(struct ct_env *e, enum keel_strategy s, const struct ct_geom *g, int images,
		 struct ct_key *key)
{
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->cfg.strategy = s;
	e->cfg.n_images = (uint8_t)images;
	if (g->sector)
		uniform(e, s, g, images);
	else
		mixed(e, s, g);
	e->cfg.keys = &key->pub;
	e->cfg.n_keys = 1;
	e->cfg.hash_alg = KEEL_HASH_SHA256;
	e->cfg.flags = KEEL_BOOT_VALIDATE_PRIMARY;
	e->port.console_write = console;
	e->port.watchdog_feed = feed;
	e->port.reset = no_reset;
	e->port.nv_counter = &nv_ops;
	simflash_set_cut_hook(e->sf, on_cut, e);
	ct_cur = e;
	ct_nv[0] = ct_nv[1] = 0;
}

void ct_env_free(struct ct_env *e)
{
	simflash_free(e->sf);
	e->sf = NULL;
	if (ct_cur == e)
		ct_cur = NULL;
}

void ct_put(struct ct_env *e, const struct keel_area *a, uint32_t off, const uint8_t *img,
	    uint32_t len)
{
	if (simflash_program_image(e->sf, a->off + off, img, len))
		die("simflash_program_image failed", NULL);
}

struct keel_bootctl ct_ctl(struct ct_env *e, uint32_t image)
{
	struct keel_bootctl c = {
		.primary = &e->cfg.images[image].primary,
		.secondary = &e->cfg.images[image].secondary,
		.trailer_align = e->cfg.trailer_align,
		.strategy = e->cfg.strategy,
		.image = (uint8_t)image,
	};
	return c;
}

int ct_boot(struct ct_env *e, struct keel_boot_result *res)
{
	int rc;

	ct_cur = e;
	if (setjmp(e->jb)) {
		e->jb_armed = 0;
		simflash_disarm(e->sf);
		simflash_power_on(e->sf);
		return 1;
	}
	e->jb_armed = 1;
	rc = keel_boot(&e->cfg, &e->port, res);
	e->jb_armed = 0;
	return rc;
}

int ct_boot_done(struct ct_env *e, struct keel_boot_result *res)
{
	int rc;

	while ((rc = ct_boot(e, res)) == 1) {
		if (e->second.model) {
			struct simflash_stats st;
			struct simflash_fault f = e->second;

			simflash_stats(e->sf, &st);
			f.at_op += st.ops;
			simflash_arm(e->sf, &f);
			e->second.model = SIMFLASH_NONE;
		}
	}
	return rc;
}

int ct_holds(struct ct_env *e, const struct keel_area *a, uint32_t off, const uint8_t *img,
	     uint32_t len)
{
	return memcmp(simflash_mem(e->sf) + a->off + off, img, len) == 0;
}
