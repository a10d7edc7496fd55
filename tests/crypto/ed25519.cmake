# SPDX-License-Identifier: Apache-2.0
# Curve25519: Ed25519 verify and X25519 (included by CMakeLists.txt).
#
# Script mode (the mutant builds below run it):
#   cmake -DIN=<file> -DOUT=<file> -DFROM=<text> -DTO=<text> -P ed25519.cmake
# copies IN to OUT with the one occurrence of FROM replaced by TO, and fails
# if FROM does not occur exactly once (so a mutant can never silently be
# the original code).
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${IN}" text)
  string(FIND "${text}" "${FROM}" first)
  string(FIND "${text}" "${FROM}" last REVERSE)
  if(first EQUAL -1 OR NOT first EQUAL last)
    message(FATAL_ERROR "mutant: '${FROM}' must occur exactly once in ${IN}")
  endif()
  string(REPLACE "${FROM}" "${TO}" text "${text}")
  file(WRITE "${OUT}" "${text}")
  return()
endif()
#
# keel_crypto carries the configured layout/profile (crypto/ed25519.cmake).
# Every layout x profile combination is also built here from the same
# sources, so in the normal build all four run the vectors and a shorter
# differential run (and each layout the field test), not only the one this
# build links; sanitizer builds run two of them (see below).

# keel_c25519_variant(<exe> <layout> <profile> <test sources...>)
# (The crypto sources of each combination are compiled once, as an object
# library shared by the executables of that combination.)
function(keel_c25519_variant EXE LAYOUT PROFILE)
  keel_curve25519_sources(srcs defs ${LAYOUT} ${PROFILE})
  set(objs c25519_obj_${LAYOUT}_${PROFILE})
  if(NOT TARGET ${objs})
    add_library(${objs} OBJECT ${srcs})
    target_compile_definitions(${objs} PRIVATE ${defs})
    target_include_directories(${objs} PRIVATE ${CMAKE_SOURCE_DIR}/include ${CMAKE_SOURCE_DIR}/crypto)
  endif()
  add_executable(${EXE} ${ARGN} $<TARGET_OBJECTS:${objs}>)
  target_compile_definitions(${EXE} PRIVATE ${defs})
  target_include_directories(${EXE} PRIVATE ${CMAKE_SOURCE_DIR}/crypto)
  target_link_libraries(${EXE} PRIVATE keel_crypto_testlib)
endfunction()

set(KEEL_C25519_VARIANTS r25-fast r25-small r16-fast r16-small)

# Case counts. Sanitizer builds (-O0 + ASan/UBSan) run this arithmetic
# 10-20x slower, so there the loops are shortened to keep the suite within
# a minute or two; the normal build runs the full counts (KEEL_SOAK: x100).
# Variants other than the configured one and r16-small (the M0 "small"
# profile) run only in the normal build there.
if(KEEL_SANITIZE)
  set(KEEL_ED_DIFF_ARGS --cases 500 --exhaustive 2 --bytes 0)
  set(KEEL_X_DIFF_ARGS --cases 1000)
  set(KEEL_FIELD_ARGS 500)
  set(KEEL_C25519_VARIANTS r25-fast r16-small)
else()
  set(KEEL_ED_DIFF_ARGS --cases 10000 --exhaustive 100 --bytes 1)
  set(KEEL_ED_DIFF_VARIANT_ARGS --cases 500 --exhaustive 5 --bytes 0)
  set(KEEL_X_DIFF_ARGS --cases 10000)
  set(KEEL_FIELD_ARGS 3000)
