#!/usr/bin/env bash
# keel esp efuse: the emulator's 1024-byte eFuse file. Rebuilds the worked
# example of espressif.md §4.2 (an espefuse dump) with burns, then checks the
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
