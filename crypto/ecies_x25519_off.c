/* SPDX-License-Identifier: Apache-2.0 */
/* Builds without X25519: ECIES-X25519 images are refused with KEEL_ENOTSUP. */
#include "ecies_priv.h"

const struct keel_ecies_curve keel_ecies_x25519 = { 0, 0 };
