/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constant-time checks with valgrind memcheck (the "ctgrind" technique).
 *
 * Memcheck tracks, bit by bit, whether memory is "defined". A secret marked
 * undefined with CT_SECRET makes every value computed from it undefined too;
 * memcheck then reports any conditional branch, and any memory address, that
 * depends on it ("Conditional jump or move depends on uninitialised value",
 * "Use of uninitialised value of size 8" for a table index). Data-only
 * arithmetic on secrets is silent. So: mark the secret inputs, run the
 * primitive, mark its public outputs defined again with CT_PUBLIC before the
 * test looks at them, and run the binary under
 *
 *   valgrind --error-exitcode=1 --track-origins=yes <test> --ct
 *
 * so any such report fails the test. Outside valgrind the macros do nothing,
 * which is why a ctgrind binary must call ct_require_valgrind() first: a run
 * that is not under valgrind checks nothing and must not report success.
 *
 * Every ctgrind test also has a canary: the same binary with a deliberately
 * secret-dependent branch (ct_canary_branch) or table index
 * (ct_canary_index), registered with WILL_FAIL, proving that valgrind in this
 * setup really catches the two leak kinds.
 *
 * CMake (tests/crypto/CMakeLists.txt): keel_crypto_ctgrind(NAME <test> TARGET
 * <exe> ARGS <args>) registers both the check and its canaries with labels
 * "crypto;no-sanitize"; it is skipped in sanitizer builds (ASan and valgrind
 * do not mix).
 */
#ifndef KEEL_TEST_CTGRIND_H
#define KEEL_TEST_CTGRIND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

#define CT_SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define CT_PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static inline void ct_require_valgrind(const char *test)
{
	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "%s: not running under valgrind; constant-time checks need "
			"`valgrind --error-exitcode=1 --track-origins=yes`\n", test);
		exit(2);
	}
}

/* A leak through a branch: must make valgrind fail. */
static inline int ct_canary_branch(const uint8_t *secret)
{
	uint8_t s[1];

	memcpy(s, secret, 1);
	CT_SECRET(s, 1);
	/* A call on one side only, so the compiler cannot turn it into a select. */
	if (s[0] & 1) {
		puts("canary: odd");
		return 1;
	}
	return 0;
}

/* A leak through a table index: must make valgrind fail. */
static inline int ct_canary_index(const uint8_t *secret)
{
	static const uint8_t table[256] = { 1, 2, 3 };
	uint8_t s[1];
	uint8_t v;

	memcpy(s, secret, 1);
	CT_SECRET(s, 1);
	v = ((const volatile uint8_t *)table)[s[0]];
	CT_PUBLIC(&v, 1);
	return v;
}

/*
 * Handles the canary arguments shared by every ctgrind binary: returns 1
 * if argv asked for a canary (after running it), 0 otherwise.
 */
static inline int ct_canary_main(int argc, char **argv)
{
	static const uint8_t secret[1] = { 0x5a };

	if (argc > 1 && strcmp(argv[1], "--canary-branch") == 0) {
		printf("canary branch: %d\n", ct_canary_branch(secret));
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "--canary-index") == 0) {
		printf("canary index: %d\n", ct_canary_index(secret));
		return 1;
	}
	return 0;
}

#endif
