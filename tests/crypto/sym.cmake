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
  keel_crypto_test(NAME crypto-sym-diff-${kind} COMMAND test_sym_diff ${kind} TIMEOUT 1800)
endforeach()
keel_crypto_exe(test_ecies test_ecies.c)
target_link_libraries(test_ecies PRIVATE keel_image)
keel_crypto_test(NAME crypto-ecies COMMAND test_ecies TIMEOUT 1800)
keel_crypto_ctgrind(NAME crypto-ecies-ct TARGET test_ecies ARGS --ct)
keel_crypto_exe(test_sym_pubkey test_sym_pubkey.c)
keel_crypto_test(NAME crypto-pubkey COMMAND test_sym_pubkey)
# keel_hash without SHA-512: linked without sha512.c on purpose.
add_executable(test_sym_hash_off test_sym_hash_off.c
  ${CMAKE_SOURCE_DIR}/crypto/hash.c ${CMAKE_SOURCE_DIR}/crypto/hash_sha512_off.c
  ${CMAKE_SOURCE_DIR}/crypto/sha256.c ${CMAKE_SOURCE_DIR}/crypto/hmac.c
  ${CMAKE_SOURCE_DIR}/crypto/hkdf.c ${CMAKE_SOURCE_DIR}/crypto/ct.c)
target_include_directories(test_sym_hash_off PRIVATE ${CMAKE_SOURCE_DIR}/include ${CMAKE_SOURCE_DIR}/crypto)
keel_crypto_test(NAME crypto-hash-no-sha512 COMMAND test_sym_hash_off)