endif()
foreach(v ${KEEL_C25519_VARIANTS})
  string(REPLACE "-" ";" lp ${v})
  list(GET lp 0 layout)
  list(GET lp 1 profile)
  string(REPLACE "-" "_" vu ${v})
  if(profile STREQUAL "fast" OR KEEL_SANITIZE)
    keel_c25519_variant(test_25519_field_${vu} ${layout} ${profile} test_25519_field.c)
    keel_crypto_test(NAME crypto-25519-field-${layout} COMMAND test_25519_field_${vu} ${KEEL_FIELD_ARGS})
  endif()
  keel_c25519_variant(test_ed25519_vectors_${vu} ${layout} ${profile} test_ed25519_vectors.c)
  keel_crypto_test(NAME crypto-ed25519-vectors-${v} COMMAND test_ed25519_vectors_${vu} all)
endforeach()

# Differential: the configured build at full size; the other variants shorter.
keel_crypto_exe(test_ed25519_diff test_ed25519_diff.c)
keel_crypto_test(NAME crypto-ed25519-diff COMMAND test_ed25519_diff ${KEEL_ED_DIFF_ARGS} TIMEOUT 1200)
foreach(v ${KEEL_C25519_VARIANTS})
  if(KEEL_SANITIZE)
    break()
  endif()
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
  if(v MATCHES "fast$" AND NOT KEEL_SANITIZE)
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
keel_c25519_variant(test_x25519_ct_r16 r16 fast test_x25519_ct.c)
keel_crypto_ctgrind(NAME crypto-x25519-ct-r16 TARGET test_x25519_ct_r16)

