/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator's board (see simport.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#include "keel/err.h"
#include "simport.h"

#define CAPTURE_MAX (64 * 1024)

static struct {
	struct simport_opts o;
	char nv_path[1024];
	uint32_t nv[4];
	int fd;                      /* console fd, -1 if none */
	int listen_fd;
	int pty_slave;               /* held open so clients may come and go */
	char *cap;
	size_t cap_len;
	jmp_buf *reset_env;
	uint64_t feeds;
	int recovery;
} sp = { .fd = -1, .listen_fd = -1, .pty_slave = -1 };

/* ------------------------------------------------------------ console */

static void capture(const void *buf, size_t len)
{
	if (!sp.cap) {
		sp.cap = malloc(CAPTURE_MAX + 1);
		if (!sp.cap)
			return;
		sp.cap_len = 0;
	}
	if (len > CAPTURE_MAX) {
		buf = (const char *)buf + (len - CAPTURE_MAX);
		len = CAPTURE_MAX;
	}
	if (sp.cap_len + len > CAPTURE_MAX) {
		size_t drop = sp.cap_len + len - CAPTURE_MAX;

		memmove(sp.cap, sp.cap + drop, sp.cap_len - drop);
		sp.cap_len -= drop;
	}
	memcpy(sp.cap + sp.cap_len, buf, len);
	sp.cap_len += len;
	sp.cap[sp.cap_len] = 0;
}

/* Accepts the one client of a unix-socket console if none is connected yet. */
static void accept_client(int wait_ms)
{
	struct pollfd p = { .fd = sp.listen_fd, .events = POLLIN };

	if (sp.listen_fd < 0 || sp.fd >= 0)
		return;
	if (poll(&p, 1, wait_ms) == 1)
		sp.fd = accept(sp.listen_fd, NULL, NULL);
}

static void sim_console_write(const void *buf, size_t len)
{
	const char *p = buf;

	switch (sp.o.console) {
	case SIMPORT_CONSOLE_CAPTURE:
		capture(buf, len);
		return;
	case SIMPORT_CONSOLE_FD:
		accept_client(0);
		while (sp.fd >= 0 && len) {
			ssize_t n = write(sp.fd, p, len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return;
			p += n;
			len -= (size_t)n;
		}
		return;
	default:
		fwrite(buf, 1, len, stdout);
		fflush(stdout);
	}
}

static int sim_console_read(void *buf, size_t len, uint32_t timeout_ms)
{
	struct pollfd p;
	ssize_t n;

	accept_client((int)timeout_ms);
	if (sp.fd < 0)
		return 0;
	p.fd = sp.fd;
	p.events = POLLIN;
	if (poll(&p, 1, (int)timeout_ms) != 1)
		return 0;
	n = read(sp.fd, buf, len);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : KEEL_EIO;
	if (n == 0 && sp.listen_fd >= 0) {
		/* Client went away; wait for the next one. */
		close(sp.fd);
		sp.fd = -1;
	}
	return (int)n;
}

static int open_console(const char *spec)
{
	if (!strcmp(spec, "pty")) {
		int fd = posix_openpt(O_RDWR | O_NOCTTY);

		if (fd < 0 || grantpt(fd) || unlockpt(fd)) {
			fprintf(stderr, "keel-sim: cannot open a pty: %s\n", strerror(errno));
			return -1;
		}
		sp.fd = fd;
		/*
		 * Keep the slave open in raw mode: otherwise its line discipline
		 * echoes our output back to us until a client sets it raw, and
		 * the master reads EIO whenever no client has it open.
		 */
		sp.pty_slave = open(ptsname(fd), O_RDWR | O_NOCTTY);
		if (sp.pty_slave >= 0) {
			struct termios t;

			if (tcgetattr(sp.pty_slave, &t) == 0) {
				cfmakeraw(&t);
				tcsetattr(sp.pty_slave, TCSANOW, &t);
			}
		}
		fprintf(stderr, "keel-sim: console on %s\n", ptsname(fd));
		return 0;
	}
	if (!strncmp(spec, "unix:", 5)) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		if (fd < 0 || strlen(spec + 5) >= sizeof(a.sun_path)) {
			fprintf(stderr, "keel-sim: bad console socket %s\n", spec + 5);
			return -1;
		}
		strcpy(a.sun_path, spec + 5);
		unlink(a.sun_path);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
			fprintf(stderr, "keel-sim: cannot listen on %s: %s\n", spec + 5, strerror(errno));
			close(fd);
			return -1;
		}
		sp.listen_fd = fd;
		fprintf(stderr, "keel-sim: console on unix socket %s\n", spec + 5);
		return 0;
	}
	fprintf(stderr, "keel-sim: console '%s' is neither 'pty' nor 'unix:PATH'\n", spec);
	return -1;
}

