# SPDX-License-Identifier: Apache-2.0
# Symmetric primitives, key handle and ECIES unwrap (included by CMakeLists.txt).
keel_crypto_exe(test_sym_ct test_sym_ct.c)
keel_crypto_ctgrind(NAME crypto-sym-ct TARGET test_sym_ct)
