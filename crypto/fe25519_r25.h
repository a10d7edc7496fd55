/* SPDX-License-Identifier: Apache-2.0 */
/* Limb layout for fe25519_r25.c: value = sum f[i] * 2^ceil(25.5 * i). */
#ifndef KEEL_FE25519_R25_H
#define KEEL_FE25519_R25_H
#include <stdint.h>
typedef int32_t fe25519[10];
#endif
