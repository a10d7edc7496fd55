#!/usr/bin/env bash
# keel esp sign / verify / digest / sig-info against espsecure's vectors.
# Signatures are randomised (PSS salt): structure is compared with the vectors
# outside the signature and CRC bytes, and each signature is checked by the
# openssl CLI on its own as well as by keel esp verify.
. "$(dirname "$0")/common.sh"
K=$V/sbv2-rsa3072.pem P=$V/sbv2-rsa3072-pub.pem

# openssl_verify SIGNED BLK PUBKEY: RSA-PSS(SHA-256, MGF1-SHA-256, salt 32) over the digest
openssl_verify() {
  "$U" sbv2 extract "$1" "$2" "$T/sig"
  openssl dgst -sha256 -binary < <(head -c $(( $(stat -c %s "$1") - 4096 )) "$1") > "$T/dg"
  cmp -s "$T/dg" "$T/sig.digest" || fail "$1: stored digest is not SHA-256 of the data"
  openssl pkeyutl -verify -pubin -inkey "$3" -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32 \
    -pkeyopt rsa_mgf1_md:sha256 -pkeyopt digest:sha256 -in "$T/dg" -sigfile "$T/sig" >/dev/null ||
    fail "$1 block $2: openssl does not verify the signature"
}

# digest: identical to espsecure's, from the private and the public PEM
"$KEEL" esp digest -k "$K" -o "$T/d1.bin"; cmp "$T/d1.bin" "$V/sbv2-rsa3072-digest.bin"
"$KEEL" esp digest -k "$P" -o "$T/d2.bin"; cmp "$T/d2.bin" "$V/sbv2-rsa3072-digest.bin"
echo "digest identical: $(xxd -p -c 32 "$T/d1.bin")"

for img in app-min boot-min; do
  "$KEEL" esp sign -k "$K" "$V/$img.bin" -o "$T/$img-signed.bin" > "$T/sign.txt"
  grep -q "Padding data contents by $(( 4096 - $(stat -c %s "$V/$img.bin") )) bytes" "$T/sign.txt" || fail "padding message"
  "$U" sbv2 check "$T/$img-signed.bin" | grep -qx 'blocks 1' || fail "$img: block check"
  echo "$img: $("$U" sbv2 structcmp "$T/$img-signed.bin" "$V/$img-signed.bin")"
  openssl_verify "$T/$img-signed.bin" 0 "$P"
  openssl_verify "$V/$img-signed.bin" 0 "$P"   # the helper itself accepts espsecure's
  "$KEEL" esp verify -k "$P" "$T/$img-signed.bin" | grep -q 'block 0 verification successful' || fail "keel verify $img"
  "$KEEL" esp verify -k "$K" "$V/$img-signed.bin" >/dev/null || fail "keel verify of espsecure's $img"
  "$KEEL" esp sig-info "$T/$img-signed.bin" > "$T/si.txt"
  diff <(tail -n +2 "$V/$img-signed.sig-info.txt") "$T/si.txt" || fail "sig-info $img"
done
# an app made with --secure-pad-v2 ends on 64 KiB: no 0xff fill, the sector follows at once
"$KEEL" esp image --secure-pad-v2 -o "$T/sp.bin" "$V/app-min.elf" >/dev/null
"$KEEL" esp sign -k "$K" "$T/sp.bin" -o "$T/sp-signed.bin" > "$T/sign.txt"
grep -q Padding "$T/sign.txt" && fail "secure-padded image was padded again"
[ "$(stat -c %s "$T/sp-signed.bin")" -eq $((65536 + 4096)) ] || fail "secure-pad signed size"
"$KEEL" esp verify -k "$P" "$T/sp-signed.bin" >/dev/null || fail "secure-pad verify"
# openssl must refuse a flipped signature (the check can fail)
"$U" sbv2 mutate "$T/app-min-signed.bin" "$T/flip.bin" 0 900 0x01 fixcrc
if ( openssl_verify "$T/flip.bin" 0 "$P" ) 2>/dev/null; then fail "openssl accepted a flipped signature"; fi

# A second key, and --append
"$KEEL" keygen -t rsa-3072 -k "$T/k2.pem"
"$KEEL" getpub -k "$T/k2.pem" -e pem -o "$T/k2-pub.pem"
"$KEEL" keygen -t rsa-3072 -k "$T/k3.pem"
"$KEEL" esp sign -k "$T/k2.pem" --append "$T/app-min-signed.bin" -o "$T/two.bin" >/dev/null
"$U" sbv2 check "$T/two.bin" | grep -qx 'blocks 2' || fail "append: 2 blocks"
cmp <(head -c $((4096 + 1216)) "$T/two.bin") <(head -c $((4096 + 1216)) "$T/app-min-signed.bin") || fail "append changed block 0"
openssl_verify "$T/two.bin" 1 "$T/k2-pub.pem"
"$KEEL" esp verify -k "$T/k2-pub.pem" "$T/two.bin" > "$T/v.txt"
grep -q 'block 1 verification successful' "$T/v.txt" || fail "append: block 1 not verified with key 2"
grep -q 'block 0 refused: the embedded public key is not the supplied key' "$T/v.txt" || fail "append: block 0 reason"
"$KEEL" esp sign -k "$T/k3.pem" --append "$T/two.bin" -o "$T/three.bin" >/dev/null
"$U" sbv2 check "$T/three.bin" | grep -qx 'blocks 3' || fail "append: 3 blocks"
"$KEEL" esp verify -k "$T/k3.pem" "$T/three.bin" | grep -q 'block 2 verification successful' || fail "block 2"
# two keys in one run
"$KEEL" esp sign -k "$K" -k "$T/k2.pem" "$V/boot-min.bin" -o "$T/twokeys.bin" >/dev/null
"$U" sbv2 check "$T/twokeys.bin" | grep -qx 'blocks 2' || fail "two -k: 2 blocks"

