/* SPDX-License-Identifier: Apache-2.0 */
/* Swap-move (MCUboot's): primary one sector larger than the secondary. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	KEEL_STRATEGY_SWAP_MOVE, VIRT_SLOT0_OFF, VIRT_SLOT1_SIZE, VIRT_SLOT1_OFF + VIRT_SECTOR,
	VIRT_SLOT0_SIZE, "swap-move",
};
