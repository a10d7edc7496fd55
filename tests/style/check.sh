#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# House rules for the portable code (core/, crypto/, proto/), checked on
# every `make test`:
#  - at most 20 #if-family lines per 1000 lines in a file;
#  - no function longer than 80 lines;
#  - no board, simulator or host names inside it.
set -uo pipefail
cd "${KEEL_SRC:-$(dirname "$0")/../..}"
fail=0
files=$(ls core/*.c core/*.h crypto/*.c crypto/*.h proto/*/*.c proto/*/*.h include/keel/*.h 2>/dev/null)
nfiles=0 nfuncs=0
for f in $files; do
  nfiles=$((nfiles + 1))
  lines=$(wc -l <"$f")
  ifs=$(grep -cE '^[[:space:]]*#[[:space:]]*if' "$f")
  if [ "$lines" -gt 0 ] && [ $((ifs * 1000)) -gt $((20 * lines)) ] && [ "$ifs" -gt 2 ]; then
    echo "FAIL: $f has $ifs #if lines in $lines (more than 20 per 1000)"
    fail=1
  fi
  # A function body starts with "{" in column 0 and ends with "}" in column 0.
  out=$(awk -v F="$f" '/^\{/ { s = NR; name = prev; n++ }
       /^\}/ && s { if (NR - s > 80) printf "FAIL: %s:%d: function of %d lines: %s\n", F, s, NR - s, name; s = 0 }
       { prev = $0 } END { print "funcs", n + 0 }' "$f")
  nfuncs=$((nfuncs + $(sed -n 's/^funcs //p' <<<"$out")))
  if grep -q '^FAIL' <<<"$out"; then grep '^FAIL' <<<"$out"; fail=1; fi
done
names='nrf51|microbit|esp32|espqemu|qemu|simflash|keel-sim|simport|mps2|riscv_virt|sifive'
if grep -nEi "$names" $files; then
  echo "FAIL: board or simulator names in portable code (above)"
  fail=1
fi
echo "style: $nfiles files, $nfuncs functions checked"
exit $fail
