/* SPDX-License-Identifier: Apache-2.0 */
/* keel-boot's serial recovery on UART0 (SMP, `keel serial`); reset when the host asks. */
#include "esp32c3_port.h"
#include "keel/recovery.h"

static struct keel_recovery rec;
static struct keel_recovery_config rcfg;

void c3_recovery(const struct keel_boot_config *cfg, const char *why)
{
	c3_puts("keel-boot: entering serial recovery (");
	c3_puts(why);
	c3_puts(")\r\n");
	rcfg.boot = cfg;
	rcfg.port = &c3_port;
	keel_recovery_init(&rec, &rcfg);
	keel_recovery_run(&rec);
	c3_reset();
}
