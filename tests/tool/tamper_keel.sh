#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tamper test (tamper.c) on images keel sign makes for what the imgtool
# vectors do not cover: RSA-3072 (RSA3072 TLV), ECDSA P-384 with a
# protected area, AES-256 ECIES-P256 (129-byte ENCEC256), X25519 with
# HMAC-SHA512 and AES-128 (112-byte ENCX25519_SHA512), a 0x200-byte padded
# header, and a payload that is not a multiple of 16.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
TAMPER=${TAMPER:-$KEEL_BUILD/tests/tool/tool_tamper}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
head -c 3001 "$KEEL_SHARED/vectors/imgtool/app.bin" > "$T/app.bin"
S="-H 0x200 --pad-header -S 0x10000 --align 4 -v 3.4.5+6"
for t in rsa-3072 ecdsa-p384 ecdsa-p256 ed25519; do "$KEEL" keygen -k "$T/$t.pem" -t "$t"; done
"$KEEL" keygen -k "$T/x25519.pem" -t x25519
"$KEEL" getpub -k "$T/x25519.pem" -e pem -o "$T/x25519-pub.pem"
"$KEEL" getpub -k "$T/ecdsa-p256.pem" -e pem -o "$T/p256-pub.pem"

"$KEEL" sign -k "$T/rsa-3072.pem" $S "$T/app.bin" "$T/rsa3072.bin"
"$KEEL" sign -k "$T/ecdsa-p384.pem" $S -s 9 -d "(1,2.0.0+0)" --custom-tlv 0xa5 0x0102 "$T/app.bin" "$T/p384-prot.bin"
"$KEEL" sign -k "$T/ecdsa-p256.pem" $S -E "$T/p256-pub.pem" --encrypt-keylen 256 "$T/app.bin" "$T/p256-enc256.bin"
"$KEEL" sign -k "$T/ed25519.pem" $S -E "$T/x25519-pub.pem" --hmac-sha 512 "$T/app.bin" "$T/x25519-sha512.bin"

run() { "$TAMPER" "$T" "$@" | tail -1 || fail "tamper $1"; }
run rsa3072.bin rsa-3072.pem
run p384-prot.bin ecdsa-p384.pem
run p256-enc256.bin ecdsa-p256.pem ecdsa-p256.pem
run x25519-sha512.bin ed25519.pem x25519.pem
echo "tamper_keel: 4 keel-made images, every byte of header, payload and protected TLVs"
