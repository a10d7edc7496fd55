/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MCUboot image format (docs/image-format.md), parsed by one piece of
 * code that both the `keel` host tool and keel-boot use (core/image.c).
 *
 * The parser never trusts a length: every offset it hands out has been
 * checked against the image source's size with overflow-safe arithmetic.
 */
#ifndef KEEL_IMAGE_H
#define KEEL_IMAGE_H

#include <stdint.h>
#include <stddef.h>

#define KEEL_IMAGE_MAGIC        0x96f3b83du
#define KEEL_IMAGE_HEADER_SIZE  32u
#define KEEL_TLV_INFO_MAGIC     0x6907u  /* unprotected area */
#define KEEL_TLV_PROT_MAGIC     0x6908u  /* protected area */
#define KEEL_TLV_INFO_SIZE      4u

/* ih_flags */
#define KEEL_IMAGE_F_PIC               0x00000001u
#define KEEL_IMAGE_F_ENCRYPTED_AES128  0x00000004u
#define KEEL_IMAGE_F_ENCRYPTED_AES256  0x00000008u
#define KEEL_IMAGE_F_NON_BOOTABLE      0x00000010u
#define KEEL_IMAGE_F_RAM_LOAD          0x00000020u
#define KEEL_IMAGE_F_ROM_FIXED         0x00000100u
#define KEEL_IMAGE_F_COMPRESSED_LZMA1  0x00000200u
#define KEEL_IMAGE_F_COMPRESSED_LZMA2  0x00000400u
#define KEEL_IMAGE_F_COMPRESSED_ARM_THUMB 0x00000800u
/* Either AES flag: the payload in the secondary is ciphertext. */
#define KEEL_IMAGE_ENC_FLAGS (KEEL_IMAGE_F_ENCRYPTED_AES128 | KEEL_IMAGE_F_ENCRYPTED_AES256)

/* TLV types */
enum keel_tlv_type {
	KEEL_TLV_KEYHASH = 0x01,
	KEEL_TLV_PUBKEY = 0x02,
	KEEL_TLV_SHA256 = 0x10,
	KEEL_TLV_SHA384 = 0x11,
	KEEL_TLV_SHA512 = 0x12,
	KEEL_TLV_RSA2048_PSS = 0x20,
	KEEL_TLV_ECDSA224 = 0x21,
	KEEL_TLV_ECDSA_SIG = 0x22,
	KEEL_TLV_RSA3072_PSS = 0x23,
	KEEL_TLV_ED25519 = 0x24,
	KEEL_TLV_SIG_PURE = 0x25,
	KEEL_TLV_ENC_RSA2048 = 0x30,
	KEEL_TLV_ENC_KW = 0x31,
	KEEL_TLV_ENC_EC256 = 0x32,
	KEEL_TLV_ENC_X25519 = 0x33,
	KEEL_TLV_ENC_X25519_SHA512 = 0x34,
	KEEL_TLV_DEPENDENCY = 0x40,
	KEEL_TLV_SEC_CNT = 0x50,
	KEEL_TLV_BOOT_RECORD = 0x60,
	KEEL_TLV_DECOMP_SIZE = 0x70,
	KEEL_TLV_DECOMP_SHA = 0x71,
	KEEL_TLV_DECOMP_SIGNATURE = 0x72,
	KEEL_TLV_COMP_DEC_SIZE = 0x73,
	KEEL_TLV_UUID_VID = 0x74,
	KEEL_TLV_UUID_CID = 0x75,
	KEEL_TLV_ANY = 0xffff,   /* iterator wildcard, never stored */
};

/* Name of a known TLV type ("SHA256"), or NULL. */
const char *keel_tlv_name(uint16_t type);

struct keel_version {
	uint8_t major;
	uint8_t minor;
	uint16_t revision;
	uint32_t build;
};

/* <0, 0, >0 like memcmp; build numbers compared only if use_build. */
int keel_version_cmp(const struct keel_version *a, const struct keel_version *b, int use_build);

/* The 32-byte header, decoded to host order. */
struct keel_image_header {
	uint32_t magic;
	uint32_t load_addr;
	uint16_t hdr_size;
	uint16_t protect_tlv_size;
	uint32_t img_size;
	uint32_t flags;
	struct keel_version ver;
	uint32_t pad1;
};

/* A little-endian u32 as the image format stores every multi-byte field. */
static inline uint32_t keel_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void keel_image_header_decode(struct keel_image_header *h, const uint8_t raw[KEEL_IMAGE_HEADER_SIZE]);
void keel_image_header_encode(const struct keel_image_header *h, uint8_t raw[KEEL_IMAGE_HEADER_SIZE]);

/* Where image bytes come from: a flash area in keel-boot, a buffer on the host. */
struct keel_image_src {
	int (*read)(void *ctx, uint32_t off, void *buf, uint32_t len);
	void *ctx;
	uint32_t size;          /* bytes that may be read: the slot size */
};

