/* SPDX-License-Identifier: Apache-2.0 */
#include "kvec.h"

static const char *const names[KVEC_KINDS] = {
	"end", "sha256", "sha512", "hmac-sha256", "hmac-sha512", "hkdf-sha256",
	"hkdf-sha512", "aes-ctr", "ecdsa-p256-der", "ecdsa-p256-raw", "ed25519",
	"x25519", "ecdh-p256", "rsa-pss",
};

const struct kvec_prim *kvec_find(uint32_t kind)
{
	for (const struct kvec_prim *const *p = kvec_prims; *p; p++)
		for (const uint32_t *k = (*p)->kinds; *k; k++)
			if (*k == kind)
				return *p;
	return NULL;
}

const char *kvec_kind_name(uint32_t kind)
{
	return kind < KVEC_KINDS ? names[kind] : "?";
}

uint32_t kvec_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t kvec_u64(const uint8_t *p)
{
	return kvec_u32(p) | (uint64_t)kvec_u32(p + 4) << 32;
}
