/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of keel-boot and of the sample app on the ESP32-C3. The ROM (or *
 * keel-boot) jumps here with interrupts possibly enabled and the ROM's * vector table installed: mask them, install our own trap vector, take our * own stack, clear .bss, then C. .data needs no copy: the loader already * put it at its address. */
/* Top-level asm in C: the project enables no ASM language. */
__asm__(
	"\t.section .text.c3_start, \"ax\"\n"
	"\t.globl c3_start\n"
	"c3_start:\n"
	"\tcsrci mstatus, 8\n"
	"\tla t0, c3_trap_entry\n"
	"\tcsrw mtvec, t0\n"
	"\tla sp, _estack\n"
	"\t.option push\n"
	"\t.option norelax\n"
	"\tla gp, __global_pointer$\n"
	"\t.option pop\n"
	"\tla t0, _sbss\n"
	"\tla t1, _ebss\n"
	"1:\tbgeu t0, t1, 2f\n"
	"\tsw zero, 0(t0)\n"
	"\taddi t0, t0, 4\n"
	"\tj 1b\n"
	"2:\tcall main\n"
	"3:\tj 3b\n"
	"\t.balign 4\n"
	"c3_trap_entry:\n"
	"\tcsrr a0, mcause\n"
	"\tcsrr a1, mepc\n"
	"\tcsrr a2, mtval\n"
	"\tla sp, _estack\n"
	"\tcall c3_trap\n"
	"4:\tj 4b\n"
);
