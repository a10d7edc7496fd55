/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal bare-metal support for Cortex-M test and benchmark firmware under
 * QEMU (mps2-an385 / mps2-an386): reset, faults, and Arm semihosting I/O.
 * Not part of keel-boot; boards have their own ports.
 */
#ifndef KEEL_MCU_H
#define KEEL_MCU_H

#include <stddef.h>
#include <stdint.h>

/* The firmware's entry point, called after .data/.bss are set up. */
int main(void);

/* Semihosting: QEMU must run with -semihosting-config enable=on,target=native. */
void mcu_puts(const char *s);                 /* SYS_WRITE0 */
void mcu_put_u32(uint32_t v);
void mcu_put_u64(uint64_t v);
void mcu_put_hex(const uint8_t *p, size_t len);
int mcu_open(const char *path);               /* SYS_OPEN "rb"; -1 on error */
/* Reads exactly len bytes; 0 on success, -1 on a short read or error. */
int mcu_read(int fd, void *buf, size_t len);
void mcu_close(int fd);
/* SYS_EXIT_EXTENDED: QEMU exits with this status. */
void mcu_exit(int status) __attribute__((noreturn));

/* Current stack pointer, and the lowest address the stack may reach. */
uintptr_t mcu_sp(void);
extern uint32_t _stack_limit[];

#endif
