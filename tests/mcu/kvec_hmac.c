/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HMAC records: the MAC, cut to the tag's length, must equal the tag (so
 * Wycheproof's truncated-tag cases check the computation; which tag lengths
 * a protocol accepts is that protocol's business).
 */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

static int run_hmac(const struct kvec_rec *r)
{
	enum keel_hash_alg alg = r->kind == KVEC_HMAC256 ? KEEL_HASH_SHA256 : KEEL_HASH_SHA512;
	struct keel_hmac h;
	uint8_t mac[KEEL_SHA512_LEN];

	if (keel_hmac_init(&h, alg, r->f[0], r->len[0]) != 0)
		return 0;
	keel_hmac_update(&h, r->f[1], r->len[1]);
	keel_hmac_final(&h, mac);
	return r->len[2] <= keel_hash_len(alg) && memcmp(mac, r->f[2], r->len[2]) == 0;
}

const struct kvec_prim kvec_prim_hmac = { "hmac", { KVEC_HMAC256, KVEC_HMAC512 }, run_hmac };
