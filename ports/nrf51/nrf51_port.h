/* SPDX-License-Identifier: Apache-2.0 */
/* The nRF51 port as keel-boot and the sample app use it (docs/nrf51.md). */
#ifndef KEEL_NRF51_PORT_H
#define KEEL_NRF51_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "keel/flash.h"
#include "keel/port.h"

/* NVMC driver over the whole 256 KiB; program and erase refused below the primary slot. */
extern const struct keel_flash nrf51_flash;

/* UART0 console (polled) and TIMER1 as a millisecond clock. */
void nrf51_console_init(void);
void nrf51_console_deinit(void);
void nrf51_console_write(const void *buf, size_t len);
int nrf51_console_read(void *buf, size_t len, uint32_t timeout_ms);
void nrf51_puts(const char *s);
uint32_t nrf51_millis(void);

/* Request words in the reserved page (nrf51.h): test and consume, or set. */
int nrf51_take_request(uint32_t addr);
int nrf51_set_request(uint32_t addr);
void nrf51_reset(void) __attribute__((noreturn));

/* keel_port for this board and the keel_boot_config of its layout (keys parsed once). */
extern const struct keel_port nrf51_port;
const struct keel_boot_config *nrf51_boot_config(void);

/* Stores vt in the MBR's forwarding pointer and jumps to it (SP, reset). */
void nrf51_start(const uint32_t *vt) __attribute__((noreturn));

#endif
