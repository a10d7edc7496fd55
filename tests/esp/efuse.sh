#!/usr/bin/env bash
# keel esp efuse: the emulator's 1024-byte eFuse file. Rebuilds the worked
# example of espressif.md §4.2 (an espefuse dump) with burns, then checks the
# one-way and protection rules.
. "$(dirname "$0")/common.sh"
E=$T/efuse.bin
w() { xxd -s $(( $2 * 4 )) -l 4 -e "$1" | awk '{print $2}'; }   # FILE, BLOCK0 word N
head -c 32 /dev/urandom > "$T/d0.bin"; head -c 32 /dev/urandom > "$T/d1.bin"
cp "$V/fe-key-xts128.bin" "$T/xts.bin"
"$KEEL" esp efuse "$E" burn-key BLOCK_KEY0 SECURE_BOOT_DIGEST0 "$V/sbv2-rsa3072-digest.bin"   # keel order
"$KEEL" esp efuse "$E" burn-key BLOCK_KEY1 "$T/d1.bin" SECURE_BOOT_DIGEST1                    # espefuse order
"$KEEL" esp efuse "$E" burn-key BLOCK_KEY2 "$T/xts.bin" XTS_AES_128_KEY --no-read-protect
[ "$(stat -c %s "$E")" -eq 1024 ] || fail "eFuse file size"
"$KEEL" esp efuse "$E" burn SPI_BOOT_CRYPT_CNT 1 SECURE_BOOT_KEY_REVOKE2 1
"$KEEL" esp efuse "$E" burn-efuse SECURE_BOOT_EN 1
"$KEEL" esp efuse "$E" burn FLASH_TPUW 5 DIS_DOWNLOAD_MANUAL_ENCRYPT 1
"$KEEL" esp efuse "$E" burn DIS_LEGACY_SPI_BOOT 1 DIS_USB_DOWNLOAD_MODE 1 ENABLE_SECURITY_DOWNLOAD 1
"$KEEL" esp efuse "$E" burn UART_PRINT_CONTROL 2 SECURE_VERSION 0x8001
got="$(w "$E" 0) $(w "$E" 1) $(w "$E" 2) $(w "$E" 3) $(w "$E" 4)"
[ "$got" = "03800700 00100000 a9840000 50100004 200040b2" ] || fail "BLOCK0 words: $got"
echo "BLOCK0 = $got (espressif.md 4.2 example)"
cmp <(xxd -p -s 0x70 -l 32 "$E") <(xxd -p "$V/sbv2-rsa3072-digest.bin") || fail "digest not in file order at 0x70"
cmp <(xxd -p -s 0x90 -l 32 "$E") <(xxd -p "$T/d1.bin") || fail "digest 1 not at 0x90"
cmp <(xxd -p -s 0xb0 -l 32 "$E" | fold -w2 | tac | tr -d '\n') <(xxd -p -c 32 "$T/xts.bin" | tr -d '\n') || fail "XTS key not byte-reversed at 0xb0"
n=$(tail -c +$((0x18 + 1)) "$E" | head -c $((0x70 - 0x18)) | tr -d '\0' | wc -c); [ "$n" -eq 0 ] || fail "bytes 0x18..0x6f touched"
n=$(tail -c +$((0xd0 + 1)) "$E" | tr -d '\0' | wc -c); [ "$n" -eq 0 ] || fail "bytes from 0xd0 touched"
"$KEEL" esp efuse "$E" summary > "$T/s.txt"
for l in "^KEY_PURPOSE_0 .*= 0x9 SECURE_BOOT_DIGEST0 R/-" "^KEY_PURPOSE_2 .*= 0x4 XTS_AES_128_KEY R/-" \
         "^SECURE_BOOT_EN .*= 0x1 R/W" "^SECURE_VERSION .*= 0x8001" "^Flash encryption: enabled" \
         "^Secure version \(bits set\): 2" "^BLOCK_KEY2 .* R/-$" "^BLOCK_KEY3 .* R/W$"; do
  grep -Eq "$l" "$T/s.txt" || fail "summary lacks '$l'"
