/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-mbr built for "no stage 1": starts the app at the fixed address.
 * Nothing is verified (there is no stage 1 to do it): a development setup,
 * see docs/nrf51.md.
 */
#include "../nrf51.h"
#include "mbr.h"

const char mbr_target_missing[] = "no app";

const uint32_t *mbr_target(void)
{
	const uint32_t *vt = (const uint32_t *)(KEEL_SLOT0_BASE + KEEL_APP_HDR_SIZE);

	return vt[0] == 0xFFFFFFFFu ? 0 : vt;
}
