/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cortex-M vector runner: streams kvec.bin (made by mkvectors on the host)
 * in by semihosting and runs every record through Keel's crypto on the
 * target. Each verdict must equal the host build's; the counts per kind are
 * printed, and the exit status is 0 only if every record ran and agreed.
 */
#include "kvec.h"
#include "mcu.h"

#define FILE_NAME "kvec.bin"

static uint8_t buf[40 * 1024];

struct tally {
	uint32_t cases, accepted, failed, label_diff;
};

static struct tally tally[KVEC_KINDS];

static int read_u32(int fd, uint32_t *v)
{
	uint8_t b[4];

	if (mcu_read(fd, b, 4) != 0)
		return -1;
	*v = kvec_u32(b);
	return 0;
}

/* Reads one record's header and fields into buf; -1 on a malformed file. */
static int read_record(int fd, struct kvec_rec *r)
{
	size_t used = 0;

	if (read_u32(fd, &r->kind) || read_u32(fd, &r->label) || read_u32(fd, &r->host) ||
	    read_u32(fd, &r->id) || read_u32(fd, &r->nfields) || r->nfields > KVEC_MAX_FIELDS)
		return -1;
	for (uint32_t i = 0; i < r->nfields; i++) {
		uint32_t len, padded;

		if (read_u32(fd, &len))
			return -1;
		padded = (len + 3) & ~3u;
		if (padded < len || padded > sizeof(buf) - used)
			return -1;
		if (padded && mcu_read(fd, buf + used, padded) != 0)
			return -1;
		r->f[i] = buf + used;
		r->len[i] = len;
		used += padded;
	}
	return 0;
}

static void fail(const struct kvec_rec *r, const char *what)
{
	mcu_puts("FAIL ");
	mcu_puts(kvec_kind_name(r->kind));
	mcu_puts(" id ");
	mcu_put_u32(r->id);
	mcu_puts(": ");
	mcu_puts(what);
	mcu_puts("\n");
}

static void run_record(const struct kvec_rec *r)
{
	const struct kvec_prim *p = kvec_find(r->kind);
	struct tally *t = &tally[r->kind];
	int got;

	t->cases++;
	if (!p) {
		t->failed++;
		fail(r, "no runner for this kind in the firmware");
		return;
	}
	got = p->run(r);
	t->accepted += got != 0;
	if ((uint32_t)got != r->host) {
		t->failed++;
		fail(r, got ? "accepted, host rejected" : "rejected, host accepted");
	}
	if (r->label <= 1 && r->label != r->host)
		t->label_diff++;
}

static int report(uint32_t total, uint32_t expected)
{
	uint32_t failed = 0;

	for (uint32_t k = 1; k < KVEC_KINDS; k++) {
		const struct tally *t = &tally[k];

		if (!t->cases)
			continue;
		mcu_puts(kvec_kind_name(k));
		mcu_puts(": ");
		mcu_put_u32(t->cases);
		mcu_puts(" cases, ");
		mcu_put_u32(t->accepted);
		mcu_puts(" accepted, ");
		mcu_put_u32(t->cases - t->accepted);
		mcu_puts(" rejected, ");
		mcu_put_u32(t->label_diff);
		mcu_puts(" policy differences from the source's label (same as host), ");
		mcu_put_u32(t->failed);
		mcu_puts(" failed\n");
		failed += t->failed;
	}
	mcu_puts("kvec: ");
	mcu_put_u32(total);
	mcu_puts(" records run, ");
	mcu_put_u32(failed);
	mcu_puts(" failed\n");
	if (total != expected) {
		mcu_puts("FAIL kvec: the file announces ");
		mcu_put_u32(expected);
		mcu_puts(" records\n");
		return 1;
	}
	return failed != 0 || total == 0;
}

int main(void)
{
	uint8_t magic[4];
	uint32_t total = 0;
	struct kvec_rec r;
	int fd = mcu_open(FILE_NAME);

	if (fd < 0) {
		mcu_puts("FAIL kvec: cannot open " FILE_NAME " (semihosting, QEMU's working directory)\n");
		return 2;
	}
	if (mcu_read(fd, magic, 4) != 0 || magic[0] != 'K' || magic[1] != 'V' || magic[2] != 'E' ||
	    magic[3] != 'C') {
		mcu_puts("FAIL kvec: " FILE_NAME " is not a kvec file\n");
		return 2;
	}
	for (;;) {
		if (read_record(fd, &r) != 0) {
			mcu_puts("FAIL kvec: malformed or truncated record\n");
			return 2;
		}
		if (r.kind == KVEC_END)
			break;
		if (r.kind >= KVEC_KINDS) {
			mcu_puts("FAIL kvec: unknown record kind\n");
			return 2;
		}
		run_record(&r);
		total++;
	}
	mcu_close(fd);
	return report(total, r.id);
}
