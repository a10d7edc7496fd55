/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel_x25519 under valgrind with the scalar marked secret (ctgrind.h):
 * any branch or memory index derived from the scalar fails the run. The
 * peer points include a small-order one, so the zero-secret path is covered
 * too. Outputs are compared with libsodium after being declared public.
 */
#include <sodium.h>

#include "ctgrind.h"
#include "keel/crypto.h"
#include "keel/err.h"

int main(int argc, char **argv)
{
	static const uint8_t order8[32] = {
		0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
		0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00,
	};
	uint8_t k[32], u[32], out[32], want[32];
	unsigned fails = 0, runs = 0;

	if (ct_canary_main(argc, argv))
		return 0;
	ct_require_valgrind("test_x25519_ct");
	if (sodium_init() < 0)
		return 2;
	for (unsigned i = 0; i < 6; i++) {
		int rc, src;

		randombytes_buf(k, sizeof(k));
		randombytes_buf(u, sizeof(u));
		if (i == 5)
			memcpy(u, order8, 32);
		src = crypto_scalarmult(want, k, u);
		CT_SECRET(k, sizeof(k));
		rc = keel_x25519(out, k, u);
		CT_PUBLIC(&rc, sizeof(rc));
		CT_PUBLIC(out, sizeof(out));
		CT_PUBLIC(k, sizeof(k));
		if ((rc == 0) != (src == 0) || (rc == 0 && memcmp(out, want, 32) != 0)) {
			fprintf(stderr, "FAIL x25519 ct case %u: rc %d, libsodium %d\n", i, rc, src);
			fails++;
		}
		runs++;
	}
	printf("test_x25519_ct: %u runs with a secret scalar, %u failures\n", runs, fails);
	return fails != 0;
}
