#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The ARMv6-M build runs on QEMU's mps2-an385, a Cortex-M3, which would also
# execute ARMv7-M instructions. This check proves the ELF has none: every
# 32-bit Thumb encoding must be one ARMv6-M has (BL, MRS, MSR, DMB, DSB, ISB).
# Usage: check_v6m.sh OBJDUMP ELF
set -eu
objdump=$1 elf=$2
bad=$("$objdump" -d "$elf" | awk -F'\t' '
  $1 ~ /^ +[0-9a-f]+:$/ && $2 ~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f] [0-9a-f][0-9a-f][0-9a-f][0-9a-f] *$/ {
    split($3, m, " ")
    if (m[1] !~ /^(bl|mrs|msr|dmb|dsb|isb)$/) print $1 " " $3
    n32++
  }
  END { if (n32 == 0) print "no 32-bit encodings found at all: objdump format not understood" }')
if [ -n "$bad" ]; then
  echo "check_v6m: instructions outside ARMv6-M in $elf:"
  echo "$bad" | head -20
  exit 1
fi
echo "check_v6m: $elf uses ARMv6-M instructions only"
