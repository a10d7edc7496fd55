#!/usr/bin/env bash
# make bench: exact instruction counts of Keel's firmware crypto under QEMU
# (insncount TCG plugin, tools/bench), code size per primitive from the
# linker maps, stack use, for Cortex-M0 (ARMv6-M build on mps2-an385) and
# Cortex-M4 (mps2-an386). Writes the "Firmware crypto" section of
# docs/benchmarks.md between its markers and prints the same table.
#
# Profiles: both cores are built with -Os (CMAKE_BUILD_TYPE=MinSizeRel), once
# with KEEL_ED25519_PROFILE=fast and once with =small; the small builds only
# contribute the Ed25519 rows. Usage: scripts/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
write_doc=1
[ "${1:-}" = "--no-doc" ] && write_doc=0

scripts/deps.sh host cross qemu

# Other areas' benchmarks (each writes its own section of docs/benchmarks.md):
# add a line here. They run after the crypto one; one failing does not stop
# the others, but make bench fails.
other_benches=(
  ports/sim/bench.sh      # simulator: flash wear, validation cost
  tests/serial/bench.sh   # serial recovery: throughput, efficiency
  ports/nrf51/bench.sh    # nRF51 on QEMU: keel-mbr/keel-boot sizes, reset-to-app instructions
  ports/virt/bench.sh     # rv32 virt on QEMU: reset-to-app and swap instructions, keel-boot size
  ports/esp32c3/bench.sh  # ESP32-C3 on espqemu (real ROM): keel-boot image size, ROM-to-app instructions
)

log() { echo "bench: $*" >&2; }

# The plugin is a host artefact: a plain host build, only that target.
prefix=${KEEL_BENCH_DIR:-build-bench}   # build dirs: <prefix>-host, <prefix>-m0, ...
host=$prefix-host
cmake -S . -B $host -DCMAKE_BUILD_TYPE=Release >$host.log 2>&1 || { cat $host.log; exit 1; }
cmake --build $host --target insncount -j "$JOBS" >>$host.log 2>&1 || { tail -30 $host.log; exit 1; }
plugin=$(cd $host/tools/bench && pwd)/libinsncount.so

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# run_profile NAME CPU ED25519_PROFILE: builds, runs, and writes
# $results/NAME.counts ("<name> <bytes> <stack> <insns>") and NAME.sizes.
run_profile() {
  local name=$1 cpu=$2 prof=$3 dir=$prefix-$1 board
  log "building $name ($cpu, -Os, Ed25519 $prof)"
  cmake -S . -B $dir -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DKEEL_CPU=$cpu \
        -DCMAKE_BUILD_TYPE=MinSizeRel -DKEEL_ED25519_PROFILE=$prof >$dir.log 2>&1 ||
    { cat $dir.log; exit 1; }
  cmake --build $dir --target bench_fw size_probes -j "$JOBS" >>$dir.log 2>&1 ||
    { tail -40 $dir.log; exit 1; }
  board=mps2-an386
  [ "$cpu" = cortex-m0 ] && board=mps2-an385
  local elf=$dir/tests/mcu/bench_fw.elf
  local start stop
  start=0x$(arm-none-eabi-nm $elf | awk '$3 == "bench_start" {print $1}')
  stop=0x$(arm-none-eabi-nm $elf | awk '$3 == "bench_stop" {print $1}')
  log "running $name on $board"
  (cd $dir/tests/mcu && timeout 600 qemu-system-arm -M $board -nographic -monitor none -serial none \
      -semihosting-config enable=on,target=native -kernel bench_fw.elf \
      -plugin "$plugin,start=$start,stop=$stop,out=$results/$name.windows" \
      >"$results/$name.out" 2>&1) || { cat "$results/$name.out"; log "$name: firmware failed"; exit 1; }
  # Join "BENCH i name bytes stack" with "window i insns", minus the empty window 0.
  awk -v W="$results/$name.windows" '
    BEGIN { while ((getline l < W) > 0) { split(l, f, " "); if (f[1] == "window") w[f[2]] = f[3] } }
    $1 == "BENCH" { if (!($2 in w)) { print "missing window " $2 > "/dev/stderr"; exit 1 }
                    if ($2 == 0) base = w[0]; else print $3, $4, $5, w[$2] - base }
  ' "$results/$name.out" >"$results/$name.counts"
  for m in $dir/tests/mcu/size_*.map; do
    local p=${m##*/size_}; p=${p%.map}
    awk -f tools/bench/mapsize.awk "$m" | sed "s/^/$p /"
  done >"$results/$name.sizes"
}

run_profile m0 cortex-m0 fast
run_profile m4 cortex-m4 fast
run_profile m0-small cortex-m0 small
run_profile m4-small cortex-m4 small

# count PROFILE NAME [BYTES] -> instructions
count() { awk -v n="$2" -v b="${3:-0}" '$1 == n && $2 == b { print $4; exit }' "$results/$1.counts"; }
stack() { awk -v n="$2" '$1 == n { print $3; exit }' "$results/$1.counts"; }
size() { awk -v p="$2" -v o="${3:-total}" '$1 == p && $2 == o { print $3; exit }' "$results/$1.sizes"; }
mil() { awk -v x="$1" 'BEGIN { printf "%.2f M", x / 1e6 }'; }
perbyte() { awk -v x="$1" -v n="$2" 'BEGIN { printf "%.1f", x / n }'; }
marginal() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) / n }'; }
kib() { awk -v x="$1" 'BEGIN { printf "%d B (%.2f KiB)", x, x / 1024 }'; }
# verdict VALUE LIMIT -> "met" / "**missed**"
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l ? "met" : "**missed**") }'; }