# Mutants: the tests must catch a broken implementation. Each mutant is the
# real sources with one deliberate bug (one text replacement in one file);
# its test passes only if the runner reports the failure it should.
# keel_c25519_mutant(NAME n FILE crypto/<f> FROM text TO text LAYOUT l
#                    PROFILE p TEST src EXPECT regex [ARGS ...] [CTGRIND])
function(keel_c25519_mutant)
  cmake_parse_arguments(M "CTGRIND" "NAME;FILE;FROM;TO;LAYOUT;PROFILE;TEST;EXPECT" "ARGS" ${ARGN})
  set(orig ${CMAKE_SOURCE_DIR}/crypto/${M_FILE})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/mutants/${M_NAME})
  add_custom_command(OUTPUT ${dir}/${M_FILE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -DIN=${orig} -DOUT=${dir}/${M_FILE} -DFROM=${M_FROM} -DTO=${M_TO}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/ed25519.cmake
    DEPENDS ${orig} ${CMAKE_CURRENT_SOURCE_DIR}/ed25519.cmake VERBATIM)
  keel_curve25519_sources(srcs defs ${M_LAYOUT} ${M_PROFILE})
  list(REMOVE_ITEM srcs ${orig})
  add_executable(mutant_${M_NAME} ${M_TEST} ${srcs} ${dir}/${M_FILE})
  target_compile_definitions(mutant_${M_NAME} PRIVATE ${defs})
  target_include_directories(mutant_${M_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/crypto)
  target_link_libraries(mutant_${M_NAME} PRIVATE keel_crypto_testlib)
  if(M_CTGRIND)
    keel_add_test(NAME crypto-25519-mutant-${M_NAME}
                  COMMAND ${KEEL_VALGRIND} -q --error-exitcode=1 $<TARGET_FILE:mutant_${M_NAME}> ${M_ARGS}
                  LABELS crypto no-sanitize)
  else()
    keel_crypto_test(NAME crypto-25519-mutant-${M_NAME} COMMAND mutant_${M_NAME} ${M_ARGS})
  endif()
  set_tests_properties(crypto-25519-mutant-${M_NAME} PROPERTIES PASS_REGULAR_EXPRESSION "${M_EXPECT}")
endfunction()

if(NOT KEEL_SANITIZE)
  set(vfail "FAIL [^\n]*(tcId|case)")
  keel_c25519_mutant(NAME no-s-range FILE ed25519.c LAYOUT r25 PROFILE fast
    FROM "if (!sc_is_canonical(ctx->sig + 32))" TO "if (sc_is_canonical(ctx->sig + 32) == 2)"
    TEST test_ed25519_vectors.c ARGS wycheproof EXPECT "${vfail}")
  keel_c25519_mutant(NAME no-r-small-order FILE ed25519.c LAYOUT r25 PROFILE fast
    FROM "if (y_small_order(ry) || ge_decode" TO "if (ge_decode"
    TEST test_ed25519_vectors.c ARGS cctv EXPECT "${vfail}")
  # (No mutant drops the y < p check on A: a non-canonical A that is not of
  # small order has y + p with y < 19, a point nobody knows the discrete log
  # of, so no valid signature for it can exist and no test can see the check.)
  keel_c25519_mutant(NAME no-a-small-order FILE ed25519.c LAYOUT r16 PROFILE small
    FROM "memcmp(chk, s, 32) != 0 || y_small_order(p->Y)" TO "memcmp(chk, s, 32) != 0"
    TEST test_ed25519_vectors.c ARGS cctv EXPECT "${vfail}")
  keel_c25519_mutant(NAME no-x-sign FILE ed25519.c LAYOUT r25 PROFILE fast
    FROM "(uint8_t)(fe25519_isodd(x) << 7)" TO "(uint8_t)(0 * fe25519_isodd(x))"
    TEST test_ed25519_vectors.c ARGS wycheproof EXPECT "${vfail}")
  keel_c25519_mutant(NAME k-256-bits FILE ed25519.c LAYOUT r25 PROFILE fast
    FROM "for (unsigned bit = 512" TO "for (unsigned bit = 256"
    TEST test_ed25519_vectors.c ARGS wycheproof EXPECT "${vfail}")
  keel_c25519_mutant(NAME stream-drops-odd-byte FILE ed25519.c LAYOUT r25 PROFILE fast
    FROM "keel_sha512_update(&ctx->h, msg, len)" TO "keel_sha512_update(&ctx->h, msg, len / 2 * 2)"
    TEST test_ed25519_diff.c ARGS --cases 20 --exhaustive 0 --bytes 0 EXPECT "FAIL test_ed25519_diff")
  keel_c25519_mutant(NAME wnaf-sign FILE ed25519_dsm_wnaf.c LAYOUT r25 PROFILE fast
    FROM "ed25519_ge_add(r, r, &tab[-d / 2], 1)" TO "ed25519_ge_add(r, r, &tab[-d / 2], 0)"
    TEST test_ed25519_vectors.c ARGS wycheproof EXPECT "${vfail}")
  keel_c25519_mutant(NAME r25-no-final-sub FILE fe25519_r25.c LAYOUT r25 PROFILE fast
    FROM "h[0] += 19 * q" TO "h[0] += 0 * q"
    TEST test_25519_field.c EXPECT "FAIL test_25519_field")
  keel_c25519_mutant(NAME r16-one-carry-pass FILE fe25519_r16.c LAYOUT r16 PROFILE small
    FROM "pass < 2" TO "pass < 1"
    TEST test_25519_field.c EXPECT "FAIL test_25519_field")
  keel_c25519_mutant(NAME x25519-no-zero-check FILE x25519.c LAYOUT r25 PROFILE fast
    FROM "return KEEL_EACCES & -(int)((acc - 1) >> 31)" TO "return 0 & (int)acc"
    TEST test_x25519.c ARGS smallorder EXPECT "FAIL test_x25519")
  keel_c25519_mutant(NAME x25519-a24 FILE x25519.c LAYOUT r16 PROFILE small
    FROM "#define X25519_A24 121665" TO "#define X25519_A24 121666"
    TEST test_x25519.c ARGS rfc EXPECT "FAIL rfc7748")
  keel_c25519_mutant(NAME x25519-secret-branch FILE x25519.c LAYOUT r25 PROFILE fast CTGRIND
    FROM "swap = bit;" TO "swap = bit ? (uint32_t)keel_ct_compare(k, k, 1) + 1 : 0;"
    TEST test_x25519_ct.c EXPECT "Conditional jump or move depends on uninitialised value")
endif()
