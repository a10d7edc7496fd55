# SPDX-License-Identifier: Apache-2.0
"""ESP32-C3 boot benchmark (ports/esp32c3/bench.sh): keel-boot's ESP image size and the guest
instructions from the ROM's hand-off to keel-boot until the app's entry, for a 256 KiB app.

usage: c3_bench.py BUILD_DIR LABEL   (BUILD_DIR: a cross build's ports/esp32c3)

Runs Espressif's QEMU with the real ROM under -icount shift=0 (instructions = virtual time),
with eFuse DIS_USB_SERIAL_JTAG_ROM_PRINT set so the ROM makes no timed wait (espqemu.md
section 10). A gdbstub breakpoint at keel-boot's entry and one at the app's entry read minstret
(CSR 0xb02, exact under -icount); the difference is keel-boot's work: validating the 256 KiB
image (hash + signature), loading its RAM segments, mapping the flash ones. Prints one
Markdown table row: label | image bytes | without serial recovery | bytes the ROM loads |
ROM instructions to keel-boot | keel-boot instructions.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import c3_test  # noqa: E402
import harness  # noqa: E402
from harness import fail  # noqa: E402

APP_BYTES = 256 * 1024
MINSTRET_REGNUM = 66 + 0xB02     # QEMU riscv gdbstub: CSR n is register 66 + n


def minstret(g):
    r = g.cmd("p%x" % MINSTRET_REGNUM)
    if len(r) != 8:
        fail("gdbstub: cannot read minstret (%r)" % r)
    return int.from_bytes(bytes.fromhex(r), "little")


def main():
    if len(sys.argv) != 3:
        print("usage: c3_bench.py BUILD_DIR LABEL", file=sys.stderr)
        sys.exit(2)
    env = c3_test.Env(sys.argv[1])
    label = sys.argv[2]
    pl = env.w("app-256k.payload")
    shutil.copy(env.f("app.payload"), pl)
    if os.path.getsize(pl) > APP_BYTES:
        fail("the app payload is larger than %d bytes" % APP_BYTES)
    with open(pl, "r+b") as fh:
        fh.truncate(APP_BYTES)
    app = env.sign("app-256k.bin", "1.0.0", payload=pl)
    flash = env.flash("bench.flash", [(c3_test.SLOT0, app)])
    ef = env.w("bench.efuse")
    env.keel_ok("esp", "efuse", ef, "burn", "DIS_USB_SERIAL_JTAG_ROM_PRINT", "1")
    boot_entry, = c3_test.symbols(env, env.f("keel-boot.elf"), ["c3_start"])
    app_entry, = c3_test.symbols(env, env.f("app.elf"), ["c3_start"])
    sock = env.w("gdb.sock")
    uart = env.w("uart.txt")
    q = subprocess.Popen([env.qemu, "-machine", "esp32c3", "-display", "none", "-monitor", "none",
                          "-serial", "file:" + uart, "-icount", "shift=0,sleep=off",
                          "-drive", "file=%s,if=mtd,format=raw" % flash,
                          "-drive", "file=%s,if=none,format=raw,id=efuse" % ef,
                          "-global", "driver=nvram.esp32c3.efuse,property=drive,value=efuse",
                          "-S", "-gdb", "unix:%s,server=on,wait=off" % sock],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        g = harness.GdbStub(sock, timeout=300)
        g.break_at(boot_entry)
        g.cont()
        at_boot = minstret(g)
        g.clear(boot_entry)
        g.break_at(app_entry)
        g.cont()
        at_app = minstret(g)
        g.close()
    finally:
        q.kill()
        q.wait()
    with open(uart, "rb") as fh:
        text = fh.read().decode("latin-1")
    if "booting primary 1.0.0+0 (verified)" not in text:
        fail("keel-boot did not verify the 256 KiB app:\n" + text)
    loads = [int(n, 16) for n in re.findall(r"load:0x[0-9a-f]+,len:0x([0-9a-f]+)", text)]
    size = os.path.getsize(env.f("keel-boot.bin"))
    norec = os.path.getsize(env.f("keel-boot-norec.bin"))
    print("| %s | %d | %d | %d | %d | %d |" % (label, size, norec, sum(loads), at_boot, at_app - at_boot),
          flush=True)
    shutil.rmtree(env.work, ignore_errors=True)


if __name__ == "__main__":
    main()
