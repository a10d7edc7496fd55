/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mbrflash: host side of keel-mbr's UART update mode (docs/nrf51.md).
 *
 *   mbrflash mkboot IN.bin OUT.img        prepend keel-boot's stage-1 header
 *   mbrflash -p PORT info                 flash geometry as the MBR reports it
 *   mbrflash -p PORT write ADDR FILE      erase, write and CRC-check FILE at ADDR
 *   mbrflash -p PORT boot                 leave update mode (system reset)
 *
 * PORT is unix:PATH (a socket, e.g. a QEMU chardev) or a tty path.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define MAX_PAYLOAD 256u
#define PAGE 1024u
#define REPLY_MS 5000
#define STAGE1_MAGIC 0x544F424Bu

static const char *status_text[] = { "ok", "CRC error", "unknown command",
				     "refused: outside the writable range", "verify failed" };

static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t len)
{
	while (len--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
	}
	return crc;
}

static void put_le(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint32_t get_le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "mbrflash: cannot read %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	*buf = malloc((size_t)n + 4);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "mbrflash: cannot read %s\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static int cmd_mkboot(const char *in, const char *out)
{
	uint8_t *body, hdr[16];
	size_t len;
	uint32_t crc;
	FILE *f;

	if (read_file(in, &body, &len))
		return 1;
	if (len < 8 || len > 0xB000 - 16) {
		fprintf(stderr, "mbrflash: %s: %zu bytes does not fit keel-boot's 44 KiB region\n", in, len);
		return 1;
	}
	crc = crc16(0, body, len);
	put_le(hdr, STAGE1_MAGIC, 4);
	put_le(hdr + 4, (uint32_t)len, 4);
	put_le(hdr + 8, crc, 4);
	put_le(hdr + 12, ~(STAGE1_MAGIC ^ (uint32_t)len ^ crc), 4);
	f = fopen(out, "wb");
	if (!f || fwrite(hdr, 1, 16, f) != 16 || fwrite(body, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mbrflash: cannot write %s\n", out);
		return 1;
	}
	free(body);
	return 0;
}

static int link_open(const char *spec)
{
	int fd;

	if (!strncmp(spec, "unix:", 5)) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (strlen(spec + 5) >= sizeof(a.sun_path)) {
			fprintf(stderr, "mbrflash: socket path too long: %s\n", spec + 5);
			return -1;
		}
		strcpy(a.sun_path, spec + 5);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "mbrflash: cannot connect to %s: %s\n", spec, strerror(errno));
			return -1;
		}
		return fd;
	}
	fd = open(spec, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "mbrflash: cannot open %s: %s\n", spec, strerror(errno));
		return -1;
	}
	if (isatty(fd)) {
		struct termios t;

		if (tcgetattr(fd, &t) == 0) {
			cfmakeraw(&t);
			cfsetspeed(&t, B115200);
			tcsetattr(fd, TCSANOW, &t);
		}
	}
	return fd;
}

static int read_byte(int fd, uint8_t *b)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, REPLY_MS) <= 0)
		return -1;
	return read(fd, b, 1) == 1 ? 0 : -1;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One request, one reply; device text before the reply is echoed to stderr. Returns the status or -1. */
static int transact(int fd, uint8_t cmd, uint32_t addr, const uint8_t *pl, uint16_t len,
		    uint8_t *data, uint16_t *dlen)
{
	uint8_t f[2 + 7 + MAX_PAYLOAD + 2], r[3 + 64 + 2], b, prev = 0;
	uint16_t crc, n;

	f[0] = 'K';
	f[1] = 'M';
	f[2] = cmd;
	put_le(f + 3, len, 2);
	put_le(f + 5, addr, 4);
	memcpy(f + 9, pl, len);
	crc = crc16(0, f + 2, 7u + len);
	put_le(f + 9 + len, crc, 2);
	if (write_all(fd, f, 11u + len))
		return -1;
	for (;;) {
		if (read_byte(fd, &b))
			return -1;
		if (prev == 'k' && b == 'm')
			break;
		prev = b;
	}
	for (int i = 0; i < 3; i++)
		if (read_byte(fd, &r[i]))
			return -1;
	n = (uint16_t)get_le(r + 1, 2);
	if (n > 64)
		return -1;
	for (unsigned i = 0; i < n + 2u; i++)
		if (read_byte(fd, &r[3 + i]))
			return -1;
	if (crc16(0, r, 3u + n) != get_le(r + 3 + n, 2)) {
		fprintf(stderr, "mbrflash: reply with a bad CRC\n");
		return -1;
	}
	if (data)
		memcpy(data, r + 3, n);
	if (dlen)
		*dlen = n;
	return r[0];
}

