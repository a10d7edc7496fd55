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


/* Groups and commands Keel's recovery server and client use. */
#define KEEL_SMP_GROUP_OS 0
#define KEEL_SMP_GROUP_IMAGE 1
#define KEEL_SMP_OS_ECHO 0
#define KEEL_SMP_OS_CONSOLE_ECHO 1
#define KEEL_SMP_OS_RESET 5
#define KEEL_SMP_OS_PARAMS 6
#define KEEL_SMP_OS_BOOTLOADER_INFO 8
#define KEEL_SMP_IMG_STATE 0
#define KEEL_SMP_IMG_UPLOAD 1
#define KEEL_SMP_IMG_ERASE 5
#define KEEL_SMP_IMG_SLOT_INFO 6

/* SMP v1 "rc" codes (MGMT_ERR_*). */
enum keel_mgmt_err {
	KEEL_MGMT_OK = 0,
	KEEL_MGMT_EUNKNOWN = 1,
	KEEL_MGMT_ENOMEM = 2,
	KEEL_MGMT_EINVAL = 3,
	KEEL_MGMT_ETIMEOUT = 4,
	KEEL_MGMT_ENOENT = 5,
	KEEL_MGMT_EBADSTATE = 6,
	KEEL_MGMT_EMSGSIZE = 7,
	KEEL_MGMT_ENOTSUP = 8,
	KEEL_MGMT_ECORRUPT = 9,
	KEEL_MGMT_EBUSY = 10,
	KEEL_MGMT_EACCESSDENIED = 11,
};

/* Group 1 (image management) codes for SMP v2 {"err": {"group": 1, "rc": N}}, as Zephyr's img_mgmt. */
enum keel_img_mgmt_err {
	KEEL_IMG_OK = 0,
	KEEL_IMG_UNKNOWN = 1,
	KEEL_IMG_FLASH_CONFIG_QUERY_FAIL = 2,
	KEEL_IMG_NO_IMAGE = 3,
	KEEL_IMG_NO_TLVS = 4,
	KEEL_IMG_INVALID_TLV = 5,
	KEEL_IMG_TLV_MULTIPLE_HASHES_FOUND = 6,
	KEEL_IMG_TLV_INVALID_SIZE = 7,
	KEEL_IMG_HASH_NOT_FOUND = 8,
	KEEL_IMG_NO_FREE_SLOT = 9,
	KEEL_IMG_FLASH_OPEN_FAILED = 10,
	KEEL_IMG_FLASH_READ_FAILED = 11,
	KEEL_IMG_FLASH_WRITE_FAILED = 12,
	KEEL_IMG_FLASH_ERASE_FAILED = 13,
	KEEL_IMG_INVALID_SLOT = 14,
	KEEL_IMG_NO_FREE_MEMORY = 15,
	KEEL_IMG_INVALID_OFFSET = 20,
	KEEL_IMG_INVALID_LENGTH = 21,
	KEEL_IMG_INVALID_IMAGE_HEADER = 22,
	KEEL_IMG_INVALID_IMAGE_HEADER_MAGIC = 23,
	KEEL_IMG_INVALID_HASH = 24,
	KEEL_IMG_CURRENT_VERSION_IS_NEWER = 27,
	KEEL_IMG_IMAGE_ALREADY_PENDING = 28,
	KEEL_IMG_INVALID_IMAGE_TOO_LARGE = 30,
	KEEL_IMG_INVALID_IMAGE_DATA_OVERRUN = 31,
	KEEL_IMG_IMAGE_CONFIRMATION_DENIED = 32,
	KEEL_IMG_SETTING_TEST_TO_ACTIVE_DENIED = 33,
};

#endif
