# SPDX-License-Identifier: Apache-2.0
"""The CFI driver speaks the full Intel protocol and never relies on QEMU's laxness.

usage: cfi_protocol.py BUILD_DIR

QEMU's flash model accepts sloppy sequences (it erases on 0x20 alone and
overwrites on program, qemu.md 3.4), so a driver could pass every boot test
and still fail on real NOR. This test records every write QEMU's pflash
devices receive (QEMU trace event pflash_io_write) during a test upgrade
(v1 -> v2, including the app's confirmation), a boot of a never-confirming
v3 and its revert, and checks them against the datasheet protocol:
  - every write is a 32-bit command in both chip halves, or data inside a
    command that takes data;
  - block erase is 0x20 then 0xD0 at the same address;
  - buffered program is 0xE8 (repeated while the buffer is busy), the count
    minus one, exactly that many data words inside one 4 KiB write-buffer
    window, then 0xD0, all commands at the same address;
  - unlock is 0x60 then 0xD0/0x01; a CFI query is followed by 0xFF only;
  - NOR rule: every programmed word only clears bits of what a shadow copy
    of the flash holds (erase sets a 256 KiB block to 0xFF);
and finally the shadow must equal the bank files QEMU wrote, so the trace
was complete and nothing depended on overwrite semantics.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virt_test as vt  # noqa: E402

LINE = re.compile(r"pflash_io_write (\S+): offset:0x([0-9a-f]+) size:(\d+) value:0x([0-9a-f]+)")
SECTOR = vt.SECTOR
ERRORS = []


def err(dev, n, msg):
    ERRORS.append("%s write #%d: %s" % (dev, n, msg))


def is_cmd(v, c=None):
    lo = v & 0xFFFF
    return (v >> 16) == lo and lo < 0x100 and (c is None or lo == c)


def check(devname, writes, shadow):
    """writes: [(offset, size, value)]; shadow: bytearray of the bank, updated in place."""
    i, n = 0, len(writes)
    counts = {"erase": 0, "buffer": 0, "words": 0, "unlock": 0, "query": 0}

    def nxt():
        nonlocal i
        if i >= n:
            return None
        w = writes[i]
        i += 1
        if w[1] != 4:
            err(devname, i, "access of %d bytes, not 4" % w[1])
        return w

    def program(off, value):
        old = int.from_bytes(shadow[off:off + 4], "little")
        if value & ~old & 0xFFFFFFFF:
            err(devname, i, "program at 0x%x sets bits: 0x%08x over 0x%08x" % (off, value, old))
        shadow[off:off + 4] = (old & value).to_bytes(4, "little")
        counts["words"] += 1

    while i < n:
        off, _, v = nxt()
        if not is_cmd(v):
            err(devname, i, "0x%08x at 0x%x outside any command" % (v, off))
            continue
        c = v & 0xFF
        if c in (0x50, 0x70, 0xFF):
            continue
        if c == 0x20:
            w = nxt()
            if not w or w[0] != off or not is_cmd(w[2], 0xD0):
                err(devname, i, "erase setup at 0x%x not confirmed by 0xD0 there" % off)
                continue
            b = off & ~(SECTOR - 1)
            shadow[b:b + SECTOR] = b"\xff" * SECTOR
            counts["erase"] += 1
        elif c == 0xE8:
            w = nxt()
            while w and w[0] == off and is_cmd(w[2], 0xE8):
                w = nxt()
            if not w or w[0] != off or not is_cmd(w[2]):
                err(devname, i, "buffered program at 0x%x: no word count" % off)
                continue
            count = (w[2] & 0xFFFF) + 1
            win = off & ~0xFFF
            for _ in range(count):
                d = nxt()
                if not d or not (win <= d[0] < win + 0x1000):
                    err(devname, i, "buffered program at 0x%x: data outside its window" % off)
                    break
                program(d[0], d[2])
            w = nxt()
            if not w or w[0] != off or not is_cmd(w[2], 0xD0):
                err(devname, i, "buffered program at 0x%x: %d words not confirmed by 0xD0" %
                    (off, count))
            counts["buffer"] += 1
        elif c in (0x40, 0x10):
            d = nxt()
            if not d or d[0] != off:
                err(devname, i, "word program at 0x%x without its data" % off)
                continue
            program(off, d[2])
        elif c == 0x60:
            w = nxt()
            if not w or w[0] != off or not (is_cmd(w[2], 0xD0) or is_cmd(w[2], 0x01)):
                err(devname, i, "lock setup at 0x%x not followed by 0xD0/0x01" % off)
            counts["unlock"] += 1
        elif c == 0x98:
            w = nxt()
            if not w or not is_cmd(w[2], 0xFF):
                err(devname, i, "CFI query not left with 0xFF")
            counts["query"] += 1
        else:
            err(devname, i, "unknown command 0x%02x at 0x%x" % (c, off))
    return counts


def self_test():
    """The checker must catch what QEMU would let pass (test of the test)."""
    C = lambda c: c << 16 | c  # noqa: E731
    bad = {
        "erase on 0x20 alone": [(0, 4, C(0x20)), (0, 4, C(0xFF))],
        "program setting bits": [(0, 4, C(0xE8)), (0, 4, 0), (0, 4, 0xFFFFFFFF), (0, 4, C(0xD0))],
        "plain store": [(8, 4, 0x12345678)],
        "unconfirmed buffer": [(0, 4, C(0xE8)), (0, 4, 0), (0, 4, 0), (0, 4, C(0xFF))],
        "buffer data outside window": [(0, 4, C(0xE8)), (0, 4, 0), (0x1000, 4, 0), (0, 4, C(0xD0))],
        "half-bus command": [(0, 4, 0x20), (0, 4, 0xD0)],
        "byte access": [(0, 1, C(0xFF))],
    }
    for what, ws in bad.items():
        before = len(ERRORS)
        check("self-test", ws, bytearray(b"\x00" * 8 + b"\xff" * 0x2000))
        if len(ERRORS) == before:
            vt.fail("the checker accepts %s" % what)
        del ERRORS[before:]
    good = [(0, 4, C(0x20)), (0, 4, C(0xD0)), (0, 4, C(0xFF)), (4, 4, C(0xE8)), (4, 4, C(0xE8)),
            (4, 4, C(1)), (4, 4, 0x12345678), (8, 4, 0), (4, 4, C(0xD0)), (4, 4, C(0xFF))]
    check("self-test", good, bytearray(b"\x00" * 0x40000))
    if ERRORS:
        vt.fail("the checker refuses a correct sequence: %s" % ERRORS)
    print("checker self-test: %d bad sequences caught, a correct one accepted" % len(bad))


def run(bank0, bank1, work, until, name):
    log = os.path.join(work, "trace-%s.log" % name)
    uart = os.path.join(work, "uart-%s.txt" % name)
    q = subprocess.Popen(["qemu-system-riscv32", "-M", "virt", "-bios", "none", "-display", "none",
                          "-monitor", "none", "-serial", "file:" + uart,
                          "-trace", "pflash_io_write", "-D", log] + vt.load_args(bank0, bank1)[2:],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    text = ""
    while time.time() < deadline:
        time.sleep(0.1)
        text = open(uart, errors="replace").read() if os.path.exists(uart) else ""
        if until in text or q.poll() is not None:
            break
    q.terminate()
    q.wait()
    if until not in text:
        vt.fail("%s: %r never appeared:\n%s" % (name, until, text[-2000:]))
    print("run %s: %s" % (name, " / ".join(ln for ln in text.splitlines()
                                           if "version" in ln or "swap" in ln or "REVERT" in ln)))
    writes = {}
    for ln in open(log, errors="replace"):
        m = LINE.search(ln)
        if m:
            writes.setdefault(m.group(1), []).append((int(m.group(2), 16), int(m.group(3)),
                                                      int(m.group(4), 16)))
    return writes


def main():
    if len(sys.argv) != 2:
        print("usage: cfi_protocol.py BUILD_DIR", file=sys.stderr)
        sys.exit(2)
    env = vt.Env(sys.argv[1])
    self_test()
    work = tempfile.mkdtemp(prefix="keel-virt-cfi-")
    pending = {}
    for name, src, ver in (("v2", "app.bin", "2.0.0"), ("v3", "app-bad.bin", "3.0.0")):
        pending[name] = os.path.join(work, name + ".bin")
        subprocess.run([env.keel, "sign", "-H", "0x100", "--pad-header", "--align", "4", "-S",
                        "0x100000", "--pad", "-k", env.f("root-ed25519.pem"), "-v", ver,
                        env.f(src), pending[name]], check=True, stdout=subprocess.DEVNULL)
    bank0, bank1 = vt.make_banks(env, work)
    shadows = {"virt.flash0": bytearray(open(bank0, "rb").read()),
               "virt.flash1": bytearray(open(bank1, "rb").read())}
    total = {}
    steps = (("upgrade", "v2", "app: image confirmed"),
             ("v3-test", "v3", "app: healthy, but this build never confirms"),
             ("revert", None, "app: image confirmed"))
    for name, stage, until in steps:
        if stage:
            vt.patch(bank1, vt.SLOT1 + vt.SECTOR, open(pending[stage], "rb").read())
            shadows["virt.flash1"][vt.SLOT1 + vt.SECTOR:vt.SLOT1 + vt.SECTOR + len(
                open(pending[stage], "rb").read())] = open(pending[stage], "rb").read()
        writes = run(bank0, bank1, work, until, name)
        for dev, ws in writes.items():
            if dev not in shadows:
                vt.fail("writes to an unknown flash device %s" % dev)
            for k, v in check(dev, ws, shadows[dev]).items():
                total[k] = total.get(k, 0) + v
            total["writes"] = total.get("writes", 0) + len(ws)
    for dev, path in (("virt.flash0", bank0), ("virt.flash1", bank1)):
        if bytes(shadows[dev]) != open(path, "rb").read():
            ERRORS.append("%s: the bank file differs from the NOR shadow of the traced commands"
                          % dev)
    print("checked %d flash bus writes: %d block erases, %d buffered programs (%d words), "
          "%d unlocks, %d CFI queries" % (total.get("writes", 0), total.get("erase", 0),
                                          total.get("buffer", 0), total.get("words", 0),
                                          total.get("unlock", 0), total.get("query", 0)))
    if not total.get("erase") or not total.get("buffer"):
        vt.fail("no erase or no buffered program was traced: the check saw nothing")
    if ERRORS:
        for e in ERRORS[:20]:
            print("  " + e)
        vt.fail("%d protocol or NOR-rule violations" % len(ERRORS))
    shutil.rmtree(work, ignore_errors=True)
    print("PASS: virt CFI protocol")


if __name__ == "__main__":
    main()
