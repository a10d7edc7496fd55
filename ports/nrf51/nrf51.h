/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nRF51822 registers Keel uses, and the memory map shared by keel-mbr,
 * keel-boot and the app (docs/nrf51.md). Register facts: nRF51 reference
 * manual; QEMU behaviour: ../shared/research/qemu.md section 2.
 */
#ifndef KEEL_NRF51_H
#define KEEL_NRF51_H

#include <stdint.h>

#define NRF_REG(a) (*(volatile uint32_t *)(a))

/* UART0 */
#define UART0_BASE 0x40002000u
#define UART0_STARTRX NRF_REG(UART0_BASE + 0x000)
#define UART0_STOPRX NRF_REG(UART0_BASE + 0x004)
#define UART0_STARTTX NRF_REG(UART0_BASE + 0x008)
#define UART0_STOPTX NRF_REG(UART0_BASE + 0x00C)
#define UART0_RXDRDY NRF_REG(UART0_BASE + 0x108)
#define UART0_TXDRDY NRF_REG(UART0_BASE + 0x11C)
#define UART0_ENABLE NRF_REG(UART0_BASE + 0x500)
#define UART0_PSELTXD NRF_REG(UART0_BASE + 0x50C)
#define UART0_PSELRXD NRF_REG(UART0_BASE + 0x514)
#define UART0_RXD NRF_REG(UART0_BASE + 0x518)
#define UART0_TXD NRF_REG(UART0_BASE + 0x51C)
#define UART0_BAUDRATE NRF_REG(UART0_BASE + 0x524)
#define UART_ENABLE_ON 4u
#define UART_BAUD_115200 0x01D7E000u
#define MICROBIT_PIN_TX 24u
#define MICROBIT_PIN_RX 25u

/* NVMC */
#define NVMC_BASE 0x4001E000u
#define NVMC_READY NRF_REG(NVMC_BASE + 0x400)
#define NVMC_CONFIG NRF_REG(NVMC_BASE + 0x504)
#define NVMC_ERASEPAGE NRF_REG(NVMC_BASE + 0x508)
#define NVMC_CONFIG_REN 0u
#define NVMC_CONFIG_WEN 1u
#define NVMC_CONFIG_EEN 2u

/* TIMER0 (IRQ 8) */
#define TIMER0_BASE 0x40008000u
#define TIMER0_START NRF_REG(TIMER0_BASE + 0x000)
#define TIMER0_STOP NRF_REG(TIMER0_BASE + 0x004)
#define TIMER0_CLEAR NRF_REG(TIMER0_BASE + 0x00C)
#define TIMER0_CAPTURE0 NRF_REG(TIMER0_BASE + 0x040)
#define TIMER0_COMPARE0 NRF_REG(TIMER0_BASE + 0x140)
#define TIMER0_SHORTS NRF_REG(TIMER0_BASE + 0x200)
#define TIMER0_INTENSET NRF_REG(TIMER0_BASE + 0x304)
#define TIMER0_INTENCLR NRF_REG(TIMER0_BASE + 0x308)
#define TIMER0_MODE NRF_REG(TIMER0_BASE + 0x504)
#define TIMER0_BITMODE NRF_REG(TIMER0_BASE + 0x508)
#define TIMER0_PRESCALER NRF_REG(TIMER0_BASE + 0x510)
#define TIMER0_CC0 NRF_REG(TIMER0_BASE + 0x540)
#define TIMER0_IRQ 8u

/* Cortex-M0 system control */
#define SCB_ICSR NRF_REG(0xE000ED04u)
#define SCB_VTOR_ADDR 0xE000ED08u   /* absent on the nRF51's M0; never written by Keel */
#define SCB_AIRCR NRF_REG(0xE000ED0Cu)
#define NVIC_ISER NRF_REG(0xE000E100u)
#define NVIC_ICER NRF_REG(0xE000E180u)
#define NVIC_ICPR NRF_REG(0xE000E280u)
#define AIRCR_SYSRESETREQ (0x05FA0000u | 0x4u)

/* ---------------------------------------------------------- memory map */
#define NRF51_FLASH_SIZE 0x40000u   /* 256 KiB */
#define NRF51_PAGE 0x400u           /* 1 KiB */
#define NRF51_RAM 0x20000000u
#define NRF51_RAM_END 0x20004000u   /* 16 KiB */

/*
 * The only RAM keel-mbr reserves: word 0 holds the address of the vector
 * table exceptions are forwarded to; word 1 is the MBR's "forwarding live"
 * marker (KEEL_MBR_FWD_MAGIC). Every later stage links its RAM above.
 */
#define KEEL_MBR_FWD_PTR NRF_REG(NRF51_RAM)
#define KEEL_MBR_FWD_MARK NRF_REG(NRF51_RAM + 4)
#define KEEL_MBR_FWD_MAGIC 0x4D425246u   /* "FRBM" */
#define KEEL_MBR_RAM_RESERVED 8u

#define KEEL_MBR_BASE 0x00000u
#define KEEL_MBR_SIZE 0x01000u          /* 4 KiB: writes below this are refused */
#define KEEL_BOOT_BASE 0x01000u         /* stage 1 header, then its vector table */
#define KEEL_BOOT_SIZE 0x0B000u         /* 44 KiB up to the primary slot */
#define KEEL_BOOT_HDR_SIZE 0x10u
#define KEEL_SLOT0_BASE 0x0C000u        /* primary: 103 pages */
#define KEEL_SLOT0_SIZE 0x19C00u
#define KEEL_SLOT1_BASE 0x25C00u        /* secondary: 104 pages (swap-offset) */
#define KEEL_SLOT1_SIZE 0x1A000u
#define KEEL_REQ_PAGE 0x3FC00u          /* request words, last page */
#define KEEL_APP_HDR_SIZE 0x100u        /* keel sign -H; the app's vectors follow */

/* keel-boot's stage-1 header (written by `mbrflash mkboot`, checked by keel-mbr). */
#define KEEL_BOOT_MAGIC 0x544F424Bu     /* "KBOT" */
struct keel_stage1_hdr {
	uint32_t magic;
	uint32_t size;          /* bytes after the header */
	uint32_t crc16;         /* CRC-16/XMODEM of those bytes, in the low half */
	uint32_t hdr_check;     /* ~(magic ^ size ^ crc16) */
};

/* Request words in KEEL_REQ_PAGE: erased = none, REQ = asked, 0 = consumed. */
#define KEEL_REQ_MBR_UART (KEEL_REQ_PAGE + 0)   /* keel-mbr stays in UART update mode */
#define KEEL_REQ_RECOVERY (KEEL_REQ_PAGE + 4)   /* keel-boot enters serial recovery */
#define KEEL_REQ_MAGIC 0x5155514Bu              /* "KQUQ" */

#endif
