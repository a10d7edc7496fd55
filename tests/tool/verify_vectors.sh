#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `keel verify` on every imgtool-made image in ../shared/vectors/imgtool:
#  - each verifies with its signing key (private PEM and the public PEM
#    openssl derives), exit 0, "Image was correctly validated", and the
#    printed digest equals the image's hash TLV (from keel dumpinfo --json);
#  - encrypted ones verify fully with --enc-key, and without it exit 3
#    saying the hash was NOT checked;
#  - Intel HEX input (objcopy-made) verifies like the binary;
#  - a key of another type, a wrong encryption key, a flipped payload byte
#    and flipped signature byte, truncated files and a plain binary fail
#    with a one-line message naming the check.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
V=$KEEL_SHARED/vectors/imgtool
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

key_for() {
  case $1 in
    *ec-p384*) echo key-ec-p384.pem ;;
    *ec-p256*) echo key-ec-p256.pem ;;
    *ed25519*) echo key-ed25519.pem ;;
    *rsa2048*) echo key-rsa2048.pem ;;
    *) fail "no key known for $1" ;;
  esac
}
enc_for() {
  case $1 in
    *enc-ec256*) echo enc-ec256.pem ;;
    *enc-x25519*) echo enc-x25519.pem ;;
    *enc-rsa*) echo enc-rsa2048.pem ;;
  esac
}
# the hash TLV value of an image, from the JSON dump
hash_tlv() {
  "$KEEL" dumpinfo --json "$1" | tr -d ' \n' |
    grep -o '"type_name":"SHA[0-9]*","len":[0-9]*,"offset":[0-9]*,"data":"[0-9a-f]*"' |
    sed 's/.*"data":"//; s/"$//'
}

n=0 nenc=0
for img in "$V"/signed-*.bin; do
  b=$(basename "$img")
  k=$V/$(key_for "$b")
  e=$(enc_for "$b")
  openssl pkey -in "$k" -pubout -out "$T/pub.pem"
  want=$(hash_tlv "$img")
  [ -n "$want" ] || fail "$b: no hash TLV in dumpinfo --json"
  if [ -z "$e" ]; then
    for key in "$k" "$T/pub.pem"; do
      out=$("$KEEL" verify -k "$key" "$img") || fail "$b with $(basename "$key"): exit $?"
      printf '%s\n' "$out" | head -1 | grep -qx 'Image was correctly validated' || fail "$b: $out"
      printf '%s\n' "$out" | grep -qx "Image digest: $want" || fail "$b: digest is not the hash TLV: $out"
      printf '%s\n' "$out" | grep -q '^Image version: 1\.2\.3+[07]$' || fail "$b: version: $out"
    done
  else
    out=$("$KEEL" verify -k "$k" --enc-key "$V/$e" "$img") || fail "$b with --enc-key $e: exit $?"
    printf '%s\n' "$out" | grep -qx "Image digest: $want" || fail "$b: digest: $out"
    printf '%s\n' "$out" | grep -q 'hash of the decrypted payload' || fail "$b: $out"
    set +e; out=$("$KEEL" verify -k "$k" "$img"); rc=$?; set -e
    [ $rc -eq 3 ] || fail "$b without --enc-key: exit $rc, want 3"
    printf '%s\n' "$out" | grep -q 'NOT checked: the SHA256 TLV against the payload' || fail "$b: $out"
    # a device key of the right type that is not the image's
    case $e in
      enc-ec256.pem) wrong=$V/key-ec-p256.pem ;;
      enc-rsa2048.pem) wrong=$V/key-rsa2048.pem ;;
      *) openssl genpkey -algorithm X25519 -out "$T/x.pem"; wrong=$T/x.pem ;;
    esac
    set +e; err=$("$KEEL" verify -k "$k" --enc-key "$wrong" "$img" 2>&1 >/dev/null); rc=$?; set -e
    [ $rc -eq 1 ] || fail "$b with a wrong enc key: exit $rc"
    printf '%s\n' "$err" | grep -Eq 'MAC tag does not verify|RSA-OAEP decryption failed' || fail "$b wrong enc key: $err"
    nenc=$((nenc + 1))
  fi
  n=$((n + 1))
done
[ $n -ge 17 ] || fail "only $n signed images in $V"

# Intel HEX input
objcopy -I binary -O ihex --change-addresses 0x10000 "$V/signed-ec-p256-pad-confirm.bin" "$T/img.hex"
out=$("$KEEL" verify -k "$V/key-ec-p256.pem" "$T/img.hex") || fail "hex input: exit $?"
printf '%s\n' "$out" | grep -qx "Image digest: $(hash_tlv "$V/signed-ec-p256.bin")" || fail "hex: $out"

