/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constant-time checks for the symmetric primitives, run under valgrind
 * (tests/crypto/ctgrind.h): every secret is marked undefined, so a branch
 * or memory index that depends on it fails the run.
 */
#include <stdio.h>
#include <string.h>

#include "ctgrind.h"
#include "keel/crypto.h"

static void check_ct_compare(void)
{
	uint8_t a[64], b[64];
	int r;

	for (int i = 0; i < 64; i++)
		a[i] = b[i] = (uint8_t)(i * 7);
	b[63] ^= 1;
	CT_SECRET(a, sizeof(a));
	CT_SECRET(b, sizeof(b));
	r = keel_ct_compare(a, b, sizeof(a));
	CT_PUBLIC(&r, sizeof(r));
	if (r == 0) {
		fprintf(stderr, "FAIL keel_ct_compare: different buffers compare equal\n");
		exit(1);
	}
	printf("keel_ct_compare: 64 secret bytes, no secret-dependent branch or index\n");
}

int main(int argc, char **argv)
{
	if (ct_canary_main(argc, argv))
		return 0;
	ct_require_valgrind("test_sym_ct");
	check_ct_compare();
	return 0;
}
