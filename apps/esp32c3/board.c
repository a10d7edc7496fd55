/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ESP32-C3 glue for the sample app: console, flash and layout from
 * ports/esp32c3. The self test shows that the app runs from flash through
 * the cache MMU keel-boot set up: this code's own address is in IROM
 * (0x42000000..), a string it reads is in DROM (0x3C000000..), and the
 * string reads back as expected. While the SMP server waits for requests,
 * the console prints a heartbeat line with the running version every
 * HEARTBEAT_MS of silence (only between requests, never inside a frame).
 */
#include <stdint.h>
#include <string.h>

#include "../app.h"
#include "esp32c3.h"
#include "esp32c3_port.h"
#include "keel/image.h"

#define HEARTBEAT_MS 2000u

static struct keel_port port;
static char beat[64];
static uint32_t last_activity;

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

/* "app: heartbeat, version 1.2.3+4\r\n" from the primary slot's header (the running image). */
static void make_beat(const struct keel_boot_config *cfg)
{
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE];
	struct keel_image_header h;
	char *p = app_fmt_str(beat, "app: heartbeat, version ");

	if (keel_area_read(&cfg->images[0].primary, 0, raw, sizeof(raw))) {
		app_fmt_str(p, "?\r\n");
		return;
	}
	keel_image_header_decode(&h, raw);
	p = app_fmt_u32(p, h.ver.major);
	p = app_fmt_str(p, ".");
	p = app_fmt_u32(p, h.ver.minor);
	p = app_fmt_str(p, ".");
	p = app_fmt_u32(p, h.ver.revision);
	p = app_fmt_str(p, "+");
	p = app_fmt_u32(p, h.ver.build);
	app_fmt_str(p, "\r\n");
}

static int read_with_heartbeat(void *buf, size_t len, uint32_t timeout_ms)
{
	int n = c3_console_read(buf, len, timeout_ms);

	if (n > 0)
		last_activity = c3_millis();
	else if (c3_millis() - last_activity >= HEARTBEAT_MS) {
		c3_puts(beat);
		last_activity = c3_millis();
	}
	return n;
}

int main(void)
{
	static struct app_board b;

	c3_console_init();
	port = c3_port;
	port.console_read = read_with_heartbeat;
	last_activity = c3_millis();
	b.name = "esp32c3";
	b.port = &port;
	b.boot = c3_boot_config();
	make_beat(b.boot);
	b.self_test = self_test;
	app_main(&b);
}
