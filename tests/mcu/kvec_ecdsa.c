/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA P-256 records: DER and raw r||s signatures over a supplied digest. */
#include "keel/crypto.h"
#include "kvec.h"

static int run_ecdsa(const struct kvec_rec *r)
{
	enum keel_ecdsa_sig_format fmt = r->kind == KVEC_ECDSA_DER ? KEEL_ECDSA_DER : KEEL_ECDSA_RAW;

	if (r->len[0] != 65)
		return 0;
	return keel_ecdsa_p256_verify(r->f[0], r->f[1], r->len[1], r->f[2], r->len[2], fmt) == 0;
}

const struct kvec_prim kvec_prim_ecdsa = { "ecdsa-p256", { KVEC_ECDSA_DER, KVEC_ECDSA_RAW }, run_ecdsa };
