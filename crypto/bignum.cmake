# SPDX-License-Identifier: Apache-2.0
# RSA's multiply-accumulate (crypto/bn_mul/<variant>/bn_mul.h), chosen per core:
#   umaal  ARMv7E-M (Cortex-M4/M7): one UMAAL instruction, which GCC does not emit itself
#   split  ARMv6-M/ARMv8-M baseline: no 32x32->64 multiplier, four 16x16 MULS
#   wide   everything else: the compiler's 64-bit product (host builds)
if(NOT KEEL_BN_MUL)
  if(KEEL_CPU MATCHES "^cortex-m(4|7)$")
    set(KEEL_BN_MUL umaal)
  elseif(KEEL_CPU MATCHES "^cortex-m(0|0plus|1|23)$")
    set(KEEL_BN_MUL split)
  else()
    set(KEEL_BN_MUL wide)
  endif()
endif()
set_property(SOURCE bignum.c APPEND PROPERTY INCLUDE_DIRECTORIES
             ${CMAKE_CURRENT_SOURCE_DIR}/bn_mul/${KEEL_BN_MUL})
