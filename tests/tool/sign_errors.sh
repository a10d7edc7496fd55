#!/usr/bin/env bash
# Every bad input to keel sign (and the key commands) gets exactly one line
# "keel: <cmd>: ..." on stderr that names the problem, a non-zero exit, and
# leaves no output file (nor a temporary one) behind; an output file that
# existed before a failed run is left untouched.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
V=$KEEL_SHARED/vectors/imgtool
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unset KEEL_PASSWORD
mkdir "$T/out"
"$KEEL" keygen -k "$T/x25519.pem" -t x25519
"$KEEL" getpub -k "$T/x25519.pem" -e pem -o "$T/x25519-pub.pem"
"$KEEL" getpub -k "$V/key-ec-p256.pem" -e pem -o "$T/p256-pub.pem"
KEEL_PASSWORD=secret "$KEEL" keygen -k "$T/locked.pem" -t ed25519 -p
printf 'hello\n' > "$T/short.bin"
C="-H 32 --pad-header -S 0x20000 --align 4 -v 1.2.3"
n=0

# expect_fail WHAT PATTERN -- keel args...   (output file is $T/out/o.bin unless given)
expect_fail() {
  local what=$1 pat=$2; shift 3
  local err rc
  set +e
  err=$(env ${XENV:-KEEL_UNUSED=1} setsid -w "$KEEL" "$@" 2>&1 >/dev/null </dev/null); rc=$?
  set -e
  [ $rc -ne 0 ] || fail "$what: exit status 0"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
  printf '%s\n' "$err" | grep -Eq '^keel: [a-z]+: ' || fail "$what: not 'keel: cmd: ...': $err"
  printf '%s\n' "$err" | grep -Eiq -- "$pat" || fail "$what: message does not name the problem ($pat): $err"
  [ -z "$(ls -A "$T/out")" ] || fail "$what: left files behind: $(ls -A "$T/out")"
  n=$((n + 1))
}
O="$T/out/o.bin"
expect_fail "missing key"        "cannot read.*nokey.pem"           -- sign -k "$T/nokey.pem" $C "$V/app.bin" "$O"
expect_fail "malformed key"      "not a PEM or DER key"             -- sign -k "$V/app.bin" $C "$V/app.bin" "$O"
expect_fail "x25519 signing key" "x25519 key cannot sign"           -- sign -k "$T/x25519.pem" $C "$V/app.bin" "$O"
expect_fail "public signing key" "public key; a private key"        -- sign -k "$T/p256-pub.pem" $C "$V/app.bin" "$O"
expect_fail "locked key, no password" "password"                    -- sign -k "$T/locked.pem" $C "$V/app.bin" "$O"
XENV=KEEL_PASSWORD=nope expect_fail "wrong password" "wrong password" -- sign -k "$T/locked.pem" $C "$V/app.bin" "$O"
expect_fail "-E family (p256 + x25519)" "same type of key"          -- sign -k "$V/key-ec-p256.pem" -E "$T/x25519-pub.pem" $C "$V/app.bin" "$O"
expect_fail "-E family (rsa + p256)" "same type of key"             -- sign -k "$V/key-rsa2048.pem" -E "$V/enc-ec256-pub.pem" $C "$V/app.bin" "$O"
expect_fail "-E with p384 signer" "same type of key"                -- sign -k "$V/key-ec-p384.pem" -E "$V/enc-ec256-pub.pem" $C "$V/app.bin" "$O"
expect_fail "-E ed25519 key"     "cannot encrypt"                   -- sign -k "$V/key-ed25519.pem" -E "$V/key-ed25519.pem" $C "$V/app.bin" "$O"
expect_fail "--hmac-sha 512 p256" "hmac-sha 512"                    -- sign -k "$V/key-ed25519.pem" -E "$V/enc-ec256-pub.pem" --hmac-sha 512 $C "$V/app.bin" "$O"
expect_fail "image > slot"       "exceeds the slot size"            -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x2000 -v 1 "$V/app.bin" "$O"
expect_fail "image + trailer > slot" "trailer \(0x630\) exceeds"    -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x2e00 --align 4 -v 1 "$V/app.bin" "$O"
expect_fail "ow trailer > slot"  "trailer \(0x20\) exceeds"         -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x28b0 --overwrite-only -v 1 "$V/app.bin" "$O"
expect_fail "-M 600 trailer"     "trailer \(0xe40\) exceeds"        -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x36ef -M 600 --align 2 -v 1 "$V/app.bin" "$O"
expect_fail "header not zero"    "must be zero.*pad-header"         -- sign -k "$V/key-ed25519.pem" -H 32 -S 0x20000 -v 1 "$V/app.bin" "$O"
expect_fail "input shorter than -H" "shorter than the -H"           -- sign -k "$V/key-ed25519.pem" -H 64 -S 0x20000 -v 1 "$T/short.bin" "$O"
expect_fail "-H below 32"        "header-size"                      -- sign -H 16 --pad-header -v 1 "$V/app.bin" "$O"
for bad in 1.2.3.4 a.b 256.0.0 1.256.0 1.2.65536 1.2.3+4294967296 01.2.3 1.2.3+ "" 1..2 -1 "1.2 .3"; do
  expect_fail "version '$bad'"   "bad version"                      -- sign -k "$V/key-ed25519.pem" $C -v "$bad" "$V/app.bin" "$O"
