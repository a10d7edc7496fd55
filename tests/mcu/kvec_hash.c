/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 / SHA-512 records: the digest of msg must equal the expected one. */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

static int run_sha256(const struct kvec_rec *r)
{
	uint8_t d[KEEL_SHA256_LEN];

	keel_sha256(r->f[0], r->len[0], d);
	return r->len[1] == sizeof(d) && memcmp(d, r->f[1], sizeof(d)) == 0;
}

static int run_sha512(const struct kvec_rec *r)
{
	uint8_t d[KEEL_SHA512_LEN];

	keel_sha512(r->f[0], r->len[0], d);
	return r->len[1] == sizeof(d) && memcmp(d, r->f[1], sizeof(d)) == 0;
}

const struct kvec_prim kvec_prim_sha256 = { "sha256", { KVEC_SHA256 }, run_sha256 };
const struct kvec_prim kvec_prim_sha512 = { "sha512", { KVEC_SHA512 }, run_sha512 };
