/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMP (mcumgr) packets and the "SMP over console" line framing, as MCUboot's
 * serial recovery and the mcumgr clients use them (docs/serial-recovery.md).
 * Shared by keel-boot's recovery server and the `keel serial` client.
 */
#ifndef KEEL_SMP_H
#define KEEL_SMP_H

#include <stdint.h>
#include <stddef.h>

#define KEEL_SMP_HDR_SIZE 8

enum keel_smp_op {
	KEEL_SMP_OP_READ = 0,
	KEEL_SMP_OP_READ_RSP = 1,
	KEEL_SMP_OP_WRITE = 2,
	KEEL_SMP_OP_WRITE_RSP = 3,
};

struct keel_smp_hdr {
	uint8_t op;        /* enum keel_smp_op */
	uint8_t version;   /* 0 = SMP v1, 1 = SMP v2 */
	uint8_t flags;
	uint16_t len;      /* CBOR payload bytes after the header */
	uint16_t group;
	uint8_t seq;
	uint8_t id;
};

void keel_smp_hdr_decode(struct keel_smp_hdr *h, const uint8_t raw[KEEL_SMP_HDR_SIZE]);
void keel_smp_hdr_encode(const struct keel_smp_hdr *h, uint8_t raw[KEEL_SMP_HDR_SIZE]);

/* CRC-16/XMODEM (poly 0x1021, init 0, no reflection); chainable. */
uint16_t keel_crc16_xmodem(uint16_t crc, const void *data, size_t len);

/* Standard base64 with '=' padding. Return bytes written or KEEL_ENOSPC / KEEL_EINVAL. */
int keel_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);
int keel_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* Line framing constants (MCUboot / Zephyr console transport). */
#define KEEL_SMP_LINE_MAX 128        /* longest accepted line, LF included */
#define KEEL_SMP_LINE_CHARS 124      /* base64 characters per emitted line */

/*
 * Receive side: feed bytes as they arrive; a completed, CRC-checked packet
 * (SMP header + CBOR, length prefix and CRC removed) is returned through
 * keel_smp_rx_packet(). Anything malformed is dropped silently, as the
 * protocol requires, and counted in `dropped` for logs and tests.
 */
struct keel_smp_rx {
	uint8_t *buf;          /* reassembly buffer (decoded bytes) */
	size_t cap;
	size_t len;
	char line[KEEL_SMP_LINE_MAX];
	size_t line_len;
	int line_overflow;
	int have_start;
	uint32_t dropped;
};

void keel_smp_rx_init(struct keel_smp_rx *rx, uint8_t *buf, size_t cap);
/*
 * Consumes one byte. Returns the length of a complete packet now at
 * rx->buf (valid until the next call), 0 if none is complete yet.
 */
size_t keel_smp_rx_byte(struct keel_smp_rx *rx, uint8_t byte);

/*
 * Send side: frames one packet (header + CBOR) into lines of at most
 * line_chars base64 characters (a multiple of 4, <= 124) and passes each
 * line, markers and LF included, to write(). Returns 0 or a negative
 * keel_err (packet larger than 65533 bytes).
 */
int keel_smp_frame(const uint8_t *pkt, size_t len, size_t line_chars,
		   void (*write)(void *ctx, const void *buf, size_t len), void *ctx);

#endif
