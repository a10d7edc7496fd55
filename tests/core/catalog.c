/* SPDX-License-Identifier: Apache-2.0 */
/* Image surgery for the hostile-image catalogue (catalog.h). Test code on OpenSSL 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "catalog.h"

uint16_t cat_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t cat_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void cat_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void cat_wr32(uint8_t *p, uint32_t v)
{
	cat_wr16(p, (uint16_t)v);
	cat_wr16(p + 2, (uint16_t)(v >> 16));
}

int cat_dup(struct pf_buf *dst, const struct pf_buf *src)
{
	dst->data = malloc(src->len + 1);
	if (!dst->data)
		return -1;
	memcpy(dst->data, src->data, src->len);
	dst->len = src->len;
	return 0;
}

uint32_t cat_tlv_start(const struct pf_buf *b)
{
	return cat_rd16(b->data + CAT_HDR_SIZE_OFF) + cat_rd32(b->data + CAT_IMG_SIZE_OFF);
}

uint32_t cat_unprot_off(const struct pf_buf *b)
{
	return cat_tlv_start(b) + cat_rd16(b->data + CAT_PROT_SIZE_OFF);
}

uint32_t cat_tlv_find(const struct pf_buf *b, uint16_t type, int prot)
{
	uint32_t start = prot ? cat_tlv_start(b) : cat_unprot_off(b);
	uint32_t end, p;

	if (start + 4 > b->len)
		return 0;
	end = start + cat_rd16(b->data + start + 2);
	if (end > b->len)
		end = b->len;
	for (p = start + 4; p + 4 <= end; p += 4u + cat_rd16(b->data + p + 2))
		if (cat_rd16(b->data + p) == type)
			return p;
	return 0;
}

static int grow(struct pf_buf *b, uint32_t at, int delta)
{
	uint8_t *n;

	if (delta > 0) {
		n = realloc(b->data, b->len + (uint32_t)delta + 1);
		if (!n)
			return -1;
		b->data = n;
		memmove(b->data + at + delta, b->data + at, b->len - at);
		memset(b->data + at, 0, (size_t)delta);
	} else {
		memmove(b->data + at, b->data + at - delta, b->len - at + (uint32_t)delta);
	}
	b->len = (uint32_t)((int64_t)b->len + delta);
	return 0;
}

static void fix_unprot_tot(struct pf_buf *b, int delta)
{
	uint32_t u = cat_unprot_off(b);

	cat_wr16(b->data + u + 2, (uint16_t)(cat_rd16(b->data + u + 2) + delta));
}

int cat_tlv_append_unprot(struct pf_buf *b, uint16_t type, const void *val, uint16_t len)
{
	uint32_t u = cat_unprot_off(b);
	uint32_t end = u + cat_rd16(b->data + u + 2);

	if (grow(b, end, 4 + len))
		return -1;
	cat_wr16(b->data + end, type);
	cat_wr16(b->data + end + 2, len);
	memcpy(b->data + end + 4, val, len);
	fix_unprot_tot(b, 4 + len);
	return 0;
}

int cat_tlv_remove_unprot(struct pf_buf *b, uint16_t type)
{
	uint32_t p = cat_tlv_find(b, type, 0);
	int sz;

	if (!p)
		return -1;
	sz = 4 + cat_rd16(b->data + p + 2);
	if (grow(b, p, -sz))
		return -1;
	fix_unprot_tot(b, -sz);
	return 0;
}

int cat_tlv_resize_unprot(struct pf_buf *b, uint16_t type, int delta)
{
	uint32_t p = cat_tlv_find(b, type, 0);
	uint16_t len;

	if (!p)
		return -1;
	len = cat_rd16(b->data + p + 2);
	if (delta < 0 && -delta > len)
		return -1;
	if (grow(b, p + 4 + (delta > 0 ? len : (uint32_t)((int)len + delta)), delta))
		return -1;
	cat_wr16(b->data + p + 2, (uint16_t)(len + delta));
	fix_unprot_tot(b, delta);
	return 0;
}

int cat_reseal(struct pf_buf *b, const char *key_pem)
{
	uint32_t hashed = cat_unprot_off(b);
	uint32_t h = cat_tlv_find(b, 0x10, 0), s = cat_tlv_find(b, 0x24, 0);
	uint8_t digest[32], sig[64];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	unsigned dl = 32;
	FILE *f;
	int ok;

	if (!h || !s || hashed > b->len || cat_rd16(b->data + h + 2) != 32 ||
	    cat_rd16(b->data + s + 2) != 64) {
		fprintf(stderr, "cat_reseal: image has no SHA256 + ED25519 TLVs to refresh\n");
		return -1;
	}
	if (!EVP_Digest(b->data, hashed, digest, &dl, EVP_sha256(), NULL))
		return -1;
	f = fopen(key_pem, "r");
	if (f) {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	ctx = EVP_MD_CTX_new();
	ok = k && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestSign(ctx, sig, &siglen, digest, 32) == 1 && siglen == 64;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	if (!ok) {
		fprintf(stderr, "cat_reseal: cannot sign with %s\n", key_pem);
		return -1;
	}
	memcpy(b->data + h + 4, digest, 32);
	memcpy(b->data + s + 4, sig, 64);
	return 0;
}
