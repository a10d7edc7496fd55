/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot without serial recovery (the size comparison build): says why
 * it stops and waits for a reset; a loop of resets would only repeat it.
 */
#include "esp32c3_port.h"

void c3_recovery(const struct keel_boot_config *cfg, const char *why)
{
	(void)cfg;
	c3_puts("keel-boot: nothing to start (");
	c3_puts(why);
	c3_puts("), no serial recovery in this build\r\n");
	for (;;)
		;
}
