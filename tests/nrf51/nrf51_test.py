# SPDX-License-Identifier: Apache-2.0
"""nRF51 (QEMU microbit) end-to-end tests: keel-mbr -> keel-boot -> app.

usage: nrf51_test.py SCENARIO BUILD_DIR   (scenarios: see SCENARIOS below)

BUILD_DIR is the nRF51 cross build's ports/nrf51 folder (images, keys) and
holds host/ tools. Every scenario starts from a fresh 256 KiB flash image
(0xFF-filled, as an erased device; QEMU's own unwritten flash reads 0x00),
with keel-mbr at 0x0, keel-boot at 0x1000 and a signed app in the primary.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
from harness import HarnessError, app_boots, fail, keel_serial, read, run_tool, tampered_copy  # noqa: E402

FLASH = 0x40000
BOOT = 0x1000
BOOT_END = 0xC000
SLOT0, SLOT0_SIZE = 0xC000, 0x19C00
SLOT1, SLOT1_SIZE = 0x25C00, 0x1A000
REQ_PAGE = 0x3FC00
REQ_MBR, REQ_RECOVERY = REQ_PAGE, REQ_PAGE + 4
REQ_MAGIC = 0x5155514B


class Env:
    def __init__(self, build):
        self.n = os.path.abspath(build)
        root = os.path.dirname(os.path.dirname(self.n))
        host = os.environ.get("KEEL_HOST_BUILD") or os.path.join(root, "host")
        self.keel = os.path.join(host, "tools", "keel", "keel")
        self.mbrflash = os.path.join(host, "tools", "mbrflash", "mbrflash")
        for f in (self.keel, self.mbrflash):
            if not os.path.exists(f):
                fail("missing host tool %s" % f)

    def f(self, name):
        p = os.path.join(self.n, name)
        if not os.path.exists(p):
            fail("missing build output %s" % p)
        return p



def make_flash(env, path, app="app-v1.signed.bin", mbr="keel-mbr.bin"):
    img = bytearray(b"\xff" * FLASH)

    def put(off, data):
        img[off:off + len(data)] = data
    put(0, read(env.f(mbr)))
    put(BOOT, read(env.f("keel-boot.img")))
    if app:
        put(SLOT0, read(env.f(app)))
    with open(path, "wb") as fh:
        fh.write(img)


def patch_flash(board, off, data):
    """Changes the saved flash between runs (the device is off)."""
    with open(board.flash, "r+b") as fh:
        fh.seek(off)
        fh.write(data)


def board_for(env, name, app="app-v1.signed.bin"):
    import tempfile
    work = tempfile.mkdtemp(prefix="keel-nrf51-%s-" % name)
    flash = os.path.join(work, "flash.bin")
    make_flash(env, flash, app=app)
    return harness.Board("microbit", flash, workdir=work, dump=(0, FLASH), name=name)


def smp(env, b, *args, ok=True):
    return keel_serial(env.keel, b, *args, ok=ok)


def smp_reset(env, b):
    harness.smp_reset(env.keel, b)


def boots(b, version, confirms=True):
    app_boots(b, version, 'forwarded through keel-mbr: ok', confirms)


def upload_and_reset(env, b, image):
    smp(env, b, "upload", env.f(image))
    smp_reset(env, b)


def sc_boot(env):
    """1. A signed app boots through keel-mbr and keel-boot and prints its version."""
    b = board_for(env, "boot")
    try:
        b.start()
        b.wait_for("keel-boot: nRF51")
        boots(b, "1.0.0+0")
        b.expect_absent("keel-mbr: update mode")
    finally:
        b.close()


def sc_irq(env):
    """7. TIMER0 and SVC reach the app's handlers through keel-mbr's forwarding, VTOR untouched."""
    b = board_for(env, "irq")
    try:
        b.start()
        b.wait_for("app: TIMER0 irqs 10, SVC #42 -> 49, VTOR 0, forwarded through keel-mbr: ok")
    finally:
        b.close()


def to_v2(env, b):
    b.start()
    boots(b, "1.0.0+0")
    upload_and_reset(env, b, "app-v2.signed.bin")
    b.wait_for("swap-offset TEST")
    boots(b, "2.0.0+0")


def sc_update(env):
    """2. v1 -> v2 through the app; after reset v2 runs and confirms; after another reset v2 stays."""
    b = board_for(env, "update")
    try:
        to_v2(env, b)
        smp_reset(env, b)
        boots(b, "2.0.0+0")
        b.expect_absent("REVERT")
        b.power_cycle()
        boots(b, "2.0.0+0")
    finally:
        b.close()


def sc_revert(env):
    """3. v3 never confirms: after reset v3 runs once, after the next reset v2 is back."""
    b = board_for(env, "revert")
    try:
        to_v2(env, b)
        upload_and_reset(env, b, "app-v3.signed.bin")
        boots(b, "3.0.0+0", confirms=False)
        smp_reset(env, b)
        boots(b, "2.0.0+0")
        if "REVERT" not in b.run_text():
            fail("keel-boot did not report a revert")
    finally:
        b.close()


def tamper(env, work):
    return tampered_copy(env.f("app-v3.signed.bin"), work)


def sc_tampered(env):
    """4. A tampered or wrongly signed image in the secondary is refused, v2 keeps running."""
    b = board_for(env, "tampered", app="app-v2.signed.bin")
    try:
        b.start()
        boots(b, "2.0.0+0")
        for image in (tamper(env, b.workdir), env.f("app-v4-otherkey.signed.bin")):
            smp(env, b, "upload", image)
            smp_reset(env, b)
            b.wait_for("secondary refused")
            boots(b, "2.0.0+0")
            b.expect_absent("version 3.0.0")
            b.expect_absent("version 4.0.0")
    finally:
        b.close()


def sc_recovery(env):
    """5. Serial recovery: by request word, and with the primary erased (keel serial upload)."""
    b = board_for(env, "recovery")
    try:
        patch_flash(b, REQ_RECOVERY, REQ_MAGIC.to_bytes(4, "little"))
        b.start()
        b.wait_for("keel-boot: entering serial recovery (requested)")
        st, out = smp(env, b, "list")
        if "1.0.0" not in out:
            fail("recovery's image list does not show the primary's version 1.0.0")
        smp_reset(env, b)
        boots(b, "1.0.0+0")
        b.stop()
        patch_flash(b, SLOT0, b"\xff" * SLOT0_SIZE)
        b.start()
        b.wait_for("keel-boot: entering serial recovery (no bootable image)")
        smp(env, b, "upload", env.f("app-v2.signed.bin"))
        smp_reset(env, b)
        boots(b, "2.0.0+0")
    finally:
        b.close()


def bad_crc_frame(b):
    """A write request with a wrong CRC must be answered with status 1 and change nothing."""
    import socket
    import struct
    body = b"W" + struct.pack("<HI", 4, 0x1000) + b"\0\0\0\0"
    frame = b"KM" + body + b"\xde\xad"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(b.proxy)
    s.sendall(frame)
    rsp = b""
    while len(rsp) < 7 or rsp.find(b"km") < 0 or len(rsp) < rsp.find(b"km") + 7:
        data = s.recv(64)
        if not data:
            break
        rsp += data
    s.close()
    i = rsp.find(b"km")
    if i < 0 or rsp[i + 2] != 1:
        fail("keel-mbr did not answer a bad-CRC frame with status 1: %r" % rsp)
    print("keel-mbr answered a frame with a bad CRC: status 1 (CRC error)", flush=True)


def sc_mbr(env):
    """6. keel-mbr's UART mode rewrites a wiped keel-boot and the device boots again."""
    b = board_for(env, "mbr")
    tool = env.mbrflash
    try:
        # One flipped bit in keel-boot's body fails the MBR's CRC check, every boot.
        body = bytearray(read(env.f("keel-boot.img")))
        patch_flash(b, BOOT + 0x800, bytes([body[0x800] ^ 0x10]))
        b.start()
        b.wait_for("keel-mbr: update mode (keel-boot missing or corrupt)")
        bad_crc_frame(b)
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "boot"])
        if st:
            fail("mbrflash boot")
        b.wait_reset()
        b.wait_for("keel-mbr: update mode (keel-boot missing or corrupt)")
        b.expect_absent("keel-boot:")
        b.stop()
        # Wiped keel-boot: rewritten through the MBR's UART mode.
        patch_flash(b, BOOT, b"\xff" * (BOOT_END - BOOT))
        b.start()
        b.wait_for("keel-mbr: update mode (keel-boot missing or corrupt)")
        b.expect_absent("keel-boot:")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "info"])
        if st or "writable from 0x1000" not in out:
            fail("mbrflash info")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "write", "0x0",
                            env.f("keel-mbr-nostage1.bin")])
        if st == 0 or "refused" not in out:
            fail("keel-mbr accepted a write over itself")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "write", "0x1000",
                            env.f("keel-boot.img"), "boot"])
        if st:
            fail("mbrflash write")
        b.wait_reset()
        b.wait_for("keel-boot: nRF51")
        boots(b, "1.0.0+0")
        # The request word puts a healthy device into update mode once.
        b.stop()
        patch_flash(b, REQ_MBR, REQ_MAGIC.to_bytes(4, "little"))
        b.start()
        b.wait_for("keel-mbr: update mode (requested)")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "boot"])
        if st:
            fail("mbrflash boot")
        b.wait_reset()
        boots(b, "1.0.0+0")
        b.expect_absent("keel-mbr: update mode")
        # Any blob above the MBR: an app into the primary slot. keel-boot still verifies
        # what it boots: a signed v2 runs, a tampered one is not started.
        for image, good in ((env.f("app-v2.signed.bin"), True), (tamper(env, b.workdir), False)):
            b.stop()
            with open(b.flash, "r+b") as fh:
                fh.seek(REQ_PAGE)
                fh.write(b"\xff" * 1024)          # a fresh request needs an erased page
            patch_flash(b, REQ_MBR, REQ_MAGIC.to_bytes(4, "little"))
            b.start()
            b.wait_for("keel-mbr: update mode (requested)")
            st, out = run_tool([tool, "-p", "unix:" + b.proxy, "write", "0xc000", image, "boot"])
            if st:
                fail("mbrflash write of an app")
            b.wait_reset()
            if good:
                boots(b, "2.0.0+0")
            else:
                b.wait_for("keel-boot: entering serial recovery (no bootable image)")
                b.expect_absent("app: Keel sample app")
    finally:
        b.close()