done
expect_fail "dependency syntax"  "bad dependency"                   -- sign -k "$V/key-ed25519.pem" $C -d "(1,x)" "$V/app.bin" "$O"
expect_fail "dependency version" "bad dependency"                   -- sign -k "$V/key-ed25519.pem" $C -d "(1,1.2.3.4)" "$V/app.bin" "$O"
expect_fail "dependency image id" "bad dependency"                  -- sign -k "$V/key-ed25519.pem" $C -d "(256,1.0.0)" "$V/app.bin" "$O"
expect_fail "custom TLV known"   "conflicts with the predefined SHA256" -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 0x10 0x00 "$V/app.bin" "$O"
expect_fail "custom TLV known2"  "conflicts with the predefined SEC_CNT" -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 80 0x00 "$V/app.bin" "$O"
expect_fail "custom TLV range"   "outside the vendor range"         -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 0x9f 0x00 "$V/app.bin" "$O"
expect_fail "custom TLV 0xffff"  "outside the vendor range"         -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 0xffff 0x00 "$V/app.bin" "$O"
expect_fail "custom TLV twice"   "given twice"                      -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 0xa0 0x00 --custom-tlv 160 x "$V/app.bin" "$O"
expect_fail "custom TLV not a number" "bad TLV number"              -- sign -k "$V/key-ed25519.pem" $C --custom-tlv tag 0x00 "$V/app.bin" "$O"
expect_fail "custom TLV odd hex" "odd number of hex digits"         -- sign -k "$V/key-ed25519.pem" $C --custom-tlv 0xa0 0x123 "$V/app.bin" "$O"
expect_fail "custom TLV missing value" "needs two values"           -- sign -k "$V/key-ed25519.pem" $C "$V/app.bin" "$O" --custom-tlv 0xa0
printf ':100000003DB8F3960000000020000000002800002B\n:00000001FF\n' > "$T/badsum.hex"
expect_fail "hex checksum"       "badsum.hex: line 1 is not a valid Intel HEX"  -- sign $C "$T/badsum.hex" "$O"
printf ':00000001FF\n' > "$T/empty.hex"
expect_fail "hex without data"   "holds no data"                    -- sign $C "$T/empty.hex" "$O"
expect_fail "unreadable input"   "cannot read.*nothere.bin"         -- sign -k "$V/key-ed25519.pem" $C "$T/nothere.bin" "$O"
expect_fail "input is a folder"  "cannot read"                      -- sign -k "$V/key-ed25519.pem" $C "$T" "$O"
expect_fail "output folder missing" "cannot write"                  -- sign -k "$V/key-ed25519.pem" $C "$V/app.bin" "$T/out/no/such/dir/o.bin"
expect_fail "security counter"   "not a number"                     -- sign -k "$V/key-ed25519.pem" $C -s twelve "$V/app.bin" "$O"
expect_fail "security counter 0b-1" "not a number"                 -- sign -k "$V/key-ed25519.pem" $C -s 0b-1 "$V/app.bin" "$O"
expect_fail "security counter -1" "not a number"                   -- sign -k "$V/key-ed25519.pem" $C -s -1 "$V/app.bin" "$O"
expect_fail "slot size 0x"        "slot-size.*not a number"        -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x -v 1 "$V/app.bin" "$O"
expect_fail "security counter 33 bits" "32 bits"                    -- sign -k "$V/key-ed25519.pem" $C -s 0x100000000 "$V/app.bin" "$O"
expect_fail "--pure with ECDSA"  "pure needs an ed25519"            -- sign -k "$V/key-ec-p256.pem" $C --pure "$V/app.bin" "$O"
expect_fail "--sha 512 with P-256" "can not be used with --sha 512" -- sign -k "$V/key-ec-p256.pem" $C --sha 512 "$V/app.bin" "$O"
expect_fail "--sha 256 with P-384" "can not be used with --sha 256" -- sign -k "$V/key-ec-p384.pem" $C --sha 256 "$V/app.bin" "$O"
expect_fail "--align 3"          "align"                            -- sign $C --align 3 "$V/app.bin" "$O"
expect_fail "--max-align 4"      "max-align"                        -- sign $C --max-align 4 "$V/app.bin" "$O"
expect_fail "--erased-val 1"     "erased-val"                       -- sign $C -R 1 "$V/app.bin" "$O"
expect_fail "--boot-record long" "too long"                         -- sign $C --boot-record ABCDEFGHIJKLM "$V/app.bin" "$O"
expect_fail "--pad without -S"   "need the slot size"               -- sign -H 32 --pad-header -v 1 --pad "$V/app.bin" "$O"
expect_fail "-L with -F"         "cannot be used together"          -- sign $C -L 0x1000 -F 0x2000 "$V/app.bin" "$O"
expect_fail ".hex without address" "hex-addr"                       -- sign $C "$V/app.bin" "$T/out/o.hex"
expect_fail "--cid name without --vid" "give --vid"                 -- sign $C --cid widget "$V/app.bin" "$O"
expect_fail "--fix-sig without pubkey" "needs --fix-sig-pubkey"     -- sign $C --fix-sig "$T/short.bin" "$V/app.bin" "$O"
printf 'AAAA' > "$T/sig.b64"
expect_fail "--fix-sig wrong signature" "does not verify"           -- sign $C --fix-sig "$T/sig.b64" --fix-sig-pubkey "$V/key-ed25519.pem" "$V/app.bin" "$O"
expect_fail "-k with --fix-sig"  "cannot be used together"          -- sign $C -k "$V/key-ed25519.pem" --fix-sig "$T/sig.b64" --fix-sig-pubkey "$V/key-ed25519.pem" "$V/app.bin" "$O"
expect_fail "unknown option"     "unknown option '--frobnicate'"    -- sign $C --frobnicate "$V/app.bin" "$O"
expect_fail "missing outfile"    "need INFILE and OUTFILE"          -- sign $C "$V/app.bin"
expect_fail "three files"        "unexpected argument"              -- sign $C "$V/app.bin" "$O" "$T/out/p.bin"
# key commands
expect_fail "keygen bad type"    "unknown key type 'ecdsa-p224'"    -- keygen -k "$T/out/k.pem" -t ecdsa-p224
expect_fail "keygen no -t"       "no key type"                      -- keygen -k "$T/out/k.pem"
expect_fail "keygen unwritable"  "cannot write"                     -- keygen -k "$T/out/none/k.pem" -t ed25519
expect_fail "getpub no key"      "cannot read"                      -- getpub -k "$T/nokey.pem" -o "$T/out/o.c"
expect_fail "getpub bad encoding" "unknown encoding"                -- getpub -k "$V/key-ed25519.pem" -e hex -o "$T/out/o.c"
expect_fail "getpubhash bad encoding" "unknown encoding"            -- getpubhash -k "$V/key-ed25519.pem" -e pem -o "$T/out/o.c"
expect_fail "getpriv ed25519"    "ed25519 keys are for signing"     -- getpriv -k "$V/key-ed25519.pem" -o "$T/out/o.c"
expect_fail "getpriv public key" "public key"                       -- getpriv -k "$V/enc-ec256-pub.pem" -o "$T/out/o.c"
expect_fail "keyinfo --require"  "is not a private key"             -- keyinfo -k "$V/enc-ec256-pub.pem" --require private

