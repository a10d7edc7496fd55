/* SPDX-License-Identifier: Apache-2.0 */
/* keel-boot's built-in key: `keel getpub -e lang-c` output, generated at build time. */
#include "keel_pub_key.inc"

extern const unsigned char *const keel_c3_keys[];
extern const unsigned int keel_c3_key_lens[];
extern const unsigned int keel_c3_n_keys;

/* KEEL_C3_PUB_KEY: the array name getpub gives the key type (CMakeLists.txt). */
const unsigned char *const keel_c3_keys[] = { KEEL_C3_PUB_KEY };
const unsigned int keel_c3_key_lens[] = { sizeof(KEEL_C3_PUB_KEY) };
const unsigned int keel_c3_n_keys = 1;
