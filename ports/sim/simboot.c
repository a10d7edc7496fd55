/* SPDX-License-Identifier: Apache-2.0 */
/* keel-sim layout -> keel_boot_config (see simboot.h). Host code on OpenSSL 3. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "keel/err.h"
#include "simboot.h"

static const struct {
	const char *name;
	enum keel_strategy s;
} strategies[] = {
	{ "swap-offset", KEEL_STRATEGY_SWAP_OFFSET },
	{ "swap-move", KEEL_STRATEGY_SWAP_MOVE },
	{ "swap-scratch", KEEL_STRATEGY_SWAP_SCRATCH },
	{ "overwrite", KEEL_STRATEGY_OVERWRITE_ONLY },
};

enum keel_strategy simboot_strategy(const char *name)
{
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (!strcmp(name, strategies[i].name))
			return strategies[i].s;
	return (enum keel_strategy)0;
}

const char *simboot_strategy_name(enum keel_strategy s)
{
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++)
		if (strategies[i].s == s)
			return strategies[i].name;
	return "?";
}

static int read_all(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "keel-sim: cannot open key %s\n", path);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
			cap = cap ? cap * 2 : 4096;
		}
		size_t r = fread(buf + n, 1, cap - n, f);

		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

static int is_pem(const uint8_t *d, size_t n)
{
	return n > 10 && memmem(d, n, "-----BEGIN", 10) != NULL;
}

static EVP_PKEY *pem_key(const uint8_t *d, size_t n, int *priv)
{
	BIO *b = BIO_new_mem_buf(d, (int)n);
	EVP_PKEY *k;

	if (!b)
		return NULL;
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	*priv = k != NULL;
	if (!k) {
		BIO_free(b);
		b = BIO_new_mem_buf(d, (int)n);
		k = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	}
	BIO_free(b);
	return k;
}

/* RSA keys: PKCS#1 RSAPublicKey; everything else SubjectPublicKeyInfo. */
static int pub_der(EVP_PKEY *k, uint8_t **der, size_t *len)
{
	if (EVP_PKEY_is_a(k, "RSA")) {
		OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(k, EVP_PKEY_PUBLIC_KEY, "DER",
								     "type-specific", NULL);
		unsigned char *out = NULL;
		size_t olen = 0;
		int ok = ec && OSSL_ENCODER_to_data(ec, &out, &olen);

		OSSL_ENCODER_CTX_free(ec);
		if (!ok)
			return -1;
		*der = out;
		*len = olen;
		return 0;
	}
	{
		unsigned char *out = NULL;
		int l = i2d_PUBKEY(k, &out);

		if (l <= 0)
			return -1;
		*der = out;
		*len = (size_t)l;
		return 0;
	}
}

int simboot_key_blob(const char *path, uint8_t **der, size_t *len)
{
	uint8_t *d;
	size_t n;
	int priv, rc;
	EVP_PKEY *k;
	uint8_t *o;

	if (read_all(path, &d, &n))
		return -1;
	if (!is_pem(d, n)) {
		*der = d;
		*len = n;
		return 0;
	}
	k = pem_key(d, n, &priv);
	free(d);
	if (!k) {
		fprintf(stderr, "keel-sim: %s: not a PEM key OpenSSL can read\n", path);
		return -1;
	}
	rc = pub_der(k, &o, len);
	EVP_PKEY_free(k);
	if (rc) {
		fprintf(stderr, "keel-sim: %s: cannot encode the public key\n", path);
		return -1;
	}
	/* Re-own with malloc so every blob is freed the same way. */
	*der = malloc(*len);
	if (!*der) {
		OPENSSL_free(o);
		return -1;
	}
	memcpy(*der, o, *len);
	OPENSSL_free(o);
	return 0;
}

static int ec_scalar(EVP_PKEY *k, uint8_t priv[32])
{
	char group[64];
	BIGNUM *bn = NULL;
	int ok;

	if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) ||
	    strcmp(group, "prime256v1"))
		return -1;
	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn))
		return -1;
	ok = BN_bn2binpad(bn, priv, 32) == 32;
	BN_clear_free(bn);
	return ok ? 0 : -1;
}

