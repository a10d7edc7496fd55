/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CFI flash driver, Intel/Sharp command set (QEMU's cfi.pflash01): two x16
 * chips side by side on a 32-bit bus, so every command is written to both
 * halves and every status read holds one status byte per chip. Erase
 * blocks are 2 x 128 KiB = 256 KiB on the bus.
 *
 * The command sequences follow the datasheet protocol fully even where
 * QEMU is lax (qemu.md 3.4: QEMU erases on 0x20 alone, overwrites on
 * program, ignores locks, never reports errors): setup + confirm, poll
 * SR.7 of both chips with a timeout on the CLINT clock, decode SR.5/4/3/1,
 * clear the status after an error, return to read-array mode. A locked
 * block is unlocked once and the operation retried. Every program and
 * erase is read back, so a silent failure is KEEL_EFAULT.
 *
 * While a chip is out of read-array mode, reading it returns status, not
 * code: on hardware a CPU executing from that bank would fetch garbage.
 * The sequences therefore run from RAM (.ramfunc, copied by start.S) with
 * interrupts off, and touch nothing in flash until read-array is back.
 */
#include <string.h>

#include "keel/err.h"
#include "virt.h"
#include "virt_port.h"

#define RAMFUNC __attribute__((section(".ramfunc"), noinline))
#define CMD(c) ((uint32_t)(c) << 16 | (uint32_t)(c))
#define SR_READY CMD(0x80)
#define SR_ERASE_ERR CMD(0x20)
#define SR_PROG_ERR CMD(0x10)
#define SR_VPP_LOW CMD(0x08)
#define SR_LOCKED CMD(0x02)
#define SR_ERRORS (SR_ERASE_ERR | SR_PROG_ERR | SR_VPP_LOW | SR_LOCKED)

/* Datasheet maxima of typical parallel NOR (P30 class) with margin, in mtime ticks. */
#define PROG_TIMEOUT (VIRT_MTIME_HZ / 20u)      /* 50 ms per buffer */
#define ERASE_TIMEOUT (VIRT_MTIME_HZ * 5u)      /* 5 s per block */
#define LOCK_TIMEOUT (VIRT_MTIME_HZ / 100u)
#define BLOCK_LOCKED 1   /* decode(): internal, never returned to callers */

/*
 * Called right before every program or erase command is issued. It does
 * nothing; the power-cut plugin (tools/bench/insncount.c, cut mode) counts
 * its executions and kills QEMU at the Nth, so cuts are scheduled by flash
 * command, not by wall-clock.
 */
RAMFUNC void virt_flash_cmd_mark(uint32_t addr)
{
	__asm__ volatile("" : : "r"(addr) : "memory");
}

static inline __attribute__((always_inline)) uint32_t irq_off(void)
{
	uint32_t m;

	__asm__ volatile("csrrci %0, mstatus, 8" : "=r"(m) : : "memory");
	return m;
}

static inline __attribute__((always_inline)) void irq_restore(uint32_t m)
{
	if (m & 8u)
		__asm__ volatile("csrsi mstatus, 8" : : : "memory");
}

/* Status of both chips once both are ready, or 0 on timeout. */
static inline __attribute__((always_inline)) uint32_t wait_ready(volatile uint32_t *p, uint32_t ticks)
{
	uint32_t t0 = VIRT_REG32(VIRT_MTIME_LO);

	for (;;) {
		uint32_t s = *p;

		if ((s & SR_READY) == SR_READY)
			return s;
		if (VIRT_REG32(VIRT_MTIME_LO) - t0 > ticks)
			return 0;
	}
}

/* One complete command: setup (and data or confirm), poll, clear on error, read array. */
RAMFUNC static uint32_t cfi_op(volatile uint32_t *p, uint32_t setup, uint32_t second, uint32_t ticks)
{
	uint32_t m = irq_off(), s;

	virt_flash_cmd_mark((uint32_t)p);
	*p = CMD(0x50);          /* clear stale status bits first */
	*p = setup;
	*p = second;
	s = wait_ready(p, ticks);
	if (s == 0 || (s & SR_ERRORS))
		*p = CMD(0x50);
	*p = CMD(0xFF);
	irq_restore(m);
	return s;
}

static int decode(uint32_t s)
{
	if (s == 0)
		return KEEL_ETIMEDOUT;
	if (s & SR_LOCKED)
		return BLOCK_LOCKED;
	if (s & (SR_ERASE_ERR | SR_PROG_ERR | SR_VPP_LOW))
		return KEEL_EIO;
	return 0;
}

/* Block unlock (0x60, 0xD0); P30-class parts power up with every block locked. */
RAMFUNC static uint32_t unlock_op(volatile uint32_t *blk)
{
	uint32_t m = irq_off(), s;

	*blk = CMD(0x60);
	*blk = CMD(0xD0);
	s = wait_ready(blk, LOCK_TIMEOUT);
	*blk = CMD(0xFF);
	irq_restore(m);
	return s;
}

static int unlock(volatile uint32_t *blk)
{
	return unlock_op(blk) ? 0 : KEEL_ETIMEDOUT;
}

/* Runs one erase-type command; a locked block is unlocked and the command retried once. */
static int run(volatile uint32_t *p, uint32_t blk, uint32_t setup, uint32_t second, uint32_t ticks)
{
	int rc = decode(cfi_op(p, setup, second, ticks));

	if (rc != BLOCK_LOCKED)
		return rc;
	rc = unlock((volatile uint32_t *)blk);
	if (rc)
		return rc;
	rc = decode(cfi_op(p, setup, second, ticks));
	return rc == BLOCK_LOCKED ? KEEL_EIO : rc;
}

static int in_window(const struct virt_cfi *c, uint32_t off, uint32_t len)
{
	return off >= c->wr_lo && off <= c->wr_hi && len <= c->wr_hi - off;
}

static int cfi_read(const struct keel_flash *dev, uint32_t off, void *buf, uint32_t len)
{
	const struct virt_cfi *c = dev->ctx;

	if (off > dev->size || len > dev->size - off)
		return KEEL_ERANGE;
	memcpy(buf, (const void *)(c->base + off), len);
	return 0;
}

/*
 * Write-buffer size in bus words, from the CFI query (offset 0x2A: 2^n bytes
 * per chip; a chip word is 16 bits, so 2^n / 2 words, each one bus word).
 * QEMU says 2 KiB per chip (1024 bus words), a P30 64 bytes.
 */
RAMFUNC static uint32_t cfi_query_buf(volatile uint32_t *base)
{
	uint32_t m = irq_off(), n;

	base[0x55] = CMD(0x98);
	n = base[0x2A] & 0xFFu;
	base[0] = CMD(0xFF);
	irq_restore(m);
	return n;
}

#define MAX_BUF_WORDS 1024u
static uint32_t buf_words;                 /* 0 until queried */
static uint32_t wbuf[MAX_BUF_WORDS];       /* the data, in RAM before the command starts */

static uint32_t write_buffer_words(const struct virt_cfi *c)
{
	if (!buf_words) {
		uint32_t n = cfi_query_buf((volatile uint32_t *)c->base);

		/* Outside 2^2..2^11 bytes the answer is not a CFI Intel part: one word at a time. */
		buf_words = n >= 2 && n <= 11 ? (1u << n) / 2u : 1u;
	}
	return buf_words;
}

/*
 * Buffered program (0xE8): wait until the buffer is available, word count
 * minus one, the words, confirm (0xD0), poll; all in one write-buffer-aligned
 * window of one block.
 */
RAMFUNC static uint32_t cfi_buf_op(volatile uint32_t *dst, uint32_t n)
{
	uint32_t m = irq_off(), s, t0 = VIRT_REG32(VIRT_MTIME_LO);

	/* Every cycle goes to the first data word: an address in the block, which is also
	 * where parts that take the buffer window from the command address look. */
	virt_flash_cmd_mark((uint32_t)dst);
	*dst = CMD(0x50);
	for (;;) {
		*dst = CMD(0xE8);
		s = *dst;
		if ((s & SR_READY) == SR_READY)
			break;
		if (VIRT_REG32(VIRT_MTIME_LO) - t0 > PROG_TIMEOUT) {
			s = 0;
			goto out;
		}
	}
	*dst = CMD(n - 1u);
	for (uint32_t i = 0; i < n; i++)
		dst[i] = wbuf[i];
	*dst = CMD(0xD0);
	s = wait_ready(dst, PROG_TIMEOUT);
out:
	if (s == 0 || (s & SR_ERRORS))
		*dst = CMD(0x50);
	*dst = CMD(0xFF);
	irq_restore(m);
	return s;
}

/* One buffered program of wbuf[0..n); a locked block is unlocked and the command retried once. */
static int prog_chunk(uint32_t a, uint32_t n)
{
	volatile uint32_t *blk = (volatile uint32_t *)(a & ~(VIRT_SECTOR - 1u));
	int rc = decode(cfi_buf_op((volatile uint32_t *)a, n));

	if (rc != BLOCK_LOCKED)
		return rc;
	rc = unlock(blk);
	if (rc)
		return rc;
	rc = decode(cfi_buf_op((volatile uint32_t *)a, n));
	return rc == BLOCK_LOCKED ? KEEL_EIO : rc;
}

static int cfi_prog(const struct keel_flash *dev, uint32_t off, const void *buf, uint32_t len)
{
	const struct virt_cfi *c = dev->ctx;
	const uint8_t *src = buf;
	uint32_t a = c->base + off, bw;

	if ((off | len) & 3u)
		return KEEL_EINVAL;
	if (!in_window(c, off, len))
		return KEEL_ERANGE;
	bw = write_buffer_words(c);
	for (uint32_t i = 0; i < len;) {
		/* Up to the end of the write-buffer window that holds a + i. */
		uint32_t n = bw - (((a + i) >> 2) & (bw - 1u)), ones = 1;
		int rc;

		if (n > (len - i) >> 2)
			n = (len - i) >> 2;
		memcpy(wbuf, src + i, n * 4u);   /* read while every bank is in read-array mode */
		for (uint32_t k = 0; k < n; k++)
			ones &= wbuf[k] == 0xFFFFFFFFu;
		/* Programming ones changes nothing on NOR; the read-back below checks. */
		rc = ones ? 0 : prog_chunk(a + i, n);
		if (rc)
			return rc;
		i += n * 4u;
	}
	return memcmp((const void *)a, buf, len) ? KEEL_EFAULT : 0;
}

static int cfi_erase(const struct keel_flash *dev, uint32_t off, uint32_t len)
{
	const struct virt_cfi *c = dev->ctx;

	if ((off | len) & (VIRT_SECTOR - 1u))
		return KEEL_EINVAL;
	if (!in_window(c, off, len))
		return KEEL_ERANGE;
	for (uint32_t b = c->base + off; b < c->base + off + len; b += VIRT_SECTOR) {
		int rc = run((volatile uint32_t *)b, b, CMD(0x20), CMD(0xD0), ERASE_TIMEOUT);

		if (rc)
			return rc;
		for (uint32_t w = b; w < b + VIRT_SECTOR; w += 4)
			if (VIRT_REG32(w) != 0xFFFFFFFFu)
				return KEEL_EFAULT;
	}
	return 0;
}

static const struct keel_flash_ops cfi_ops = { cfi_read, cfi_prog, cfi_erase };
static const struct keel_sector_run bank_runs[] = { { VIRT_BANK_SIZE / VIRT_SECTOR, VIRT_SECTOR } };

/* Bank 1 holds the slots: all of it writable. */
static const struct virt_cfi bank1 = { VIRT_BANK1, 0, VIRT_BANK_SIZE };
const struct keel_flash virt_flash_slots = {
	.ops = &cfi_ops, .ctx = (void *)&bank1, .size = VIRT_BANK_SIZE, .write_size = 4,
	.erased_val = 0xFF, .n_runs = 1, .runs = bank_runs,
};

/* Bank 0 holds keel-boot: only the request sector is writable through the driver. */
static const struct virt_cfi bank0 = { VIRT_BANK0, VIRT_REQ_SECTOR - VIRT_BANK0, VIRT_BANK_SIZE };
const struct keel_flash virt_flash_boot = {
	.ops = &cfi_ops, .ctx = (void *)&bank0, .size = VIRT_BANK_SIZE, .write_size = 4,
	.erased_val = 0xFF, .n_runs = 1, .runs = bank_runs,
};
