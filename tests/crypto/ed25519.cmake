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

# Case counts. Sanitizer builds (-O0 + ASan/UBSan) run this arithmetic
# 10-20x slower, so there the loops are shortened to keep the suite within
# a minute or two; the normal build runs the full counts (KEEL_SOAK: x100).
if(KEEL_SANITIZE)
  set(KEEL_ED_DIFF_ARGS --cases 1000 --exhaustive 4 --bytes 0)
  set(KEEL_ED_DIFF_VARIANT_ARGS --cases 100 --exhaustive 0 --bytes 0)
  set(KEEL_X_DIFF_ARGS --cases 1000)
else()
  set(KEEL_ED_DIFF_ARGS --cases 10000 --exhaustive 100 --bytes 1)
  set(KEEL_ED_DIFF_VARIANT_ARGS --cases 500 --exhaustive 5 --bytes 0)
  set(KEEL_X_DIFF_ARGS --cases 10000)
endif()
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

# Differential: the configured build at full size; the other variants shorter.
keel_crypto_exe(test_ed25519_diff test_ed25519_diff.c)
keel_crypto_test(NAME crypto-ed25519-diff COMMAND test_ed25519_diff ${KEEL_ED_DIFF_ARGS} TIMEOUT 1200)
foreach(v ${KEEL_C25519_VARIANTS})
  string(REPLACE "-" ";" lp ${v})
  list(GET lp 0 layout)
  list(GET lp 1 profile)
  string(REPLACE "-" "_" vu ${v})
  keel_c25519_variant(test_ed25519_diff_${vu} ${layout} ${profile} test_ed25519_diff.c)
  keel_crypto_test(NAME crypto-ed25519-diff-${v} COMMAND test_ed25519_diff_${vu}
                   ${KEEL_ED_DIFF_VARIANT_ARGS})
endforeach()

# X25519: vectors, RFC 7748, differential and small-order points, every variant.
keel_crypto_exe(test_x25519 test_x25519.c)
foreach(mode wycheproof rfc smallorder)
  keel_crypto_test(NAME crypto-x25519-${mode} COMMAND test_x25519 ${mode})
endforeach()
keel_crypto_test(NAME crypto-x25519-diff COMMAND test_x25519 diff ${KEEL_X_DIFF_ARGS})
foreach(v ${KEEL_C25519_VARIANTS})
  if(v MATCHES "fast$")
    string(REPLACE "-" ";" lp ${v})
    list(GET lp 0 layout)
    string(REPLACE "-" "_" vu ${v})
    keel_c25519_variant(test_x25519_${vu} ${layout} fast test_x25519.c)
    set(modes wycheproof smallorder)
    if(NOT KEEL_SANITIZE)
      list(APPEND modes rfc)
    endif()
    foreach(mode ${modes})
      keel_crypto_test(NAME crypto-x25519-${mode}-${layout} COMMAND test_x25519_${vu} ${mode})
    endforeach()
  endif()
endforeach()

# Constant time in the scalar (valgrind; labels crypto;no-sanitize), r25 and r16.
keel_crypto_exe(test_x25519_ct test_x25519_ct.c)
keel_crypto_ctgrind(NAME crypto-x25519-ct TARGET test_x25519_ct)
keel_c25519_variant(test_x25519_ct_r16 r16 small test_x25519_ct.c)
keel_crypto_ctgrind(NAME crypto-x25519-ct-r16 TARGET test_x25519_ct_r16)
