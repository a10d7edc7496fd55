/* SPDX-License-Identifier: Apache-2.0 */
#include "keys.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

static const struct {
	enum keel_keytype t;
	const char *name;
	const char *shortname;
	uint16_t sig_tlv;
} types[] = {
	{ KEEL_KT_ECDSA_P256, "ecdsa-p256", "ecdsa", 0x22 },
	{ KEEL_KT_ECDSA_P384, "ecdsa-p384", "ecdsap384", 0x22 },
	{ KEEL_KT_ED25519, "ed25519", "ed25519", 0x24 },
	{ KEEL_KT_RSA2048, "rsa-2048", "rsa", 0x20 },
	{ KEEL_KT_RSA3072, "rsa-3072", "rsa", 0x23 },
	{ KEEL_KT_X25519, "x25519", "x25519", 0 },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

const char *keel_keytype_name(enum keel_keytype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].t == t)
			return types[i].name;
	return "unknown";
}

int keel_keytype_parse(const char *name, enum keel_keytype *t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strcmp(types[i].name, name) == 0) {
			*t = types[i].t;
			return 0;
		}
	keel_seterr("unknown key type '%s' (expected ecdsa-p256, ecdsa-p384, ed25519, rsa-2048, "
		    "rsa-3072 or x25519)", name);
	return -1;
}

const char *keel_keytype_shortname(enum keel_keytype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].t == t)
			return types[i].shortname;
	return "unknown";
}

uint16_t keel_keytype_sig_tlv(enum keel_keytype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].t == t)
			return types[i].sig_tlv;
	return 0;
}

size_t keel_hash_len(enum keel_hashalg h)
{
	return (size_t)h / 8;
}

uint16_t keel_hash_tlv(enum keel_hashalg h)
{
	return h == KEEL_HASH_SHA512 ? 0x12 : h == KEEL_HASH_SHA384 ? 0x11 : 0x10;
}

const EVP_MD *keel_hash_md(enum keel_hashalg h)
{
	return h == KEEL_HASH_SHA512 ? EVP_sha512() : h == KEEL_HASH_SHA384 ? EVP_sha384() : EVP_sha256();
}

const char *keel_hash_name(enum keel_hashalg h)
{
	return h == KEEL_HASH_SHA512 ? "SHA512" : h == KEEL_HASH_SHA384 ? "SHA384" : "SHA256";
}

int keel_hash(enum keel_hashalg h, const void *data, size_t len, uint8_t *out)
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, keel_hash_md(h), NULL)) {
		keel_seterr("%s failed in OpenSSL", keel_hash_name(h));
		return -1;
	}
	return (int)n;
}

/* Sets k->type from the EVP_PKEY; fails for curves/sizes MCUboot has no TLV for. */
static int classify(struct keel_key *k, const char *what)
{
	EVP_PKEY *p = k->pkey;
	char group[64];
	size_t glen = 0;
	int bits;

	if (EVP_PKEY_is_a(p, "ED25519")) {
		k->type = KEEL_KT_ED25519;
	} else if (EVP_PKEY_is_a(p, "X25519")) {
		k->type = KEEL_KT_X25519;
	} else if (EVP_PKEY_is_a(p, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(p, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), &glen)) {
			keel_seterr("%s: EC key without a named curve is not supported", what);
			return -1;
		}
		if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) {
			k->type = KEEL_KT_ECDSA_P256;
		} else if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0) {
			k->type = KEEL_KT_ECDSA_P384;
		} else {
			keel_seterr("%s: EC curve %s is not supported (P-256 or P-384)", what, group);
			return -1;
		}
	} else if (EVP_PKEY_is_a(p, "RSA")) {
		bits = EVP_PKEY_get_bits(p);
		if (bits == 2048) {
			k->type = KEEL_KT_RSA2048;
		} else if (bits == 3072) {
			k->type = KEEL_KT_RSA3072;
		} else {
			keel_seterr("%s: RSA-%d is not supported (RSA-2048 or RSA-3072)", what, bits);
			return -1;
		}
	} else {
		keel_seterr("%s: key type %s is not supported", what, EVP_PKEY_get0_type_name(p));
		return -1;
	}
	return 0;
}

