/* SPDX-License-Identifier: Apache-2.0 */
/* Swap-scratch (MCUboot's): equal slots of 4 sectors and one scratch sector after them. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	.strategy = KEEL_STRATEGY_SWAP_SCRATCH,
	.slot0_off = VIRT_SLOT0_OFF, .slot0_size = VIRT_SLOT0_SIZE,
	.slot1_off = VIRT_SLOT1_OFF, .slot1_size = VIRT_SLOT0_SIZE,
	.name = "swap-scratch",
	.scratch_off = VIRT_SLOT1_OFF + VIRT_SLOT0_SIZE, .scratch_size = VIRT_SECTOR,
};
