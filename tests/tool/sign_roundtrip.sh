#!/usr/bin/env bash
# The tool's own round trip, per key type: keygen -> getpub -> sign -> verify
# (keel verify, and the key blob getpub prints must hash to the image's
# KEYHASH); then every encryption kind and key length: sign -E -> decrypt_test
# (after decrypt_vectors.sh proved the decryptor on imgtool's images).
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
DECRYPT=$KEEL_BUILD/tests/tool/decrypt_test
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
head -c 7001 /dev/urandom > "$T/app.bin"   # not a multiple of 16: exercises -E padding
S="-H 0x200 --pad-header -S 0x4000 --align 8 -v 2.0.1+9"


n=0
for t in ecdsa-p256 ecdsa-p384 ed25519 rsa-2048 rsa-3072; do
  "$KEEL" keygen -k "$T/$t.pem" -t "$t" || fail "keygen -t $t"
  [ "$(stat -c %a "$T/$t.pem")" = 600 ] || fail "keygen $t: key file is not mode 600"
  openssl pkey -in "$T/$t.pem" -noout 2>/dev/null || fail "openssl cannot read keel's $t key"
  head -1 "$T/$t.pem" | grep -q -- '-----BEGIN PRIVATE KEY-----' || fail "$t: not PKCS#8 PEM"
  [ "$("$KEEL" keyinfo -k "$T/$t.pem")" = "$t private" ] || fail "keyinfo of $t"
  "$KEEL" getpub -k "$T/$t.pem" -e pem -o "$T/$t-pub.pem" || fail "getpub -e pem $t"
  [ "$("$KEEL" keyinfo -k "$T/$t-pub.pem")" = "$t public" ] || fail "keyinfo of $t public"
  "$KEEL" getpub -k "$T/$t.pem" -e raw -o "$T/$t.der" || fail "getpub -e raw $t"
  "$KEEL" sign -k "$T/$t.pem" $S "$T/app.bin" "$T/$t.bin" || fail "sign with $t"
  "$KEEL" verify -k "$T/$t-pub.pem" "$T/$t.bin" >/dev/null || fail "verify of the $t image with the public key"
  "$KEEL" verify -k "$T/$t.pem" "$T/$t.bin" >/dev/null || fail "verify of the $t image with the private key"
  # The KEYHASH TLV is the image hash of exactly the getpub bytes.
  case $t in ecdsa-p384) h=sha384;; *) h=sha256;; esac
  want=$(openssl dgst -$h -binary "$T/$t.der" | od -An -tx1 | tr -d ' \n')
  grep -q "$want" <(od -An -tx1 -v "$T/$t.bin" | tr -d ' \n') || fail "$t: KEYHASH is not $h(getpub -e raw)"
  # A different key of the same type must not verify it.
  "$KEEL" keygen -k "$T/other.pem" -t "$t"
  if "$KEEL" verify -k "$T/other.pem" "$T/$t.bin" >/dev/null 2>&1; then fail "$t image verified with another key"; fi
  n=$((n + 1))
done
# --pure and --sha 512 with a fresh Ed25519 key.
"$KEEL" sign -k "$T/ed25519.pem" $S --pure "$T/app.bin" "$T/pure.bin" && "$KEEL" verify -k "$T/ed25519.pem" "$T/pure.bin" >/dev/null || fail "pure round trip"
"$KEEL" sign -k "$T/ed25519.pem" $S --sha 512 "$T/app.bin" "$T/s512.bin" && "$KEEL" verify -k "$T/ed25519.pem" "$T/s512.bin" >/dev/null || fail "sha512 round trip"

# Encryption: every kind and key length.
"$KEEL" keygen -k "$T/x25519.pem" -t x25519 || fail "keygen x25519"
"$KEEL" getpub -k "$T/x25519.pem" -e pem -o "$T/x25519-pub.pem"
"$KEEL" keygen -k "$T/enc-p256.pem" -t ecdsa-p256 && "$KEEL" getpub -k "$T/enc-p256.pem" -e pem -o "$T/enc-p256-pub.pem"
"$KEEL" keygen -k "$T/enc-rsa.pem" -t rsa-2048 && "$KEEL" getpub -k "$T/enc-rsa.pem" -e pem -o "$T/enc-rsa-pub.pem"
ne=0
for combo in "ecdsa-p256 enc-p256 128 256" "ecdsa-p256 enc-p256 256 256" \
             "ed25519 x25519 128 256" "ed25519 x25519 256 256" "ed25519 x25519 128 512" "ed25519 x25519 256 512" \
             "ed25519 enc-p256 128 256" "rsa-2048 enc-rsa 128 256" "rsa-2048 enc-rsa 256 256" "rsa-3072 enc-rsa 128 256"; do
  set -- $combo
  out="$T/enc-$1-$2-$3-$4.bin"
  "$KEEL" sign -k "$T/$1.pem" -E "$T/$2-pub.pem" --encrypt-keylen $3 --hmac-sha $4 $S "$T/app.bin" "$out" ||
    fail "sign -E $2 keylen $3 hmac $4"
  "$DECRYPT" "$out" "$T/$2.pem" "$T/app.bin" || fail "keel's -E $2/$3/$4 image does not decrypt to the input"
  "$KEEL" verify -k "$T/$1.pem" --enc-key "$T/$2.pem" "$out" >/dev/null || fail "keel verify of -E $2/$3/$4"
  ne=$((ne + 1))
done
# Two -E runs differ (fresh AES key and ephemeral key each time).
"$KEEL" sign -k "$T/ed25519.pem" -E "$T/x25519-pub.pem" $S "$T/app.bin" "$T/e1.bin"
"$KEEL" sign -k "$T/ed25519.pem" -E "$T/x25519-pub.pem" $S "$T/app.bin" "$T/e2.bin"
if cmp -s "$T/e1.bin" "$T/e2.bin"; then fail "two -E images are identical: key not random"; fi
# --clear: flag and ENC TLV, payload left in clear (and zero-padded to 16).
"$KEEL" sign -k "$T/ed25519.pem" -E "$T/x25519-pub.pem" --clear $S "$T/app.bin" "$T/clear.bin"
cmp -s -i 0x200:0 -n 7001 "$T/clear.bin" "$T/app.bin" || fail "--clear encrypted the payload"
"$KEEL" dumpinfo "$T/clear.bin" | grep -q 'ENCRYPTED_AES128' || fail "--clear image lacks the encrypted flag"
echo "sign_roundtrip: $n signing key types, $ne encryption combinations decrypted and verified"
