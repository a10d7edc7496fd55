/* SPDX-License-Identifier: Apache-2.0 */
/* keel-boot's built-in key: `keel getpub -e lang-c` output, generated at build time. */
#include "keel_pub_key.inc"

extern const unsigned char *const keel_nrf51_keys[];
extern const unsigned int keel_nrf51_key_lens[];
extern const unsigned int keel_nrf51_n_keys;

const unsigned char *const keel_nrf51_keys[] = { ed25519_pub_key };
const unsigned int keel_nrf51_key_lens[] = { sizeof(ed25519_pub_key) };
const unsigned int keel_nrf51_n_keys = 1;
