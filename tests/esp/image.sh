#!/usr/bin/env bash
# keel esp image: byte-identical to every elf2image vector (with the README's
# options); keel esp info: the same field values as esptool image-info.
. "$(dirname "$0")/common.sh"
n=0
img() { # NAME ELF [options]
  local name=$1 elf=$2; shift 2
  "$KEEL" esp image "$@" -o "$T/$name.bin" "$V/$elf" >/dev/null
  cmp "$T/$name.bin" "$V/$name.bin" || fail "$name.bin differs from esptool's"
  echo "identical: $name.bin ($(stat -c %s "$T/$name.bin") bytes)"
  n=$((n + 1))
}
img app-min app-min.elf
img boot-min boot-min.elf
img app-xip app-xip.elf --flash-mode dio --flash-freq 40m --flash-size 4MB --min-rev-full 2 --max-rev-full 99
img boot-min-dout boot-min.elf --flash-mode dout --flash-freq 26m --flash-size 2MB --min-rev-full 3 --max-rev-full 99
img app-min-nohash app-min.elf --flash-mode qio --flash-freq 20m --flash-size 16MB --dont-append-digest
img app-min-pad4k app-min.elf --pad-to-size 4KB
# --chip esp32c3 as esptool's global option is accepted too
"$KEEL" esp image --chip esp32c3 -o "$T/x.bin" "$V/app-min.elf" >/dev/null && cmp "$T/x.bin" "$V/app-min.bin"

# Option effects beyond the vectors, checked field by field against the spec.
"$KEEL" esp image --flash-freq 80m --flash-size 8MB --flash-mode qout -o "$T/o.bin" "$V/boot-min.elf" >/dev/null
[ "$(xxd -p -s 2 -l 2 "$T/o.bin")" = "013f" ] || fail "qout/8MB/80m header bytes: $(xxd -p -s 2 -l 2 "$T/o.bin")"
# --secure-pad-v2: the image then ends on a 64 KiB boundary
"$KEEL" esp image --secure-pad-v2 -o "$T/sp.bin" "$V/app-min.elf" >/dev/null
[ $(( $(stat -c %s "$T/sp.bin") % 65536 )) -eq 0 ] || fail "--secure-pad-v2 size $(stat -c %s "$T/sp.bin")"
"$KEEL" esp info "$T/sp.bin" | grep -q 'Checksum: 0x.. (valid)' || fail "secure-pad checksum"
# --use-segments: PT_LOAD contents; the image must still parse and check out
"$KEEL" esp image --use-segments -o "$T/us.bin" "$V/boot-min.elf" >/dev/null
"$KEEL" esp info "$T/us.bin" > "$T/us.txt"
grep -q '(valid)' "$T/us.txt" && ! grep -q invalid "$T/us.txt" || fail "--use-segments image invalid"

# A flash section at page offset 0xff20: esptool's filler rule gives a zero segment longer than
# 64 KiB ((0x10000 - 0xa03c) + 0xff20 - 8 - 8 = 0x15ed4), and the IROM data lands at 0x1ff20.
riscv64-unknown-elf-objcopy --change-section-address .flash.text=0x4202ff20 "$V/app-xip.elf" "$T/ff20.elf" 2>/dev/null ||
  fail "riscv64-unknown-elf-objcopy missing (scripts/deps.sh cross)"
"$KEEL" esp image -o "$T/ff20.bin" "$T/ff20.elf" >/dev/null
"$KEEL" esp info "$T/ff20.bin" > "$T/ff20.txt"
grep -Eq '^ +3 +0x15ed4 +0x00000000 +0x0000a03c +PADDING$' "$T/ff20.txt" || fail "ff20 filler"
grep -Eq '^ +4 +0x00008 +0x4202ff20 +0x0001ff18 +IROM$' "$T/ff20.txt" || fail "ff20 IROM placement"
grep -q 'Checksum: 0x.. (valid)' "$T/ff20.txt" && grep -q 'hash: .* (valid)' "$T/ff20.txt" || fail "ff20 footer"

# image-info: every vector, compared field by field with esptool's text
m=0
for f in app-min app-xip boot-min boot-min-dout app-min-nohash app-min-pad4k app-min-badcksum app-min-badhash; do
  "$KEEL" esp info "$V/$f.bin" > "$T/$f.txt"
  "$U" infocmp "$V/$f.image-info.txt" "$T/$f.txt" > "$T/cmp.txt" || { cat "$T/cmp.txt"; fail "info $f"; }
  echo "info $f: $(cat "$T/cmp.txt")"
  m=$((m + 1))
done
grep -q 'Checksum: 0x73 (invalid - calculated 0x29)' "$T/app-min-badcksum.txt" || fail "bad checksum not flagged"
grep -q 'Validation hash: .* (invalid)' "$T/app-min-badhash.txt" || fail "bad hash not flagged"
# the comparer can fail: a good image's text against a corrupted one's
if "$U" infocmp "$V/app-min.image-info.txt" "$T/app-min-badhash.txt" >/dev/null; then
  fail "infocmp accepted app-min-badhash's info as app-min's"
fi
echo "esp image: $n images identical, $m image-info texts equal"
