/* SPDX-License-Identifier: Apache-2.0 */
/* The ESP32-C3 port as keel-boot and the sample app use it (docs/esp32c3.md section 2). */
#ifndef KEEL_ESP32C3_PORT_H
#define KEEL_ESP32C3_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "keel/flash.h"
#include "keel/port.h"

/* SPI1 NOR driver over the whole flash; program/erase refused below the first slot. */
extern const struct keel_flash c3_flash;
/* Flash commands completed since reset (power-cut tests count them). */
extern volatile uint32_t c3_flash_cmds;
/* Called once per completed program/erase command: a breakpoint target for cut tests. */
void c3_flash_cmd_done(uint32_t count);

void c3_console_init(void);
void c3_console_write(const void *buf, size_t len);
int c3_console_read(void *buf, size_t len, uint32_t timeout_ms);
void c3_puts(const char *s);
void c3_puthex(uint32_t v);
uint32_t c3_millis(void);

void c3_watchdogs_off(void);
void c3_watchdog_feed(void);
void c3_reset(void) __attribute__((noreturn));
uint32_t c3_reset_reason(void);
int c3_secure_boot_enabled(void);

/* Reached only from start.c's asm: kept by name under LTO. */
int main(void) __attribute__((used));
void c3_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval) __attribute__((noreturn, used));

/* Serial recovery (recovery.c) or its absence (recovery_none.c); does not return. */
void c3_recovery(const struct keel_boot_config *cfg, const char *why) __attribute__((noreturn));

extern const struct keel_port c3_port;
const struct keel_boot_config *c3_boot_config(void);

/* The Espressif load header (docs/esp32c3.md section 1.6). */
#define C3_LOAD_MAGIC 0xace637d3u
struct c3_load_header {
	uint32_t magic, entry;
	uint32_t iram_dest, iram_off, iram_size;
	uint32_t dram_dest, dram_off, dram_size;
	uint32_t rtc[6];
	uint32_t irom_addr, irom_off, irom_size;
	uint32_t drom_addr, drom_off, drom_size;
	uint32_t reserved[4];
};

/*
 * Reads and checks the load header of the image in `slot` (image size
 * `img_end` = header + payload): NULL if acceptable, else the reason.
 */
const char *c3_load_check(const struct c3_load_header *h, uint32_t slot_off, uint32_t img_end);
/* Copies the RAM regions, maps the flash regions; NULL or the reason. */
const char *c3_load(const struct keel_area *slot, uint32_t *entry);
void c3_jump(uint32_t entry) __attribute__((noreturn));

#endif
