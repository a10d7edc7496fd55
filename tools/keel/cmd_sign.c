/* SPDX-License-Identifier: Apache-2.0 */
#include "keel.h"
#include "util.h"

int cmd_sign(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return keel_fail("sign", "not implemented yet");
}
