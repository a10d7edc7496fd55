/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ESP32-C3 registers keel-boot drives itself (no ROM calls). Addresses and
 * bits as in the ESP32-C3 TRM and ../shared/research/espqemu.md.
 */
#ifndef KEEL_ESP32C3_H
#define KEEL_ESP32C3_H

#include <stdint.h>

#define C3_REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* UART0 */
#define UART0_FIFO C3_REG(0x60000000u)
#define UART0_STATUS C3_REG(0x6000001Cu)
#define UART_RXCNT(s) ((s) & 0x3FFu)
#define UART_TXCNT(s) (((s) >> 16) & 0x3FFu)

/* SPI1: the flash controller a bootloader drives. */
#define SPI1_BASE 0x60002000u
#define SPI1_CMD C3_REG(SPI1_BASE + 0x00)
#define SPI1_ADDR C3_REG(SPI1_BASE + 0x04)
#define SPI1_USER C3_REG(SPI1_BASE + 0x18)
#define SPI1_MISO_DLEN C3_REG(SPI1_BASE + 0x28)
#define SPI1_MOSI_DLEN C3_REG(SPI1_BASE + 0x24)
#define SPI1_RD_STATUS C3_REG(SPI1_BASE + 0x2C)
#define SPI1_W(n) C3_REG(SPI1_BASE + 0x58 + 4u * (n))
#define SPI_CMD_READ (1u << 31)
#define SPI_CMD_WREN (1u << 30)
#define SPI_CMD_RDID (1u << 28)
#define SPI_CMD_RDSR (1u << 27)
#define SPI_CMD_PP (1u << 25)
#define SPI_CMD_SE (1u << 24)
#define FLASH_SR_WIP 0x01u
#define FLASH_SR_WEL 0x02u

/* Cache MMU: one table for IBUS (0x42000000) and DBUS (0x3C000000), 64 KiB pages. */
#define EXTMEM_BASE 0x600C4000u
#define EXTMEM_ICACHE_CTRL C3_REG(EXTMEM_BASE + 0x00)
#define EXTMEM_ICACHE_CTRL1 C3_REG(EXTMEM_BASE + 0x04)
#define MMU_TABLE ((volatile uint32_t *)(uintptr_t)0x600C5000u)
#define MMU_ENTRIES 128u
#define MMU_INVALID 0x100u
#define MMU_PAGE 0x10000u
#define IROM_BASE 0x42000000u
#define DROM_BASE 0x3C000000u
#define XROM_SPAN (MMU_ENTRIES * MMU_PAGE)

/* SRAM: IRAM name = DRAM name + 0x700000. */
#define IRAM_DRAM_DELTA 0x700000u

/* RTC_CNTL: system reset, reset reason, RTC and super watchdogs. */
#define RTC_CNTL_BASE 0x60008000u
#define RTC_OPTIONS0 C3_REG(RTC_CNTL_BASE + 0x00)
#define RTC_SW_SYS_RST (1u << 31)
#define RTC_RESET_STATE C3_REG(RTC_CNTL_BASE + 0x38)
#define RTC_WDTCONFIG0 C3_REG(RTC_CNTL_BASE + 0x90)
#define RTC_WDTFEED C3_REG(RTC_CNTL_BASE + 0xA4)
#define RTC_WDTWPROTECT C3_REG(RTC_CNTL_BASE + 0xA8)
#define RTC_SWD_CONF C3_REG(RTC_CNTL_BASE + 0xAC)
#define RTC_SWD_WPROTECT C3_REG(RTC_CNTL_BASE + 0xB0)
#define RTC_SWD_KEY 0x8F1D312Au
#define RTC_SWD_AUTO_FEED (1u << 31)

/* Timer group watchdogs. */
#define TIMG0_BASE 0x6001F000u
#define TIMG1_BASE 0x60020000u
#define TIMG_WDTCONFIG0(b) C3_REG((b) + 0x48)
#define TIMG_WDTFEED(b) C3_REG((b) + 0x60)
#define TIMG_WDTWPROTECT(b) C3_REG((b) + 0x64)
#define WDT_KEY 0x50D83AA1u

/* SYSTIMER, 16 MHz. */
#define SYSTIMER_BASE 0x60023000u
#define SYSTIMER_CONF C3_REG(SYSTIMER_BASE + 0x00)
#define SYSTIMER_UNIT0_OP C3_REG(SYSTIMER_BASE + 0x04)
#define SYSTIMER_UNIT0_HI C3_REG(SYSTIMER_BASE + 0x40)
#define SYSTIMER_UNIT0_LO C3_REG(SYSTIMER_BASE + 0x44)

/* eFuse read registers from EFUSE_RD_WR_DIS (espqemu.md section 4). */
#define EFUSE_RD(n) C3_REG(0x6000882Cu + 4u * (n))
#define EFUSE_SECURE_BOOT_EN (1u << 20)   /* in word 3 (RD_REPEAT_DATA2) */

#endif
