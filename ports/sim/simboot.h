/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Turns a keel-sim layout (simconf) and a simulated flash into the
 * struct keel_boot_config keel_boot() takes: areas on the device, keys
 * loaded from PEM/DER files with OpenSSL, the device key, policy flags.
 * Shared by keel-sim and the test runners, so both run the same setup.
 */
#ifndef KEEL_SIMBOOT_H
#define KEEL_SIMBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "keel/boot.h"
#include "simconf.h"
#include "simflash.h"

struct simboot {
	struct keel_boot_config cfg;
	struct keel_pubkey keys[SIMCONF_MAX_KEYS];
	uint8_t *key_der[SIMCONF_MAX_KEYS];
	struct keel_enc_key enc;
	uint8_t enc_priv[32];
};

/*
 * Builds sb->cfg for flash dev. Prints "keel-sim: <what>" and returns -1 if
 * a key cannot be loaded; the layout itself is judged by
 * keel_boot_check_layout (simboot_check).
 */
int simboot_setup(struct simboot *sb, const struct simconf *c, const struct keel_flash *dev);
void simboot_release(struct simboot *sb);

/* keel_boot_check_layout with a "keel-sim: layout refused: why" message; 0 or -1. */
int simboot_check(const struct simboot *sb, int print);

/*
 * The `keel getpub` DER blob of a key file: PEM (public or private key) is
 * converted; anything else is taken as the DER blob itself. Caller frees.
 */
int simboot_key_blob(const char *path, uint8_t **der, size_t *len);
/* A device private key (PEM or DER PKCS#8): P-256 or X25519 scalar. */
int simboot_enc_key(const char *path, struct keel_enc_key *k, uint8_t priv[32]);

/* "swap-offset" -> KEEL_STRATEGY_SWAP_OFFSET, 0 if unknown. */
enum keel_strategy simboot_strategy(const char *name);
const char *simboot_strategy_name(enum keel_strategy s);

#endif