int simboot_enc_key(const char *path, struct keel_enc_key *ek, uint8_t priv[32])
{
	uint8_t *d;
	size_t n, rl = 32;
	int is_priv = 0, rc = -1;
	EVP_PKEY *k = NULL;

	if (read_all(path, &d, &n))
		return -1;
	if (is_pem(d, n)) {
		k = pem_key(d, n, &is_priv);
	} else {
		const unsigned char *p = d;

		k = d2i_AutoPrivateKey(NULL, &p, (long)n);
		is_priv = k != NULL;
	}
	free(d);
	if (!k || !is_priv) {
		fprintf(stderr, "keel-sim: %s: not a private key\n", path);
		EVP_PKEY_free(k);
		return -1;
	}
	if (EVP_PKEY_is_a(k, "X25519")) {
		ek->type = KEEL_ENC_KEY_X25519;
		rc = EVP_PKEY_get_raw_private_key(k, priv, &rl) == 1 && rl == 32 ? 0 : -1;
	} else if (EVP_PKEY_is_a(k, "EC")) {
		ek->type = KEEL_ENC_KEY_P256;
		rc = ec_scalar(k, priv);
	}
	EVP_PKEY_free(k);
	if (rc)
		fprintf(stderr, "keel-sim: %s: keel-boot decrypts with P-256 or X25519 device keys only\n",
			path);
	ek->priv = priv;
	return rc;
}

static void area(struct keel_area *a, const struct keel_flash *dev, const struct simconf_area *c,
		 uint8_t id)
{
	a->dev = dev;
	a->off = c->off;
	a->size = c->set ? c->size : 0;
	a->id = id;
}

int simboot_setup(struct simboot *sb, const struct simconf *c, const struct keel_flash *dev)
{
	struct keel_boot_config *cfg = &sb->cfg;
	char p[SIMCONF_PATH * 2];

	memset(sb, 0, sizeof(*sb));
	cfg->strategy = simboot_strategy(c->strategy);
	cfg->n_images = (uint8_t)c->images;
	for (unsigned i = 0; i < c->images; i++) {
		area(&cfg->images[i].primary, dev, &c->primary[i], (uint8_t)(KEEL_AREA_PRIMARY_0 + 2 * i));
		area(&cfg->images[i].secondary, dev, &c->secondary[i],
		     (uint8_t)(KEEL_AREA_SECONDARY_0 + 2 * i));
	}
	area(&cfg->scratch, dev, &c->scratch, KEEL_AREA_SCRATCH);
	cfg->trailer_align = c->max_align;
	cfg->max_sectors = c->max_sectors;
	for (unsigned i = 0; i < c->n_keys; i++) {
		size_t len;

		if (simboot_key_blob(simconf_abspath(c, c->keys[i], p, sizeof(p)), &sb->key_der[i], &len))
			goto fail;
		if (keel_pubkey_parse(&sb->keys[i], sb->key_der[i], len)) {
			fprintf(stderr, "keel-sim: key %s: keel-boot does not recognise this key type\n",
				c->keys[i]);
			goto fail;
		}
	}
	cfg->keys = sb->keys;
	cfg->n_keys = c->n_keys;
	if (c->enc_key[0]) {
		if (simboot_enc_key(simconf_abspath(c, c->enc_key, p, sizeof(p)), &sb->enc, sb->enc_priv))
			goto fail;
		cfg->enc_keys = &sb->enc;
		cfg->n_enc_keys = 1;
		cfg->enc_slot_len = 32;
	}
	cfg->hash_alg = c->hash_bits == 512 ? KEEL_HASH_SHA512 : KEEL_HASH_SHA256;
	cfg->flags = (c->validate_primary ? KEEL_BOOT_VALIDATE_PRIMARY : 0) |
		     (c->downgrade_version ? KEEL_BOOT_DOWNGRADE_VERSION : 0) |
		     (c->downgrade_sec_cnt ? KEEL_BOOT_DOWNGRADE_SEC_CNT : 0) |
		     (c->nv_file[0] ? KEEL_BOOT_HW_ROLLBACK : 0) |
		     (c->require_sec_cnt ? KEEL_BOOT_REQUIRE_SEC_CNT : 0);
	return 0;
fail:
	simboot_release(sb);
	return -1;
}

void simboot_release(struct simboot *sb)
{
	for (unsigned i = 0; i < SIMCONF_MAX_KEYS; i++) {
		free(sb->key_der[i]);
		sb->key_der[i] = NULL;
	}
	memset(sb->enc_priv, 0, sizeof(sb->enc_priv));
}

int simboot_check(const struct simboot *sb, int print)
{
	const char *why = "?";

	if (keel_boot_check_layout(&sb->cfg, &why) == 0)
		return 0;
	if (print)
		fprintf(stderr, "keel-sim: layout refused: %s\n", why);
	return -1;
}
