/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark firmware for `make bench`. Each measured call sits between
 * bench_start() and bench_stop(); the insncount QEMU plugin (tools/bench)
 * reports the exact instruction count of every such window, in order. This
 * program prints one line per window:
 *
 *   BENCH <window> <name> <bytes> <stack>
 *
 * bytes: input length for the per-byte figures (0 otherwise); stack: bytes
 * of stack the call used (painted before, scanned after). Window 0 is empty
 * and measures the markers' own cost. Signature inputs come from bench.bin
 * (kvec format, written by `mkvectors --bench`); each must verify.
 */
#include <string.h>

#include "keel/crypto.h"
#include "kvec.h"
#include "mcu.h"

#define PAINT 0xa5c3e1f7u

void bench_start(void);
void bench_stop(void);
void bench_calibrate(void);

static unsigned window;
static uint8_t data[8192];
static uint8_t rec_buf[4096];

/*
 * The markers. noipa: without it GCC sees they clobber no registers and
 * moves the next call's argument set-up in front of bench_stop(), inside
 * the window.
 */
__attribute__((noipa)) void bench_start(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void bench_stop(void)
{
	__asm__ volatile("" ::: "memory");
}

/*
 * Paints the free stack up to this frame. Nothing runs below the stack
 * pointer here (no interrupts are enabled), so all of it may be written.
 */
__attribute__((noinline)) static void paint(void)
{
	uintptr_t end = mcu_sp();

	for (uint32_t *p = _stack_limit; (uintptr_t)p < end; p++)
		*p = PAINT;
}

static uint32_t stack_used(uintptr_t top)
{
	uint32_t *p = _stack_limit;

	while ((uintptr_t)p < top && *p == PAINT)
		p++;
	return (uint32_t)(top - (uintptr_t)p);
}

static void line(const char *name, uint32_t bytes, uint32_t stack)
{
	mcu_puts("BENCH ");
	mcu_put_u32(window++);
	mcu_puts(" ");
	mcu_puts(name);
	mcu_puts(" ");
	mcu_put_u32(bytes);
	mcu_puts(" ");
	mcu_put_u32(stack);
	mcu_puts("\n");
}

static uint8_t out[64];
static struct keel_aes aes;

static void op_sha256(size_t n) { keel_sha256(data, n, out); }
static void op_sha512(size_t n) { keel_sha512(data, n, out); }
static void op_aes128(size_t n)
{
	keel_aes_init(&aes, data, 16);
	keel_aes_ctr(&aes, out, 0, data, data, n);
}
static void op_aes256(size_t n)
{
	keel_aes_init(&aes, data, 32);
	keel_aes_ctr(&aes, out, 0, data, data, n);
}

static void bench_bytes(const char *name, void (*op)(size_t), size_t n)
{
	uintptr_t top = mcu_sp();

	paint();
	bench_start();
	op(n);
	bench_stop();
	line(name, (uint32_t)n, stack_used(top));
}

static int read_u32(int fd, uint32_t *v)
{
	uint8_t b[4];

	if (mcu_read(fd, b, 4))
		return -1;
	*v = kvec_u32(b);
	return 0;
}

static int read_rec(int fd, struct kvec_rec *r)
{
	size_t used = 0;

	if (read_u32(fd, &r->kind) || read_u32(fd, &r->label) || read_u32(fd, &r->host) ||
	    read_u32(fd, &r->id) || read_u32(fd, &r->nfields) || r->nfields > KVEC_MAX_FIELDS)
		return -1;
	for (uint32_t i = 0; i < r->nfields; i++) {
		uint32_t len, padded;

		if (read_u32(fd, &len))
			return -1;
		padded = (len + 3) & ~3u;
		if (padded > sizeof(rec_buf) - used || (padded && mcu_read(fd, rec_buf + used, padded)))
			return -1;
		r->f[i] = rec_buf + used;
		r->len[i] = len;
		used += padded;
	}
	return 0;
}

/* One signature/key-agreement record; its name is the record's kind plus the key size. */
static int bench_record(const struct kvec_rec *r)
{
	const struct kvec_prim *p = kvec_find(r->kind);
	uintptr_t top = mcu_sp();
	const char *name = kvec_kind_name(r->kind);
	int ok;

	if (!p) {
		mcu_puts("bench: ");
		mcu_puts(name);
		mcu_puts(" is not in this build\n");
		return 0;
	}
	if (r->kind == KVEC_RSAPSS)
		name = r->len[0] == 256 ? "rsa-2048-pss" : "rsa-3072-pss";
	paint();
	bench_start();
	ok = p->run(r);
	bench_stop();
	line(name, 0, stack_used(top));
	if (!ok || !r->host) {
		mcu_puts("FAIL bench: ");
		mcu_puts(name);
		mcu_puts(" input did not verify\n");
		return -1;
	}
	return 0;
}

int main(void)
{
	struct kvec_rec r;
	uint8_t magic[4];
	int fd, bad = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 131 + 7);
	bench_start();
	bench_stop();
	line("empty", 0, 0);
	/* 2004 instructions exactly (calibrate.S): ctest mcu-insncount checks the count. */
	bench_start();
	bench_calibrate();
	bench_stop();
	line("calibrate-2004", 0, 0);
	bench_bytes("sha256", op_sha256, 4096);
	bench_bytes("sha256", op_sha256, 8192);
	bench_bytes("sha512", op_sha512, 4096);
	bench_bytes("sha512", op_sha512, 8192);
	bench_bytes("aes128-ctr", op_aes128, 4096);
	bench_bytes("aes128-ctr", op_aes128, 8192);
	bench_bytes("aes256-ctr", op_aes256, 4096);

	fd = mcu_open("bench.bin");
	if (fd < 0 || mcu_read(fd, magic, 4) || memcmp(magic, "KVEC", 4)) {
		mcu_puts("FAIL bench: cannot read bench.bin\n");
		return 2;
	}
	while (read_rec(fd, &r) == 0 && r.kind != KVEC_END)
		bad |= bench_record(&r);
	if (r.kind != KVEC_END) {
		mcu_puts("FAIL bench: bench.bin is truncated\n");
		return 2;
	}
	mcu_close(fd);
	return bad ? 1 : 0;
}
