/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte links for `keel serial`: a serial device (raw termios at a baud
 * rate), a unix-domain socket ("unix:PATH", e.g. a QEMU chardev) or a TCP
 * connection ("tcp:HOST:PORT").
 */
#ifndef KEEL_TOOL_SERIAL_LINK_H
#define KEEL_TOOL_SERIAL_LINK_H

#include <stddef.h>
#include <stdint.h>

struct serial_link {
	int fd;
	char spec[256];
	uint32_t baud;
};

/* 0, or -1 with keel_seterr() naming the port and the reason. */
int serial_link_open(struct serial_link *l, const char *spec, uint32_t baud);
/* Closes and opens the same port again (after a link loss). */
int serial_link_reopen(struct serial_link *l);
void serial_link_close(struct serial_link *l);

/* Writes everything; 0 or -1 (error set). */
int serial_link_write(struct serial_link *l, const void *buf, size_t len);
/*
 * Reads what is available, waiting at most timeout_ms for the first byte.
 * Returns bytes read, 0 on timeout, -1 on error or end of stream (error set).
 */
int serial_link_read(struct serial_link *l, void *buf, size_t len, int timeout_ms);

#endif
