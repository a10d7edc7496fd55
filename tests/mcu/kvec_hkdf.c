/* SPDX-License-Identifier: Apache-2.0 */
/* HKDF records: okm must match; sizes over 255 * HashLen must be refused. */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

/* 255 * 64 plus room for Wycheproof's one-too-large requests. */
static uint8_t okm[255 * 64 + 64];

static int run_hkdf(const struct kvec_rec *r)
{
	enum keel_hash_alg alg = r->kind == KVEC_HKDF256 ? KEEL_HASH_SHA256 : KEEL_HASH_SHA512;
	uint32_t size = kvec_u32(r->f[4]);

	if (size > sizeof(okm) || r->len[4] != 4)
		return 0;
	if (keel_hkdf(alg, r->f[1], r->len[1], r->f[0], r->len[0], r->f[2], r->len[2], okm,
		      size) != 0)
		return 0;
	return r->len[3] == size && memcmp(okm, r->f[3], size) == 0;
}

const struct kvec_prim kvec_prim_hkdf = { "hkdf", { KVEC_HKDF256, KVEC_HKDF512 }, run_hkdf };
