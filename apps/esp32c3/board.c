/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ESP32-C3 glue for the sample app: console, flash and layout from
 * ports/esp32c3. The self test shows that the app runs from flash through
 * the cache MMU keel-boot set up: this code's own address is in IROM
 * (0x42000000..), a string it reads is in DROM (0x3C000000..), and the
 * string reads back as expected.
 */
#include <stdint.h>
#include <string.h>

#include "../app.h"
#include "esp32c3.h"
#include "esp32c3_port.h"

static const char probe[] = "keel esp32c3 drom probe";

static int in(uint32_t a, uint32_t base)
{
	return a >= base && a < base + XROM_SPAN;
}

static int self_test(char *msg, size_t cap)
{
	uint32_t pc = (uint32_t)(uintptr_t)&self_test;
	uint32_t ro = (uint32_t)(uintptr_t)probe;
	int ok = in(pc, IROM_BASE) && in(ro, DROM_BASE) && strlen(probe) == 23 && probe[5] == 'e';
	char *p = msg;

	(void)cap;   /* the line below is under 100 characters */
	p = app_fmt_str(p, "app: code at IROM ");
	p = app_fmt_str(p, in(pc, IROM_BASE) ? "yes" : "NO");
	p = app_fmt_str(p, ", rodata at DROM ");
	p = app_fmt_str(p, in(ro, DROM_BASE) ? "yes" : "NO");
	p = app_fmt_str(p, ", running from flash through the MMU: ");
	app_fmt_str(p, ok ? "ok" : "FAILED");
	return ok ? 0 : -1;
}

int main(void)
{
	static struct app_board b;

	c3_console_init();
	b.name = "esp32c3";
	b.port = &c3_port;
	b.boot = c3_boot_config();
	b.self_test = self_test;
	app_main(&b);
}
