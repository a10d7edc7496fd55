/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot's built-in keys: `keel getpub -e lang-c` output for the
 * Ed25519 root key and the ECDSA-P256 root key, generated at build time
 * (the benchmark boots images signed with either).
 */
#include "keel_pub_ed25519.inc"
#include "keel_pub_ecdsa.inc"

extern const unsigned char *const keel_virt_keys[];
extern const unsigned int keel_virt_key_lens[];
extern const unsigned int keel_virt_n_keys;

const unsigned char *const keel_virt_keys[] = { ed25519_pub_key, ecdsa_pub_key };
const unsigned int keel_virt_key_lens[] = { sizeof(ed25519_pub_key), sizeof(ecdsa_pub_key) };
const unsigned int keel_virt_n_keys = 2;
