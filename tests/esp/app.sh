#!/usr/bin/env bash
# keel esp app: the MCUboot-style load header and regions, checked against the
# ELF with binutils (readelf/objcopy), then signed with keel sign.
. "$(dirname "$0")/common.sh"
OBJCOPY=${OBJCOPY:-riscv64-unknown-elf-objcopy}
command -v "$OBJCOPY" >/dev/null || fail "$OBJCOPY not found (scripts/deps.sh cross)"
hexval() { printf '%d' "0x$1"; }
sec_addr() { readelf -SW "$1" | awk -v s="$2" '{for (i = 1; i < NF; i++) if ($i == s) print $(i + 2)}'; }
field() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

check() { # ELF HDRSIZE
  local elf=$1 h=$2 hd=$T/h.txt
  "$KEEL" esp app -H "$h" "$elf" -o "$T/p.bin" >/dev/null
  "$U" apphdr "$T/p.bin" > "$hd"
  [ "$(field "$hd" magic)" -eq $((0xace637d3)) ] || fail "magic"
  [ "$(field "$hd" entry)" -eq "$(printf '%d' "$(readelf -h "$elf" | awk '/Entry point/ {print $4}')")" ] || fail "entry"
  for z in lp_rtc_iram_size lp_rtc_dram_size reserved0 reserved3; do [ "$(field "$hd" $z)" -eq 0 ] || fail "$z"; done
  # region name, ELF sections (contiguous), header prefix
  while read -r pre secs; do
    local first=${secs%% *} args=() addr off size
    for s in $secs; do args+=(-j "$s"); done
    addr=$(field "$hd" ${pre}_dest_addr); [ -n "$addr" ] || addr=$(field "$hd" ${pre}_map_addr)
    off=$(field "$hd" ${pre}_flash_offset); size=$(field "$hd" ${pre}_size)
    [ "$addr" -eq "$(hexval "$(sec_addr "$elf" "$first")")" ] || fail "$pre address"
    "$OBJCOPY" -O binary "${args[@]}" "$elf" "$T/sec.bin"
    [ "$size" -eq $(( ($(stat -c %s "$T/sec.bin") + 3) / 4 * 4 )) ] || fail "$pre size $size"
    cmp <(tail -c +$((off - h + 1)) "$T/p.bin" | head -c "$(stat -c %s "$T/sec.bin")") "$T/sec.bin" || fail "$pre bytes"
    case $pre in irom|drom) [ $(( (off - addr) % 65536 )) -eq 0 ] || fail "$pre offset $off not congruent to $addr mod 64 KiB";; esac
    echo "  $pre: 0x$(printf %x "$addr") size $size at image offset 0x$(printf %x "$off")"
  done < "$T/regions"
}
printf 'iram .iram0.text\ndram .dram0.data\ndrom .flash.appdesc .flash.rodata\nirom .flash.text\n' > "$T/regions"
for h in 0x20 0x200; do echo "app-xip -H $h"; check "$V/app-xip.elf" $h; done
printf 'iram .iram0.text\ndram .dram0.data\ndrom .flash.appdesc\n' > "$T/regions"
echo "app-min -H 0x20"; check "$V/app-min.elf" 0x20
[ "$(field "$T/h.txt" irom_size)" -eq 0 ] || fail "absent IROM region not zero"

# sign it as any MCUboot image and find the load header right after the header
"$KEEL" esp app "$V/app-xip.elf" -o "$T/p.bin" >/dev/null
"$KEEL" sign -k "$KEEL_SHARED/vectors/imgtool/key-ec-p256.pem" -H 0x20 --pad-header -S 0x100000 --align 4 -v 1.2.3 "$T/p.bin" "$T/signed.bin"
"$KEEL" verify -k "$KEEL_SHARED/vectors/imgtool/key-ec-p256.pem" "$T/signed.bin" >/dev/null || fail "keel verify"
cmp <(tail -c +33 "$T/signed.bin" | head -c "$(stat -c %s "$T/p.bin")") "$T/p.bin" || fail "payload not at 0x20"

"$KEEL" esp app-info "$T/signed.bin" | grep -qx 'load header OK' || fail "app-info of the signed image"
"$KEEL" esp app-info "$T/p.bin" | grep -q 'drom_flash_offset *0x00010020' || fail "app-info fields"
# app-info names what is wrong in a hostile header (made with --set)
hostile() { # PATTERN --set ...
  local pat=$1; shift
  "$KEEL" esp app "$@" "$V/app-xip.elf" -o "$T/h.bin" >/dev/null
  expect_fail "app-info $*" "$pat" -- esp app-info "$T/h.bin"
}
hostile "entry 0x3fc90000 is not inside the IRAM region" --set entry_addr=0x3fc90000
hostile "magic 0xace637d4"                              --set header_magic=0xace637d4
hostile "IRAM .* is not inside IRAM"                    --set iram_size=0x100000
hostile "DRAM data .* lies outside the image"           --set dram_flash_offset=0x30000
hostile "DROM image offset 0x10024 is not congruent"    --set drom_flash_offset=0x10024
hostile "IROM .* is not inside IROM"                    --set irom_map_addr=0x3fca0000
hostile "IRAM and DRAM regions overlap"                 --set dram_dest_addr=0x3fc88000
hostile "RTC regions"                                   --set lp_rtc_iram_size=4
expect_fail "--set unknown" "bad --set 'nosuch=1'" -- esp app --set nosuch=1 "$V/app-xip.elf" -o "$T/out/h.bin"

# refusals, on ELFs moved about with objcopy
O=$T/out/p.bin
"$OBJCOPY" --change-section-address .dram0.data=0x50000000 "$V/app-min.elf" "$T/rtc.elf" 2>/dev/null
expect_fail "RTC section"   "'.dram0.data' at 0x50000000 .* not in IRAM, DRAM, IROM or DROM" -- esp app "$T/rtc.elf" -o "$O"
"$OBJCOPY" --set-start 0x3fc90000 "$V/app-min.elf" "$T/entry.elf"
expect_fail "entry in DRAM" "entry 0x3fc90000 is not inside the IRAM region" -- esp app "$T/entry.elf" -o "$O"
"$OBJCOPY" --change-section-address .dram0.data=0x3fc80000 "$V/app-min.elf" "$T/alias.elf" 2>/dev/null
expect_fail "IRAM/DRAM alias" "overlap in SRAM" -- esp app "$T/alias.elf" -o "$O"
"$OBJCOPY" --change-section-address .dram0.data=0x40380010 "$V/app-min.elf" "$T/ovl.elf" 2>/dev/null
expect_fail "overlap"       "sections '.dram0.data' and '.iram0.text' overlap" -- esp app "$T/ovl.elf" -o "$O"
expect_fail "not ELF"       "not an ELF file" -- esp app "$V/app-min.bin" -o "$O"
expect_fail "bad -H"        "bad --header-size" -- esp app -H 7 "$V/app-min.elf" -o "$O"
echo "esp app: layouts checked, $nfail refusals"
