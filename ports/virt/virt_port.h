/* SPDX-License-Identifier: Apache-2.0 */
/* The rv32 virt port as keel-boot and the sample app use it (docs/virt.md). */
#ifndef KEEL_VIRT_PORT_H
#define KEEL_VIRT_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "keel/flash.h"
#include "keel/port.h"

/* One CFI bank as a keel_flash: base address and the window program/erase may touch. */
struct virt_cfi {
	uint32_t base;
	uint32_t wr_lo, wr_hi;   /* device offsets */
};

extern const struct keel_flash virt_flash_slots;   /* bank 1: the slots */
extern const struct keel_flash virt_flash_boot;    /* bank 0: keel-boot; request sector writable */
void virt_flash_cmd_mark(uint32_t addr);

/* 16550 console (polled) and the CLINT clock. */
void virt_console_write(const void *buf, size_t len);
int virt_console_read(void *buf, size_t len, uint32_t timeout_ms);
void virt_puts(const char *s);
uint32_t virt_millis(void);
uint64_t virt_mtime(void);

/* Recovery request word in bank 0's last sector: test and consume. */
int virt_take_request(void);
void virt_reset(void) __attribute__((noreturn));
void virt_poweroff(uint32_t code) __attribute__((noreturn));

/* Strategy and slots (layout_<strategy>.c, chosen by the build). */
struct virt_layout {
	enum keel_strategy strategy;
	uint32_t slot0_off, slot0_size, slot1_off, slot1_size;   /* bank-1 offsets */
	const char *name;
	uint32_t scratch_off, scratch_size;                     /* swap-scratch only */
};
extern const struct virt_layout virt_layout;

extern const struct keel_port virt_port;
const struct keel_boot_config *virt_boot_config(void);

/* Jumps to code at addr with interrupts off (the app's entry after its header). */
void virt_start(uint32_t addr) __attribute__((noreturn));

/* Trap hook: start.S calls it with the saved caller-saved registers (layout in start.S);
 * returns the address to resume at. Weak default: report and power off with code 3. */
uint32_t virt_trap_handler(uint32_t mcause, uint32_t mepc, uint32_t *frame);

#endif
