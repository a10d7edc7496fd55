# SPDX-License-Identifier: Apache-2.0
"""Build check: keel-mbr and keel-boot never write SCB->VTOR (0xE000ED08).

The nRF51's Cortex-M0 has no VTOR (QEMU's has one, so a write would pass
there and fail on silicon). Thumb-1 code can only reach an address like
that through a literal-pool word (plus a store offset of at most 124), so
the check disassembles every ELF and fails on any literal that is VTOR or
a base from which a word store could reach it. Each ELF must also contain
literals at all (proof the scan sees the code).
usage: check_vtor.py [--expect-hit] OBJDUMP ELF...
--expect-hit inverts the verdict for a self-test: exit 0 only if every ELF
has literals and at least one of them can address VTOR.
"""
import re
import subprocess
import sys

VTOR = 0xE000ED08


def main():
    args = sys.argv[1:]
    expect_hit = args[:1] == ["--expect-hit"]
    if expect_hit:
        args = args[1:]
    objdump, elfs = args[0], args[1:]
    bad = 0
    found = 0
    empty = 0
    for elf in elfs:
        out = subprocess.run([objdump, "-d", elf], stdout=subprocess.PIPE, check=True,
                             universal_newlines=True).stdout
        words = [int(m, 16) for m in re.findall(r"\.word\s+0x([0-9a-f]{8})", out)]
        hits = [w for w in words if VTOR - 124 <= w <= VTOR]
        scb = [w for w in words if 0xE000E000 <= w <= 0xE000EFFF]
        if not words:
            print("%s: no literal pool words found: the scan cannot be trusted" % elf)
            bad += 1
            empty += 1
        elif hits:
            print("%s: literal(s) %s can address SCB->VTOR" % (elf, ", ".join("0x%08x" % h for h in hits)))
            bad += 1
            found += 1
        else:
            print("%s: %d literals, System Control Space ones: %s; none reaches VTOR" %
                  (elf, len(words), ", ".join(sorted({"0x%08x" % w for w in scb})) or "none"))
    if expect_hit:
        ok = found > 0 and empty == 0
        print("self-test: the scan %s a VTOR literal" % ("found" if ok else "did NOT find"))
        sys.exit(0 if ok else 1)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