static int has_private(EVP_PKEY *p)
{
	BIGNUM *bn = NULL;
	uint8_t raw[64];
	size_t n = sizeof(raw);
	int ok;

	if (EVP_PKEY_is_a(p, "ED25519") || EVP_PKEY_is_a(p, "X25519"))
		return EVP_PKEY_get_raw_private_key(p, raw, &n) == 1;
	if (EVP_PKEY_is_a(p, "EC"))
		ok = EVP_PKEY_get_bn_param(p, OSSL_PKEY_PARAM_PRIV_KEY, &bn);
	else
		ok = EVP_PKEY_get_bn_param(p, OSSL_PKEY_PARAM_RSA_D, &bn);
	BN_clear_free(bn);
	return ok == 1;
}

/* Tries one decoder selection; returns the key or NULL. */
static EVP_PKEY *try_decode(const uint8_t *data, size_t len, int selection, const char *password)
{
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *pkey = NULL;
	const unsigned char *p = data;
	size_t left = len;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL, selection, NULL, NULL);
	if (!dctx)
		return NULL;
	if (password)
		OSSL_DECODER_CTX_set_passphrase(dctx, (const unsigned char *)password,
						strlen(password));
	if (!OSSL_DECODER_from_data(dctx, &p, &left)) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	return pkey;
}

static int contains(const uint8_t *data, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

int keel_key_load_mem(struct keel_key *k, const uint8_t *data, size_t len,
		      const char *password, const char *what)
{
	int encrypted = contains(data, len, "ENCRYPTED");

	memset(k, 0, sizeof(*k));
	if (len == 0) {
		keel_seterr("%s: empty key file", what);
		return -1;
	}
	if (encrypted && !password) {
		keel_seterr("%s: key is password-protected; give the password (--password or "
			    "KEEL_PASSWORD)", what);
		return -1;
	}
	k->pkey = try_decode(data, len, EVP_PKEY_KEYPAIR, password);
	if (!k->pkey)
		k->pkey = try_decode(data, len, EVP_PKEY_PUBLIC_KEY, NULL);
	ERR_clear_error();
	if (!k->pkey) {
		keel_seterr(encrypted ? "%s: cannot decrypt the key (wrong password?)"
				      : "%s: not a PEM or DER key OpenSSL can read", what);
		return -1;
	}
	if (classify(k, what)) {
		keel_key_free(k);
		return -1;
	}
	k->has_private = has_private(k->pkey);
	return 0;
}

int keel_key_load(struct keel_key *k, const char *path, const char *password)
{
	struct kbuf b = { 0 };
	int rc;

	memset(k, 0, sizeof(*k));
	if (keel_read_file(path, &b)) {
		kbuf_free(&b);
		return -1;
	}
	rc = keel_key_load_mem(k, b.data, b.len, password, path);
	OPENSSL_cleanse(b.data, b.len);
	kbuf_free(&b);
	return rc;
}

int keel_key_generate(struct keel_key *k, enum keel_keytype t)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	char group[16];
	unsigned int bits;
	const char *alg;
	int ok = 0;

	memset(k, 0, sizeof(*k));
	switch (t) {
	case KEEL_KT_ECDSA_P256:
	case KEEL_KT_ECDSA_P384:
		alg = "EC";
		strcpy(group, t == KEEL_KT_ECDSA_P256 ? "P-256" : "P-384");
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
		break;
	case KEEL_KT_RSA2048:
	case KEEL_KT_RSA3072:
		alg = "RSA";
		bits = t == KEEL_KT_RSA2048 ? 2048 : 3072;
		params[0] = OSSL_PARAM_construct_uint(OSSL_PKEY_PARAM_RSA_BITS, &bits);
		break;
	case KEEL_KT_ED25519:
		alg = "ED25519";
		params[0] = OSSL_PARAM_construct_end();
		break;
	case KEEL_KT_X25519:
		alg = "X25519";
		params[0] = OSSL_PARAM_construct_end();
		break;
	default:
		keel_seterr("cannot generate a key of this type");
		return -1;
	}
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_CTX_set_params(ctx, params) == 1 &&
	    EVP_PKEY_generate(ctx, &k->pkey) == 1)
		ok = 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("OpenSSL could not generate a %s key", keel_keytype_name(t));
		return -1;
	}
	k->type = t;
	k->has_private = 1;
	return 0;
}

