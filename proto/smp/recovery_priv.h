/* SPDX-License-Identifier: Apache-2.0 */
/* Private: shared by the serial recovery command files. */
#ifndef KEEL_PROTO_RECOVERY_PRIV_H
#define KEEL_PROTO_RECOVERY_PRIV_H

#include "keel/cbor.h"
#include "keel/recovery.h"

/* One request being answered. */
struct smp_exchange {
	struct keel_recovery *r;
	struct keel_smp_hdr req;
	const uint8_t *body;         /* request CBOR */
	size_t body_len;
	struct keel_cbor_enc out;    /* reply CBOR (after the 8-byte header) */
	uint8_t *out_buf;
	size_t out_cap;
};

typedef void (*smp_handler)(struct smp_exchange *x);

/*
 * Replaces the reply with an error: {"rc": mgmt} for SMP v1 requests (and
 * for protocol-level errors, img == 0), {"err": {"group": G, "rc": img}}
 * for SMP v2 requests with a group-specific code.
 */
void smp_reply_error(struct smp_exchange *x, enum keel_mgmt_err mgmt, int img);

/* Image-group commands (proto/smp/recovery_img.c). */
void smp_img_state(struct smp_exchange *x);
void smp_img_upload(struct smp_exchange *x);
void smp_img_erase(struct smp_exchange *x);
void smp_img_slot_info(struct smp_exchange *x);

#endif
