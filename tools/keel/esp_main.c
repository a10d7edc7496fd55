/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp SUBCOMMAND ...`: dispatch to the Espressif format commands and
 * the few helpers they share. Errors read "keel: esp: <sub>: <what>".
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "esp.h"
#include "keel.h"

uint32_t esp_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void esp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int esp_parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s), k = n;
	uint64_t mul = 1, v;

	while (k > 0 && isalpha((unsigned char)s[k - 1]) && !(k >= 2 && s[0] == '0' &&
							      (s[1] == 'x' || s[1] == 'X')))
		k--;
	if (k < n) {
		const char *suf = s + k;

		if (!strcasecmp(suf, "k") || !strcasecmp(suf, "kb"))
			mul = 1024;
		else if (!strcasecmp(suf, "m") || !strcasecmp(suf, "mb"))
			mul = 1024 * 1024;
		else
			return -1;
	}
	if (k == 0 || k >= sizeof(num))
		return -1;
	memcpy(num, s, k);
	num[k] = '\0';
	if (keel_parse_u64(num, &v) || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int esp_usage(const char *sub, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	keel_fail("esp", "%s: %s", sub, msg);
	return 2;
}

static int crypt_enc(int argc, char **argv)
{
	return esp_cmd_crypt(argc, argv, 1);
}

static int crypt_dec(int argc, char **argv)
{
	return esp_cmd_crypt(argc, argv, 0);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subs[] = {
	{ "image", esp_cmd_image }, { "elf2image", esp_cmd_image },
	{ "info", esp_cmd_info }, { "image-info", esp_cmd_info },
	{ "sign", esp_cmd_sign }, { "verify", esp_cmd_verify },
	{ "digest", esp_cmd_digest }, { "sig-info", esp_cmd_siginfo },
	{ "encrypt", crypt_enc }, { "decrypt", crypt_dec },
	{ "efuse", esp_cmd_efuse }, { "flash-image", esp_cmd_flash },
	{ "app", esp_cmd_app }, { "app-info", esp_cmd_appinfo },
};

int cmd_esp(int argc, char **argv)
{
	if (argc < 2)
		return esp_usage("usage", "no subcommand (keel esp --help)");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(argc - 1, argv + 1);
	return esp_usage("usage", "unknown subcommand '%s' (keel esp --help)", argv[1]);
}
