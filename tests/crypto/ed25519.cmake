# SPDX-License-Identifier: Apache-2.0
# Curve25519: Ed25519 verify and X25519 (included by CMakeLists.txt).
#
# keel_crypto carries the configured layout/profile (crypto/ed25519.cmake).
# Every layout x profile combination is also built here from the same
# sources, so all four run the field test, the vectors and a shorter
# differential run on the host, not only the one this build links.

# keel_c25519_variant(<exe> <layout> <profile> <test sources...>)
function(keel_c25519_variant EXE LAYOUT PROFILE)
  keel_curve25519_sources(srcs defs ${LAYOUT} ${PROFILE})
  add_executable(${EXE} ${ARGN} ${srcs})
  target_compile_definitions(${EXE} PRIVATE ${defs})
  target_include_directories(${EXE} PRIVATE ${CMAKE_SOURCE_DIR}/crypto)
  target_link_libraries(${EXE} PRIVATE keel_crypto_testlib)
endfunction()

set(KEEL_C25519_VARIANTS r25-fast r25-small r16-fast r16-small)
foreach(v ${KEEL_C25519_VARIANTS})
  string(REPLACE "-" ";" lp ${v})
  list(GET lp 0 layout)
  list(GET lp 1 profile)
  string(REPLACE "-" "_" vu ${v})
  if(profile STREQUAL "fast")
    keel_c25519_variant(test_25519_field_${vu} ${layout} ${profile} test_25519_field.c)
    keel_crypto_test(NAME crypto-25519-field-${layout} COMMAND test_25519_field_${vu})
  endif()
  keel_c25519_variant(test_ed25519_vectors_${vu} ${layout} ${profile} test_ed25519_vectors.c)
  keel_crypto_test(NAME crypto-ed25519-vectors-${v} COMMAND test_ed25519_vectors_${vu} all)
endforeach()
