# SPDX-License-Identifier: Apache-2.0
# Symmetric primitives, key handle and ECIES unwrap (included by CMakeLists.txt).
keel_crypto_exe(test_sym_ct test_sym_ct.c)
keel_crypto_ctgrind(NAME crypto-sym-ct TARGET test_sym_ct)
keel_crypto_exe(test_sym_kat test_sym_kat.c)
keel_crypto_test(NAME crypto-sym-kat COMMAND test_sym_kat)
