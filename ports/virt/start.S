/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of keel-boot (reset ROM -> 0x20000000, pflash unit 0) and of the app
 * (jumped to by keel-boot after its image header): stack, gp, .data (which
 * and .ramfunc, the flash command code) copied to RAM, .bss cleared, a
 * trap vector, main(). Interrupts stay off until a stage enables them.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	csrci mstatus, 8
	csrw mie, zero
	la sp, _estack
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la a0, _siramfunc
	la a1, _sramfunc
	la a2, _eramfunc
	call copy_words
	la a0, _sidata
	la a1, _sdata
	la a2, _edata
	call copy_words
	la a1, _sbss
	la a2, _ebss
3:	bgeu a1, a2, 4f
	sw zero, 0(a1)
	addi a1, a1, 4
	j 3b
4:	.4byte 0x0000100f   /* fence.i (the toolchain flags lack zifencei) */
	la t0, virt_trap_entry
	csrw mtvec, t0
	call main
5:	wfi
	j 5b

/* Copies words from a0 to [a1, a2). */
copy_words:
1:	bgeu a1, a2, 2f
	lw t0, 0(a0)
	sw t0, 0(a1)
	addi a0, a0, 4
	addi a1, a1, 4
	j 1b
2:	ret

/* Saves the caller-saved registers (frame: ra, t0-t2, a0-a7, t3-t6 at 4*i),
 * calls virt_trap_handler(mcause, mepc, frame) and resumes at its result. */
	.balign 4
	.globl virt_trap_entry
virt_trap_entry:
	addi sp, sp, -64
	sw ra, 0(sp)
	sw t0, 4(sp)
	sw t1, 8(sp)
	sw t2, 12(sp)
	sw a0, 16(sp)
	sw a1, 20(sp)
	sw a2, 24(sp)
	sw a3, 28(sp)
	sw a4, 32(sp)
	sw a5, 36(sp)
	sw a6, 40(sp)
	sw a7, 44(sp)
	sw t3, 48(sp)
	sw t4, 52(sp)
	sw t5, 56(sp)
	sw t6, 60(sp)
	csrr a0, mcause
	csrr a1, mepc
	mv a2, sp
	call virt_trap_handler
	csrw mepc, a0
	lw ra, 0(sp)
	lw t0, 4(sp)
	lw t1, 8(sp)
	lw t2, 12(sp)
	lw a0, 16(sp)
	lw a1, 20(sp)
	lw a2, 24(sp)
	lw a3, 28(sp)
	lw a4, 32(sp)
	lw a5, 36(sp)
	lw a6, 40(sp)
	lw a7, 44(sp)
	lw t3, 48(sp)
	lw t4, 52(sp)
	lw t5, 56(sp)
	lw t6, 60(sp)
	addi sp, sp, 64
	mret
