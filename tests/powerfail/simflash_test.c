/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks that the simulated flash enforces the NOR rules and that each fault
 * model does what simflash.h promises, for both erased values and a few
 * write sizes. The power-loss matrix trusts these properties.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/err.h"
#include "simflash.h"

static int failures;
static jmp_buf cut_jmp;

#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			failures++;                                              \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);              \
			printf(__VA_ARGS__);                                     \
			printf("\n");                                            \
		}                                                                \
	} while (0)

static void on_cut(void *arg)
{
	longjmp(cut_jmp, 1);
}

static struct simflash *mk(uint16_t ws, uint8_t ev)
{
	struct simflash_geom g = {
		.size = 4 * 4096 + 2 * 16384, .write_size = ws, .erased_val = ev, .n_runs = 2,
		.runs = { { 4, 4096 }, { 2, 16384 } },
	};
	struct simflash *sf = simflash_new(&g);

	if (!sf) {
		printf("FAIL: simflash_new\n");
		exit(1);
	}
	simflash_quiet(sf, 1);
	return sf;
}

static void test_rules(uint16_t ws, uint8_t ev)
{
	struct simflash *sf = mk(ws, ev);
	const struct keel_flash *d = simflash_dev(sf);
	uint8_t buf[512], rd[512];
	uint64_t v0;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	memset(rd, 0, sizeof(rd));
	CHECK(d->ops->read(d, 0, rd, 16) == 0, "read");
	for (int i = 0; i < 16; i++)
		CHECK(rd[i] == ev, "fresh device reads erased");
	CHECK(d->ops->prog(d, 0, buf, 2 * ws) == 0, "prog ws=%u", ws);
	CHECK(d->ops->read(d, 0, rd, 2 * ws) == 0 && !memcmp(rd, buf, 2 * ws), "readback");
	v0 = simflash_violations(sf);
	CHECK(d->ops->prog(d, 0, buf, ws) == KEEL_EIO, "double prog refused");
	CHECK(simflash_violations(sf) == v0 + 1, "double prog counted");
	if (ws > 1) {
		CHECK(d->ops->prog(d, 2 * ws + 1, buf, ws) == KEEL_EINVAL, "misaligned off");
		CHECK(d->ops->prog(d, 2 * ws, buf, ws + 1) == KEEL_EINVAL, "misaligned len");
		CHECK(simflash_violations(sf) == v0 + 3, "misalignment counted");
	}
	CHECK(d->ops->erase(d, 0, 2048) == KEEL_EINVAL, "partial sector erase refused");
	CHECK(d->ops->erase(d, 4096 * 4, 8192) == KEEL_EINVAL, "half of a 16K sector refused");
	CHECK(d->ops->erase(d, 0, 4096) == 0, "erase");
	CHECK(d->ops->prog(d, 0, buf, ws) == 0, "prog after erase");
	CHECK(d->ops->erase(d, 4096 * 4, 16384) == 0, "16K erase");
	CHECK(simflash_wear(sf, 0) == 1 && simflash_wear(sf, 4) == 1 && simflash_wear(sf, 5) == 0,
	      "wear counters");
	{
		struct simflash_stats st;

		simflash_stats(sf, &st);
		CHECK(st.erases >= 2 && st.sectors_erased == 2, "erase stats %llu",
		      (unsigned long long)st.sectors_erased);
	}
	simflash_free(sf);
}

