/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Size probes for `make bench`: one tiny firmware per primitive (PROBE_x
 * picks which), linked with --gc-sections, so the map file shows exactly the
 * crypto code and constants that one call pulls in. Inputs are volatile so
 * nothing is folded away. Never run, only linked.
 */
#include "keel/crypto.h"
#include "mcu.h"

static uint8_t buf[512];
static uint8_t *volatile in = buf;
static volatile size_t len = 32;
static volatile int sink;

#if defined(PROBE_sha256)
static void probe(void)
{
	struct keel_sha256 c;

	keel_sha256_init(&c);
	keel_sha256_update(&c, in, len);
	keel_sha256_final(&c, in);
}
#elif defined(PROBE_sha512)
static void probe(void)
{
	struct keel_sha512 c;

	keel_sha512_init(&c);
	keel_sha512_update(&c, in, len);
	keel_sha512_final(&c, in);
}
#elif defined(PROBE_hmac_sha256)
static void probe(void)
{
	struct keel_hmac h;

	sink = keel_hmac_init(&h, KEEL_HASH_SHA256, in, len);
	keel_hmac_update(&h, in, len);
	keel_hmac_final(&h, in);
}
#elif defined(PROBE_hkdf_sha256)
static void probe(void)
{
	sink = keel_hkdf(KEEL_HASH_SHA256, in, len, in, len, in, len, in + 64, len);
}
#elif defined(PROBE_aes128_ctr)
static void probe(void)
{
	struct keel_aes a;

	sink = keel_aes_init(&a, in, 16);
	keel_aes_ctr(&a, in, len, in, in + 16, len);
}
#elif defined(PROBE_ecdsa_p256)
static void probe(void)
{
	sink = keel_ecdsa_p256_verify(in, in, len, in, len, KEEL_ECDSA_DER);
}
#elif defined(PROBE_ed25519)
static void probe(void)
{
	sink = keel_ed25519_verify(in, in, len, in);
}
#elif defined(PROBE_x25519)
static void probe(void)
{
	sink = keel_x25519(in, in, in);
}
#elif defined(PROBE_ecdh_p256)
static void probe(void)
{
	sink = keel_p256_ecdh(in, in, in);
}
#elif defined(PROBE_rsa_pss)
static void probe(void)
{
	sink = keel_rsa_pss_verify(in, len, in, len, in, len, len);
}
#else
#error "define one PROBE_<primitive>"
#endif

int main(void)
{
	probe();
	return 0;
}
