/* SPDX-License-Identifier: Apache-2.0 */
/* Swap-offset (Keel's default): secondary one sector larger than the primary. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	.strategy = KEEL_STRATEGY_SWAP_OFFSET,
	.slot0_off = VIRT_SLOT0_OFF, .slot0_size = VIRT_SLOT0_SIZE,
	.slot1_off = VIRT_SLOT1_OFF, .slot1_size = VIRT_SLOT1_SIZE,
	.name = "swap-offset",
};
