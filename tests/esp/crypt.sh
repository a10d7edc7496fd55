#!/usr/bin/env bash
# keel esp encrypt/decrypt: XTS-AES-128 ciphertexts identical to espsecure's.
. "$(dirname "$0")/common.sh"
KEY=$V/fe-key-xts128.bin n=0
pair() { # PLAIN ADDR CIPHER
  "$KEEL" esp encrypt -k "$KEY" --address "$2" "$V/$1" -o "$T/e.bin"
  cmp "$T/e.bin" "$V/$3" || fail "encrypt $1 at $2 differs from $3"
  "$KEEL" esp decrypt -k "$KEY" --address "$2" "$V/$3" -o "$T/d.bin"
  cmp "$T/d.bin" "$V/$1" || fail "decrypt $3 at $2"
  n=$((n + 1))
}
pair fe-plain-4k.bin 0x10000 fe-plain-4k.at0x10000.enc
pair fe-plain-4k.bin 0x0 fe-plain-4k.at0x0.enc
pair fe-plain-48.bin 0x10000 fe-plain-48.at0x10000.enc
pair fe-plain-48.bin 0x10040 fe-plain-48.at0x10040.enc
pair app-min-signed.bin 0x10000 app-min-signed.at0x10000.enc
# The address matters (the tweak) and so does every key half
"$KEEL" esp encrypt -k "$KEY" --address 0x20000 "$V/fe-plain-4k.bin" -o "$T/e2.bin"
cmp -s "$T/e2.bin" "$V/fe-plain-4k.at0x10000.enc" && fail "address ignored"
for half in 0 16; do
  cp "$KEY" "$T/k.bin"; printf '\x5a' | dd of="$T/k.bin" bs=1 seek=$half conv=notrunc status=none
  "$KEEL" esp encrypt -k "$T/k.bin" --address 0x10000 "$V/fe-plain-4k.bin" -o "$T/e3.bin"
  cmp -s "$T/e3.bin" "$V/fe-plain-4k.at0x10000.enc" && fail "key byte $half ignored"
done
# A slice at an unaligned (16-byte) start equals the slice of the whole
"$KEEL" esp encrypt -k "$KEY" --address 0x10030 <(tail -c +49 "$V/fe-plain-4k.bin" | head -c 160) -o "$T/s.bin"
cmp "$T/s.bin" <(tail -c +49 "$V/fe-plain-4k.at0x10000.enc" | head -c 160) || fail "slice at 0x10030"
O=$T/out/o.bin
expect_fail "address 0x10008" "0x10008 must be a multiple of 16" -- esp encrypt -k "$KEY" --address 0x10008 "$V/fe-plain-48.bin" -o "$O"
head -c 40 "$V/fe-plain-48.bin" > "$T/p40.bin"
expect_fail "length 40" "length 40 is not a non-zero multiple of 16" -- esp encrypt -k "$KEY" --address 0x10000 "$T/p40.bin" -o "$O"
head -c 16 "$KEY" > "$T/k16.bin"
expect_fail "16-byte key" "key file is 16 bytes" -- esp decrypt -k "$T/k16.bin" --address 0 "$V/fe-plain-48.bin" -o "$O"
expect_fail "no address" "usage" -- esp encrypt -k "$KEY" "$V/fe-plain-48.bin" -o "$O"
expect_fail "bad address" "bad --address" -- esp encrypt -k "$KEY" --address 12zz "$V/fe-plain-48.bin" -o "$O"
echo "esp crypt: $n vector pairs identical both ways, $nfail refusals"
