/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot on the nRF51 (stage 1, started by keel-mbr): runs keel_boot()
 * over the board's layout and starts the verified primary; serial recovery
 * when the request word is set or nothing is bootable (docs/nrf51.md).
 */
#include "keel/err.h"
#include "keel/recovery.h"
#include "nrf51.h"
#include "nrf51_port.h"

static struct keel_recovery rec;
static struct keel_recovery_config rcfg;

__attribute__((noreturn)) static void recovery(const struct keel_boot_config *cfg, const char *why)
{
	nrf51_puts("keel-boot: entering serial recovery (");
	nrf51_puts(why);
	nrf51_puts(")\r\n");
	rcfg.boot = cfg;
	rcfg.port = &nrf51_port;
	keel_recovery_init(&rec, &rcfg);
	keel_recovery_run(&rec);
	nrf51_reset();
}

int main(void)
{
	const struct keel_boot_config *cfg;
	struct keel_boot_result res;
	int rc;

	nrf51_console_init();
	nrf51_puts("keel-boot: nRF51, swap-offset, primary 0xc000, secondary 0x25c00\r\n");
	cfg = nrf51_boot_config();
	/*
	 * keel_boot() runs first even when recovery is requested: it finishes a
	 * swap a power cut interrupted, so recovery never sees (or erases) a
	 * half-swapped slot.
	 */
	rc = keel_boot(cfg, &nrf51_port, &res);
	if (nrf51_port.recovery_requested())
		recovery(cfg, "requested");
	if (rc == KEEL_ENOENT)
		recovery(cfg, "no bootable image");
	if (rc) {
		nrf51_puts("keel-boot: cannot boot: ");
		nrf51_puts(keel_strerror(rc));
		nrf51_puts("\r\n");
		recovery(cfg, "boot failed");
	}
	nrf51_puts("keel-boot: starting the primary\r\n");
	nrf51_console_deinit();
	nrf51_start((const uint32_t *)(res.img[0].area->off + res.img[0].payload_off));
}
