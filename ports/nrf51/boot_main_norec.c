/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot on the nRF51 without serial recovery (the smallest build, for
 * the size figures): boots the verified primary or reports why not and
 * waits for a reset.
 */
#include "keel/err.h"
#include "nrf51.h"
#include "nrf51_port.h"

int main(void)
{
	struct keel_boot_result res;
	int rc;

	nrf51_console_init();
	nrf51_puts("keel-boot: nRF51 (no serial recovery)\r\n");
	rc = keel_boot(nrf51_boot_config(), &nrf51_port, &res);
	if (rc) {
		nrf51_puts("keel-boot: cannot boot: ");
		nrf51_puts(keel_strerror(rc));
		nrf51_puts("\r\n");
		for (;;) {
		}
	}
	nrf51_console_deinit();
	nrf51_start((const uint32_t *)(res.img[0].area->off + res.img[0].payload_off));
}
