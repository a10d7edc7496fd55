#!/usr/bin/env bash
# Installs the Debian packages a make target needs, and only those missing.
# Usage: scripts/deps.sh GROUP...   (groups: host crypto cross qemu serial fuzz esp)
set -euo pipefail

pkgs_for() {
  case "$1" in
    host)   echo "build-essential cmake pkg-config libssl-dev libsodium-dev xxd openssl python3" ;;
    crypto) echo "valgrind libssl-dev libsodium-dev" ;;
    cross)  echo "gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf" ;;
    qemu)   echo "qemu-system-arm qemu-system-misc" ;;
    serial) echo "python3-cbor2 python3-crcmod python3-serial" ;;
    fuzz)   echo "clang libclang-rt-14-dev" ;;
    esp)    echo "gdb-multiarch libglib2.0-0 libgcrypt20 libslirp0 libfdt1 zlib1g xz-utils" ;;
    *) echo "deps.sh: unknown package group '$1'" >&2; exit 2 ;;
  esac
}

want=()
for group in "$@"; do
  for p in $(pkgs_for "$group"); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || want+=("$p")
  done
done
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing Debian packages: ${want[*]}; run as root or install them" >&2
  exit 1
fi
echo "deps.sh: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/keel-update-stamp
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
if ! apt-get install -y -qq --no-install-recommends "${want[@]}" >/tmp/keel-apt.log 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}" || { echo "deps.sh: apt-get install failed" >&2; exit 1; }
fi
