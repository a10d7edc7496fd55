/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A printf small enough for a boot ROM budget: the boot log only needs
 * strings and 32-bit numbers, and must not pull in libc's formatter.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "log.h"

struct line {
	char buf[160];
	uint32_t len;
};

static void put_char(struct line *l, char c)
{
	if (l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = c;
}

static void put_str(struct line *l, const char *s)
{
	while (s && *s)
		put_char(l, *s++);
}

static void put_num(struct line *l, uint32_t v, uint32_t base)
{
	char tmp[12];
	int n = 0;

	do {
		uint32_t d = v % base;

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		put_char(l, tmp[--n]);
}

static void put_conv(struct line *l, char c, va_list *ap)
{
	int32_t d;

	switch (c) {
	case 's': put_str(l, va_arg(*ap, const char *)); break;
	case 'u': put_num(l, va_arg(*ap, uint32_t), 10); break;
	case 'x': put_num(l, va_arg(*ap, uint32_t), 16); break;
	case 'd':
		d = va_arg(*ap, int32_t);
		if (d < 0)
			put_char(l, '-');
		put_num(l, d < 0 ? 0u - (uint32_t)d : (uint32_t)d, 10);
		break;
	default: put_char(l, '%'); put_char(l, c); break;
	}
}

void keel_log(const struct keel_port *port, const char *fmt, ...)
{
	struct line l = { .len = 0 };
	va_list ap;

	if (!port || !port->console_write)
		return;
	put_str(&l, "keel: ");
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			put_char(&l, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '%')
			put_char(&l, '%');
		else
			put_conv(&l, *fmt, &ap);
	}
	va_end(ap);
	l.buf[l.len++] = '\n';
	port->console_write(l.buf, l.len);
}
