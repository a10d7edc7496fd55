/* SPDX-License-Identifier: Apache-2.0 */
/* Watchdogs, system reset, reset reason and the eFuse bits keel-boot reports. */
#include "esp32c3.h"
#include "esp32c3_port.h"

/*
 * The ROM starts TIMG0's watchdog for the flash boot; the RTC watchdog and
 * the super watchdog may run on silicon (not modelled by the emulator).
 * keel-boot turns them off and the app owns them from then on.
 */
void c3_watchdogs_off(void)
{
	TIMG_WDTWPROTECT(TIMG0_BASE) = WDT_KEY;
	TIMG_WDTFEED(TIMG0_BASE) = 1;
	TIMG_WDTCONFIG0(TIMG0_BASE) = 0;
	TIMG_WDTWPROTECT(TIMG0_BASE) = 0;
	TIMG_WDTWPROTECT(TIMG1_BASE) = WDT_KEY;
	TIMG_WDTCONFIG0(TIMG1_BASE) = 0;
	TIMG_WDTWPROTECT(TIMG1_BASE) = 0;
	RTC_WDTWPROTECT = WDT_KEY;
	RTC_WDTFEED = 1u << 31;
	RTC_WDTCONFIG0 = 0;
	RTC_WDTWPROTECT = 0;
	RTC_SWD_WPROTECT = RTC_SWD_KEY;
	RTC_SWD_CONF |= RTC_SWD_AUTO_FEED;
	RTC_SWD_WPROTECT = 0;
}

/* A feed is harmless when the watchdogs are off, and keeps a build that leaves them on alive. */
void c3_watchdog_feed(void)
{
	TIMG_WDTWPROTECT(TIMG0_BASE) = WDT_KEY;
	TIMG_WDTFEED(TIMG0_BASE) = 1;
	TIMG_WDTWPROTECT(TIMG0_BASE) = 0;
}

void c3_reset(void)
{
	RTC_OPTIONS0 |= RTC_SW_SYS_RST;
	for (;;)
		;
}

uint32_t c3_reset_reason(void)
{
	return RTC_RESET_STATE & 0x3Fu;
}

int c3_secure_boot_enabled(void)
{
	return (EFUSE_RD(3) & EFUSE_SECURE_BOOT_EN) != 0;
}

const struct keel_port c3_port = {
	.console_write = c3_console_write,
	.console_read = c3_console_read,
	.recovery_requested = 0,
	.detect_window_ms = 0,
	.millis = c3_millis,
	.watchdog_feed = c3_watchdog_feed,
	.reset = c3_reset,
	.nv_counter = 0,
};