# Every refusal, with its reason
O="$T/out/o.bin"
expect_fail "4th block" "up to 3 signature blocks" -- esp sign -k "$K" --append "$T/three.bin" -o "$O"
expect_fail "append to unsigned" "--append needs a signed file" -- esp sign -k "$K" --append "$V/app-min.bin" -o "$O"
expect_fail "append, no valid block" "no valid signature block" -- esp sign -k "$K" --append "$V/app-min-signed-badsig-crcstale.bin" -o "$O"
expect_fail "non-RSA key" "needs an RSA-3072 key, not ecdsa-p256" -- esp sign -k "$KEEL_SHARED/vectors/imgtool/key-ec-p256.pem" "$V/app-min.bin" -o "$O"
expect_fail "RSA-2048 key" "needs an RSA-3072 key, not rsa-2048" -- esp sign -k "$KEEL_SHARED/vectors/imgtool/key-rsa2048.pem" "$V/app-min.bin" -o "$O"
expect_fail "public key signs" "private key" -- esp sign -k "$P" "$V/app-min.bin" -o "$O"
expect_fail "missing input" "cannot read|no such" -- esp sign -k "$K" "$T/nothere.bin" -o "$O"
expect_fail "crc stale"   "block 0 invalid \(CRC mismatch\)"   -- esp verify -k "$P" "$V/app-min-signed-badsig-crcstale.bin"
expect_fail "bad sig"     "block 0: RSA-PSS signature does not verify" -- esp verify -k "$P" "$V/app-min-signed-badsig.bin"
expect_fail "bad image"   "block 0: image digest does not match" -- esp verify -k "$P" "$V/app-min-signed-badimg.bin"
expect_fail "version 3"   "block 0: version byte 3 is not the RSA-3072 scheme" -- esp verify -k "$P" "$V/app-min-signed-version3.bin"
expect_fail "other key"   "block 0: the embedded public key is not the supplied key" -- esp verify -k "$T/k2-pub.pem" "$V/app-min-signed.bin"
expect_fail "unsigned"    "not a non-zero multiple of 4096" -- esp verify -k "$P" "$V/app-min.bin"
expect_fail "sector only" "only a signature sector" -- esp verify -k "$P" "$V/app-min-pad4k.bin"
"$U" sbv2 mutate "$V/app-min-signed.bin" "$T/magic.bin" 0 0 0x01 fixcrc
expect_fail "magic"       "block 0 invalid \(magic 0xe6\)" -- esp verify -k "$P" "$T/magic.bin"
"$U" sbv2 mutate "$V/app-min-signed.bin" "$T/dig.bin" 0 4 0x80 fixcrc
expect_fail "stored digest" "block 0: image digest does not match" -- esp verify -k "$P" "$T/dig.bin"
"$U" sbv2 mutate "$V/app-min-signed.bin" "$T/r.bin" 0 500 0x01 fixcrc
expect_fail "R altered"   "block 0: the embedded R or m' does not belong" -- esp verify -k "$P" "$T/r.bin"
"$U" sbv2 mutate "$V/app-min-signed.bin" "$T/mp.bin" 0 808 0x01 fixcrc
expect_fail "m' altered"  "block 0: the embedded R or m' does not belong" -- esp verify -k "$P" "$T/mp.bin"
"$U" sbv2 mutate "$V/app-min-signed.bin" "$T/rsv.bin" 0 2 0x01 fixcrc
expect_fail "reserved"    "block 0: reserved bytes" -- esp verify -k "$P" "$T/rsv.bin"
# a block signed by key 2 but carrying key 1's public key: espsecure (supplied key 2) would pass it
"$U" sbv2 keyfrom "$T/two.bin" "$T/swapkey.bin" 1 "$V/app-min-signed.bin"
expect_fail "key swapped" "block 1: the embedded public key is not the supplied key" -- esp verify -k "$T/k2-pub.pem" "$T/swapkey.bin"
expect_fail "sig-info unsigned" "no valid signature block" -- esp sig-info "$V/app-min-signed-badsig-crcstale.bin"
expect_fail "digest non-RSA" "needs an RSA-3072 key" -- esp digest -k "$KEEL_SHARED/vectors/imgtool/key-ed25519.pem" -o "$O"
echo "esp sign: $nfail refusals checked"
