/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One SMP request/response exchange over a serial link, with the console
 * framing, sequence matching, timeouts and retries.
 */
#ifndef KEEL_TOOL_SMP_CLIENT_H
#define KEEL_TOOL_SMP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/cbor.h"
#include "keel/smp.h"
#include "serial_link.h"

struct smp_client {
	struct serial_link link;
	int timeout_ms;          /* per attempt */
	int retries;             /* extra attempts after a timeout */
	int version;             /* SMP header version: 0 (v1) or 1 (v2) */
	size_t line_chars;       /* base64 characters per line (<= 124) */
	int verbose;
	uint8_t seq;
	uint64_t wire_tx;        /* bytes written on the link */
	uint64_t wire_rx;
	uint8_t rxbuf[4096];     /* reassembly buffer */
	struct keel_smp_rx rx;
	uint8_t rsp[4096];       /* last response: header + CBOR */
	size_t rsp_len;
};

void smp_client_init(struct smp_client *c);

/*
 * Sends group/id/op with the CBOR payload and waits for the matching
 * response (same group, id, seq; op + 1). On success the response CBOR is
 * at c->rsp + KEEL_SMP_HDR_SIZE, its length in *cbor_len. Returns 0, or -1
 * with keel_seterr() after the retries ran out (the link is reopened
 * between attempts when it broke).
 */
int smp_request(struct smp_client *c, uint16_t group, uint8_t id, uint8_t op,
		const uint8_t *cbor, size_t len, const uint8_t **rsp_cbor, size_t *cbor_len);

/*
 * Positions d at the value of `key` in the top-level map of a response.
 * 1 found, 0 absent, -1 malformed.
 */
int smp_map_find(const uint8_t *cbor, size_t len, const char *key, struct keel_cbor_dec *d);

/*
 * The error a response reports: the SMP v1 {"rc": N} (N != 0) or the v2
 * {"err": {"group": g, "rc": r}}. Returns 1 and fills *group (0xffff for
 * v1) and *rc if there is an error, 0 if none.
 */
int smp_response_error(const uint8_t *cbor, size_t len, uint32_t *group, int64_t *rc);

/* Human name of an SMP v1 (MGMT_ERR) or img_mgmt (group 1) error code. */
const char *smp_error_name(uint32_t group, int64_t rc);

#endif
