/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keel's sample app, shared by every board: prints its version (from its
 * own image header), runs the board's self test, confirms itself when
 * healthy, then serves SMP on the console so `keel serial upload` can put
 * a new signed image into the secondary slot and request a test upgrade.
 * The board part is a small glue file in apps/<board>/.
 */
#ifndef KEEL_APP_H
#define KEEL_APP_H

#include <stddef.h>

#include "keel/boot.h"
#include "keel/port.h"

struct app_board {
	const char *name;
	const struct keel_port *port;
	const struct keel_boot_config *boot;
	/* Interrupts and exceptions reach the app's handlers: 0 if so, and a
	 * one-line report either way in msg. */
	int (*self_test)(char *msg, size_t cap);
};

/* Never returns: ends in the board's reset when an SMP reset arrives. */
void app_main(const struct app_board *b) __attribute__((noreturn));

/* confirm.c / confirm_never.c: whether a healthy app confirms itself. */
extern const int app_confirms;
extern const char app_flavour[];

/* Small formatting helpers for boards without printf. */
char *app_fmt_u32(char *p, unsigned long v);
char *app_fmt_str(char *p, const char *s);

#endif
