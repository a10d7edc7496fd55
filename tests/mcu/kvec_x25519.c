/* SPDX-License-Identifier: Apache-2.0 */
/* X25519 records: the shared secret must match; all-zero results are refused by the call. */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

static int run_x25519(const struct kvec_rec *r)
{
	uint8_t shared[32];

	if (r->len[0] != 32 || r->len[1] != 32 || r->len[2] != 32)
		return 0;
	if (keel_x25519(shared, r->f[0], r->f[1]) != 0)
		return 0;
	return memcmp(shared, r->f[2], 32) == 0;
}

const struct kvec_prim kvec_prim_x25519 = { "x25519", { KVEC_X25519 }, run_x25519 };
