/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The embedded public-key blob: exactly what `keel getpub` / `imgtool
 * getpub` print. KEYHASH is a hash over these bytes, so there is one valid
 * encoding per key and the parser accepts nothing else: definite, minimal
 * DER lengths, no trailing bytes, known OIDs with the exact parameters
 * (P-256/P-384 named curve; none for Ed25519), uncompressed EC points,
 * RSA moduli of exactly 2048 or 3072 bits, minimally encoded, and e = 65537
 * (the only exponent keel_rsa_pss_verify takes).
 */
#include <string.h>

#include "keel/crypto.h"
#include "keel/err.h"

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OID 0x06
#define DER_SEQUENCE 0x30

struct der {
	const uint8_t *p;
	size_t left;
};

/*
 * Takes one element with the given tag: 0 with val set to its contents, -1 if the
 * tag differs or the length is not minimal definite DER or overruns.
 */
static int der_take(struct der *d, uint8_t tag, struct der *val)
{
	size_t len, hdr = 2;

	if (d->left < 2 || d->p[0] != tag)
		return -1;
	len = d->p[1];
	if (len == 0x81) {
		if (d->left < 3 || d->p[2] < 0x80)
			return -1;
		len = d->p[2];
		hdr = 3;
	} else if (len == 0x82) {
		if (d->left < 4 || d->p[2] == 0)
			return -1;
		len = (size_t)d->p[2] << 8 | d->p[3];
		if (len < 0x100)
			return -1;
		hdr = 4;
	} else if (len >= 0x80) {
		return -1;   /* indefinite or longer than any key we take */
	}
	if (d->left - hdr < len)
		return -1;
	val->p = d->p + hdr;
	val->left = len;
	d->p += hdr + len;
	d->left -= hdr + len;
	return 0;
}

static int is(const struct der *d, const uint8_t *v, size_t n)
{
	return d->left == n && memcmp(d->p, v, n) == 0;
}

static const uint8_t oid_ec_pub[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t oid_p256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t oid_p384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t oid_ed25519[] = { 0x2b, 0x65, 0x70 };

/* SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID alg, [OID curve] }, BIT STRING key }. */
static int parse_spki(struct keel_pubkey *key, struct der *body)
{
	struct der alg, oid, curve, bits;
	enum keel_key_type type;
	size_t raw_len;

	if (der_take(body, DER_SEQUENCE, &alg) || der_take(&alg, DER_OID, &oid) ||
	    der_take(body, DER_BIT_STRING, &bits) || body->left != 0)
		return KEEL_EINVAL;
	if (is(&oid, oid_ed25519, sizeof(oid_ed25519))) {
		if (alg.left != 0)
			return KEEL_EINVAL;
		type = KEEL_KEY_ED25519;
		raw_len = 32;
	} else if (is(&oid, oid_ec_pub, sizeof(oid_ec_pub))) {
		if (der_take(&alg, DER_OID, &curve) || alg.left != 0)
			return KEEL_EINVAL;
		if (is(&curve, oid_p256, sizeof(oid_p256))) {
			type = KEEL_KEY_ECDSA_P256;
			raw_len = 65;
		} else if (is(&curve, oid_p384, sizeof(oid_p384))) {
			type = KEEL_KEY_ECDSA_P384;
			raw_len = 97;
		} else {
			return KEEL_EINVAL;
		}
		if (bits.left != raw_len + 1 || bits.p[1] != 0x04)
			return KEEL_EINVAL;   /* only uncompressed points */
	} else {
		return KEEL_EINVAL;
	}
	/* No unused bits in the BIT STRING. */
	if (bits.left != raw_len + 1 || bits.p[0] != 0)
		return KEEL_EINVAL;
	key->type = type;
	key->raw = bits.p + 1;
	key->raw_len = raw_len;
	return 0;
}

/* RSAPublicKey: SEQUENCE { INTEGER n, INTEGER e }, n 2048 or 3072 bits, e 65537. */
static int parse_rsa(struct keel_pubkey *key, struct der *body)
{
	static const uint8_t e65537[] = { 0x01, 0x00, 0x01 };
	struct der n, e;

	if (der_take(body, DER_INTEGER, &n) || der_take(body, DER_INTEGER, &e) ||
	    body->left != 0 || !is(&e, e65537, sizeof(e65537)))
		return KEEL_EINVAL;
	/* A positive INTEGER with the top bit set has exactly one 00 in front. */
	if (n.left < 2 || n.p[0] != 0 || n.p[1] < 0x80)
		return KEEL_EINVAL;
	if (n.left == 257)
		key->type = KEEL_KEY_RSA2048;
	else if (n.left == 385)
		key->type = KEEL_KEY_RSA3072;
	else
		return KEEL_EINVAL;
	key->raw = n.p + 1;
	key->raw_len = n.left - 1;
	return 0;
}

int keel_pubkey_parse(struct keel_pubkey *key, const uint8_t *der, size_t der_len)
{
	struct der all = { der, der_len }, body;
	int rc;

	if (!key || !der)
		return KEEL_EINVAL;
	memset(key, 0, sizeof(*key));
	if (der_take(&all, DER_SEQUENCE, &body) || all.left != 0 || body.left == 0)
		return KEEL_EINVAL;
	rc = body.p[0] == DER_SEQUENCE ? parse_spki(key, &body) : parse_rsa(key, &body);
	if (rc) {
		memset(key, 0, sizeof(*key));
		return rc;
	}
	key->der = der;
	key->der_len = der_len;
	return 0;
}
