/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 ECDH records. The API takes uncompressed points only, so any other
 * encoding is a rejection; the private key may carry a leading zero byte
 * in Wycheproof, which is stripped by the converter.
 */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

static int run_ecdh(const struct kvec_rec *r)
{
	uint8_t shared[32];

	if (r->len[0] != 32 || r->len[1] != 65)
		return 0;
	if (keel_p256_ecdh(shared, r->f[0], r->f[1]) != 0)
		return 0;
	return r->len[2] == 32 && memcmp(shared, r->f[2], 32) == 0;
}

const struct kvec_prim kvec_prim_ecdh = { "ecdh-p256", { KVEC_ECDH }, run_ecdh };
