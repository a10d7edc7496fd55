/* SPDX-License-Identifier: Apache-2.0 */
/* Swap-move (MCUboot's): primary one sector larger than the secondary. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	.strategy = KEEL_STRATEGY_SWAP_MOVE,
	.slot0_off = VIRT_SLOT0_OFF, .slot0_size = VIRT_SLOT1_SIZE,
	.slot1_off = VIRT_SLOT1_OFF + VIRT_SECTOR, .slot1_size = VIRT_SLOT0_SIZE,
	.name = "swap-move",
};
