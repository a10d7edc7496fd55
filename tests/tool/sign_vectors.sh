#!/usr/bin/env bash
# Re-signs ../shared/vectors/imgtool/app.bin with the options in COMMANDS.txt
# and compares with imgtool's files: Ed25519 ones byte for byte, the others
# with imgcmp (every byte except random signature / encryption bytes). Each
# result must also pass `keel verify` with its key (and the encrypted ones
# decrypt_test, which decrypts with the device key and checks the payload).
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
IMGCMP=$KEEL_BUILD/tests/tool/imgcmp
DECRYPT=$KEEL_BUILD/tests/tool/decrypt_test
V=$KEEL_SHARED/vectors/imgtool
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
COMMON="-H 32 --pad-header -S 0x20000 --align 4"
[ -f "$V/COMMANDS.txt" ] || fail "no vectors in $V"

# The options must be the ones COMMANDS.txt records, so read them from there.
grep -q -- '^COMMON="-H 32 --pad-header -S 0x20000 --align 4"$' "$V/COMMANDS.txt" ||
  fail "COMMANDS.txt's COMMON options changed; update this test"

n_exact=0; n_cmp=0
sign() { # out key extra-args...
  local out=$1 key=$2; shift 2
  "$KEEL" sign -k "$V/$key" $COMMON "$@" "$V/app.bin" "$T/$out" || fail "keel sign $* -> $out"
}
exact() { # name
  cmp "$T/$1" "$V/$1" || fail "$1 is not byte-identical to imgtool's"
  n_exact=$((n_exact + 1)); echo "exact: $1"
}
close() { # name [--enc]
  local name=$1; shift
  "$IMGCMP" "$@" "$T/$name" "$V/$name" || fail "$name differs from imgtool's beyond random bytes"
  n_cmp=$((n_cmp + 1))
}
verify() { # name key [verify args]
  local name=$1 key=$2; shift 2
  "$KEEL" verify -k "$V/$key" "$@" "$T/$name" >"$T/verify.log" 2>&1 ||
    { cat "$T/verify.log" >&2; fail "keel verify rejects our $name"; }
}

# Ed25519 is deterministic: byte for byte.
sign signed-ed25519.bin key-ed25519.pem -v 1.2.3;               exact signed-ed25519.bin
sign signed-ed25519-sha512.bin key-ed25519.pem --sha 512 -v 1.2.3; exact signed-ed25519-sha512.bin
sign signed-ed25519-pure.bin key-ed25519.pem --pure -v 1.2.3;   exact signed-ed25519-pure.bin
for f in signed-ed25519.bin signed-ed25519-sha512.bin signed-ed25519-pure.bin; do verify $f key-ed25519.pem; done

# Randomised signatures: everything else must match.
sign signed-ec-p256.bin key-ec-p256.pem -v 1.2.3;                 close signed-ec-p256.bin
sign signed-rsa2048.bin key-rsa2048.pem -v 1.2.3;                 close signed-rsa2048.bin
sign signed-ec-p384.bin key-ec-p384.pem -v 1.2.3;                 close signed-ec-p384.bin
sign signed-ec-p256-prot.bin key-ec-p256.pem -v 1.2.3+7 -s 5 -d "(1,1.0.0+0)" --boot-record SPE --custom-tlv 0xa0 0x1234abcd
close signed-ec-p256-prot.bin
sign signed-ec-p256-pad.bin key-ec-p256.pem -v 1.2.3 --pad;       close signed-ec-p256-pad.bin
sign signed-ec-p256-pad-confirm.bin key-ec-p256.pem -v 1.2.3 --pad --confirm
close signed-ec-p256-pad-confirm.bin
sign signed-ec-p256-pad-confirm-maxalign32.bin key-ec-p256.pem --max-align 32 -v 1.2.3 --pad --confirm
close signed-ec-p256-pad-confirm-maxalign32.bin
sign signed-ec-p256-pad-confirm-ow.bin key-ec-p256.pem -v 1.2.3 --pad --confirm --overwrite-only
close signed-ec-p256-pad-confirm-ow.bin
sign signed-ec-p256-fullkey.bin key-ec-p256.pem --public-key-format full -v 1.2.3
close signed-ec-p256-fullkey.bin
sign signed-ec-p256-padsig.bin key-ec-p256.pem --pad-sig -v 1.2.3; close signed-ec-p256-padsig.bin --ecdsa-pad 72
for f in signed-ec-p256.bin signed-ec-p256-prot.bin signed-ec-p256-pad.bin signed-ec-p256-pad-confirm.bin \
         signed-ec-p256-pad-confirm-maxalign32.bin signed-ec-p256-pad-confirm-ow.bin \
         signed-ec-p256-fullkey.bin signed-ec-p256-padsig.bin; do verify $f key-ec-p256.pem; done
verify signed-rsa2048.bin key-rsa2048.pem
verify signed-ec-p384.bin key-ec-p384.pem

# Encrypted: layout as imgtool's, payload decrypts to app.bin.
enc() { # name sigkey enckey extra...
  local name=$1 sk=$2 ek=$3; shift 3
  sign "$name" "$sk" -E "$V/$ek-pub.pem" -v 1.2.3 "$@"
  close "$name" --enc
  "$DECRYPT" "$T/$name" "$V/$ek.pem" "$V/app.bin" || fail "our $name does not decrypt to app.bin"
  verify "$name" "$sk" --enc-key "$V/$ek.pem"
}
enc signed-ec-p256-enc-ec256.bin key-ec-p256.pem enc-ec256
enc signed-ed25519-enc-x25519.bin key-ed25519.pem enc-x25519
enc signed-ed25519-enc-x25519-aes256-sha512.bin key-ed25519.pem enc-x25519 --encrypt-keylen 256 --hmac-sha 512
enc signed-rsa2048-enc-rsa.bin key-rsa2048.pem enc-rsa2048

# The comparer must notice a change outside the random bytes (a test of the test).
cp "$T/signed-ec-p256-pad.bin" "$T/bad.bin"
printf '\x01' | dd of="$T/bad.bin" bs=1 seek=$((0x20000 - 24)) conv=notrunc status=none
if "$IMGCMP" "$T/bad.bin" "$V/signed-ec-p256-pad.bin" 2>/dev/null; then fail "imgcmp missed a trailer change"; fi
cp "$T/signed-ec-p256.bin" "$T/bad.bin"
printf '\x00' | dd of="$T/bad.bin" bs=1 seek=100 conv=notrunc status=none
if "$IMGCMP" "$T/bad.bin" "$V/signed-ec-p256.bin" 2>/dev/null; then fail "imgcmp missed a payload change"; fi
echo "sign_vectors: $n_exact byte-identical, $n_cmp matching imgtool except random bytes"
