/* SPDX-License-Identifier: Apache-2.0 */
/* RSA-PSS records: modulus, digest, signature and the exact salt length. */
#include "keel/crypto.h"
#include "kvec.h"

static int run_rsa(const struct kvec_rec *r)
{
	if (r->len[3] != 4)
		return 0;
	return keel_rsa_pss_verify(r->f[0], r->len[0], r->f[1], r->len[1], r->f[2], r->len[2],
				   kvec_u32(r->f[3])) == 0;
}

const struct kvec_prim kvec_prim_rsa = { "rsa-pss", { KVEC_RSAPSS }, run_rsa };
