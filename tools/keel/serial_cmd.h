/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the `keel serial` command files. */
#ifndef KEEL_TOOL_SERIAL_CMD_H
#define KEEL_TOOL_SERIAL_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "smp_client.h"

struct serial_args {
	const char *port;
	uint32_t baud, mtu, image, slot, reconnects;
	int have_image, have_slot, resume, mtu_given;
	const char *pos[3];
	int npos;
};

/* Prints the device's error (if the response carries one) and returns 1; 0 if none. */
int serial_report_error(const uint8_t *cbor, size_t len, const char *what);

/* The device's receive buffer from MCUmgr params, or fallback if it does not answer them. */
size_t serial_query_mtu(struct smp_client *c, size_t fallback);

/* `keel serial upload IMAGE`. */
int serial_upload(struct smp_client *c, const struct serial_args *a, const char *path);

#endif
