#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `keel dumpinfo` against imgtool's dumpinfo texts and the image bytes:
#  1. for every dumpinfo-*.txt, keel's human output has the same values
#     (dumpinfo_cmp extracts and compares every field, TLV and data byte);
#  2. the comparer itself fails on a changed byte, field or missing TLV;
#  3. for every vector, --json matches an independent parse of the image
#     (dumpinfo_json.py), and -o FILE writes what stdout shows;
#  4. trailer fields of the padded vectors (max-align from the magic);
#  5. non-images and truncated files fail with one line, no output file.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
CMP=${DUMPINFO_CMP:-$KEEL_BUILD/tests/tool/dumpinfo_cmp}
HERE=$(cd "$(dirname "$0")" && pwd)
V=$KEEL_SHARED/vectors/imgtool
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
n=0 ident=0

# 1. same values as imgtool's text
for ref in "$V"/dumpinfo-*.txt; do
  k=$(basename "$ref" .txt); k=${k#dumpinfo-}
  "$KEEL" dumpinfo "$V/signed-$k.bin" > "$T/$k.txt" || fail "dumpinfo signed-$k.bin exited $?"
  "$CMP" "$ref" "$T/$k.txt" || fail "keel dumpinfo signed-$k.bin differs from $(basename "$ref")"
  # whitespace equality is not required, only reported
  cmp -s "$ref" "$T/$k.txt" && ident=$((ident + 1))
  n=$((n + 1))
done
[ $n -ge 3 ] || fail "only $n imgtool dumpinfo texts found in $V"
echo "dumpinfo: $n imgtool texts: same values; $ident of them also byte-identical"

# 2. the comparer notices differences
ref=$V/dumpinfo-ec-p256.txt
sed '0,/data: 0x0d/s//data: 0x0e/' "$ref" > "$T/m1.txt"
sed 's/^version:            1.2.3+0/version:            1.2.4+0/' "$ref" > "$T/m2.txt"
head -n -8 "$ref" > "$T/m3.txt"
sed 's/type: KEYHASH (0x1)/type: PUBKEY (0x2)/' "$ref" > "$T/m4.txt"
for m in m1 m2 m3 m4; do
  cmp -s "$ref" "$T/$m.txt" && fail "mutation $m did not change the text"
  if "$CMP" "$T/$m.txt" "$T/ec-p256.txt" 2>/dev/null; then fail "comparer missed mutation $m"; fi
done

# 3. JSON against an independent parse, -o equals stdout
for img in "$V"/signed-*.bin; do
  b=$(basename "$img" .bin)
  "$KEEL" dumpinfo --json "$img" > "$T/$b.json" || fail "dumpinfo --json $b exited $?"
  /usr/bin/python3 "$HERE/dumpinfo_json.py" "$img" "$T/$b.json" >/dev/null
  "$KEEL" dumpinfo -f json -o "$T/$b.o.json" "$img" || fail "dumpinfo -o $b exited $?"
  cmp -s "$T/$b.json" "$T/$b.o.json" || fail "dumpinfo -o $b differs from stdout"
  "$KEEL" dumpinfo "$img" > "$T/$b.txt" || fail "dumpinfo $b exited $?"
  # the human text and the JSON carry the same TLV count
  tj=$(grep -c '"type_name"' "$T/$b.json" || true)
  th=$(grep -c '^        type: ' "$T/$b.txt" || true)
  [ "$tj" = "$th" ] && [ "$tj" -ge 3 ] || fail "$b: $th TLVs in text, $tj in JSON"
  n=$((n + 1))
done

# 4. trailers of the padded vectors
want() { grep -q -- "$2" "$T/$1.txt" || fail "$1: no line '$2'"; }
want signed-ec-p256-pad "image_ok:    UNSET (0xff)"
want signed-ec-p256-pad "max align:   0x8 (from the magic)"
want signed-ec-p256-pad-confirm "image_ok:    SET (0x1)"
want signed-ec-p256-pad-confirm "Image trailer (offset: 0x1ffd0)"
want signed-ec-p256-pad-confirm-maxalign32 "max align:   0x20 (from the magic)"
want signed-ec-p256-pad-confirm-maxalign32 "image_ok:    SET (0x1)"
want signed-ec-p256-pad-confirm-maxalign32 "Image trailer (offset: 0x1ff60)"
want signed-ec-p256-pad-confirm-ow "image_ok:    UNSET (0xff)"
want signed-ed25519-enc-x25519 "ENCRYPTED_AES128 (0x4)"
want signed-ed25519-enc-x25519-aes256-sha512 "ENCRYPTED_AES256 (0x8)"
want signed-ed25519-enc-x25519-aes256-sha512 "type: ENCX25519_SHA512 (0x34)"
want signed-ec-p256-prot "type: SEC_CNT (0x50)"
want signed-ec-p256-prot "Protected TLV area (offset: 0x2820)"
if grep -q 'Image trailer' "$T/signed-ec-p256.txt"; then fail "unpadded image shows a trailer"; fi
# a bad magic at the end is reported as such
cp "$V/signed-ec-p256-pad.bin" "$T/badmagic.bin"; chmod u+w "$T/badmagic.bin"
printf '\x00' | dd of="$T/badmagic.bin" bs=1 seek=131071 conv=notrunc 2>/dev/null
"$KEEL" dumpinfo "$T/badmagic.bin" > "$T/badmagic.txt" || fail "dumpinfo of a bad trailer magic: exit $?"
grep -q 'trailer magic value is invalid' "$T/badmagic.txt" || fail "bad trailer magic not reported"

# Intel HEX input gives the same values as the binary
objcopy -I binary -O ihex --change-addresses 0x10000 "$V/signed-ec-p256-pad-confirm.bin" "$T/pc.hex"
"$KEEL" dumpinfo "$T/pc.hex" | sed 's/pc\.hex/signed-ec-p256-pad-confirm.bin/' > "$T/pc.txt"
"$CMP" "$T/signed-ec-p256-pad-confirm.txt" "$T/pc.txt" >/dev/null || fail "hex input differs from the binary"

# 5. bad input: one line on stderr, non-zero, no output file
bad() {
  local what=$1 img=$2 pat=$3
  set +e; err=$("$KEEL" dumpinfo "$img" -o "$T/out.txt" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -ne 0 ] || fail "$what: exit 0"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
  printf '%s\n' "$err" | grep -q "^keel: dumpinfo: .*$pat" || fail "$what: message '$err'"
  [ ! -e "$T/out.txt" ] || fail "$what: output file written"
}
head -c 5000 "$V/signed-ec-p256.bin" > "$T/trunc1.bin"
head -c 10422 "$V/signed-ec-p256.bin" > "$T/trunc2.bin"
head -c 20 "$V/signed-ec-p256.bin" > "$T/trunc3.bin"
bad "plain binary" "$V/app.bin" "bad header magic"
bad "truncated payload" "$T/trunc1.bin" "run past the end of the file"
bad "truncated TLVs" "$T/trunc2.bin" "TLV area runs past its end"
bad "short file" "$T/trunc3.bin" "shorter than an image header"
bad "missing file" "$T/nope.bin" "nope.bin"
set +e; err=$("$KEEL" dumpinfo -f yaml "$V/signed-ec-p256.bin" 2>&1 >/dev/null); rc=$?; set -e
[ $rc -eq 2 ] && printf '%s\n' "$err" | grep -q "unknown format 'yaml'" || fail "-f yaml: rc $rc: $err"
echo "dumpinfo: $n images checked"
