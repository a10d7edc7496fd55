/* SPDX-License-Identifier: Apache-2.0 */
/* Builds without P-256 key agreement: ECIES-P256 images are refused with KEEL_ENOTSUP. */
#include "ecies_priv.h"

const struct keel_ecies_curve keel_ecies_p256 = { 0, 0 };
