/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp efuse FILE ...`: the Espressif QEMU eFuse file (1024 bytes, the
 * controller's read registers from EFUSE_RD_WR_DIS at 0x6000882C, see
 * espqemu.md §4) edited with espefuse's field names and rules: bits can
 * only be set, never cleared; a field whose WR_DIS bit is set cannot be
 * written; key blocks are write-/read-protected as espefuse burn-key does.
 * Field table: espressif.md §4.2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "esp.h"

#define EFUSE_FILE_SIZE 1024u
#define KEY_OFF(n) (0x70u + 0x20u * (unsigned)(n))
#define WP_NONE 0xFF

struct efield {
	const char *name, *alias;
	uint8_t word, lo, nbits, wp;
	const char *desc;
};

static const struct efield fields[] = {
	{ "WR_DIS", NULL, 0, 0, 32, WP_NONE, "write protection bits" },
	{ "RD_DIS", NULL, 1, 0, 7, 0, "read protection of BLOCK_KEY0..5 (bits 0..5), BLOCK10" },
	{ "DIS_USB_JTAG", NULL, 1, 9, 1, 2, "disable USB JTAG" },
	{ "DIS_DOWNLOAD_ICACHE", NULL, 1, 10, 1, 2, "disable icache in download mode" },
	{ "DIS_USB_SERIAL_JTAG", "DIS_USB_DEVICE", 1, 11, 1, 2, "disable USB-Serial-JTAG" },
	{ "DIS_FORCE_DOWNLOAD", NULL, 1, 12, 1, 2, "disable forced download mode" },
	{ "SOFT_DIS_JTAG", NULL, 1, 16, 3, 31, "JTAG soft-disabled when odd" },
	{ "DIS_PAD_JTAG", NULL, 1, 19, 1, 2, "disable pad JTAG" },
	{ "DIS_DOWNLOAD_MANUAL_ENCRYPT", NULL, 1, 20, 1, 2, "no encrypted writes in download mode" },
	{ "SPI_BOOT_CRYPT_CNT", NULL, 2, 18, 3, 4, "flash encryption on when an odd count of bits" },
	{ "SECURE_BOOT_KEY_REVOKE0", NULL, 2, 21, 1, 5, "revoke secure boot digest 0" },
	{ "SECURE_BOOT_KEY_REVOKE1", NULL, 2, 22, 1, 6, "revoke secure boot digest 1" },
	{ "SECURE_BOOT_KEY_REVOKE2", NULL, 2, 23, 1, 7, "revoke secure boot digest 2" },
	{ "KEY_PURPOSE_0", NULL, 2, 24, 4, 8, "purpose of BLOCK_KEY0" },
	{ "KEY_PURPOSE_1", NULL, 2, 28, 4, 9, "purpose of BLOCK_KEY1" },
	{ "KEY_PURPOSE_2", NULL, 3, 0, 4, 10, "purpose of BLOCK_KEY2" },
	{ "KEY_PURPOSE_3", NULL, 3, 4, 4, 11, "purpose of BLOCK_KEY3" },
	{ "KEY_PURPOSE_4", NULL, 3, 8, 4, 12, "purpose of BLOCK_KEY4" },
	{ "KEY_PURPOSE_5", NULL, 3, 12, 4, 13, "purpose of BLOCK_KEY5" },
	{ "SECURE_BOOT_EN", NULL, 3, 20, 1, 15, "secure boot enabled" },
	{ "SECURE_BOOT_AGGRESSIVE_REVOKE", NULL, 3, 21, 1, 16, "aggressive key revocation" },
	{ "FLASH_TPUW", NULL, 3, 28, 4, 18, "flash power-up wait (ms)" },
	{ "DIS_DOWNLOAD_MODE", NULL, 4, 0, 1, 18, "disable all download boot modes" },
	{ "DIS_DIRECT_BOOT", "DIS_LEGACY_SPI_BOOT", 4, 1, 1, 18, "disable direct boot" },
	{ "DIS_USB_SERIAL_JTAG_ROM_PRINT", "UART_PRINT_CHANNEL", 4, 2, 1, 18,
	  "no ROM print to USB-Serial-JTAG" },
	{ "DIS_USB_SERIAL_JTAG_DOWNLOAD_MODE", "DIS_USB_DOWNLOAD_MODE", 4, 4, 1, 18,
	  "disable USB download mode" },
	{ "ENABLE_SECURITY_DOWNLOAD", NULL, 4, 5, 1, 18, "secure download mode" },
	{ "UART_PRINT_CONTROL", NULL, 4, 6, 2, 18, "ROM print: 0 on, 1 GPIO8 low, 2 GPIO8 high, 3 off" },
	{ "FORCE_SEND_RESUME", NULL, 4, 13, 1, 18, "force ROM to send resume command" },
	{ "SECURE_VERSION", NULL, 4, 14, 16, 18, "anti-rollback (thermometer code)" },
	{ "ERR_RST_ENABLE", NULL, 4, 31, 1, 19, "check BLOCK0 with the backup" },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct {
	const char *name;
	uint8_t v;
} purposes[] = {
	{ "USER", 0 }, { "RESERVED", 1 }, { "XTS_AES_128_KEY", 4 }, { "HMAC_DOWN_ALL", 5 },
	{ "HMAC_DOWN_JTAG", 6 }, { "HMAC_DOWN_DIGITAL_SIGNATURE", 7 }, { "HMAC_UP", 8 },
	{ "SECURE_BOOT_DIGEST0", 9 }, { "SECURE_BOOT_DIGEST1", 10 }, { "SECURE_BOOT_DIGEST2", 11 },
};
#define NPURPOSES (sizeof(purposes) / sizeof(purposes[0]))

static const char *purpose_name(unsigned v)
{
	for (size_t i = 0; i < NPURPOSES; i++)
		if (purposes[i].v == v)
			return purposes[i].name;
	return "unknown";
}

static int parse_purpose(const char *s, uint8_t *v)
{
	for (size_t i = 0; i < NPURPOSES; i++)
		if (strcasecmp(s, purposes[i].name) == 0) {
			*v = purposes[i].v;
			return 0;
		}
	return -1;
}

static const struct efield *find_field(const char *s)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcasecmp(s, fields[i].name) == 0 ||
		    (fields[i].alias && strcasecmp(s, fields[i].alias) == 0))
			return &fields[i];
	return NULL;
}

static uint32_t word(const uint8_t *e, unsigned w)
{
	return esp_le32(e + 4 * w);
}

static uint64_t fget(const uint8_t *e, const struct efield *f)
{
	uint64_t m = f->nbits == 32 ? 0xFFFFFFFFu : ((1u << f->nbits) - 1);

	return (word(e, f->word) >> f->lo) & m;
}

static void fset_bits(uint8_t *e, const struct efield *f, uint32_t v)
{
	esp_put32(e + 4 * f->word, word(e, f->word) | (uint32_t)((uint64_t)v << f->lo));
}

static int wr_disabled(const uint8_t *e, unsigned bit)
{
	return bit != WP_NONE && (word(e, 0) >> bit) & 1;
}

/* Key block n (0..5) from BLOCK_KEYn, BLOCKn (4..9), KEYn. */
static int parse_block(const char *s, unsigned *n)
{
	char *end;
	unsigned long v;

	if (!strncasecmp(s, "BLOCK_KEY", 9)) {
		v = strtoul(s + 9, &end, 10);
		if (*end || end == s + 9 || v > 5)
			return -1;
	} else if (!strncasecmp(s, "BLOCK", 5)) {
		v = strtoul(s + 5, &end, 10);
		if (*end || end == s + 5 || v < 4 || v > 9)
			return -1;
		v -= 4;
	} else if (!strncasecmp(s, "KEY", 3)) {
		v = strtoul(s + 3, &end, 10);
		if (*end || end == s + 3 || v > 5)
			return -1;
	} else {
		return -1;
	}
	*n = (unsigned)v;
	return 0;
}

/* Value of a burn: number, or a purpose name for KEY_PURPOSE_n, or true/false. */
static int parse_value(const struct efield *f, const char *s, uint32_t *v)
{
	uint8_t p;
	uint64_t x;

	if (!strncmp(f->name, "KEY_PURPOSE_", 12) && parse_purpose(s, &p) == 0) {
		*v = p;
		return 0;
	}
	if (f->nbits == 1 && (!strcasecmp(s, "true") || !strcasecmp(s, "false"))) {
		*v = !strcasecmp(s, "true");
		return 0;
	}
	if (keel_parse_u64(s, &x)) {
		keel_seterr("bad value '%s' for %s", s, f->name);
		return -1;
	}
	if (f->nbits < 32 ? x >> f->nbits : x > 0xFFFFFFFFu) {
		keel_seterr("value %s does not fit %s (%u bit%s)", s, f->name, f->nbits,
			    f->nbits == 1 ? "" : "s");
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static int burn_field(uint8_t *e, const char *name, const char *val, int *same)
{
	const struct efield *f = find_field(name);
	uint32_t v;
	uint64_t old;

	*same = 0;
	if (!f) {
		keel_seterr("unknown eFuse field '%s' (see keel esp efuse FILE summary)", name);
		return -1;
	}
	if (parse_value(f, val, &v))
		return -1;
	old = fget(e, f);
	/* As espefuse: WR_DIS and RD_DIS take the bits to add; other fields the final value. */
	if (f->word <= 1 && f->lo == 0 && (!strcmp(f->name, "WR_DIS") || !strcmp(f->name, "RD_DIS")))
		v |= (uint32_t)old;
	if (old & ~(uint64_t)v) {
		keel_seterr("%s is 0x%llx; 0x%x would clear bits, and eFuse bits can only be set",
			    f->name, (unsigned long long)old, v);
		return -1;
	}
	if (old == v) {
		*same = 1;
		return 0;
	}
	if (wr_disabled(e, f->wp)) {
		keel_seterr("%s is write-protected (WR_DIS bit %u is set)", f->name, f->wp);
		return -1;
	}
	if (!strcmp(f->name, "KEY_PURPOSE_5") && v == 4) {
		keel_seterr("KEY_PURPOSE_5 cannot hold an XTS-AES key on the ESP32-C3 (erratum; "
			    "espefuse refuses it too)");
		return -1;
	}
	fset_bits(e, f, v);
	return 0;
}

struct keyopts {
	int no_wp, no_rp;
};

static int burn_key(uint8_t *e, unsigned n, uint8_t purpose, const char *keyfile,
		    const uint8_t *keybytes, const struct keyopts *ko)
{
	char pname[16];
	const struct efield *pf;
	struct kbuf k = { 0 };
	uint8_t *blk = e + KEY_OFF(n);
	int same;

	snprintf(pname, sizeof(pname), "KEY_PURPOSE_%u", n);
	pf = find_field(pname);
	if (purpose == 0 || purpose == 1) {
		keel_seterr("purpose %s is not a key purpose", purpose_name(purpose));
		return -1;
	}
	if (wr_disabled(e, 23 + n)) {
		keel_seterr("BLOCK_KEY%u is write-protected (WR_DIS bit %u is set)", n, 23 + n);
		return -1;
	}
	for (unsigned i = 0; i < 32; i++)
		if (blk[i]) {
			keel_seterr("BLOCK_KEY%u already holds a key (eFuse bits cannot be cleared)", n);
			return -1;
		}
	if (fget(e, pf) != 0) {
		keel_seterr("%s is already %s", pname, purpose_name((unsigned)fget(e, pf)));
		return -1;
	}
	if (keybytes) {
		if (kbuf_append(&k, keybytes, 32))
			return -1;
	} else if (keel_read_file(keyfile, &k)) {
		return -1;
	}
	if (k.len != 32) {
		keel_seterr("%s: key file is %zu bytes, a key block holds 32", keyfile, k.len);
		kbuf_free(&k);
		return -1;
	}
	/* XTS keys sit byte-reversed in eFuse; digests and HMAC keys in file order. */
	for (unsigned i = 0; i < 32; i++)
		blk[i] = purpose == 4 ? k.data[31 - i] : k.data[i];
	OPENSSL_cleanse(k.data, k.len);
	kbuf_free(&k);
	{
		char v[8];

		snprintf(v, sizeof(v), "%u", purpose);
		if (burn_field(e, pname, v, &same))
			return -1;
	}
	if (!ko->no_wp)
		esp_put32(e, word(e, 0) | 1u << (23 + n) | 1u << pf->wp);
	if (!ko->no_rp && purpose >= 4 && purpose <= 8)
		esp_put32(e + 4, word(e, 1) | 1u << n);
	return 0;
}

static void summary(const uint8_t *e)
{
	uint32_t crypt = (uint32_t)fget(e, find_field("SPI_BOOT_CRYPT_CNT"));
	uint32_t sv = (uint32_t)fget(e, find_field("SECURE_VERSION"));
	int pc = 0, svc = 0;

	printf("BLOCK0 words: %08x %08x %08x %08x %08x %08x\n", word(e, 0), word(e, 1), word(e, 2),
	       word(e, 3), word(e, 4), word(e, 5));
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct efield *f = &fields[i];
		uint64_t v = fget(e, f);
		char extra[64] = "";

		if (!strncmp(f->name, "KEY_PURPOSE_", 12))
			snprintf(extra, sizeof(extra), " %s", purpose_name((unsigned)v));
		printf("%-34s = 0x%llx%s %s  (%s)\n", f->name, (unsigned long long)v, extra,
		       wr_disabled(e, f->wp) ? "R/-" : "R/W", f->desc);
	}
	for (unsigned n = 0; n < 6; n++) {
		const uint8_t *b = e + KEY_OFF(n);

		printf("BLOCK_KEY%u %-24s =", n, "");
		for (unsigned i = 0; i < 32; i++)
			printf(" %02x", b[i]);
		printf(" %s%s\n", wr_disabled(e, 23 + n) ? "R/-" : "R/W",
		       (word(e, 1) >> n) & 1 ? " read-protected" : "");
	}
	for (int i = 0; i < 3; i++)
		pc += (crypt >> i) & 1;
	for (int i = 0; i < 16; i++)
		svc += (sv >> i) & 1;
	printf("Flash encryption: %s (SPI_BOOT_CRYPT_CNT has %d bit%s set)\n",
	       pc & 1 ? "enabled" : "disabled", pc, pc == 1 ? "" : "s");
	printf("Secure boot: %s\n", fget(e, find_field("SECURE_BOOT_EN")) ? "enabled" : "disabled");
	printf("Secure version (bits set): %d\n", svc);
}

static int load(const char *path, uint8_t *e, int create_ok)
{
	struct kbuf b = { 0 };
	struct stat sb;

	memset(e, 0, EFUSE_FILE_SIZE);
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		if (create_ok)
			return 0;
		keel_seterr("%s: no such eFuse file (a burn creates it)", path);
		return -1;
	}
	if (keel_read_file(path, &b))
		return -1;
	if (b.len != EFUSE_FILE_SIZE) {
		keel_seterr("%s: eFuse file is %zu bytes, expected %u", path, b.len, EFUSE_FILE_SIZE);
		kbuf_free(&b);
		return -1;
	}
	memcpy(e, b.data, EFUSE_FILE_SIZE);
	kbuf_free(&b);
	return 0;
}

enum { O_NOWP = 1, O_NORP, O_FORCE };

int esp_cmd_efuse(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "no-write-protect", 0, 0, O_NOWP }, { "no-read-protect", 0, 0, O_NORP },
		{ "do-not-confirm", 0, 0, O_FORCE }, { NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	struct keyopts ko = { 0 };
	const char *pos[8];
	uint8_t e[EFUSE_FILE_SIZE];
	int np = 0, id, same = 0, rc;
	const char *file, *cmd;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR)
			return esp_usage("efuse", "%s", keel_lasterr());
		if (id == KOPT_POS) {
			if (np == 8)
				return esp_usage("efuse", "too many arguments");
			pos[np++] = st.pos;
		}
		if (id == O_NOWP)
			ko.no_wp = 1;
		if (id == O_NORP)
			ko.no_rp = 1;
	}
	if (np < 2)
		return esp_usage("efuse", "usage: keel esp efuse FILE summary|create|burn|burn-efuse|burn-key ...");
	file = pos[0];
	cmd = pos[1];
	if (!strcmp(cmd, "summary")) {
		if (np != 2)
			return esp_usage("efuse", "summary takes no arguments");
		if (load(file, e, 0))
			return keel_fail("esp", "efuse: %s", keel_lasterr());
		summary(e);
		return 0;
	}
	if (!strcmp(cmd, "create")) {
		struct stat sb;

		if (np != 2)
			return esp_usage("efuse", "create takes no arguments");
		if (stat(file, &sb) == 0)
			return keel_fail("esp", "efuse: %s: exists; eFuses cannot be reset", file);
		memset(e, 0, sizeof(e));
	} else if (!strcmp(cmd, "burn") || !strcmp(cmd, "burn-efuse") || !strcmp(cmd, "burn_efuse")) {
		if (np < 4 || (np - 2) % 2)
			return esp_usage("efuse", "usage: keel esp efuse FILE burn FIELD VALUE [FIELD VALUE...]");
		if (load(file, e, 1))
			return keel_fail("esp", "efuse: %s", keel_lasterr());
		for (int i = 2; i < np; i += 2) {
			int s;

			if (burn_field(e, pos[i], pos[i + 1], &s))
				return keel_fail("esp", "efuse: %s: %s", file, keel_lasterr());
			if (s)
				printf("The same value for %s is already burned. Do not change the "
				       "efuse.\n", pos[i]);
			same += s;
		}
	} else if (!strcmp(cmd, "burn-key-digest") || !strcmp(cmd, "burn_key_digest")) {
		unsigned n;
		uint8_t purpose, d[32];

		if (np != 5)
			return esp_usage("efuse", "usage: keel esp efuse FILE burn-key-digest BLOCK_KEYn KEY.pem "
					 "SECURE_BOOT_DIGESTn");
		if (parse_block(pos[2], &n))
			return esp_usage("efuse", "bad key block '%s' (BLOCK_KEY0..5)", pos[2]);
		if (parse_purpose(pos[4], &purpose) || purpose < 9)
			return esp_usage("efuse", "burn-key-digest: '%s' is not SECURE_BOOT_DIGEST0..2", pos[4]);
		if (esp_key_digest(pos[3], d))
			return keel_fail("esp", "efuse: %s", keel_lasterr());
		if (load(file, e, 1))
			return keel_fail("esp", "efuse: %s", keel_lasterr());
		if (burn_key(e, n, purpose, pos[3], d, &ko))
			return keel_fail("esp", "efuse: %s: %s", file, keel_lasterr());
	} else if (!strcmp(cmd, "burn-key") || !strcmp(cmd, "burn_key")) {
		uint8_t p2, p3;
		int a2, a3;
		unsigned n;
		uint8_t purpose;
		const char *kf;

		if (np != 5)
			return esp_usage("efuse", "usage: keel esp efuse FILE burn-key BLOCK PURPOSE KEYFILE "
					 "(or espefuse's BLOCK_KEYn KEYFILE PURPOSE)");
		if (parse_block(pos[2], &n))
			return esp_usage("efuse", "bad key block '%s' (BLOCK_KEY0..5)", pos[2]);
		a2 = parse_purpose(pos[3], &p2) == 0;
		a3 = parse_purpose(pos[4], &p3) == 0;
		if (a2 == a3)
			return esp_usage("efuse", "burn-key: one of '%s' and '%s' must be a key purpose "
					 "(XTS_AES_128_KEY, HMAC_*, SECURE_BOOT_DIGEST0..2)", pos[3], pos[4]);
		purpose = a2 ? p2 : p3;
		kf = a2 ? pos[4] : pos[3];
		if (load(file, e, 1))
			return keel_fail("esp", "efuse: %s", keel_lasterr());
		if (burn_key(e, n, purpose, kf, NULL, &ko))
			return keel_fail("esp", "efuse: %s: %s", file, keel_lasterr());
	} else {
		return esp_usage("efuse", "unknown eFuse command '%s' (summary, create, burn, burn-efuse, "
				 "burn-key, burn-key-digest)", cmd);
	}
	rc = keel_write_file(file, e, sizeof(e), 0644);
	OPENSSL_cleanse(e, sizeof(e));
	if (rc)
		return keel_fail("esp", "efuse: %s", keel_lasterr());
	return 0;
}
