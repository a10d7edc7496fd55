/* SPDX-License-Identifier: Apache-2.0 */
/* The "bad" app (APP_BAD build): healthy, but never confirms, so keel-boot reverts it. */
#include "app.h"

const int app_confirms = 0;
const char app_flavour[] = "bad: never confirms";