# keel-made: a --clear image (flag + ENC TLV, payload in clear) validates
# fully with or without --enc-key; an encrypted pure image exits 3 without
# the key (neither hash nor signature checkable) and validates with it.
S="-H 0x200 --pad-header -S 0x4000 -v 1.0.0"
"$KEEL" sign -k "$V/key-ed25519.pem" -E "$V/enc-x25519-pub.pem" --clear $S "$V/app.bin" "$T/clear.bin"
for extra in "" "--enc-key $V/enc-x25519.pem"; do
  out=$("$KEEL" verify -k "$V/key-ed25519.pem" $extra "$T/clear.bin") || fail "--clear image ($extra): exit $?"
  printf '%s\n' "$out" | grep -q 'payload stored in clear' || fail "--clear image: $out"
done
"$KEEL" sign -k "$V/key-ed25519.pem" -E "$V/enc-x25519-pub.pem" --pure $S "$V/app.bin" "$T/encpure.bin"
set +e; out=$("$KEEL" verify -k "$V/key-ed25519.pem" "$T/encpure.bin"); rc=$?; set -e
[ $rc -eq 3 ] && printf '%s\n' "$out" | grep -q 'and the signature (pure' || fail "encrypted pure without key: rc $rc: $out"
out=$("$KEEL" verify -k "$V/key-ed25519.pem" --enc-key "$V/enc-x25519.pem" "$T/encpure.bin") ||
  fail "encrypted pure image with --enc-key: exit $?"
printf '%s\n' "$out" | grep -q 'over the whole image' || fail "encrypted pure image with --enc-key: $out"

# failures: exit 1 (2 for usage errors), one line on stderr, naming the check
bad() { want_rc=1 bad_rc "$@"; }
usage() { want_rc=2 bad_rc "$@"; }
bad_rc() {
  local what=$1 pat=$2; shift 2
  set +e; err=$("$KEEL" verify "$@" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc -eq "$want_rc" ] || fail "$what: exit $rc, want $want_rc"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
  printf '%s\n' "$err" | grep -q "^keel: verify: .*$pat" || fail "$what: message '$err'"
}
cp "$V/signed-ec-p256.bin" "$T/payload.bin"; chmod u+w "$T/payload.bin"
printf '\x55' | dd of="$T/payload.bin" bs=1 seek=1000 conv=notrunc 2>/dev/null
cp "$V/signed-ed25519.bin" "$T/sig.bin"; chmod u+w "$T/sig.bin"
printf '\x00' | dd of="$T/sig.bin" bs=1 seek=$((10416 - 1)) conv=notrunc 2>/dev/null
head -c 10400 "$V/signed-ec-p256.bin" > "$T/trunc.bin"
head -c 31 "$V/signed-ec-p256.bin" > "$T/short.bin"
tail -c 3000 "$V/app.bin" > "$T/garbage.bin"   # random bytes, fixed
bad "wrong key" "key hash does not match the given key" -k "$V/key-ed25519.pem" "$V/signed-ec-p256.bin"
bad "wrong key (full PUBKEY)" "PUBKEY TLV does not match the given key" -k "$V/enc-ec256.pem" "$V/signed-ec-p256-fullkey.bin"
bad "payload byte" "hash mismatch" -k "$V/key-ec-p256.pem" "$T/payload.bin"
bad "signature byte" "signature does not verify" -k "$V/key-ed25519.pem" "$T/sig.bin"
bad "truncated TLVs" "TLV area runs past the end" -k "$V/key-ec-p256.pem" "$T/trunc.bin"
bad "short file" "shorter than the 32-byte header" -k "$V/key-ec-p256.pem" "$T/short.bin"
bad "plain binary" "bad header magic" -k "$V/key-ec-p256.pem" "$V/app.bin"
bad "garbage" "bad header magic" -k "$V/key-ec-p256.pem" "$T/garbage.bin"
bad "sha option" "image carries a SHA256 TLV, --sha 512 asked for SHA512" --sha 512 -k "$V/key-ec-p256.pem" "$V/signed-ec-p256.bin"
bad "x25519 as signing key" "cannot sign images" -k "$V/enc-x25519.pem" "$V/signed-ec-p256.bin"
bad "missing image" "nope.bin" -k "$V/key-ec-p256.pem" "$T/nope.bin"
bad "missing key" "nokey.pem" -k "$T/nokey.pem" "$V/signed-ec-p256.bin"
usage "no key option" "no key given" "$V/signed-ec-p256.bin"
usage "no image" "no image given" -k "$V/key-ec-p256.pem"
usage "two images" "more than one image" -k "$V/key-ec-p256.pem" "$V/signed-ec-p256.bin" "$V/signed-ed25519.bin"
usage "bad --sha" "--sha must be auto, 256, 384 or 512" --sha 1 -k "$V/key-ec-p256.pem" "$V/signed-ec-p256.bin"
usage "unknown option" "" --frobnicate -k "$V/key-ec-p256.pem" "$V/signed-ec-p256.bin"
echo "verify: $n images verified ($nenc encrypted, with and without --enc-key), hex input, 17 failure cases"