void keel_key_free(struct keel_key *k)
{
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

int keel_key_require_private(const struct keel_key *k, const char *what)
{
	if (!k->has_private) {
		keel_seterr("%s: is a public key; a private key is needed", what);
		return -1;
	}
	return 0;
}

/* Runs an OSSL_ENCODER and appends its output. */
static int encode(EVP_PKEY *p, int selection, const char *type, const char *structure,
		  const char *password, struct kbuf *out)
{
	OSSL_ENCODER_CTX *ectx;
	unsigned char *data = NULL;
	size_t len = 0;
	int ok;

	ectx = OSSL_ENCODER_CTX_new_for_pkey(p, selection, type, structure, NULL);
	if (!ectx || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0) {
		OSSL_ENCODER_CTX_free(ectx);
		keel_seterr("OpenSSL has no %s %s encoder for this key", type, structure);
		return -1;
	}
	if (password) {
		OSSL_ENCODER_CTX_set_cipher(ectx, "AES-256-CBC", NULL);
		OSSL_ENCODER_CTX_set_passphrase(ectx, (const unsigned char *)password,
						strlen(password));
	}
	ok = OSSL_ENCODER_to_data(ectx, &data, &len);
	OSSL_ENCODER_CTX_free(ectx);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("OpenSSL failed to encode the key as %s %s", type, structure);
		return -1;
	}
	ok = kbuf_append(out, data, len);
	OPENSSL_clear_free(data, len);
	return ok;
}

int keel_key_pub_spki(const struct keel_key *k, struct kbuf *out)
{
	return encode(k->pkey, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo", NULL, out);
}

int keel_key_pub_der(const struct keel_key *k, struct kbuf *out)
{
	if (k->type == KEEL_KT_RSA2048 || k->type == KEEL_KT_RSA3072)
		return encode(k->pkey, EVP_PKEY_PUBLIC_KEY, "DER", "type-specific", NULL, out);
	return keel_key_pub_spki(k, out);
}

int keel_key_pub_pem(const struct keel_key *k, struct kbuf *out)
{
	return encode(k->pkey, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo", NULL, out);
}

int keel_key_pub_raw(const struct keel_key *k, struct kbuf *out)
{
	uint8_t buf[520];
	size_t n = 0;
	BIGNUM *bn = NULL;
	int ok;

	switch (k->type) {
	case KEEL_KT_ED25519:
	case KEEL_KT_X25519:
		n = sizeof(buf);
		ok = EVP_PKEY_get_raw_public_key(k->pkey, buf, &n);
		break;
	case KEEL_KT_ECDSA_P256:
	case KEEL_KT_ECDSA_P384:
		ok = EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     buf, sizeof(buf), &n);
		break;
	default:
		ok = EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &bn);
		if (ok) {
			n = (size_t)BN_num_bytes(bn);
			ok = n <= sizeof(buf) && BN_bn2bin(bn, buf) == (int)n;
		}
		BN_free(bn);
		break;
	}
	if (!ok) {
		ERR_clear_error();
		keel_seterr("cannot export the raw %s public key", keel_keytype_name(k->type));
		return -1;
	}
	return kbuf_append(out, buf, n);
}

int keel_key_pub_hash(const struct keel_key *k, enum keel_hashalg h, uint8_t *out)
{
	struct kbuf der = { 0 };
	int n;

	if (keel_key_pub_der(k, &der)) {
		kbuf_free(&der);
		return -1;
	}
	n = keel_hash(h, der.data, der.len, out);
	kbuf_free(&der);
	return n;
}

/* Reads one DER header at p: tag, header length, body length. 0 or -1. */
static int der_hdr(const uint8_t *p, size_t len, uint8_t *tag, size_t *hlen, size_t *blen)
{
	size_t n;

	if (len < 2)
		return -1;
	*tag = p[0];
	if (p[1] < 0x80) {
		*hlen = 2;
		*blen = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 2 || len < 2 + n)
			return -1;
		*blen = n == 1 ? p[2] : (size_t)p[2] << 8 | p[3];
		*hlen = 2 + n;
	}
	return *blen <= len - *hlen ? 0 : -1;
}

static int der_put_hdr(struct kbuf *out, uint8_t tag, size_t blen)
{
	uint8_t h[4] = { tag };
	size_t n;

	if (blen < 0x80) {
		h[1] = (uint8_t)blen;
		n = 2;
	} else if (blen < 0x100) {
		h[1] = 0x81;
		h[2] = (uint8_t)blen;
		n = 3;
	} else {
		h[1] = 0x82;
		h[2] = (uint8_t)(blen >> 8);
		h[3] = (uint8_t)blen;
		n = 4;
	}
	return kbuf_append(out, h, n);
}

