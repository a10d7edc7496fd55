/* SPDX-License-Identifier: Apache-2.0 */
/* keel-mbr internals shared by its files. */
#ifndef KEEL_MBR_H
#define KEEL_MBR_H

#include <stdint.h>

#define MBR_N_VECTORS 48   /* 16 system exceptions + 32 nRF51 interrupt lines */

uint16_t mbr_crc16(uint16_t crc, const uint8_t *p, uint32_t len);
void mbr_system_reset(void) __attribute__((noreturn));
int mbr_take_request(uint32_t addr);

/* UART update mode (mbr_uart.c); ends in a system reset. */
void mbr_update_mode(const char *why) __attribute__((noreturn));

/*
 * The build's target (mbr_target_boot.c or mbr_target_app.c): its vector
 * table, or NULL when it is absent or fails its check.
 */
const uint32_t *mbr_target(void);
extern const char mbr_target_missing[];

#endif