row_sig() {  # NAME LABEL M0-target M4-target (instructions, "" for none)
  local n=$1 label=$2 t0=$3 t4=$4 c0 c4
  c0=$(count m0 "$n"); c4=$(count m4 "$n")
  printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$label" \
    "$(mil "$c0")" "${t0:+<= $(mil "$t0") ($(verdict "$c0" "$t0"))}" \
    "$(mil "$c4")" "${t4:+<= $(mil "$t4") ($(verdict "$c4" "$t4"))}" \
    "$(stack m0 "$n")" "$(stack m4 "$n")"
}

row_bytes() {  # NAME LABEL M0-target M4-target (instr/byte)
  local n=$1 label=$2 t0=$3 t4=$4 a0 b0 a4 b4 p0 p4
  a0=$(count m0 "$n" 4096); b0=$(count m0 "$n" 8192); a4=$(count m4 "$n" 4096); b4=$(count m4 "$n" 8192)
  p0=$(perbyte "$a0" 4096); p4=$(perbyte "$a4" 4096)
  [ -n "$b0" ] && p0="$p0 (marginal $(marginal "$a0" "$b0" 4096))"
  [ -n "$b4" ] && p4="$p4 (marginal $(marginal "$a4" "$b4" 4096))"
  printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$label" \
    "$p0" "${t0:+<= $t0 ($(verdict "${p0%% *}" "$t0"))}" \
    "$p4" "${t4:+<= $t4 ($(verdict "${p4%% *}" "$t4"))}" \
    "$(stack m0 "$n")" "$(stack m4 "$n")"
}

row_size() {  # PROBE LABEL M0-limit
  local p=$1 label=$2 l0=${3:-} s0 s4
  s0=$(size m0 "$p"); s4=$(size m4 "$p")
  printf '| %s | %s | %s | %s |\n' "$label" "$(kib "$s0")" "${l0:+<= $(kib "$l0") ($(verdict "$s0" "$l0"))}" "$(kib "$s4")"
}

