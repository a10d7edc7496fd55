# SPDX-License-Identifier: Apache-2.0
"""rv32 virt (QEMU virt, CFI flash) end-to-end tests: keel-boot -> app.

usage: virt_test.py SCENARIO BUILD_DIR   (scenarios: see SCENARIOS below)

BUILD_DIR is the virt cross build's ports/virt folder (images, keys). The
device is two 32 MiB files, the CFI banks QEMU writes through to: bank 0
holds keel-boot at 0 (executed in place from reset) and the recovery request
word in its last sector; bank 1 holds the slots (docs/virt.md). Every
scenario starts from 0xFF-filled banks (an erased device) with a signed app
in the primary. A reset is a QEMU restart from the same files: a power cycle.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
from harness import HarnessError, app_boots, fail, keel_serial, read, tampered_copy  # noqa: E402

BANK = 32 << 20
SECTOR = 0x40000
SLOT0, SLOT0_SIZE = 0x000000, 4 * SECTOR
SLOT1, SLOT1_SIZE = 0x100000, 5 * SECTOR
REQ_RECOVERY = BANK - SECTOR          # bank-0 offset
REQ_MAGIC = 0x5155514B


class Env:
    def __init__(self, build):
        self.n = os.path.abspath(build)
        root = os.path.dirname(os.path.dirname(self.n))
        host = os.environ.get("KEEL_HOST_BUILD") or os.path.join(root, "host")
        self.keel = os.path.join(host, "tools", "keel", "keel")
        self.plugin = os.path.join(host, "tools", "bench", "libinsncount.so")
        for f in (self.keel,):
            if not os.path.exists(f):
                fail("missing host tool %s" % f)

    def f(self, name):
        p = os.path.join(self.n, name)
        if not os.path.exists(p):
            fail("missing build output %s" % p)
        return p



def make_banks(env, work, app="app-v1.signed.bin", boot="keel-boot.bin"):
    b0 = bytearray(b"\xff" * BANK)
    k = read(env.f(boot))
    b0[0:len(k)] = k
    b1 = bytearray(b"\xff" * BANK)
    if app:
        a = read(env.f(app))
        b1[SLOT0:SLOT0 + len(a)] = a
    paths = (os.path.join(work, "bank0.img"), os.path.join(work, "bank1.img"))
    for p, data in zip(paths, (b0, b1)):
        with open(p, "wb") as fh:
            fh.write(data)
    return paths


def patch(path, off, data):
    """Changes a bank file while the device is off."""
    with open(path, "r+b") as fh:
        fh.seek(off)
        fh.write(data)


def load_args(bank0, bank1):
    return ["-bios", "none",
            "-drive", "if=pflash,format=raw,unit=0,file=" + bank0,
            "-drive", "if=pflash,format=raw,unit=1,file=" + bank1]


WORKDIRS = []   # removed after a passing scenario (two 32 MiB banks each); kept on failure


def board_for(env, name, app="app-v1.signed.bin", boot="keel-boot.bin", work=None):
    if not work:
        work = tempfile.mkdtemp(prefix="keel-virt-%s-" % name)
        WORKDIRS.append(work)
    bank0, bank1 = make_banks(env, work, app=app, boot=boot)
    b = harness.Board("virt", bank1, workdir=work, qemu="qemu-system-riscv32", name=name,
                      load_args=load_args(bank0, bank1))
    b.bank0, b.bank1 = bank0, bank1
    return b


def smp(env, b, *args, ok=True):
    return keel_serial(env.keel, b, *args, ok=ok)


def smp_reset(env, b):
    harness.smp_reset(env.keel, b)


def boots(b, version, confirms=True):
    app_boots(b, version, 'trap vector in the app: ok', confirms)


def upload_and_reset(env, b, image):
    smp(env, b, "upload", image)
    smp_reset(env, b)


def sc_boot(env):
    """A signed app boots from CFI flash through keel-boot, prints its version, takes interrupts."""
    b = board_for(env, "boot")
    try:
        b.start()
        b.wait_for("keel-boot: rv32 virt, swap-offset")
        boots(b, "1.0.0+0")
        b.power_cycle()
        boots(b, "1.0.0+0")
    finally:
        b.close()


def to_v2(env, b):
    b.start()
    boots(b, "1.0.0+0")
    upload_and_reset(env, b, env.f("app-v2.signed.bin"))
    b.wait_for("swap-offset TEST")
    boots(b, "2.0.0+0")


def sc_update(env):
    """v1 -> v2 through the app; after reset v2 runs and confirms; after another reset v2 stays."""
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
    """v3 never confirms: after reset v3 runs once, after the next reset v2 is back."""
    b = board_for(env, "revert")
    try:
        to_v2(env, b)
        upload_and_reset(env, b, env.f("app-v3.signed.bin"))
        boots(b, "3.0.0+0", confirms=False)
        smp_reset(env, b)
        boots(b, "2.0.0+0")
        if "REVERT" not in b.run_text():
            fail("keel-boot did not report a revert")
        b.power_cycle()
        boots(b, "2.0.0+0")
        b.expect_absent("version 3.0.0")
    finally:
        b.close()


def tamper(env, work):
    return tampered_copy(env.f("app-v3.signed.bin"), work)


def sc_tampered(env):
    """A tampered or wrongly signed image in the secondary is refused, v2 keeps running."""
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
    """Serial recovery on the UART: by request word, and with the primary erased (keel serial)."""
    b = board_for(env, "recovery")
    try:
        patch(b.bank0, REQ_RECOVERY, REQ_MAGIC.to_bytes(4, "little"))
        b.start()
        b.wait_for("keel-boot: entering serial recovery (requested)")
        st, out = smp(env, b, "list")
        if "1.0.0" not in out:
            fail("recovery's image list does not show the primary's version 1.0.0")
        smp_reset(env, b)
        boots(b, "1.0.0+0")       # the request word was consumed
        b.stop()
        patch(b.bank1, SLOT0, b"\xff" * SLOT0_SIZE)
        b.start()
        b.wait_for("keel-boot: entering serial recovery (no bootable image)")
        smp(env, b, "upload", env.f("app-v2.signed.bin"))
        smp_reset(env, b)
        boots(b, "2.0.0+0")
    finally:
        b.close()


SCENARIOS = {"boot": sc_boot, "update": sc_update, "revert": sc_revert, "tampered": sc_tampered,
             "recovery": sc_recovery}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        print("usage: virt_test.py {%s} BUILD_DIR" % "|".join(SCENARIOS), file=sys.stderr)
        sys.exit(2)
    env = Env(sys.argv[2])
    try:
        SCENARIOS[sys.argv[1]](env)
    except HarnessError as e:
        fail(str(e))
    for w in WORKDIRS:
        shutil.rmtree(w, ignore_errors=True)
    print("PASS: virt %s" % sys.argv[1])


if __name__ == "__main__":
    main()
