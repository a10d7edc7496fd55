/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot's serial recovery: an SMP server on the console
 * (docs/serial-recovery.md). A port enters it when its recovery trigger is
 * held, when keel_boot() finds nothing bootable, or when a frame arrives
 * within the detect window.
 *
 * All state lives in struct keel_recovery, which the port owns (static in
 * firmware): no allocation, no hidden globals.
 */
#ifndef KEEL_RECOVERY_H
#define KEEL_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "keel/port.h"
#include "keel/smp.h"

#define KEEL_RECOVERY_BUF 1024      /* decoded receive buffer = MCUmgr params buf_size */
#define KEEL_RECOVERY_TX 1024       /* largest reply packet */

/* keel_recovery_config.flags */
#define KEEL_RECOVERY_DIRECT_UPLOAD 0x01u /* "image" selects a slot: image * 2 + slot + 1 */

struct keel_recovery_config {
	const struct keel_boot_config *boot;
	const struct keel_port *port;
	uint32_t flags;
};

struct keel_upload {
	uint8_t active;
	uint8_t to_secondary;        /* installed by a test swap when complete */
	uint8_t have_sha;
	uint8_t image;
	const struct keel_area *area;
	uint32_t base;               /* image offset in the slot */
	uint32_t total;              /* "len" of the upload */
	uint32_t off;                /* bytes accepted so far */
	uint32_t erased_to;          /* slot offset up to which sectors are erased */
	uint8_t sha[32];
};

struct keel_recovery {
	const struct keel_recovery_config *cfg;
	struct keel_smp_rx rx;
	uint8_t rxbuf[KEEL_RECOVERY_BUF];
	uint8_t tx[KEEL_RECOVERY_TX];
	struct keel_upload up;
	uint8_t reset_requested;
	uint32_t requests;           /* packets handled, for logs and tests */
};

void keel_recovery_init(struct keel_recovery *r, const struct keel_recovery_config *cfg);

/*
 * Handles one SMP request (header + CBOR) and writes the reply packet into
 * rsp. Returns the reply length, or 0 when the protocol says to stay
 * silent (a response op, a short packet, a length mismatch).
 */
size_t keel_recovery_handle(struct keel_recovery *r, const uint8_t *req, size_t len,
			    uint8_t *rsp, size_t cap);

/* Feeds one console byte; replies through port->console_write. */
void keel_recovery_input(struct keel_recovery *r, uint8_t byte);

/*
 * Serves requests until an SMP reset, then calls port->reset (which does
 * not return on hardware; in the simulator it may, and then this returns
 * 0). A console read error is returned as is. Refuses to run (KEEL_EINVAL,
 * with a console message) unless the boot config has
 * KEEL_BOOT_VALIDATE_PRIMARY: an uploaded image must never start on a
 * header check alone.
 */
int keel_recovery_run(struct keel_recovery *r);

/*
 * Listens for window_ms for a first SMP frame. Returns 1 (and has answered
 * it) if one arrived: the caller then stays in keel_recovery_run. 0 if the
 * window passed in silence. Needs port->console_read and port->millis.
 */
int keel_recovery_detect(struct keel_recovery *r, uint32_t window_ms);

#endif