gcc_ver=$(arm-none-eabi-gcc -dumpversion)
qemu_ver=$(qemu-system-arm --version | head -1)
section=$(mktemp)
{
  echo "## Firmware crypto"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (scripts/bench.sh) at commit"
  echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' plus local changes')."
  echo "Compiler: arm-none-eabi-gcc $gcc_ver, \`-Os -mthumb -ffunction-sections -fdata-sections\`,"
  echo "\`-mcpu=cortex-m0\` (ARMv6-M, run on QEMU \`mps2-an385\`) and \`-mcpu=cortex-m4\` (\`mps2-an386\`),"
  echo "linked with \`--gc-sections\`. $qemu_ver."
  echo
  echo "Instruction counts are exact guest instructions between two marker calls,"
  echo "counted by the insncount TCG plugin (tools/bench/insncount.c), minus the"
  echo "markers' own cost (an empty window). They are not cycles: QEMU has no cycle"
  echo "model; hardware cycles run roughly 1.3-1.8x these counts (research/crypto.md 3.3)."
  echo "Inputs are valid signatures (the success path); RSA and ECDSA start from a"
  echo "digest, Ed25519 verifies a 32-byte message (an image hash, as MCUboot signs)."
  echo "Stack is the deepest stack use of the call, measured by painting the stack"
  echo "(it includes the small runner frame around the call)."
  echo
  echo "### Instructions"
  echo
  echo "| Operation | M0 | M0 target | M4 | M4 target | stack M0 / M4 (B) |"
  echo "|---|---:|---|---:|---|---:|"
  row_sig ecdsa-p256-der "ECDSA-P256 verify (DER)" 14000000 7000000
  row_sig ed25519 "Ed25519 verify, fast profile" 16000000 1700000
  c0=$(count m0-small ed25519); c4=$(count m4-small ed25519)
  printf '| %s | %s | %s | %s | %s | %s / %s |\n' "Ed25519 verify, small profile" "$(mil "$c0")" \
    "(fast profile's target)" "$(mil "$c4")" "" "$(stack m0-small ed25519)" "$(stack m4-small ed25519)"
  row_sig rsa-2048-pss "RSA-2048 PSS verify" "" 3200000
  row_sig rsa-3072-pss "RSA-3072 PSS verify" "" ""
  row_sig x25519 "X25519" "" ""
  row_sig ecdh-p256 "P-256 ECDH" "" ""
  echo
  echo "| Per byte (4 KiB one call, incl. init/final) | M0 | M0 target | M4 | M4 target | stack M0 / M4 (B) |"
  echo "|---|---:|---|---:|---|---:|"
  row_bytes sha256 "SHA-256" 90 42
  row_bytes sha512 "SHA-512" "" ""
  row_bytes aes128-ctr "AES-128-CTR incl. key schedule" "" ""
  row_bytes aes256-ctr "AES-256-CTR incl. key schedule" "" ""
  echo
  echo "\"marginal\" is (8 KiB - 4 KiB) / 4096: the steady-state cost without setup."
  echo
  echo "### Code size (text + rodata of crypto/ objects one call links, -Os)"
  echo
  echo "| Primitive | M0 | M0 target | M4 |"
  echo "|---|---:|---|---:|"
  row_size sha256 "SHA-256"
  row_size sha512 "SHA-512"
  row_size hmac_sha256 "HMAC-SHA256 (keel_hash links SHA-512 too)"
  row_size hkdf_sha256 "HKDF-SHA256 (same)"
  row_size aes128_ctr "AES-CTR (128/256)"
  row_size ecdsa_p256 "ECDSA-P256 verify" 3584
  row_size ed25519 "Ed25519 verify incl. SHA-512, fast profile" ""
  s0=$(size m0-small ed25519); s4=$(size m4-small ed25519)
  printf '| %s | %s | %s | %s |\n' "Ed25519 verify incl. SHA-512, small profile" "$(kib "$s0")" \
    "<= $(kib 5120) ($(verdict "$s0" 5120))" "$(kib "$s4")"
  row_size x25519 "X25519"
  row_size ecdh_p256 "P-256 ECDH"
  row_size rsa_pss "RSA-PSS verify incl. SHA-256"
  r0=$(( $(size m0 rsa_pss rsa_pss) + $(size m0 rsa_pss bignum) ))
  r4=$(( $(size m4 rsa_pss rsa_pss) + $(size m4 rsa_pss bignum) ))
  printf '| %s | %s | %s | %s |\n' "RSA part only (rsa_pss.c + bignum.c)" "$(kib "$r0")" \
    "<= ~2 KiB ($(verdict "$r0" 2048))" "$(kib "$r4")"
  echo
  echo "Sizes exclude the C library's memcpy/memset/memcmp and the test harness."
} >"$section"
{
  echo
  echo "### Targets missed in this run"
  echo
  if grep -q '\*\*missed\*\*' "$section"; then
    grep '\*\*missed\*\*' "$section" | awk -F'|' '
      function t(x) { gsub(/^ +| +$/, "", x); sub(/ \(\*\*missed\*\*\)/, "", x); return x }
      { out = "- " t($2) ":"
        if ($4 ~ /missed/) out = out " M0 " t($3) ", target " t($4) ";"
        if ($6 ~ /missed/) out = out " M4 " t($5) ", target " t($6) ";"
        sub(/;$/, "", out); print out }'
    echo
    echo "The targets are issue 3's (the best portable C known, measured the same"
    echo "way). Each primitive's trade-offs (limb layout, window sizes, tables vs"
    echo "code size) are in its section of docs/crypto.md; the Ed25519 rows are two"
    echo "build profiles (KEEL_ED25519_PROFILE), fast for instructions and small for"
    echo "bytes, each reporting the other figure."
  else
    echo "None."
  fi
} >>"$section"

cat "$section"

if [ $write_doc -eq 1 ]; then scripts/doc-section.sh docs/benchmarks.md firmware-crypto scripts/bench.sh "$section"; fi

rc=0
for b in "${other_benches[@]}"; do
  "$b" $([ $write_doc -eq 1 ] || echo --no-doc) || { log "$b failed"; rc=1; }
done
exit $rc
