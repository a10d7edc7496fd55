# SPDX-License-Identifier: Apache-2.0
# P-256: ECDSA verify and ECDH (included by CMakeLists.txt).
keel_crypto_exe(test_p256_vectors test_p256_vectors.c)
keel_crypto_test(NAME crypto-p256-wycheproof COMMAND test_p256_vectors)
keel_crypto_exe(test_p256_diff test_p256_diff.c)
if(KEEL_SANITIZE)
  # -O0 + ASan runs this code ~10x slower: a smaller set, same checks.
  keel_crypto_test(NAME crypto-p256-diff COMMAND test_p256_diff 3 1000 1000 TIMEOUT 900)
else()
  keel_crypto_test(NAME crypto-p256-diff COMMAND test_p256_diff 100 TIMEOUT 900)
endif()
keel_crypto_exe(test_p256_ct test_p256_ct.c)
keel_crypto_ctgrind(NAME crypto-p256-ct TARGET test_p256_ct)
# Field and scalar arithmetic against OpenSSL BN (uses the private p256_field.h).
keel_crypto_exe(test_p256_field test_p256_field.c)
target_include_directories(test_p256_field PRIVATE ${CMAKE_SOURCE_DIR}/crypto)
keel_crypto_test(NAME crypto-p256-field COMMAND test_p256_field)