const char *simport_log(void)
{
	return sp.cap ? sp.cap : "";
}

void simport_log_clear(void)
{
	sp.cap_len = 0;
	if (sp.cap)
		sp.cap[0] = 0;
}

/* ------------------------------------------------------- NV counters */

static int nv_save(void)
{
	char tmp[1100];
	FILE *f;

	if (!sp.nv_path[0])
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", sp.nv_path);
	f = fopen(tmp, "w");
	if (!f)
		return KEEL_EIO;
	for (int i = 0; i < 2; i++)
		fprintf(f, "%u\n", sp.nv[i]);
	if (fclose(f) || rename(tmp, sp.nv_path))
		return KEEL_EIO;
	return 0;
}

static int nv_load(void)
{
	FILE *f = fopen(sp.nv_path, "r");

	memset(sp.nv, 0, sizeof(sp.nv));
	if (!f)
		return errno == ENOENT ? 0 : -1;
	for (int i = 0; i < 2; i++) {
		unsigned long v;

		if (fscanf(f, "%lu", &v) != 1)
			break;
		sp.nv[i] = (uint32_t)v;
	}
	fclose(f);
	return 0;
}

static uint32_t nv_capacity(void *ctx, uint32_t image)
{
	return sp.o.nv_capacity;
}

static int nv_read(void *ctx, uint32_t image, uint32_t *value)
{
	if (image >= 2)
		return KEEL_EINVAL;
	*value = sp.nv[image];
	return 0;
}

static int nv_advance(void *ctx, uint32_t image, uint32_t value)
{
	if (image >= 2)
		return KEEL_EINVAL;
	if (value > sp.o.nv_capacity)
		return KEEL_ENOSPC;
	if (value > sp.nv[image]) {
		sp.nv[image] = value;
		return nv_save();
	}
	return 0;
}

static const struct keel_nv_counter_ops nv_ops = {
	.capacity = nv_capacity,
	.read = nv_read,
	.advance = nv_advance,
};

uint32_t simport_nv_get(uint32_t image)
{
	return image < 2 ? sp.nv[image] : 0;
}

void simport_nv_set(uint32_t image, uint32_t value)
{
	if (image < 2)
		sp.nv[image] = value;
}

/* -------------------------------------------------------------- misc */

static int sim_recovery(void)
{
	return sp.recovery;
}

static uint32_t sim_millis(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void sim_feed(void)
{
	sp.feeds++;
}

static void sim_reset(void)
{
	if (sp.reset_env)
		longjmp(*sp.reset_env, 2);
	fprintf(stderr, "keel-sim: reset with no boot loop to return to\n");
	exit(3);
}

void simport_reset_to(jmp_buf *env)
{
	sp.reset_env = env;
}

uint64_t simport_watchdog_feeds(void)
{
	return sp.feeds;
}

void simport_set_recovery(int held)
{
	sp.recovery = held;
}

int simport_init(struct keel_port *port, const struct simport_opts *o)
{
	simport_close();
	sp.o = *o;
	sp.recovery = o->recovery;
	sp.feeds = 0;
	sp.nv_path[0] = 0;
	memset(sp.nv, 0, sizeof(sp.nv));
	if (o->nv_file) {
		snprintf(sp.nv_path, sizeof(sp.nv_path), "%s", o->nv_file);
		if (nv_load()) {
			fprintf(stderr, "keel-sim: cannot read NV counter file %s\n", o->nv_file);
			return -1;
		}
	}
	if (o->console == SIMPORT_CONSOLE_FD && open_console(o->console_spec ? o->console_spec : ""))
		return -1;
	memset(port, 0, sizeof(*port));
	port->console_write = sim_console_write;
	port->console_read = o->console == SIMPORT_CONSOLE_FD ? sim_console_read : NULL;
	port->recovery_requested = sim_recovery;
	port->detect_window_ms = o->detect_window_ms;
	port->millis = sim_millis;
	port->watchdog_feed = sim_feed;
	port->reset = sim_reset;
	port->nv_counter = o->nv_capacity ? &nv_ops : NULL;
	return 0;
}

void simport_close(void)
{
	if (sp.fd >= 0)
		close(sp.fd);
	if (sp.listen_fd >= 0)
		close(sp.listen_fd);
	if (sp.pty_slave >= 0)
		close(sp.pty_slave);
	sp.fd = sp.listen_fd = sp.pty_slave = -1;
}
