/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The simulator's board: struct keel_port for the host.
 *
 *  console   stdout, a capture buffer (tests), a pty or a unix socket
 *            (serial recovery clients connect there);
 *  recovery  a flag set by keel-sim (--recovery) or a test;
 *  NV counter one value per image in memory, persisted to a text file
 *            (one decimal number per line) when a path is given;
 *  reset     longjmp back to the boot loop registered with simport_reset_to;
 *  watchdog  counts feeds, so tests can check long loops feed it.
 *
 * port.h's callbacks take no context, so there is one simulated board per
 * process; that matches keel-sim and the test runners.
 */
#ifndef KEEL_SIMPORT_H
#define KEEL_SIMPORT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/port.h"

enum simport_console {
	SIMPORT_CONSOLE_STDOUT = 0,
	SIMPORT_CONSOLE_CAPTURE,     /* kept in memory, simport_log() returns it */
	SIMPORT_CONSOLE_FD,          /* pty master or connected socket */
};

struct simport_opts {
	enum simport_console console;
	const char *console_spec;    /* "pty" or "unix:PATH" for SIMPORT_CONSOLE_FD */
	const char *nv_file;         /* NULL: counters live in memory only */
	uint32_t nv_capacity;        /* 0 = no NV counter op at all */
	int recovery;                /* recovery trigger held */
	uint32_t detect_window_ms;
};

/* Fills *port; 0, or -1 with a message on stderr (console or NV file). */
int simport_init(struct keel_port *port, const struct simport_opts *o);
void simport_close(void);

/* Console capture (SIMPORT_CONSOLE_CAPTURE): NUL-terminated, last 64 KiB. */
const char *simport_log(void);
void simport_log_clear(void);

/* The jmp_buf port->reset longjmps to with value 2; NULL: reset exits(3). */
void simport_reset_to(jmp_buf *env);

/* NV counters in memory (tests set and read them directly). */
uint32_t simport_nv_get(uint32_t image);
void simport_nv_set(uint32_t image, uint32_t value);

uint64_t simport_watchdog_feeds(void);
void simport_set_recovery(int held);

#endif
