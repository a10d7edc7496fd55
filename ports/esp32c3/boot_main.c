/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot on the ESP32-C3, the second stage the mask ROM loads from flash
 * 0x0: watchdogs off, console, keel_boot() over the bootloader.conf layout,
 * then the app's load header (loader.c) and the jump. When nothing is
 * bootable: serial recovery on UART0 (recovery.c), or a halt in the
 * build without it (recovery_none.c).
 */
#include "esp32c3_port.h"
#include "keel/err.h"
#include "keel_layout.h"


static void banner(void)
{
	c3_puts("keel-boot: ESP32-C3, " KEEL_C3_STRATEGY_NAME ", primary ");
	c3_puthex(KEEL_C3_IMG0_PRIMARY);
	c3_puts(", secondary ");
	c3_puthex(KEEL_C3_IMG0_SECONDARY);
	c3_puts(", reset reason ");
	c3_puthex(c3_reset_reason());
	c3_puts(c3_secure_boot_enabled() ? ", secure boot on\r\n" : ", secure boot off\r\n");
}

int main(void)
{
	const struct keel_boot_config *cfg;
	struct keel_boot_result res;
	const char *why;
	uint32_t entry;
	int rc;

	c3_watchdogs_off();
	c3_console_init();
	banner();
	cfg = c3_boot_config();
	rc = keel_boot(cfg, &c3_port, &res);
	if (rc == KEEL_ENOENT)
		c3_recovery(cfg, "no bootable image");
	if (rc) {
		c3_puts("keel-boot: cannot boot: ");
		c3_puts(keel_strerror(rc));
		c3_puts("\r\n");
		c3_recovery(cfg, "boot failed");
	}
	why = c3_load(res.img[0].area, &entry);
	if (why) {
		c3_puts("keel-boot: load header refused: ");
		c3_puts(why);
		c3_puts("\r\n");
		c3_recovery(cfg, "load header refused");
	}
	c3_puts("keel-boot: ");
	c3_puthex(c3_flash_cmds);
	c3_puts(" flash commands; starting the app at ");
	c3_puthex(entry);
	c3_puts("\r\n");
	c3_jump(entry);
}
