/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 records: key and signature must have their fixed lengths. */
#include "keel/crypto.h"
#include "kvec.h"

static int run_ed25519(const struct kvec_rec *r)
{
	if (r->len[0] != 32 || r->len[2] != 64)
		return 0;
	return keel_ed25519_verify(r->f[0], r->f[1], r->len[1], r->f[2]) == 0;
}

const struct kvec_prim kvec_prim_ed25519 = { "ed25519", { KVEC_ED25519 }, run_ed25519 };
