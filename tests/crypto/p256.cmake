# SPDX-License-Identifier: Apache-2.0
# P-256: ECDSA verify and ECDH (included by CMakeLists.txt).
keel_crypto_exe(test_p256_vectors test_p256_vectors.c)
keel_crypto_test(NAME crypto-p256-wycheproof COMMAND test_p256_vectors)
