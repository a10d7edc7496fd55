/* SPDX-License-Identifier: Apache-2.0 */
/* Overwrite-only: equal slots of 4 sectors, no revert. */
#include "virt.h"
#include "virt_port.h"

const struct virt_layout virt_layout = {
	.strategy = KEEL_STRATEGY_OVERWRITE_ONLY,
	.slot0_off = VIRT_SLOT0_OFF, .slot0_size = VIRT_SLOT0_SIZE,
	.slot1_off = VIRT_SLOT1_OFF, .slot1_size = VIRT_SLOT0_SIZE,
	.name = "overwrite-only",
};
