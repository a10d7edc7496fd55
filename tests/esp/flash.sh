#!/usr/bin/env bash
# keel esp flash-image: emulator flash file layout and refusals.
. "$(dirname "$0")/common.sh"
F=$T/flash.bin
"$KEEL" esp flash-image -o "$F" 0x0="$V/boot-min-signed.bin" 0x10000="$V/app-min-signed.bin" 0x3ff000="$V/fe-plain-4k.bin"
[ "$(stat -c %s "$F")" -eq $((4 << 20)) ] || fail "default size is not 4 MiB"
cmp <(head -c 8192 "$F") "$V/boot-min-signed.bin" || fail "part at 0x0"
cmp <(tail -c +$((0x10000 + 1)) "$F" | head -c 8192) "$V/app-min-signed.bin" || fail "part at 0x10000"
cmp <(tail -c 4096 "$F") "$V/fe-plain-4k.bin" || fail "part at 0x3ff000"
# everything else erased
n=$(head -c $((0x3ff000)) "$F" | tail -c +$((0x12000 + 1)) | tr -d '\377' | wc -c)
[ "$n" -eq 0 ] || fail "$n non-0xff bytes between the parts"
n=$(head -c $((0x10000)) "$F" | tail -c +$((8192 + 1)) | tr -d '\377' | wc -c)
[ "$n" -eq 0 ] || fail "$n non-0xff bytes after the bootloader"
for s in 2MB 8MB 16MB; do
  "$KEEL" esp flash-image --size $s -o "$T/f-$s.bin" 0x1000="$V/app-min.bin"
  [ "$(stat -c %s "$T/f-$s.bin")" -eq $(( ${s%MB} << 20 )) ] || fail "--size $s"
done
O=$T/out/f.bin
expect_fail "size 3MB"   "bad --size '3MB'"          -- esp flash-image --size 3MB -o "$O" 0="$V/app-min.bin"
expect_fail "overlap"    "overlaps"                  -- esp flash-image -o "$O" 0x0="$V/app-min-signed.bin" 0x1000="$V/app-min.bin"
expect_fail "past end"   "runs past the end"         -- esp flash-image --size 2MB -o "$O" 0x1fffff="$V/app-min.bin"
expect_fail "syntax"     "bad part 'app.bin'"        -- esp flash-image -o "$O" app.bin
expect_fail "offset"     "bad offset 'zz'"           -- esp flash-image -o "$O" zz="$V/app-min.bin"
expect_fail "missing"    "nothere.bin"               -- esp flash-image -o "$O" 0="$T/nothere.bin"
echo "esp flash-image: layout checked, $nfail refusals"
