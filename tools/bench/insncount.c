/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU TCG plugin: exact guest instruction counts between two addresses.
 *
 *   qemu-system-arm ... -plugin libinsncount.so,start=0x1234,stop=0x1240,out=counts.txt
 *
 * Every executed instruction adds one to a counter (an inline add, so the
 * count is exact even when a translation block is left early). Reaching the
 * start address snapshots the counter; reaching the stop address appends
 * "window <i> <instructions>" to the out file (stderr without out=). The
 * firmware brackets each measured call with calls to two marker functions;
 * the constant cost of the markers is measured by an empty window.
 *
 * Power-cut mode (rv32 virt, tests/virt): with mark=ADDR the plugin counts
 * executions of a firmware function called right before every flash
 * program/erase command. cut=N kills QEMU with SIGKILL on the Nth (the
 * first N-1 commands done, the Nth never issued): a power cut scheduled by
 * flash command, not by wall-clock. tlo=ADDR,thi=ADDR trace mode: for every
 * command, the address of the first store made by code in [tlo, thi) after
 * the mark is logged as "cmd <n> <addr>" (which flash word the command hit);
 * done=ADDR logs "done <commands so far>" when ADDR is reached. start/stop
 * are optional when mark is given.
 *
 * Debian's QEMU 7.2 exports the plugin API but ships no qemu-plugin.h, so
 * the few declarations used are written out here (plugin API version 1).
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_info_t;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
typedef uint32_t qemu_plugin_meminfo_t;
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
					  uint64_t vaddr, void *userdata);

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
				      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
				      void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t insns;          /* all instructions executed so far */
static uint64_t start_at;       /* insns when the start marker was reached */
static int open_window;
static unsigned windows;
static uint64_t start_addr, stop_addr;
static FILE *out;
/* Power-cut mode. */
static uint64_t mark_addr, cut_at, done_addr, trace_lo, trace_hi;
static int have_mark, have_cut, have_done, have_trace, trace_pending;
static uint64_t marks;          /* flash commands seen */

static void on_mark(unsigned int vcpu, void *udata)
{
	marks++;
	trace_pending = 1;
	if (have_cut && marks == cut_at) {
		fprintf(out, "cut before command %" PRIu64 "\n", marks);
		fflush(out);
		raise(SIGKILL);   /* the power cut: no clean-up, no flush by QEMU */
	}
}

static void on_done(unsigned int vcpu, void *udata)
{
	fprintf(out, "done %" PRIu64 "\n", marks);
	fflush(out);
}

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	if (!trace_pending)
		return;
	trace_pending = 0;
	fprintf(out, "cmd %" PRIu64 " 0x%" PRIx64 "\n", marks, vaddr);
}

static void on_start(unsigned int vcpu, void *udata)
{
	start_at = insns;
	open_window = 1;
}

static void on_stop(unsigned int vcpu, void *udata)
{
	if (!open_window)
		return;
	open_window = 0;
	fprintf(out, "window %u %" PRIu64 "\n", windows++, insns - start_at);
	fflush(out);
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);

		/* Callbacks run before the instruction, so the marker's own instructions
		 * land inside the window; the empty-window calibration removes them. */
		if (pc == start_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (pc == stop_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (have_mark && pc == mark_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (have_done && pc == done_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_done, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (have_trace && pc >= trace_lo && pc < trace_hi)
			qemu_plugin_register_vcpu_mem_cb(insn, on_store, QEMU_PLUGIN_CB_NO_REGS,
							 QEMU_PLUGIN_MEM_W, NULL);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &insns, 1);
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	fprintf(out, "total %" PRIu64 " windows %u\n", insns, windows);
	if (have_mark)
		fprintf(out, "commands %" PRIu64 "\n", marks);
	if (out != stderr)
		fclose(out);
}

static int parse_addr(const char *arg, const char *name, uint64_t *v)
{
	size_t len = strlen(name);
	char *end;

	if (strncmp(arg, name, len) || arg[len] != '=')
		return 0;
	*v = strtoull(arg + len + 1, &end, 0) & ~(uint64_t)1;  /* drop the Thumb bit */
	return *end == 0 && end != arg + len + 1 ? 1 : -1;
}

/* A count, not an address: keeps bit 0. */
static int parse_num(const char *arg, const char *name, uint64_t *v)
{
	size_t len = strlen(name);
	char *end;

	if (strncmp(arg, name, len) || arg[len] != '=')
		return 0;
	*v = strtoull(arg + len + 1, &end, 0);
	return *end == 0 && end != arg + len + 1 && *v > 0 ? 1 : -1;
}

int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv)
{
	int have_start = 0, have_stop = 0;

	out = stderr;
	for (int i = 0; i < argc; i++) {
		int r;

		if ((r = parse_addr(argv[i], "start", &start_addr)) != 0) {
			have_start = r;
		} else if ((r = parse_addr(argv[i], "stop", &stop_addr)) != 0) {
			have_stop = r;
		} else if ((r = parse_addr(argv[i], "mark", &mark_addr)) != 0) {
			have_mark = r;
		} else if ((r = parse_num(argv[i], "cut", &cut_at)) != 0) {
			have_cut = r;
		} else if ((r = parse_addr(argv[i], "done", &done_addr)) != 0) {
			have_done = r;
		} else if ((r = parse_addr(argv[i], "tlo", &trace_lo)) != 0) {
			have_trace = r;
		} else if ((r = parse_addr(argv[i], "thi", &trace_hi)) != 0) {
			have_trace = have_trace == 1 && r == 1 ? 1 : -1;
		} else if (strncmp(argv[i], "out=", 4) == 0) {
			out = fopen(argv[i] + 4, "w");
			if (!out) {
				fprintf(stderr, "insncount: cannot write %s\n", argv[i] + 4);
				return -1;
			}
		} else {
			fprintf(stderr, "insncount: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (have_mark < 0 || have_cut < 0 || have_done < 0 || have_trace < 0 ||
	    (have_cut && !have_mark) || (have_trace && !have_mark)) {
		fprintf(stderr, "insncount: bad mark=/cut=/done=/tlo=,thi= arguments\n");
		return -1;
	}
	if (!have_mark && (have_start != 1 || have_stop != 1)) {
		fprintf(stderr, "insncount: need start=ADDR and stop=ADDR\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
