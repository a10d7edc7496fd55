/* SPDX-License-Identifier: Apache-2.0 */
/* Private interfaces between the files of keel-boot's core. */
#ifndef KEEL_CORE_BOOT_PRIV_H
#define KEEL_CORE_BOOT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "keel/crypto.h"
#include "keel/image.h"
#include "log.h"
#include "trailer.h"

#define KEEL_COPY_CHUNK 256u

/* ------------------------------------------------------------ validation */

/* An image as it sits in flash: at `base` in `area`, at most `limit` bytes. */
struct keel_img_loc {
	const struct keel_area *area;
	uint32_t base;
	uint32_t limit;
	/* Non-NULL: the payload in flash is AES-CTR encrypted with this key. */
	const struct keel_aes *aes;
};

struct keel_image_info {
	struct keel_image_layout lay;
	int has_sec_cnt;
	uint32_t sec_cnt;
	uint8_t n_deps;
	struct keel_dependency deps[4];
	const char *detail;              /* names the unsupported algorithm of a refusal */
};

/* An image source (core/image.c's reader) over loc's area, base and limit. */
void keel_img_loc_src(const struct keel_img_loc *loc, struct keel_image_src *src);

/* Parses the header and TLV structure only (no hash, no signature). */
int keel_image_probe(const struct keel_img_loc *loc, struct keel_image_info *info,
		     enum keel_reason *reason);

/*
 * Full check: structure, flags, hash over the plaintext, key, signature,
 * protected SEC_CNT and DEPENDENCY TLVs, and the NV counter when
 * KEEL_BOOT_HW_ROLLBACK is set. 0 or KEEL_EBADIMG/KEEL_ESTALE with *reason,
 * or a flash error (reason KEEL_R_READ_ERROR).
 */
int keel_image_validate(const struct keel_boot_config *cfg, const struct keel_port *port,
			uint32_t image, const struct keel_img_loc *loc,
			struct keel_image_info *info, enum keel_reason *reason);

/* Streams [0, len) of the image plaintext to fn, feeding the watchdog. */
typedef void (*keel_stream_fn)(void *ctx, const uint8_t *p, size_t n);
int keel_image_stream(const struct keel_port *port, const struct keel_img_loc *loc,
		      const struct keel_image_header *hdr, uint32_t len, keel_stream_fn fn,
		      void *ctx);

/* ------------------------------------------------------------ signatures */

/* One signature algorithm; the build links a table of them (sig_table.c). */
struct keel_sig_alg {
	const char *name;
	uint16_t tlv_type;
	enum keel_key_type key_type;
	/* Signature over the image digest. 0 only if valid. */
	int (*verify)(const struct keel_pubkey *key, const uint8_t *digest, size_t digest_len,
		      const uint8_t *sig, size_t sig_len);
	/* Signature over the whole hashed region (SIG_PURE); NULL if unsupported. */
	int (*verify_pure)(const struct keel_pubkey *key, const uint8_t *sig, size_t sig_len,
			   const struct keel_port *port, const struct keel_img_loc *loc,
			   const struct keel_image_layout *lay);
};

extern const struct keel_sig_alg *const keel_sig_algs[];
extern const unsigned keel_sig_algs_count;

/* ------------------------------------------------------------ encryption */

/* The AES keys of both images of a swap, index 0 = the image in the primary. */
struct keel_enc_state {
	int valid[2];
	struct keel_aes aes[2];
	uint8_t key[2][32];
	uint8_t key_len[2];
	uint8_t tlv[2][132];             /* the ENC TLV, kept for KEEL_BOOT_SAVE_ENCTLV */
	uint16_t tlv_len[2];
};

/*
 * Finds the ENC TLV of an encrypted image and unwraps its AES key with the
 * device keys. 0 with key/len, KEEL_ENOENT if the image is not encrypted,
 * KEEL_EBADIMG with *reason otherwise.
 */
int keel_enc_unwrap(const struct keel_boot_config *cfg, const struct keel_img_loc *loc,
		    const struct keel_image_layout *lay, uint8_t *key, uint8_t *key_len,
		    enum keel_reason *reason);

/* ------------------------------------------------------------ helpers */

/* Erases [off, off+len), feeding the watchdog per sector. */
int keel_erase(const struct keel_port *port, const struct keel_area *a, uint32_t off,
	       uint32_t len);
void keel_feed(const struct keel_port *port);

/* Version order honouring KEEL_BOOT_VERSION_USE_BUILD. */
int keel_cfg_version_cmp(const struct keel_boot_config *cfg, const struct keel_version *a,
			 const struct keel_version *b);

#endif