def sc_nostage1(env):
    """keel-mbr built for "no stage 1" starts the app itself (keel-boot region erased)."""
    import tempfile
    work = tempfile.mkdtemp(prefix="keel-nrf51-nostage1-")
    flash = os.path.join(work, "flash.bin")
    make_flash(env, flash, mbr="keel-mbr-nostage1.bin")
    b = harness.Board("microbit", flash, workdir=work, dump=(0, FLASH), name="nostage1")
    try:
        patch_flash(b, BOOT, b"\xff" * (BOOT_END - BOOT))
        b.start()
        b.wait_for("app: Keel sample app version 1.0.0+0")
        b.wait_for("forwarded through keel-mbr: ok")
        b.expect_absent("keel-boot:")
        b.expect_absent("keel-mbr: update mode")
    finally:
        b.close()


def sc_mbrlocked(env):
    """The production-style keel-mbr (keel-mbr-locked) writes keel-boot's region only."""
    import tempfile
    work = tempfile.mkdtemp(prefix="keel-nrf51-mbrlocked-")
    flash = os.path.join(work, "flash.bin")
    make_flash(env, flash, mbr="keel-mbr-locked.bin")
    b = harness.Board("microbit", flash, workdir=work, dump=(0, FLASH), name="mbrlocked")
    tool = env.mbrflash
    try:
        patch_flash(b, BOOT, b"\xff" * (BOOT_END - BOOT))
        b.start()
        b.wait_for("keel-mbr: update mode (keel-boot missing or corrupt)")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "info"])
        if st or "writable from 0x1000 to 0xc000" not in out:
            fail("keel-mbr-locked does not report the keel-boot region as its window")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "write", "0xc000",
                            env.f("app-v2.signed.bin")])
        if st == 0 or "refused" not in out:
            fail("keel-mbr-locked accepted an app write")
        st, out = run_tool([tool, "-p", "unix:" + b.proxy, "write", "0x1000",
                            env.f("keel-boot.img"), "boot"])
        if st:
            fail("mbrflash write of keel-boot")
        b.wait_reset()
        boots(b, "1.0.0+0")
    finally:
        b.close()


SCENARIOS = {"boot": sc_boot, "update": sc_update, "revert": sc_revert, "tampered": sc_tampered,
             "recovery": sc_recovery, "mbr": sc_mbr, "irq": sc_irq, "nostage1": sc_nostage1,
             "mbrlocked": sc_mbrlocked}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        print("usage: nrf51_test.py {%s} BUILD_DIR" % "|".join(SCENARIOS), file=sys.stderr)
        sys.exit(2)
    env = Env(sys.argv[2])
    try:
        SCENARIOS[sys.argv[1]](env)
    except HarnessError as e:
        fail(str(e))
    print("PASS: nrf51 %s" % sys.argv[1])


if __name__ == "__main__":
    main()