/*
 * ECPrivateKey (SEC1) without its optional [1] publicKey field: what
 * imgtool's getpriv --minimal emits, so a device parser can stay small.
 */
static int sec1_minimal(const uint8_t *p, size_t len, struct kbuf *out)
{
	struct kbuf body = { 0 };
	uint8_t tag;
	size_t hl, bl, pos, ehl, ebl;
	int rc = -1;

	if (der_hdr(p, len, &tag, &hl, &bl) || tag != 0x30)
		goto bad;
	for (pos = hl; pos < hl + bl; pos += ehl + ebl) {
		if (der_hdr(p + pos, hl + bl - pos, &tag, &ehl, &ebl))
			goto bad;
		if (tag != 0xa1 && kbuf_append(&body, p + pos, ehl + ebl))
			goto out;
	}
	rc = der_put_hdr(out, 0x30, body.len) || kbuf_append(out, body.data, body.len) ? -1 : 0;
	goto out;
bad:
	keel_seterr("cannot parse the EC private key DER");
out:
	OPENSSL_cleanse(body.data, body.len);
	kbuf_free(&body);
	return rc;
}

/* PKCS#8 PrivateKeyInfo with the inner ECPrivateKey made minimal. */
static int pkcs8_ec_minimal(const uint8_t *p, size_t len, struct kbuf *out)
{
	struct kbuf body = { 0 }, inner = { 0 };
	uint8_t tag;
	size_t hl, bl, pos, ehl, ebl;
	int rc = -1;

	if (der_hdr(p, len, &tag, &hl, &bl) || tag != 0x30)
		goto bad;
	for (pos = hl; pos < hl + bl; pos += ehl + ebl) {
		if (der_hdr(p + pos, hl + bl - pos, &tag, &ehl, &ebl))
			goto bad;
		if (tag == 0x04) {
			inner.len = 0;
			if (sec1_minimal(p + pos + ehl, ebl, &inner) ||
			    der_put_hdr(&body, 0x04, inner.len) ||
			    kbuf_append(&body, inner.data, inner.len))
				goto out;
		} else if (kbuf_append(&body, p + pos, ehl + ebl)) {
			goto out;
		}
	}
	rc = der_put_hdr(out, 0x30, body.len) || kbuf_append(out, body.data, body.len) ? -1 : 0;
	goto out;
bad:
	keel_seterr("cannot parse the PKCS#8 DER");
out:
	OPENSSL_cleanse(body.data, body.len);
	OPENSSL_cleanse(inner.data, inner.len);
	kbuf_free(&body);
	kbuf_free(&inner);
	return rc;
}

int keel_key_priv_der(const struct keel_key *k, int traditional, int minimal, struct kbuf *out)
{
	struct kbuf full = { 0 };
	int rc;

	if (keel_key_require_private(k, "getpriv"))
		return -1;
	if (encode(k->pkey, EVP_PKEY_KEYPAIR, "DER", traditional ? "type-specific" :
		   "PrivateKeyInfo", NULL, &full)) {
		kbuf_free(&full);
		return -1;
	}
	if (minimal && (k->type == KEEL_KT_ECDSA_P256 || k->type == KEEL_KT_ECDSA_P384)) {
		struct kbuf trimmed = { 0 };

		rc = traditional ? sec1_minimal(full.data, full.len, &trimmed) :
				   pkcs8_ec_minimal(full.data, full.len, &trimmed);
		if (rc == 0)
			rc = kbuf_append(out, trimmed.data, trimmed.len);
		OPENSSL_cleanse(trimmed.data, trimmed.len);
		kbuf_free(&trimmed);
	} else {
		rc = kbuf_append(out, full.data, full.len);
	}
	OPENSSL_cleanse(full.data, full.len);
	kbuf_free(&full);
	return rc;
}

int keel_key_priv_pem(const struct keel_key *k, const char *password, struct kbuf *out)
{
	if (keel_key_require_private(k, "key"))
		return -1;
	return encode(k->pkey, EVP_PKEY_KEYPAIR, "PEM", password ? "EncryptedPrivateKeyInfo" :
		      "PrivateKeyInfo", password, out);
}

