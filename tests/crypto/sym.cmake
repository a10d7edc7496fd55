# SPDX-License-Identifier: Apache-2.0
# Symmetric primitives, key handle and ECIES unwrap (included by CMakeLists.txt).
keel_crypto_exe(test_sym_ct test_sym_ct.c)
keel_crypto_ctgrind(NAME crypto-sym-ct TARGET test_sym_ct)
keel_crypto_exe(test_sym_kat test_sym_kat.c)
keel_crypto_test(NAME crypto-sym-kat COMMAND test_sym_kat)
keel_crypto_exe(test_sym_vectors test_sym_vectors.c)
foreach(kind hmac-sha256 hmac-sha512 hkdf-sha256 hkdf-sha512)
  keel_crypto_test(NAME crypto-wycheproof-${kind} COMMAND test_sym_vectors ${kind})
endforeach()
keel_crypto_exe(test_sym_diff test_sym_diff.c)
foreach(kind sha hmac hkdf aes)
  keel_crypto_test(NAME crypto-sym-diff-${kind} COMMAND test_sym_diff ${kind} TIMEOUT 1200)
endforeach()
