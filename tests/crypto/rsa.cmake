# SPDX-License-Identifier: Apache-2.0
# RSA-PSS (crypto/rsa_pss.c, crypto/bignum.c): Wycheproof vectors, the
# Montgomery arithmetic against OpenSSL BN (both multiply variants a host can
# run), and the differential test against OpenSSL signatures.
keel_crypto_exe(test_rsa_pss_vectors test_rsa_pss_vectors.c)
keel_crypto_test(NAME crypto-rsa-wycheproof COMMAND test_rsa_pss_vectors)

keel_crypto_exe(test_rsa_bignum test_rsa_bignum.c)
target_include_directories(test_rsa_bignum PRIVATE ${CMAKE_SOURCE_DIR}/crypto)
keel_crypto_test(NAME crypto-rsa-bignum COMMAND test_rsa_bignum)

# The ARMv6-M multiply (16-bit halves) on the host, so a carry bug in it
# shows here and not only under QEMU.
keel_crypto_exe(test_rsa_bignum_split test_rsa_bignum.c ${CMAKE_SOURCE_DIR}/crypto/bignum.c)
target_include_directories(test_rsa_bignum_split PRIVATE ${CMAKE_SOURCE_DIR}/crypto
                           ${CMAKE_SOURCE_DIR}/crypto/bn_mul/split)
keel_crypto_test(NAME crypto-rsa-bignum-split COMMAND test_rsa_bignum_split)

# Exhaustive mutation costs ~5,000-7,200 verifies per case: 100 cases in
# normal builds (~2 minutes), 2 under the sanitizers (~10x slower).
if(KEEL_SANITIZE)
  set(rsa_exhaustive 2)
else()
  set(rsa_exhaustive 100)
endif()
keel_crypto_exe(test_rsa_pss_diff test_rsa_pss_diff.c)
keel_crypto_test(NAME crypto-rsa-diff COMMAND test_rsa_pss_diff ${rsa_exhaustive} TIMEOUT 1800)