size_t keel_der_sig_len(const uint8_t *sig, size_t len)
{
	size_t body;

	if (len < 2 || sig[0] != 0x30)
		return 0;
	if (sig[1] < 0x80) {
		body = sig[1];
		return body + 2 <= len ? body + 2 : 0;
	}
	if (sig[1] == 0x81 && len >= 3 && sig[2] >= 0x80) {
		body = sig[2];
		return body + 3 <= len ? body + 3 : 0;
	}
	return 0;
}

/* Sets up a sign/verify context for k over msg's convention (see keys.h). */
static EVP_PKEY_CTX *pk_ctx(const struct keel_key *k, int verify, size_t msglen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
	const EVP_MD *md;
	int ok;

	if (!ctx)
		return NULL;
	ok = verify ? EVP_PKEY_verify_init(ctx) : EVP_PKEY_sign_init(ctx);
	if (ok != 1)
		goto fail;
	if (k->type == KEEL_KT_RSA2048 || k->type == KEEL_KT_RSA3072) {
		if (msglen != 32 || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) != 1)
			goto fail;
	} else {
		md = msglen == 32 ? EVP_sha256() : msglen == 48 ? EVP_sha384() :
		     msglen == 64 ? EVP_sha512() : NULL;
		if (!md || EVP_PKEY_CTX_set_signature_md(ctx, md) != 1)
			goto fail;
	}
	return ctx;
fail:
	EVP_PKEY_CTX_free(ctx);
	return NULL;
}

static int ed25519_sign(const struct keel_key *k, const uint8_t *msg, size_t len, struct kbuf *sig)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	uint8_t out[64];
	size_t n = sizeof(out);
	int ok;

	ok = m && EVP_DigestSignInit_ex(m, NULL, NULL, NULL, NULL, k->pkey, NULL) == 1 &&
	     EVP_DigestSign(m, out, &n, msg, len) == 1;
	EVP_MD_CTX_free(m);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("Ed25519 signing failed in OpenSSL");
		return -1;
	}
	return kbuf_append(sig, out, n);
}

int keel_key_sign(const struct keel_key *k, const uint8_t *msg, size_t len, struct kbuf *sig)
{
	EVP_PKEY_CTX *ctx;
	uint8_t out[512];
	size_t n = sizeof(out);
	int ok;

	if (k->type == KEEL_KT_X25519) {
		keel_seterr("an x25519 key cannot sign (it is an encryption key)");
		return -1;
	}
	if (keel_key_require_private(k, "signing key"))
		return -1;
	if (k->type == KEEL_KT_ED25519)
		return ed25519_sign(k, msg, len, sig);
	ctx = pk_ctx(k, 0, len);
	ok = ctx && EVP_PKEY_sign(ctx, out, &n, msg, len) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		keel_seterr("%s signing of a %zu-byte digest failed in OpenSSL",
			    keel_keytype_name(k->type), len);
		return -1;
	}
	return kbuf_append(sig, out, n);
}

int keel_key_verify(const struct keel_key *k, const uint8_t *msg, size_t len,
		    const uint8_t *sig, size_t siglen)
{
	EVP_PKEY_CTX *ctx;
	EVP_MD_CTX *m;
	int ok;

	if (k->type == KEEL_KT_X25519) {
		keel_seterr("an x25519 key cannot verify signatures");
		return -1;
	}
	if (k->type == KEEL_KT_ED25519) {
		m = EVP_MD_CTX_new();
		ok = m && siglen == 64 &&
		     EVP_DigestVerifyInit_ex(m, NULL, NULL, NULL, NULL, k->pkey, NULL) == 1 &&
		     EVP_DigestVerify(m, sig, siglen, msg, len) == 1;
		EVP_MD_CTX_free(m);
	} else {
		if (k->type == KEEL_KT_ECDSA_P256 || k->type == KEEL_KT_ECDSA_P384) {
			siglen = keel_der_sig_len(sig, siglen);
			if (!siglen) {
				keel_seterr("ECDSA signature is not a DER SEQUENCE");
				return -1;
			}
		}
		ctx = pk_ctx(k, 1, len);
		ok = ctx && EVP_PKEY_verify(ctx, sig, siglen, msg, len) == 1;
		EVP_PKEY_CTX_free(ctx);
	}
	ERR_clear_error();
	if (!ok) {
		keel_seterr("%s signature does not verify", keel_keytype_name(k->type));
		return -1;
	}
	return 0;
}
