#!/usr/bin/env bash
# Bad input to keel esp image / info / the dispatcher: one line, no output file.
. "$(dirname "$0")/common.sh"
O=$T/out/o.bin
head -c 100 "$V/app-min.elf" > "$T/trunc.elf"
expect_fail "not ELF"        "not an ELF file"                  -- esp image "$V/app-min.bin" -o "$O"
expect_fail "truncated ELF"  "lies outside the file"            -- esp image "$T/trunc.elf" -o "$O"
expect_fail "flash mode"     "bad --flash-mode 'fast'"          -- esp image --flash-mode fast "$V/app-min.elf" -o "$O"
expect_fail "flash freq"     "bad --flash-freq '60m'"           -- esp image --flash-freq 60m "$V/app-min.elf" -o "$O"
expect_fail "flash size"     "bad --flash-size '3MB'"           -- esp image --flash-size 3MB "$V/app-min.elf" -o "$O"
expect_fail "rev"            "bad --max-rev-full '70000'"       -- esp image --max-rev-full 70000 "$V/app-min.elf" -o "$O"
expect_fail "pad+nodigest"   "pad-to-size with --dont-append-digest" -- esp image --pad-to-size 4KB --dont-append-digest "$V/app-min.elf" -o "$O"
expect_fail "chip"           "only --chip esp32c3"              -- esp image --chip esp32 "$V/app-min.elf" -o "$O"
expect_fail "no output"      "no output file"                   -- esp image "$V/app-min.elf"
expect_fail "sha offset"     "cannot place the ELF SHA-256|not all zero" -- esp image --elf-sha256-offset 0x20 "$V/app-min.elf" -o "$O"
expect_fail "unknown sub"    "unknown subcommand 'frob'"        -- esp frob
expect_fail "unknown option" "unknown option '--frob'"          -- esp image --frob "$V/app-min.elf" -o "$O"
head -c 20 "$V/app-min.bin" > "$T/t20.bin"
expect_fail "info short"     "shorter than an image header"     -- esp info "$T/t20.bin"
head -c 300 "$V/app-min.bin" > "$T/cut.bin"
expect_fail "info cut"       "runs past the end of the file|ends before the checksum" -- esp info "$T/cut.bin"
expect_fail "info magic"     "invalid image magic 0x7f"         -- esp info "$V/app-min.elf"
cp "$V/app-min.bin" "$T/c6.bin"; printf '\x0d' | dd of="$T/c6.bin" bs=1 seek=12 conv=notrunc status=none
expect_fail "info chip"      "chip id 13 is not the ESP32-C3"   -- esp info "$T/c6.bin"
cp "$V/app-min.bin" "$T/n17.bin"; printf '\x11' | dd of="$T/n17.bin" bs=1 seek=1 conv=notrunc status=none
expect_fail "info segments"  "invalid segment count 17"         -- esp info "$T/n17.bin"
# an output that existed is left untouched by a failed run
cp "$V/app-min.bin" "$T/keep.bin"
"$KEEL" esp image --flash-mode fast "$V/app-min.elf" -o "$T/keep.bin" 2>/dev/null && fail "bad mode accepted"
cmp "$T/keep.bin" "$V/app-min.bin" || fail "failed run changed an existing output"
"$KEEL" esp --help | grep -q 'flash-image' || fail "keel esp --help"

# Truncated and damaged inputs: either a clean result or exactly one error line, never a crash
# (exit status above 1 or a sanitizer report).
robust() { # WHAT FILE args... (FILE is substituted for @)
  local what=$1 f=$2 rc err; shift 2
  set +e; err=$("$KEEL" "${@/#@/$f}" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -le 1 ] || fail "$what: exit status $rc: $err"
  if [ $rc -eq 1 ]; then
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && printf '%s' "$err" | grep -q '^keel: esp: ' || fail "$what: $err"
  fi
  r=$((r + 1))
}
r=0
for len in $(seq 0 5 400); do head -c $len "$V/app-min.bin" > "$T/cut.bin"; robust "info cut $len" "$T/cut.bin" esp info @; done
ELFLEN=$(stat -c %s "$V/app-xip.elf")
for len in $(seq 0 $((ELFLEN / 50)) "$ELFLEN"); do
  head -c $len "$V/app-xip.elf" > "$T/cut.elf"
  robust "image cut $len" "$T/cut.elf" esp image @ -o -
  robust "app cut $len" "$T/cut.elf" esp app @ -o -
done
SHOFF=$(( 0x$(xxd -s 32 -l 4 -e "$V/app-xip.elf" | awk '{print $2}') ))
for pos in $(seq 18 2 51) $(seq "$SHOFF" 11 $((SHOFF + 400))); do
  cp "$V/app-xip.elf" "$T/bad.elf"; printf '\xff' | dd of="$T/bad.elf" bs=1 seek=$pos conv=notrunc status=none
  robust "image byte $pos" "$T/bad.elf" esp image @ -o -
  robust "app byte $pos" "$T/bad.elf" esp app @ -o -
done
for len in 4096 5000 8000 8191; do head -c $len "$V/app-min-signed.bin" > "$T/s.bin"
  robust "verify cut $len" "$T/s.bin" esp verify -k "$V/sbv2-rsa3072-pub.pem" @
  robust "sig-info cut $len" "$T/s.bin" esp sig-info @
done
echo "robustness: $r runs on damaged inputs"
echo "esp errors: $nfail refusals"