/* Every reason keel-boot or `keel verify` can give for refusing an image. */
enum keel_reason {
	KEEL_R_OK = 0,
	KEEL_R_READ_ERROR,
	KEEL_R_NO_IMAGE,            /* erased header */
	KEEL_R_BAD_MAGIC,
	KEEL_R_HDR_TOO_SMALL,       /* hdr_size < 32 */
	KEEL_R_SIZE_OVERFLOW,       /* hdr + img + prot overflows 32 bits */
	KEEL_R_TOO_LARGE,           /* does not fit in the slot (with trailer) */
	KEEL_R_BAD_FLAGS,           /* AES128 and AES256 together (parser); PIC, compression,
	                             * RAM_LOAD (keel-boot's validation) */
	KEEL_R_TLV_INFO_MISSING,    /* no 0x6907 info where expected */
	KEEL_R_PROT_SIZE_MISMATCH,  /* 0x6908 tot != ih_protect_tlv_size */
	KEEL_R_TLV_PAST_END,        /* an entry or area runs past its end / the slot */
	KEEL_R_NO_HASH,             /* no hash TLV of the configured type */
	KEEL_R_BAD_HASH_LEN,
	KEEL_R_HASH_MISMATCH,
	KEEL_R_NO_SIGNATURE,        /* no signature TLV after a known key */
	KEEL_R_UNKNOWN_KEY,         /* KEYHASH/PUBKEY matches no built-in key */
	KEEL_R_BAD_SIGNATURE,
	KEEL_R_SIG_ALG_UNSUPPORTED, /* e.g. ECDSA-P384 in a build without it */
	KEEL_R_BAD_SIG_LEN,
	KEEL_R_PURE_MISMATCH,       /* SIG_PURE present/absent against the key policy */
	KEEL_R_SEC_CNT_MISSING,
	KEEL_R_SEC_CNT_BAD,         /* wrong length, repeated, or outside the protected area */
	KEEL_R_DOWNGRADE_VERSION,
	KEEL_R_DOWNGRADE_SEC_CNT,
	KEEL_R_DEPENDENCY_BAD,      /* malformed, outside the protected area, or unknown image id */
	KEEL_R_DEPENDENCY_UNMET,
	KEEL_R_ENC_NO_KEY,          /* encrypted but no usable ENC TLV */
	KEEL_R_ENC_UNWRAP_FAILED,   /* wrong device key or tampered ENC TLV */
	KEEL_R_ENC_ALG_UNSUPPORTED, /* e.g. RSA-OAEP in a build without it */
	KEEL_R_NON_BOOTABLE,
	KEEL_R_WRONG_SLOT,          /* ROM_FIXED address or header at the wrong offset */
	/* Was UNKNOWN_PROT_TLV, never produced: unknown protected TLVs are
	 * ignored as MCUboot does (imgtool --custom-tlv). Kept so the values
	 * after it stay stable. */
	KEEL_R__RESERVED_31,
	KEEL_R_SEC_CNT_CAPACITY,    /* counter value beyond the port's capacity */
	KEEL_R__COUNT
};

/* Stable, human text for a reason: "hash mismatch", ... */
const char *keel_reason_str(enum keel_reason r);

/* Where the parts of a parsed image are, all checked against src->size. */
struct keel_image_layout {
	struct keel_image_header hdr;
	uint32_t hashed_end;     /* hdr_size + img_size + protect_tlv_size */
	uint32_t prot_off;       /* == hdr_size + img_size; prot area incl. info */
	uint32_t prot_size;      /* == protect_tlv_size (0 if none) */
	uint32_t unprot_off;     /* 0x6907 info */
	uint32_t unprot_size;    /* its tot, incl. the info */
	uint32_t end;            /* one past the last TLV byte */
};

/*
 * Reads and checks the header and both TLV info headers. Returns 0 and
 * fills *lay, or KEEL_EBADIMG with *reason set, or a read error (reason
 * KEEL_R_READ_ERROR).
 */
int keel_image_parse(const struct keel_image_src *src, struct keel_image_layout *lay,
		     enum keel_reason *reason);

/* One TLV entry; value_off is an offset in the image source. */
struct keel_tlv {
	uint16_t type;
	uint16_t len;
	uint32_t value_off;
	int protected_area;      /* 1 if it lies in the 0x6908 area */
};

struct keel_tlv_iter {
	const struct keel_image_src *src;
	const struct keel_image_layout *lay;
	uint32_t pos;
	uint32_t stop;
	uint16_t want;           /* a type, or KEEL_TLV_ANY */
	int prot_only;
};

/*
 * Iterates entries of type want (or all with KEEL_TLV_ANY), in storage
 * order. prot_only restricts the walk to the protected area, so a lookup
 * of SEC_CNT or DEPENDENCY can never return unprotected data.
 */
void keel_tlv_iter_init(struct keel_tlv_iter *it, const struct keel_image_src *src,
			const struct keel_image_layout *lay, uint16_t want, int prot_only);
/*
 * 1 with *out filled, 0 at the end, KEEL_EBADIMG if an entry overruns its
 * area (reason KEEL_R_TLV_PAST_END), or a read error.
 */
int keel_tlv_next(struct keel_tlv_iter *it, struct keel_tlv *out);

/* DEPENDENCY TLV value (12 bytes). */
struct keel_dependency {
	uint8_t image_id;
	struct keel_version min_ver;
};
int keel_dependency_decode(struct keel_dependency *d, const uint8_t *v, size_t len);

#endif
