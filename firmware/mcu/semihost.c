/* SPDX-License-Identifier: Apache-2.0 */
/* Arm semihosting calls (BKPT 0xAB on M-profile): op in r0, argument block in r1. */
#include <string.h>

#include "mcu.h"

enum {
	SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE0 = 0x04, SYS_READ = 0x06,
	SYS_EXIT_EXTENDED = 0x20,
};

static int semihost(int op, const void *arg)
{
	register int r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void mcu_puts(const char *s)
{
	semihost(SYS_WRITE0, s);
}

void mcu_put_u64(uint64_t v)
{
	char buf[24];
	char *p = buf + sizeof(buf) - 1;

	*p = 0;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	mcu_puts(p);
}

void mcu_put_u32(uint32_t v)
{
	mcu_put_u64(v);
}

void mcu_put_hex(const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char buf[65];

	while (len) {
		size_t n = len > 32 ? 32 : len, i;

		for (i = 0; i < n; i++) {
			buf[2 * i] = hex[p[i] >> 4];
			buf[2 * i + 1] = hex[p[i] & 15];
		}
		buf[2 * n] = 0;
		mcu_puts(buf);
		p += n;
		len -= n;
	}
}

int mcu_open(const char *path)
{
	uint32_t arg[3] = { (uint32_t)(uintptr_t)path, 1 /* "rb" */, (uint32_t)strlen(path) };

	return semihost(SYS_OPEN, arg);
}

int mcu_read(int fd, void *buf, size_t len)
{
	uint32_t arg[3] = { (uint32_t)fd, (uint32_t)(uintptr_t)buf, (uint32_t)len };

	/* SYS_READ returns the number of bytes it did not read. */
	return semihost(SYS_READ, arg) == 0 ? 0 : -1;
}

void mcu_close(int fd)
{
	uint32_t arg[1] = { (uint32_t)fd };

	semihost(SYS_CLOSE, arg);
}

void mcu_exit(int status)
{
	uint32_t arg[2] = { 0x20026 /* ADP_Stopped_ApplicationExit */, (uint32_t)status };

	for (;;)
		semihost(SYS_EXIT_EXTENDED, arg);
}

uintptr_t mcu_sp(void)
{
	uintptr_t sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	return sp;
}