# A failed run leaves an existing output file as it was.
printf 'old contents\n' > "$T/keep.bin"
set +e; "$KEEL" sign -k "$V/key-ed25519.pem" -H 32 --pad-header -S 0x2000 -v 1 "$V/app.bin" "$T/keep.bin" 2>/dev/null; rc=$?; set -e
[ $rc -ne 0 ] && [ "$(cat "$T/keep.bin")" = "old contents" ] || fail "failed sign changed an existing output file"
# Boundary: exactly fitting the slot succeeds, one byte less fails.
"$KEEL" sign -k "$V/key-ed25519.pem" -H 32 --pad-header --align 4 -v 1 "$V/app.bin" "$T/fit.bin"
fit=$(( $(stat -c %s "$T/fit.bin") + 0x630 ))
"$KEEL" sign -k "$V/key-ed25519.pem" -H 32 --pad-header --align 4 -S $fit --pad -v 1 "$V/app.bin" "$T/fit2.bin" || fail "image exactly filling the slot refused"
[ "$(stat -c %s "$T/fit2.bin")" -eq $fit ] || fail "padded image is not the slot size"
expect_fail "one byte too small" "exceeds the slot size"            -- sign -k "$V/key-ed25519.pem" -H 32 --pad-header --align 4 -S $((fit - 1)) --pad -v 1 "$V/app.bin" "$O"
echo "sign_errors: $n bad inputs refused with one line and no output file"
