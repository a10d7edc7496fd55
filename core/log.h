/* SPDX-License-Identifier: Apache-2.0 */
/* Private: the boot log. One line per call, "keel: " prefixed, to port->console_write. */
#ifndef KEEL_CORE_LOG_H
#define KEEL_CORE_LOG_H

#include "keel/port.h"

/* Conversions: %s %u %d %x (32-bit) and %%; nothing else. */
void keel_log(const struct keel_port *port, const char *fmt, ...);

#endif