/* Programming moves bits only away from the erased value (checked through a torn prog). */
static void test_torn_prog(uint16_t ws, uint8_t ev, uint64_t seed)
{
	struct simflash *sf = mk(ws, ev);
	const struct keel_flash *d = simflash_dev(sf);
	struct simflash_fault f = { .model = SIMFLASH_TORN, .at_op = 1, .seed = seed };
	uint32_t len = ws * 8 > 512 ? ws * 2 : ws * 8;
	uint8_t buf[512], rd[512];
	volatile int cut = 0;
	int rc = 0;

	for (unsigned i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x5a ^ i);
	simflash_set_cut_hook(sf, on_cut, NULL);
	simflash_arm(sf, &f);
	if (setjmp(cut_jmp) == 0)
		rc = d->ops->prog(d, 4096, buf, len);
	else
		cut = 1;
	CHECK(cut && rc == 0, "torn prog cut");
	CHECK(!simflash_powered(sf), "powered off after cut");
	CHECK(d->ops->prog(d, 8192, buf, ws) == KEEL_EIO, "no op while off");
	simflash_power_on(sf);
	CHECK(d->ops->read(d, 4096, rd, len) == 0, "read after power on");
	{
		uint32_t done = 0;
		int in_tail = 0, ok = 1;

		for (uint32_t u = 0; u < len / ws; u++) {
			int full = !memcmp(rd + u * ws, buf + u * ws, ws);

			if (full && !in_tail) {
				done++;
				continue;
			}
			in_tail = 1;
			for (uint32_t i = 0; i < ws; i++) {
				uint8_t b = rd[u * ws + i], want = buf[u * ws + i];

				/* Each bit is either still erased or at its target. */
				uint8_t bad = ev == 0xff ? (uint8_t)(~b & want) : (uint8_t)(b & ~want);

				if (bad)
					ok = 0;
				if (u > done && b != ev)
					ok = 0;
			}
		}
		CHECK(ok, "torn prog: prefix done, one partial unit, rest erased (ws=%u ev=%02x)", ws, ev);
	}
	{
		uint64_t at;

		CHECK(simflash_last_effect(sf, &at) == SIMFLASH_FX_TORN_PROG && at == 1, "effect");
	}
	simflash_free(sf);
}

static void test_torn_erase(uint16_t ws, uint8_t ev, uint64_t seed)
{
	struct simflash *sf = mk(ws, ev);
	const struct keel_flash *d = simflash_dev(sf);
	uint8_t *mem = simflash_mem(sf);
	uint8_t before[8192];
	struct simflash_fault f = { .model = SIMFLASH_TORN_ERASE, .at_op = 1, .seed = seed };
	int ok = 1;

	for (unsigned i = 0; i < sizeof(before); i++)
		before[i] = (uint8_t)(ev == 0xff ? (i * 13) & 0x7f : 0x80 | (i * 13));
	CHECK(simflash_program_image(sf, 0, before, sizeof(before)) == 0, "program");
	simflash_set_cut_hook(sf, on_cut, NULL);
	simflash_arm(sf, &f);
	if (setjmp(cut_jmp) == 0)
		d->ops->erase(d, 0, 8192);
	simflash_power_on(sf);
	for (unsigned i = 0; i < sizeof(before); i++) {
		uint8_t b = mem[i];

		/* Each bit is either unchanged or now erased. */
		if (ev == 0xff && (b & before[i]) != before[i])
			ok = 0;
		if (ev == 0x00 && (b | before[i]) != before[i])
			ok = 0;
	}
	CHECK(ok, "torn erase moves bits only toward the erased value");
	CHECK(simflash_last_effect(sf, NULL) == SIMFLASH_FX_TORN_ERASE, "effect torn-erase");
	/* Everything not reading erased must need an erase before a prog. */
	{
		uint32_t u;

		for (u = 0; u < 8192 / ws; u++) {
			int erased = 1;

			for (uint32_t i = 0; i < ws; i++)
				erased &= mem[u * ws + i] == ev;
			if (!erased)
				break;
		}
		if (u < 8192 / ws)
			CHECK(d->ops->prog(d, u * ws, before, ws) == KEEL_EIO,
			      "a garbage unit after a torn erase cannot be programmed");
	}
	simflash_free(sf);
}

