/* SPDX-License-Identifier: Apache-2.0 */
/* The normal app: confirms itself once its self test passes. */
#include "app.h"

const int app_confirms = 1;
const char app_flavour[] = "good";
