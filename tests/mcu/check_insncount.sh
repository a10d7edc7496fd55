#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmark firmware under QEMU with the insncount plugin and checks
# the counter is exact: the calibration window (calibrate.S, exactly 2004
# instructions from the call to the return) must read 2004 more than the empty window, there must be one
# window per BENCH line, and every benchmark input must verify (exit 0).
# Usage: check_insncount.sh BOARD PLUGIN ELF NM
set -eu
board=$1 plugin=$2 elf=$3 nm=$4
dir=$(dirname "$elf")
start=0x$("$nm" "$elf" | awk '$3 == "bench_start" { print $1 }')
stop=0x$("$nm" "$elf" | awk '$3 == "bench_stop" { print $1 }')
out=$dir/insncount-check.out
win=$dir/insncount-check.windows
rm -f "$out" "$win"
(cd "$dir" && qemu-system-arm -M "$board" -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$elf" \
  -plugin "$plugin,start=$start,stop=$stop,out=$win" >"$out" 2>&1) || {
  cat "$out"; echo "check_insncount: firmware failed"; exit 1; }
cat "$out" "$win"
awk -v W="$win" '
  BEGIN { while ((getline l < W) > 0) { split(l, f, " "); if (f[1] == "window") { w[f[2]] = f[3]; n++ } } }
  $1 == "BENCH" { lines++; if ($3 == "calibrate-2004") cal = $2 }
  END {
    if (n != lines) { print "check_insncount: " n " windows for " lines " BENCH lines"; exit 1 }
    if (cal == "") { print "check_insncount: no calibration window"; exit 1 }
    if (w[cal] - w[0] != 2004) { print "check_insncount: calibration read " w[cal] - w[0] ", not 2004"; exit 1 }
    print "check_insncount: calibration loop counted exactly 2004 instructions; " n " windows"
  }' "$out"