static void test_cut_and_reproducible(void)
{
	uint8_t snap[2][4096];

	for (volatile int rep = 0; rep < 2; rep++) {
		struct simflash *sf = mk(4, 0xff);
		const struct keel_flash *d = simflash_dev(sf);
		struct simflash_fault f = { .model = SIMFLASH_TORN, .at_op = 3, .seed = 42 };
		uint8_t buf[4096];
		volatile int ops_done = 0;

		memset(buf, 0x11, sizeof(buf));
		simflash_set_cut_hook(sf, on_cut, NULL);
		simflash_arm(sf, &f);
		if (setjmp(cut_jmp) == 0) {
			for (int i = 0; i < 8; i++) {
				if (d->ops->prog(d, (uint32_t)i * 512, buf, 512) == 0)
					ops_done++;
			}
		}
		CHECK(ops_done == 2, "cut before op 3 (got %d ops done)", ops_done);
		memcpy(snap[rep], simflash_mem(sf), 4096);
		simflash_free(sf);
	}
	CHECK(!memcmp(snap[0], snap[1], 4096), "same (seed, op, model) gives the same damage");

	{
		struct simflash *sf = mk(8, 0x00);
		const struct keel_flash *d = simflash_dev(sf);
		struct simflash_fault f = { .model = SIMFLASH_EIO, .at_op = 2, .seed = 1 };
		uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

		simflash_arm(sf, &f);
		CHECK(d->ops->prog(d, 0, buf, 8) == 0, "op 1 ok");
		CHECK(d->ops->prog(d, 8, buf, 8) == KEEL_EIO, "op 2 eio");
		CHECK(simflash_powered(sf), "eio keeps power");
		CHECK(d->ops->prog(d, 8, buf, 8) == 0, "eio changed nothing");
		simflash_free(sf);
	}
}

static void test_file(void)
{
	char path[] = "/tmp/simflash-test-XXXXXX";
	int fd = mkstemp(path);
	struct simflash *a = mk(4, 0xff), *b = mk(4, 0xff);
	const struct keel_flash *d;
	uint8_t buf[4] = { 1, 2, 3, 4 };

	CHECK(fd >= 0, "mkstemp");
	d = simflash_dev(a);
	CHECK(d->ops->prog(d, 100 * 4, buf, 4) == 0, "prog");
	CHECK(d->ops->erase(d, 4096, 4096) == 0, "erase");
	CHECK(simflash_save(a, path) == 0, "save");
	CHECK(simflash_load(b, path) == 0, "load");
	CHECK(!memcmp(simflash_mem(a), simflash_mem(b), simflash_geom(a)->size), "same bytes");
	CHECK(simflash_wear(b, 1) == 1, "wear persisted");
	d = simflash_dev(b);
	CHECK(d->ops->prog(d, 100 * 4, buf, 4) == KEEL_EIO, "programmed map persisted");
	{
		char sp[64];

		snprintf(sp, sizeof(sp), "%s.state", path);
		remove(sp);
	}
	remove(path);
	simflash_free(a);
	simflash_free(b);
}

int main(void)
{
	static const uint16_t ws[] = { 1, 4, 8, 16, 32, 256 };
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(ws) / sizeof(ws[0]); i++) {
		for (int e = 0; e < 2; e++) {
			uint8_t ev = e ? 0x00 : 0xff;

			test_rules(ws[i], ev);
			for (uint64_t s = 1; s <= 50; s++) {
				test_torn_prog(ws[i], ev, s);
				test_torn_erase(ws[i], ev, s);
				n += 2;
			}
		}
	}
	test_cut_and_reproducible();
	test_file();
	{
		struct simflash_geom g = { .size = 4096, .write_size = 3, .erased_val = 0xff,
					   .n_runs = 1, .runs = { { 1, 4096 } } };
		char why[128];

		CHECK(simflash_geom_check(&g, why, sizeof(why)) != 0, "write size 3 refused");
		g.write_size = 4;
		g.erased_val = 0x55;
		CHECK(simflash_geom_check(&g, why, sizeof(why)) != 0, "erased 0x55 refused");
		g.erased_val = 0;
		g.size = 8192;
		CHECK(simflash_geom_check(&g, why, sizeof(why)) != 0, "size mismatch refused");
	}
	printf("simflash: %u torn cases, %d failures\n", n, failures);
	return failures ? 1 : 0;
}
