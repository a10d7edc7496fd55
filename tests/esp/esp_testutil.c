/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for the `keel esp` tests, independent of the tool's code:
 *   infocmp EXPECTED ACTUAL        compare image-info field values (esptool's text
 *                                  vs keel's): every "Key: value" line and every
 *                                  segment row, per section; prints the count
 *   sbv2 check SIGNED              magic/CRC/digest of every present block; prints
 *                                  "blocks N"
 *   sbv2 extract SIGNED BLK SIG    writes block BLK's signature in big-endian order
 *                                  and its stored digest to SIG and SIG.digest
 *   sbv2 structcmp A B             files equal except signature+CRC bytes of blocks
 *   sbv2 mutate IN OUT BLK OFF XOR [fixcrc]    flip bits of one block byte
 *   sbv2 keyfrom IN OUT BLK OTHER  copy the 776 key bytes of OTHER's block 0 into
 *                                  block BLK, CRC fixed
 *   apphdr PAYLOAD                 prints the 24 load-header words, "name value"
 * Exit 0 = as expected, 1 = a difference (printed), 2 = usage/IO.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define SECTOR 4096u
#define BLK 1216u

/* Every buffer read stays until exit (a short-lived helper), then is freed. */
static uint8_t *bufs[8];
static int nbufs;

static void free_bufs(void)
{
	while (nbufs)
		free(bufs[--nbufs]);
}

static uint8_t *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	uint8_t *b = NULL;
	long l;

	if (!f || fseek(f, 0, SEEK_END) || (l = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", p);
		exit(2);
	}
	b = malloc((size_t)l + 1);
	if (!b || fread(b, 1, (size_t)l, f) != (size_t)l) {
		fprintf(stderr, "cannot read %s\n", p);
		exit(2);
	}
	fclose(f);
	b[l] = 0;
	if (nbufs < 8)
		bufs[nbufs++] = b;
	*n = (size_t)l;
	return b;
}

static void spit(const char *p, const uint8_t *b, size_t n)
{
	FILE *f = fopen(p, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", p);
		exit(2);
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t crc32z(const uint8_t *p, size_t n)
{
	uint32_t c = ~0u;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static void fixcrc(uint8_t *b)
{
	uint32_t c = crc32z(b, 1196);

	for (int i = 0; i < 4; i++)
		b[1196 + i] = (uint8_t)(c >> (8 * i));
}

/* ---- infocmp ---- */
#define MAXF 128
struct field {
	char key[420], val[220];
};

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
}

static int parse_info(const char *path, struct field *f)
{
	size_t n;
	char *t = (char *)slurp(path, &n), *save = NULL, *line, section[200] = "top", prev[200] = "";
	int nf = 0;

	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c;

		trim(line);
		if (!strncmp(line, "esptool v", 9) || !strcmp(line, "keel esp info"))
			continue;
		if (line[0] == '=' ) {
			snprintf(section, sizeof(section), "%s", prev);
			continue;
		}
		snprintf(prev, sizeof(prev), "%s", line);
		if (nf == MAXF)
			break;
		if (isspace((unsigned char)line[0]) && strstr(line, "0x")) { /* segment row */
			char idx[16] = "", rest[200];
			int k = 0;
			const char *p = line;

			while (isspace((unsigned char)*p))
				p++;
			while (isdigit((unsigned char)*p) && k < 15)
				idx[k++] = *p++;
			/* normalise runs of spaces */
			k = 0;
			for (; *p && k < 199; p++)
				if (!isspace((unsigned char)*p) || (k && rest[k - 1] != ' '))
					rest[k++] = isspace((unsigned char)*p) ? ' ' : *p;
			rest[k] = 0;
			trim(rest);
			snprintf(f[nf].key, sizeof(f[nf].key), "%s/segment %s", section, idx);
			snprintf(f[nf].val, sizeof(f[nf].val), "%s", rest[0] == ' ' ? rest + 1 : rest);
			nf++;
			continue;
		}
		c = strstr(line, ": ");
		if (!c)
			continue;
		*c = 0;
		snprintf(f[nf].key, sizeof(f[nf].key), "%s/%s", section, line);
		snprintf(f[nf].val, sizeof(f[nf].val), "%s", c + 2);
		nf++;
	}
	return nf;
}

static int infocmp(const char *exp, const char *act)
{
	static struct field e[MAXF], a[MAXF];
	int ne = parse_info(exp, e), na = parse_info(act, a), bad = 0;

	for (int i = 0; i < ne; i++) {
		int found = 0;

		for (int j = 0; j < na; j++)
			if (!strcmp(e[i].key, a[j].key)) {
				found = 1;
				if (strcmp(e[i].val, a[j].val)) {
					printf("DIFF %s: expected '%s', got '%s'\n", e[i].key, e[i].val, a[j].val);
					bad++;
				}
			}
		if (!found) {
			printf("MISSING %s (expected '%s')\n", e[i].key, e[i].val);
			bad++;
		}
	}
	for (int j = 0; j < na; j++) {
		int found = 0;

		for (int i = 0; i < ne; i++)
			found |= !strcmp(e[i].key, a[j].key);
		if (!found) {
			printf("EXTRA %s = '%s'\n", a[j].key, a[j].val);
			bad++;
		}
	}
	if (ne < 10) {
		printf("only %d fields parsed from %s\n", ne, exp);
		return 1;
	}
	printf("%d fields compared, %d differ\n", ne, bad);
	return bad ? 1 : 0;
}

/* ---- sbv2 ---- */
static int sbv2(int argc, char **argv)
{
	size_t n;
	uint8_t *b, *sec, d[32];

	if (argc < 4)
		return 2;
	b = slurp(argv[3], &n);
	if (n < 2 * SECTOR || n % SECTOR) {
		printf("%s: length %zu is not a signed file\n", argv[3], n);
		return 1;
	}
	sec = b + n - SECTOR;
	EVP_Digest(b, n - SECTOR, d, NULL, EVP_sha256(), NULL);
	if (!strcmp(argv[2], "check")) {
		int nb = 0;

		for (int i = 0; i < 3 && sec[i * BLK] != 0xFF; i++, nb++) {
			uint8_t *k = sec + i * BLK;

			if (k[0] != 0xE7 || k[1] != 2 || k[2] || k[3] || le32(k + 1196) != crc32z(k, 1196) ||
			    memcmp(k + 4, d, 32)) {
				printf("block %d: bad magic/version/CRC/digest\n", i);
				return 1;
			}
			for (int z = 1200; z < 1216; z++)
				if (k[z]) {
					printf("block %d: padding not zero\n", i);
					return 1;
				}
		}
		for (size_t z = (size_t)nb * BLK; z < SECTOR; z++)
			if (sec[z] != 0xFF) {
				printf("sector byte %zu after the blocks is not 0xff\n", z);
				return 1;
			}
		printf("blocks %d\n", nb);
		return 0;
	}
	if (!strcmp(argv[2], "extract") && argc == 6) {
		uint8_t *k = sec + atoi(argv[4]) * BLK, sig[384];
		char p[4096];

		for (int i = 0; i < 384; i++)
			sig[i] = k[812 + 383 - i];
		spit(argv[5], sig, 384);
		snprintf(p, sizeof(p), "%s.digest", argv[5]);
		spit(p, k + 4, 32);
		return 0;
	}
	if (!strcmp(argv[2], "structcmp") && argc == 5) {
		size_t m;
		uint8_t *o = slurp(argv[4], &m);
		size_t same = 0;

		if (m != n) {
			printf("lengths differ: %zu vs %zu\n", n, m);
			return 1;
		}
		for (size_t i = 0; i < n; i++) {
			size_t so = i - (n - SECTOR);
			int sigbyte = i >= n - SECTOR && so < 3 * BLK && so % BLK >= 812 && so % BLK < 1200 &&
				      b[n - SECTOR + so / BLK * BLK] == 0xE7;

			if (sigbyte)
				continue;
			if (b[i] != o[i]) {
				printf("byte 0x%zx differs (0x%02x vs 0x%02x)\n", i, b[i], o[i]);
				return 1;
			}
			same++;
		}
		printf("%zu bytes equal outside the signatures\n", same);
		return 0;
	}
	if (!strcmp(argv[2], "mutate") && argc >= 8) {
		uint8_t *k = sec + atoi(argv[5]) * BLK;

		k[strtoul(argv[6], NULL, 0)] ^= (uint8_t)strtoul(argv[7], NULL, 0);
		if (argc > 8 && !strcmp(argv[8], "fixcrc"))
			fixcrc(k);
		spit(argv[4], b, n);
		return 0;
	}
	if (!strcmp(argv[2], "keyfrom") && argc == 7) {
		size_t m;
		uint8_t *o = slurp(argv[6], &m), *k = sec + atoi(argv[5]) * BLK;

		memcpy(k + 36, o + m - SECTOR + 36, 776);
		fixcrc(k);
		spit(argv[4], b, n);
		return 0;
	}
	return 2;
}

static int apphdr(const char *p)
{
	static const char *const names[24] = {
		"magic", "entry", "iram_dest_addr", "iram_flash_offset", "iram_size",
		"dram_dest_addr", "dram_flash_offset", "dram_size", "lp_rtc_iram_dest_addr",
		"lp_rtc_iram_flash_offset", "lp_rtc_iram_size", "lp_rtc_dram_dest_addr",
		"lp_rtc_dram_flash_offset", "lp_rtc_dram_size", "irom_map_addr", "irom_flash_offset",
		"irom_size", "drom_map_addr", "drom_flash_offset", "drom_size", "reserved0",
		"reserved1", "reserved2", "reserved3",
	};
	size_t n;
	uint8_t *b = slurp(p, &n);

	if (n < 96) {
		printf("%s: shorter than a load header\n", p);
		return 1;
	}
	for (int i = 0; i < 24; i++)
		printf("%s %u\n", names[i], le32(b + 4 * i));
	printf("length %zu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	atexit(free_bufs);
	if (argc == 4 && !strcmp(argv[1], "infocmp"))
		return infocmp(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "sbv2"))
		return sbv2(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "apphdr"))
		return apphdr(argv[2]);
	fprintf(stderr, "usage: see the comment at the top of esp_testutil.c\n");
	return 2;
}
