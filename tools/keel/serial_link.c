/* SPDX-License-Identifier: Apache-2.0 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "serial_link.h"
#include "util.h"

static const struct { uint32_t rate; speed_t code; } bauds[] = {
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
	{ 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
	{ 921600, B921600 }, { 1000000, B1000000 }, { 2000000, B2000000 },
};

static int open_tty(struct serial_link *l, const char *path)
{
	struct termios t;
	speed_t code = 0;

	for (size_t i = 0; i < sizeof(bauds) / sizeof(bauds[0]); i++)
		if (bauds[i].rate == l->baud)
			code = bauds[i].code;
	if (!code) {
		keel_seterr("unsupported baud rate %u", l->baud);
		return -1;
	}
	l->fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (l->fd < 0) {
		keel_seterr("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (tcgetattr(l->fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, code);
		cfsetospeed(&t, code);
		if (tcsetattr(l->fd, TCSANOW, &t) != 0) {
			keel_seterr("cannot configure %s: %s", path, strerror(errno));
			close(l->fd);
			l->fd = -1;
			return -1;
		}
	}
	return 0;
}

static int open_unix(struct serial_link *l, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		keel_seterr("socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l->fd < 0 || connect(l->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		keel_seterr("cannot connect to unix:%s: %s", path, strerror(errno));
		if (l->fd >= 0)
			close(l->fd);
		l->fd = -1;
		return -1;
	}
	return 0;
}

static int open_tcp(struct serial_link *l, const char *hostport)
{
	char host[200];
	const char *colon = strrchr(hostport, ':');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int rc;

	if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof(host)) {
		keel_seterr("expected tcp:HOST:PORT, got tcp:%s", hostport);
		return -1;
	}
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc) {
		keel_seterr("cannot resolve %s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	l->fd = -1;
	for (ai = res; ai && l->fd < 0; ai = ai->ai_next) {
		l->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (l->fd >= 0 && connect(l->fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(l->fd);
			l->fd = -1;
		}
	}
	freeaddrinfo(res);
	if (l->fd < 0) {
		keel_seterr("cannot connect to tcp:%s: %s", hostport, strerror(errno));
		return -1;
	}
	return 0;
}

int serial_link_open(struct serial_link *l, const char *spec, uint32_t baud)
{
	if (strlen(spec) >= sizeof(l->spec)) {
		keel_seterr("port name too long");
		return -1;
	}
	strcpy(l->spec, spec);
	l->baud = baud;
	l->fd = -1;
	if (strncmp(spec, "unix:", 5) == 0)
		return open_unix(l, spec + 5);
	if (strncmp(spec, "tcp:", 4) == 0)
		return open_tcp(l, spec + 4);
	return open_tty(l, spec);
}

int serial_link_reopen(struct serial_link *l)
{
	char spec[sizeof(l->spec)];

	serial_link_close(l);
	strcpy(spec, l->spec);
	return serial_link_open(l, spec, l->baud);
}

void serial_link_close(struct serial_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int serial_link_write(struct serial_link *l, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(l->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = l->fd, .events = POLLOUT };

			poll(&pfd, 1, 100);
			continue;
		}
		if (n <= 0) {
			keel_seterr("write to %s failed: %s", l->spec, n < 0 ? strerror(errno) : "closed");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int serial_link_read(struct serial_link *l, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	ssize_t n;
	int rc;

	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		keel_seterr("poll on %s failed: %s", l->spec, strerror(errno));
		return -1;
	}
	if (rc == 0)
		return 0;
	n = read(l->fd, buf, len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		keel_seterr("%s: %s", l->spec, n < 0 ? strerror(errno) : "connection closed");
		return -1;
	}
	return (int)n;
}
