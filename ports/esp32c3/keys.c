/* SPDX-License-Identifier: Apache-2.0 */
/* keel-boot's built-in key: `keel getpub -e lang-c` output, generated at build time. */
#include "keel_pub_key.inc"

extern const unsigned char *const keel_c3_keys[];
extern const unsigned int keel_c3_key_lens[];
extern const unsigned int keel_c3_n_keys;

const unsigned char *const keel_c3_keys[] = { ecdsa_pub_key };
const unsigned int keel_c3_key_lens[] = { sizeof(ecdsa_pub_key) };
const unsigned int keel_c3_n_keys = 1;
