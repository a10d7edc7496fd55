/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The four C library functions firmware may use (the brief's rule), for
 * this toolchain, which ships no rv32 C library. Byte loops: small, and
 * keel-boot's hot loops are in the crypto, not here.
 */
#include <stddef.h>
#include <string.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if ((((size_t)dp | (size_t)sp | n) & 3u) == 0) {
		for (; n; n -= 4, dp += 4, sp += 4)
			*(unsigned *)(void *)dp = *(const unsigned *)(const void *)sp;
		return d;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;

	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *e = s;

	while (*e)
		e++;
	return (size_t)(e - s);
}