done
# read protection by default for an XTS key; none for a digest; --no-write-protect
"$KEEL" esp efuse "$T/e2.bin" burn-key BLOCK_KEY3 XTS_AES_128_KEY "$T/xts.bin"
[ "$(w "$T/e2.bin" 1)" = "00000008" ] || fail "RD_DIS bit 3 not set: $(w "$T/e2.bin" 1)"
"$KEEL" esp efuse "$T/e2.bin" burn-key BLOCK_KEY4 SECURE_BOOT_DIGEST2 "$T/d0.bin" --no-write-protect
[ "$(w "$T/e2.bin" 0)" = "04000800" ] || fail "WR_DIS after --no-write-protect: $(w "$T/e2.bin" 0)"
[ "$(w "$T/e2.bin" 1)" = "00000008" ] || fail "a digest was read-protected"
# burn-key-digest from the PEM equals burn-key of espsecure's digest file
"$KEEL" esp efuse "$T/kd1.bin" burn-key-digest BLOCK_KEY0 "$V/sbv2-rsa3072-pub.pem" SECURE_BOOT_DIGEST0
"$KEEL" esp efuse "$T/kd2.bin" burn-key BLOCK_KEY0 "$V/sbv2-rsa3072-digest.bin" SECURE_BOOT_DIGEST0
cmp "$T/kd1.bin" "$T/kd2.bin" || fail "burn-key-digest differs from burn-key of the digest"
expect_fail "digest of EC key" "needs an RSA-3072 key, not ecdsa-p256" -- esp efuse "$T/out/kd.bin" burn-key-digest BLOCK_KEY1 "$KEEL_SHARED/vectors/imgtool/key-ec-p256.pem" SECURE_BOOT_DIGEST1
expect_fail "digest purpose" "is not SECURE_BOOT_DIGEST0..2" -- esp efuse "$T/out/kd.bin" burn-key-digest BLOCK_KEY1 "$V/sbv2-rsa3072.pem" XTS_AES_128_KEY
# the same value again is a no-op, not an error
"$KEEL" esp efuse "$E" burn SECURE_BOOT_EN 1 | grep -q 'same value' || fail "same value"
# one-way and protection rules; a refused burn leaves the file as it was
"$KEEL" esp efuse "$T/e3.bin" create
cmp "$T/e3.bin" <(head -c 1024 /dev/zero) || fail "create"
cp "$E" "$T/ef.bin"
"$KEEL" esp efuse "$T/ef.bin" burn WR_DIS 0x10000
efail() { # WHAT PATTERN FILE args...
  local f=$3; cp "$f" "$T/snap.bin"
  expect_fail "$1" "$2" -- esp efuse "$f" "${@:4}"
  cmp -s "$f" "$T/snap.bin" || fail "$1: the refused burn changed $f"
}
efail "clear bits"      "would clear bits"                  "$T/ef.bin" burn SECURE_VERSION 0x0001
efail "WR_DIS protects" "SECURE_BOOT_AGGRESSIVE_REVOKE is write-protected \(WR_DIS bit 16" "$T/ef.bin" burn SECURE_BOOT_AGGRESSIVE_REVOKE 1
efail "purpose locked"  "KEY_PURPOSE_0 is write-protected"  "$T/ef.bin" burn KEY_PURPOSE_0 0xf
efail "key block used"  "BLOCK_KEY0 is write-protected"     "$T/ef.bin" burn-key BLOCK_KEY0 HMAC_UP "$T/d0.bin"
efail "key not empty"   "BLOCK_KEY4 already holds a key"    "$T/e2.bin" burn-key BLOCK_KEY4 HMAC_UP "$T/d0.bin"
efail "XTS in KEY5"     "KEY_PURPOSE_5 cannot hold an XTS"  "$T/ef.bin" burn-key BLOCK_KEY5 XTS_AES_128_KEY "$T/xts.bin"
efail "too wide"        "does not fit SPI_BOOT_CRYPT_CNT"   "$T/ef.bin" burn SPI_BOOT_CRYPT_CNT 8
efail "unknown field"   "unknown eFuse field 'NO_SUCH'"     "$T/ef.bin" burn NO_SUCH 1
head -c 40 /dev/zero > "$T/k40.bin"
efail "short key"       "key file is 40 bytes"              "$T/ef.bin" burn-key BLOCK_KEY5 HMAC_UP "$T/k40.bin"
efail "bad block"       "bad key block 'BLOCK_KEY6'"        "$T/ef.bin" burn-key BLOCK_KEY6 HMAC_UP "$T/d0.bin"
efail "no purpose"      "must be a key purpose"             "$T/ef.bin" burn-key BLOCK_KEY5 "$T/d0.bin" "$T/d1.bin"
efail "two burns, 2nd bad" "would clear bits"               "$T/ef.bin" burn DIS_DOWNLOAD_MODE 1 SECURE_VERSION 1
efail "create existing" "exists"                            "$T/ef.bin" create
head -c 1000 /dev/zero > "$T/short.bin"
efail "wrong size"      "is 1000 bytes, expected 1024"      "$T/short.bin" burn SECURE_BOOT_EN 1
expect_fail "summary missing" "no such eFuse file"          -- esp efuse "$T/none.bin" summary
[ ! -e "$T/none.bin" ] || fail "summary created a file"
echo "esp efuse: example rebuilt, $nfail refusals"