/* Retries a request once on a CRC complaint from the device; prints failures. */
static int request(int fd, const char *what, uint8_t cmd, uint32_t addr, const uint8_t *pl,
		   uint16_t len, uint8_t *data, uint16_t *dlen)
{
	int st = transact(fd, cmd, addr, pl, len, data, dlen);

	if (st == 1)
		st = transact(fd, cmd, addr, pl, len, data, dlen);
	if (st < 0)
		fprintf(stderr, "mbrflash: %s at 0x%x: no valid reply from keel-mbr\n", what, addr);
	else if (st)
		fprintf(stderr, "mbrflash: %s at 0x%x: %s\n", what, addr,
			st < 5 ? status_text[st] : "unknown status");
	return st;
}

static int cmd_write(int fd, uint32_t addr, const char *path)
{
	uint8_t *img, rsp[2], pl[4];
	size_t len;
	uint16_t n;

	if (read_file(path, &img, &len))
		return 1;
	while (len % 4)
		img[len++] = 0xFF;
	if (addr % PAGE) {
		fprintf(stderr, "mbrflash: address 0x%x is not on a 1 KiB page boundary\n", addr);
		return 1;
	}
	for (uint32_t p = addr; p < addr + len; p += PAGE)
		if (request(fd, "erase", 'E', p, NULL, 0, NULL, NULL))
			return 1;
	for (size_t o = 0; o < len; o += MAX_PAYLOAD) {
		uint16_t c = (uint16_t)(len - o < MAX_PAYLOAD ? len - o : MAX_PAYLOAD);

		if (request(fd, "write", 'W', addr + (uint32_t)o, img + o, c, NULL, NULL))
			return 1;
	}
	put_le(pl, (uint32_t)len, 4);
	if (request(fd, "crc", 'C', addr, pl, 4, rsp, &n) || n != 2)
		return 1;
	if (get_le(rsp, 2) != crc16(0, img, len)) {
		fprintf(stderr, "mbrflash: CRC of 0x%x..0x%zx differs after writing\n", addr, addr + len);
		return 1;
	}
	printf("mbrflash: wrote %zu bytes at 0x%x, CRC 0x%04x checked\n", len, addr, crc16(0, img, len));
	free(img);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mbrflash mkboot IN.bin OUT.img\n"
			"       mbrflash -p unix:PATH|TTY info|boot\n"
			"       mbrflash -p unix:PATH|TTY write ADDR FILE [boot]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint8_t info[20];
	uint16_t n;
	int fd, rc = 0;

	if (argc == 4 && !strcmp(argv[1], "mkboot"))
		return cmd_mkboot(argv[2], argv[3]);
	if (argc < 4 || strcmp(argv[1], "-p"))
		return usage();
	fd = link_open(argv[2]);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[3], "info") && argc == 4) {
		if (request(fd, "info", 'I', 0, NULL, 0, info, &n) || n != 20)
			return 1;
		printf("flash %u bytes, page %u, writable from 0x%x to 0x%x, payload %u\n",
		       get_le(info, 4), get_le(info + 4, 4), get_le(info + 8, 4), get_le(info + 16, 4),
		       get_le(info + 12, 4));
		return 0;
	}
	if (!strcmp(argv[3], "write") && (argc == 6 || (argc == 7 && !strcmp(argv[6], "boot")))) {
		char *end;
		unsigned long a = strtoul(argv[4], &end, 0);

		if (*end || a > 0xFFFFFFFFul) {
			fprintf(stderr, "mbrflash: bad address '%s'\n", argv[4]);
			return 2;
		}
		rc = cmd_write(fd, (uint32_t)a, argv[5]);
		if (rc || argc == 6)
			return rc;
	} else if (strcmp(argv[3], "boot") || argc != 4) {
		return usage();
	}
	if (request(fd, "boot", 'B', 0, NULL, 0, NULL, NULL))
		return 1;
	printf("mbrflash: keel-mbr is resetting\n");
	return 0;
}
