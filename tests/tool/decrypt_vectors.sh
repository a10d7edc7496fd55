#!/usr/bin/env bash
# The test-only decryptor first proves itself on imgtool's four encrypted
# vectors (each must decrypt to app.bin), and must refuse a wrong device key
# and a damaged ENC TLV. Only then do keel's own -E outputs count
# (sign_vectors.sh, sign_roundtrip.sh).
set -euo pipefail
DECRYPT=$KEEL_BUILD/tests/tool/decrypt_test
V=$KEEL_SHARED/vectors/imgtool
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
n=0
for p in "signed-ec-p256-enc-ec256.bin enc-ec256.pem" "signed-ed25519-enc-x25519.bin enc-x25519.pem" \
         "signed-ed25519-enc-x25519-aes256-sha512.bin enc-x25519.pem" "signed-rsa2048-enc-rsa.bin enc-rsa2048.pem"; do
  set -- $p
  "$DECRYPT" "$V/$1" "$V/$2" "$V/app.bin" || fail "imgtool's $1 does not decrypt with $2"
  n=$((n + 1))
done
# Wrong key of the right type: must fail.
openssl genpkey -algorithm X25519 -out "$T/other-x25519.pem" 2>/dev/null
if "$DECRYPT" "$V/signed-ed25519-enc-x25519.bin" "$T/other-x25519.pem" "$V/app.bin" 2>/dev/null; then
  fail "decrypt_test accepted a wrong x25519 device key"; fi
# A flipped bit in the wrapped key: the tag must catch it.
cp "$V/signed-ec-p256-enc-ec256.bin" "$T/t.bin"; chmod u+w "$T/t.bin"
sz=$(stat -c %s "$T/t.bin")
printf '\x5a' | dd of="$T/t.bin" bs=1 seek=$((sz - 2)) conv=notrunc status=none
if "$DECRYPT" "$T/t.bin" "$V/enc-ec256.pem" "$V/app.bin" 2>/dev/null; then
  fail "decrypt_test accepted a damaged ENC_EC256 TLV"; fi
# A wrong plaintext must be reported.
head -c 10240 /dev/zero > "$T/zero.bin"
if "$DECRYPT" "$V/signed-rsa2048-enc-rsa.bin" "$V/enc-rsa2048.pem" "$T/zero.bin" 2>/dev/null; then
  fail "decrypt_test accepted a wrong plaintext"; fi
echo "decrypt_vectors: $n imgtool images decrypt to app.bin; wrong key, damaged TLV, wrong plaintext refused"
