# SPDX-License-Identifier: Apache-2.0
# Curve25519 (Ed25519 verify, X25519): which files a build links.
#
#   KEEL_ED25519_PROFILE  fast | small       (docs/crypto.md, "Ed25519")
#       fast:  wNAF double-scalar multiplication and dedicated squaring;
#              r25 limbs (64-bit products) where the core multiplies
#              32x32->64, r16 limbs on ARMv6-M (no UMULL: 64-bit products
#              would be libgcc calls)
#       small: r16 limbs, Straus bit by bit, squaring as a product: the
#              least code
#   KEEL_FE25519_LAYOUT   auto | r25 | r16   auto = as above; the other
#                         layout can be forced for experiments
#
# keel_curve25519_sources(<srcs-var> <defs-var> LAYOUT PROFILE) also serves
# tests/crypto/ed25519.cmake, which builds every combination on the host.
set(KEEL_FE25519_LAYOUT "auto" CACHE STRING "Curve25519 limb layout: r25, r16 or auto")
set(KEEL_ED25519_PROFILE "fast" CACHE STRING "Ed25519 build profile: fast or small")
set_property(CACHE KEEL_FE25519_LAYOUT PROPERTY STRINGS auto r25 r16)
set_property(CACHE KEEL_ED25519_PROFILE PROPERTY STRINGS fast small)

function(keel_curve25519_sources SRCS DEFS LAYOUT PROFILE)
  set(dir ${CMAKE_SOURCE_DIR}/crypto)
  set(s ${dir}/fe25519.c ${dir}/fe25519_${LAYOUT}.c ${dir}/ed25519.c ${dir}/x25519.c)
  set(d "KEEL_FE25519_LIMBS_H=\"fe25519_${LAYOUT}.h\"")
  if(PROFILE STREQUAL "fast")
    list(APPEND s ${dir}/ed25519_dsm_wnaf.c)
  elseif(PROFILE STREQUAL "small")
    list(APPEND s ${dir}/ed25519_dsm_straus.c)
  else()
    message(FATAL_ERROR "KEEL_ED25519_PROFILE must be fast or small, not '${PROFILE}'")
  endif()
  if(LAYOUT STREQUAL "r16")
    if(PROFILE STREQUAL "fast")
      list(APPEND s ${dir}/fe25519_r16_sq.c)
      list(APPEND d KEEL_ED25519_WNAF_W=4)
    else()
      list(APPEND s ${dir}/fe25519_r16_sqmul.c)
    endif()
  elseif(NOT LAYOUT STREQUAL "r25")
    message(FATAL_ERROR "KEEL_FE25519_LAYOUT must be r25, r16 or auto, not '${LAYOUT}'")
  endif()
  set(${SRCS} ${s} PARENT_SCOPE)
  set(${DEFS} ${d} PARENT_SCOPE)
endfunction()

set(KEEL_FE25519_LAYOUT_USED ${KEEL_FE25519_LAYOUT})
if(KEEL_FE25519_LAYOUT STREQUAL "auto")
  if(KEEL_ED25519_PROFILE STREQUAL "small" OR KEEL_CPU MATCHES "^cortex-m(0|0plus|1|23)$")
    set(KEEL_FE25519_LAYOUT_USED r16)
  else()
    set(KEEL_FE25519_LAYOUT_USED r25)
  endif()
endif()
keel_curve25519_sources(_c25519_srcs _c25519_defs ${KEEL_FE25519_LAYOUT_USED} ${KEEL_ED25519_PROFILE})
foreach(src ${_c25519_srcs})
  set_property(SOURCE ${src} APPEND PROPERTY COMPILE_DEFINITIONS ${_c25519_defs})
endforeach()
target_sources(keel_crypto PRIVATE ${_c25519_srcs})
