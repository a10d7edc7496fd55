#!/usr/bin/env bash
# keel esp outputs checked by the real ESP32-C3 mask ROM in Espressif's QEMU:
# a stage 2 built by `keel esp image`, signed by `keel esp sign`, encrypted by
# `keel esp encrypt`, placed by `keel esp flash-image`, with eFuses burnt by
# `keel esp efuse`. The ROM's own messages decide (espqemu.md §5).
# Emulator: KEEL_ESP_QEMU, else $KEEL_SHARED/tools/espqemu/espqemu.tar.xz
# (extracted once into the build tree), else qemu-system-riscv32 on PATH with
# an esp32c3 machine. None: exit 77, which ctest reports as skipped (not passed).
. "$(dirname "$0")/common.sh"
find_qemu() {
  if [ -n "${KEEL_ESP_QEMU:-}" ]; then echo "$KEEL_ESP_QEMU"; return; fi
  local tb=$KEEL_SHARED/tools/espqemu/espqemu.tar.xz dir=$KEEL_BUILD/tests/esp/espqemu
  if [ -f "$tb" ]; then
    if [ ! -x "$dir/espqemu/bin/qemu-system-riscv32" ]; then
      local tmp; tmp=$(mktemp -d "$KEEL_BUILD/tests/esp/.espqemu.XXXXXX")
      tar -xJf "$tb" -C "$tmp" && mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
    fi
    echo "$dir/espqemu/bin/qemu-system-riscv32"; return
  fi
  if command -v qemu-system-riscv32 >/dev/null && qemu-system-riscv32 -machine help | grep -q esp32c3; then
    command -v qemu-system-riscv32; return
  fi
}
Q=$(find_qemu)
if [ -z "$Q" ]; then
  echo "NO ESP32-C3 EMULATOR: set KEEL_ESP_QEMU or provide ../shared/tools/espqemu; ROM checks NOT RUN" >&2
  # In CI a missing emulator is a failure, never a silent skip.
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
[ -x "$Q" ] || fail "emulator $Q is not executable"
missing=$(ldd "$Q" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
[ -z "$missing" ] || fail "emulator $Q lacks libraries: $missing(run scripts/deps.sh esp)"

# boot FLASH EFUSE|- : runs the ROM until it jumps or halts, leaves its output in $T/uart.txt
boot() {
  local ef=() pid i
  [ "$2" != - ] && ef=(-drive "file=$2,if=none,format=raw,id=efuse" -global driver=nvram.esp32c3.efuse,property=drive,value=efuse)
  : > "$T/uart.txt"
  "$Q" -machine esp32c3 -display none -monitor none -serial "file:$T/uart.txt" \
    -drive "file=$1,if=mtd,format=raw" "${ef[@]}" >"$T/qemu.log" 2>&1 & pid=$!
  # Wait for the ROM's last word (a jump or a halt), not for a time.
  for i in $(seq 600); do
    grep -aqE 'entry 0x|ets_main.c|invalid header' "$T/uart.txt" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.2; kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
  grep -aqE 'ESP-ROM' "$T/uart.txt" || { cat "$T/qemu.log"; fail "the emulator printed no ROM banner"; }
}
expect() { # WHAT PATTERN...: every pattern in the ROM output
  local what=$1; shift
  for p in "$@"; do grep -aqE -- "$p" "$T/uart.txt" || { strings "$T/uart.txt"; fail "$what: ROM did not print '$p'"; }; done
  echo "ROM ok: $what"
}
KEY=$V/sbv2-rsa3072.pem
"$KEEL" esp image "$V/boot-min.elf" -o "$T/boot.bin" >/dev/null
"$KEEL" esp sign -k "$KEY" "$T/boot.bin" -o "$T/boot-signed.bin" >/dev/null
"$KEEL" keygen -t rsa-3072 -k "$T/other.pem"
"$KEEL" esp sign -k "$T/other.pem" "$T/boot.bin" -o "$T/boot-other.bin" >/dev/null
"$KEEL" esp sign -k "$KEY" --append "$T/boot-other.bin" -o "$T/boot-two.bin" >/dev/null
"$KEEL" esp digest -k "$KEY" -o "$T/digest.bin"
for f in boot boot-signed boot-other boot-two; do "$KEEL" esp flash-image -o "$T/$f.flash" 0x0="$T/$f.bin"; done
"$KEEL" esp efuse "$T/sb.efuse" burn-key BLOCK_KEY0 SECURE_BOOT_DIGEST0 "$T/digest.bin"
"$KEEL" esp efuse "$T/sb.efuse" burn SECURE_BOOT_EN 1
"$KEEL" esp efuse "$T/sb1.efuse" burn-key BLOCK_KEY2 "$T/digest.bin" SECURE_BOOT_DIGEST1
"$KEEL" esp efuse "$T/sb1.efuse" burn-efuse SECURE_BOOT_EN 1
cp "$T/sb.efuse" "$T/rev.efuse"; "$KEEL" esp efuse "$T/rev.efuse" burn SECURE_BOOT_KEY_REVOKE0 1
LOADS=('load:0x3fcd5000,len:0x84' 'load:0x403ce000,len:0x2c' 'entry 0x403ce000')

boot "$T/boot.flash" -;            expect "plain image, no eFuses" "${LOADS[@]}"
boot "$T/boot-signed.flash" "$T/sb.efuse"; expect "signed, digest 0" 'secure boot verification succeeded' "${LOADS[@]}"
boot "$T/boot-signed.flash" "$T/sb1.efuse"; expect "signed, digest in slot 1" 'secure boot verification succeeded' "${LOADS[@]}"
boot "$T/boot-two.flash" "$T/sb.efuse"; expect "block 0 other key, block 1 trusted" 'Sig block 0 signed with untrusted key' 'secure boot verification succeeded' 'entry 0x403ce000'
boot "$T/boot-other.flash" "$T/sb.efuse"; expect "signed by another key" 'untrusted key' 'secure boot verification failed'
boot "$T/boot.flash" "$T/sb.efuse";  expect "unsigned" 'Image not V2 signed' 'secure boot verification failed'
boot "$T/boot-signed.flash" "$T/rev.efuse"; expect "digest 0 revoked" 'secure boot verification failed'
cp "$T/boot-signed.flash" "$T/flip.flash"; printf '\x01' | dd of="$T/flip.flash" bs=1 seek=$((0x30)) conv=notrunc status=none
boot "$T/flip.flash" "$T/sb.efuse"; expect "one byte changed after signing" 'secure boot verification failed'
grep -aq 'entry 0x' "$T/uart.txt" && fail "a changed image was started"

# flash encryption: signed then encrypted at 0x0, key burnt by keel (byte-reversed)
"$KEEL" esp encrypt -k "$V/fe-key-xts128.bin" --address 0 "$T/boot-signed.bin" -o "$T/enc.bin"
"$KEEL" esp flash-image -o "$T/enc.flash" 0x0="$T/enc.bin"
cp "$T/sb.efuse" "$T/fe.efuse"
"$KEEL" esp efuse "$T/fe.efuse" burn-key BLOCK_KEY1 "$V/fe-key-xts128.bin" XTS_AES_128_KEY
"$KEEL" esp efuse "$T/fe.efuse" burn SPI_BOOT_CRYPT_CNT 1
boot "$T/enc.flash" "$T/fe.efuse"; expect "signed + encrypted" 'secure boot verification succeeded' "${LOADS[@]}"
boot "$T/enc.flash" "$T/sb.efuse"; expect "encrypted, no key" 'invalid header'
echo "esp rom: 10 ROM runs as expected"
