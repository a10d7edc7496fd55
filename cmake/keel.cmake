# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the component CMakeLists.

# keel_add_test(NAME name COMMAND ... [LABELS ...] [TIMEOUT s])
function(keel_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "COMMAND;LABELS" ${ARGN})
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "KEEL_SHARED=${KEEL_SHARED_DIR};KEEL_SRC=${CMAKE_SOURCE_DIR};KEEL_BUILD=${CMAKE_BINARY_DIR}")
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
