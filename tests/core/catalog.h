/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image surgery for the hostile-image catalogue: read and patch header
 * fields and TLVs of an MCUboot image in memory, and re-seal it (recompute
 * the SHA-256 TLV and the Ed25519 signature with OpenSSL) so that a defect
 * placed in the hashed region is the only thing wrong with the image.
 */
#ifndef KEEL_TEST_CATALOG_H
#define KEEL_TEST_CATALOG_H

#include <stdint.h>

#include "pf_tool.h"

uint16_t cat_rd16(const uint8_t *p);
uint32_t cat_rd32(const uint8_t *p);
void cat_wr16(uint8_t *p, uint16_t v);
void cat_wr32(uint8_t *p, uint32_t v);

/* Header fields. */
#define CAT_HDR_SIZE_OFF 8
#define CAT_PROT_SIZE_OFF 10
#define CAT_IMG_SIZE_OFF 12
#define CAT_FLAGS_OFF 16

/* Offset of the protected info (or the unprotected one if none). */
uint32_t cat_tlv_start(const struct pf_buf *b);
/* Offset of the 0x6907 info header. */
uint32_t cat_unprot_off(const struct pf_buf *b);

/*
 * Finds the first TLV of type in the protected (prot=1) or unprotected area;
 * returns the offset of its 4-byte entry header or 0.
 */
uint32_t cat_tlv_find(const struct pf_buf *b, uint16_t type, int prot);

/* Appends an unprotected TLV (the unprotected area is not hashed). */
int cat_tlv_append_unprot(struct pf_buf *b, uint16_t type, const void *val, uint16_t len);
/* Removes an unprotected TLV entry (fixing the area's tot). */
int cat_tlv_remove_unprot(struct pf_buf *b, uint16_t type);
/* Changes an unprotected TLV's length by delta (data after it moves; new bytes are 0). */
int cat_tlv_resize_unprot(struct pf_buf *b, uint16_t type, int delta);

/*
 * Recomputes the SHA-256 TLV over [0, hdr + img + prot) and the Ed25519
 * signature TLV with the private key at key_pem. 0 or -1.
 */
int cat_reseal(struct pf_buf *b, const char *key_pem);

/* Copy of src. */
int cat_dup(struct pf_buf *dst, const struct pf_buf *src);

#endif
