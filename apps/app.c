/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "app.h"
#include "keel/bootctl.h"
#include "keel/err.h"
#include "keel/image.h"
#include "keel/recovery.h"

static struct keel_recovery rec;
static struct keel_recovery_config rcfg;

char *app_fmt_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	*p = 0;
	return p;
}

char *app_fmt_u32(char *p, unsigned long v)
{
	char t[12];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = t[--n];
	*p = 0;
	return p;
}

static void say(const struct app_board *b, const char *s)
{
	b->port->console_write(s, strlen(s));
}

/* "1.2.3+4" from the header of the image in the primary slot: the running one. */
static void version(const struct app_board *b, char *p)
{
	uint8_t raw[KEEL_IMAGE_HEADER_SIZE];
	struct keel_image_header h;

	if (keel_area_read(&b->boot->images[0].primary, 0, raw, sizeof(raw))) {
		app_fmt_str(p, "?");
		return;
	}
	keel_image_header_decode(&h, raw);
	p = app_fmt_u32(p, h.ver.major);
	p = app_fmt_str(p, ".");
	p = app_fmt_u32(p, h.ver.minor);
	p = app_fmt_str(p, ".");
	p = app_fmt_u32(p, h.ver.revision);
	p = app_fmt_str(p, "+");
	app_fmt_u32(p, h.ver.build);
}

static void confirm(const struct app_board *b, int healthy)
{
	const struct keel_boot_config *c = b->boot;
	struct keel_bootctl bc = { &c->images[0].primary, &c->images[0].secondary,
				   c->trailer_align, c->strategy, 0 };
	struct keel_bootctl_state st;
	const char *was = "";
	char line[80];
	int rc;

	if (!healthy) {
		say(b, "app: self test failed: not confirming\r\n");
		return;
	}
	if (!app_confirms) {
		say(b, "app: healthy, but this build never confirms\r\n");
		return;
	}
	/* Say whether this boot's confirmation changed anything (readable logs). */
	if (keel_bootctl_read_state(&bc, &st) == 0 &&
	    (st.primary.magic != KEEL_MAGIC_GOOD || st.primary.image_ok == KEEL_FLAG_SET))
		was = st.primary.magic == KEEL_MAGIC_GOOD ? " (already set)" : " (no trailer: permanent)";
	rc = keel_bootctl_confirm(&bc);
	if (rc == 0) {
		app_fmt_str(app_fmt_str(app_fmt_str(line, "app: image confirmed"), was), "\r\n");
		say(b, line);
		return;
	}
	app_fmt_str(app_fmt_str(app_fmt_str(line, "app: confirm failed: "), keel_strerror(rc)), "\r\n");
	say(b, line);
}

void app_main(const struct app_board *b)
{
	char line[160], *p;
	int healthy;

	p = app_fmt_str(line, "app: Keel sample app version ");
	version(b, p);
	p = app_fmt_str(line + strlen(line), " on ");
	p = app_fmt_str(p, b->name);
	p = app_fmt_str(p, " (");
	p = app_fmt_str(p, app_flavour);
	app_fmt_str(p, ")\r\n");
	say(b, line);

	healthy = b->self_test(line, sizeof(line) - 2) == 0;
	say(b, line);
	say(b, "\r\n");
	confirm(b, healthy);

	say(b, "app: waiting for SMP requests (keel serial)\r\n");
	rcfg.boot = b->boot;
	rcfg.port = b->port;
	keel_recovery_init(&rec, &rcfg);
	keel_recovery_run(&rec);
	b->port->reset();
	for (;;) {
	}
}
