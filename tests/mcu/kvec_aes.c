/* SPDX-License-Identifier: Apache-2.0 */
/* AES-CTR records: keystream from block iv + off / 16, as keel_aes_ctr defines it. */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"

static uint8_t out[4096];

static int run_aes(const struct kvec_rec *r)
{
	struct keel_aes aes;

	if (r->len[1] != 16 || r->len[2] != 8 || r->len[3] > sizeof(out) || r->len[4] != r->len[3])
		return 0;
	if (keel_aes_init(&aes, r->f[0], r->len[0]) != 0)
		return 0;
	keel_aes_ctr(&aes, r->f[1], kvec_u64(r->f[2]), r->f[3], out, r->len[3]);
	keel_aes_wipe(&aes);
	return memcmp(out, r->f[4], r->len[4]) == 0;
}

const struct kvec_prim kvec_prim_aes = { "aes-ctr", { KVEC_AESCTR }, run_aes };
