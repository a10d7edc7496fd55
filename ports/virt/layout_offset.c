/* SPDX-License-Identifier: Apache-2.0 */
/* Swap-offset (Keel's default): secondary one sector larger than the primary. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	KEEL_STRATEGY_SWAP_OFFSET, VIRT_SLOT0_OFF, VIRT_SLOT0_SIZE, VIRT_SLOT1_OFF, VIRT_SLOT1_SIZE,
	"swap-offset",
};
