# SPDX-License-Identifier: Apache-2.0
"""ESP32-C3 end-to-end tests: the real mask ROM -> keel-boot -> the sample app,
under Espressif's QEMU (docs/esp32c3.md section 2).

usage: c3_test.py SCENARIO BUILD_DIR   (scenarios: see SCENARIOS below)

BUILD_DIR is the esp32c3 cross build's ports/esp32c3 folder (keel-boot.bin,
app payloads, keys). Every flash is made here by `keel` only: `keel sign`
for the apps, `keel esp sign` for keel-boot, `keel esp flash-image` for the
4 MiB flash file and `keel esp efuse` for the eFuse file. The emulator is
found as tests/esp/rom.sh finds it: KEEL_ESP_QEMU, then the tarball in
$KEEL_SHARED/tools/espqemu (extracted once into $KEEL_BUILD/tests/esp),
then qemu-system-riscv32 on PATH; none: exit 77 (skipped), a failure in CI.
"""
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
from harness import HarnessError, fail, run_tool  # noqa: E402

SLOT0, SLOT1, SLOT_SIZE = 0x10000, 0x110000, 0x100000
SBV2_KEY = "sbv2-rsa3072.pem"


def find_qemu():
    q = os.environ.get("KEEL_ESP_QEMU")
    if q:
        return q
    shared = os.environ.get("KEEL_SHARED", "")
    tb = os.path.join(shared, "tools", "espqemu", "espqemu.tar.xz")
    if os.path.isfile(tb):
        d = os.path.join(os.environ.get("KEEL_BUILD", "."), "tests", "esp", "espqemu")
        q = os.path.join(d, "espqemu", "bin", "qemu-system-riscv32")
        if not os.access(q, os.X_OK):
            os.makedirs(os.path.dirname(d), exist_ok=True)
            tmp = tempfile.mkdtemp(dir=os.path.dirname(d), prefix=".espqemu.")
            with tarfile.open(tb) as t:
                t.extractall(tmp)
            try:
                os.rename(tmp, d)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)   # another test extracted it first
        return q
    p = shutil.which("qemu-system-riscv32")
    if p and b"esp32c3" in subprocess.run([p, "-machine", "help"], stdout=subprocess.PIPE).stdout:
        return p
    return None


class Env:
    def __init__(self, build, need_qemu=True):
        self.n = os.path.abspath(build)
        host = os.environ.get("KEEL_HOST_BUILD") or self._host_from_cache()
        self.keel = os.path.join(host, "tools", "keel", "keel")
        if not os.path.exists(self.keel):
            fail("missing host tool %s" % self.keel)
        self.qemu = find_qemu() if need_qemu else None
        if need_qemu and not self.qemu:
            print("NO ESP32-C3 EMULATOR: set KEEL_ESP_QEMU or provide ../shared/tools/espqemu; "
                  "ESP32-C3 tests NOT RUN", flush=True)
            sys.exit(1 if os.environ.get("CI") == "true" else 77)
        self.work = tempfile.mkdtemp(prefix="keel-c3-")
        self.vectors = os.path.join(os.environ.get("KEEL_SHARED", ""), "vectors", "esp")

    def _host_from_cache(self):
        root = os.path.dirname(os.path.dirname(self.n))
        with open(os.path.join(root, "CMakeCache.txt")) as fh:
            for ln in fh:
                if ln.startswith("KEEL_HOST_BUILD:") and ln.split("=", 1)[1].strip():
                    return ln.split("=", 1)[1].strip()
        return os.path.join(root, "host")

    def f(self, name):
        p = os.path.join(self.n, name)
        if not os.path.exists(p):
            fail("missing build output %s" % p)
        return p

    def w(self, name):
        return os.path.join(self.work, name)

    def keel_ok(self, *args):
        st, out = run_tool([self.keel] + [str(a) for a in args])
        if st != 0:
            fail("keel %s failed (status %d)" % (" ".join(str(a) for a in args), st))
        return out

    def sign(self, out, version, payload="app.payload", key="root-key.pem", extra=(), slot=SLOT_SIZE):
        """An app image for a 1 MiB slot: the load header payload signed by `keel sign`."""
        self.keel_ok("sign", "-k", self.f(key), "-H", "0x20", "--pad-header", "-S", hex(slot),
                     "-M", str(slot // 4096), "-v", version, *extra,
                     payload if os.path.isabs(payload) else self.f(payload), self.w(out))
        return self.w(out)

    def flash(self, name, parts, boot=None):
        """A 4 MiB flash file from OFFSET=FILE parts, keel-boot at 0x0."""
        args = ["esp", "flash-image", "-o", self.w(name), "0x0=" + (boot or self.f("keel-boot.bin"))]
        args += ["0x%x=%s" % (off, path) for off, path in parts]
        self.keel_ok(*args)
        return self.w(name)

    def board(self, name, flash, efuse=None, extra=()):
        load = ["-drive", "file=%s,if=mtd,format=raw" % flash]
        if efuse:
            load += ["-drive", "file=%s,if=none,format=raw,id=efuse" % efuse,
                     "-global", "driver=nvram.esp32c3.efuse,property=drive,value=efuse"]
        wd = tempfile.mkdtemp(prefix=name + "-", dir=self.work)
        return harness.Board("esp32c3", flash, workdir=wd, qemu=self.qemu, name=name,
                             load_args=load, extra_args=list(extra))


def expect_in_run(b, needle):
    if needle not in b.run_text():
        raise HarnessError("%r missing from this run's output:\n%s" % (needle, b.run_text()))


def boots(b, version, confirms=True):
    b.wait_for("ESP-ROM:esp32c3", 30)
    b.wait_for("keel-boot: ESP32-C3", 30)
    b.wait_for("keel-boot: ", 60)
    b.wait_for("starting the app at 0x40380000", 60)
    b.wait_for("app: Keel sample app version %s on esp32c3" % version, 30)
    b.wait_for("running from flash through the MMU: ok", 30)
    b.wait_for("app: image confirmed" if confirms else "app: healthy, but this build never confirms", 30)
    b.wait_for("app: waiting for SMP requests", 30)


def sc_boot(env):
    """1. A flash built only with keel boots: ROM banner, keel-boot banner, app version."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    b = env.board("boot", env.flash("boot.flash", [(SLOT0, v1)]))
    try:
        b.start()
        b.wait_for("ESP-ROM:esp32c3-api1-20210207", 30)
        b.wait_for("entry 0x403c4000", 30)
        b.wait_for("keel-boot: ESP32-C3, swap-scratch, primary 0x00010000, secondary 0x00110000", 30)
        b.wait_for("booting primary 1.0.0+0 (verified)", 60)
        b.wait_for("app: Keel sample app version 1.0.0+0 on esp32c3 (good)", 30)
        b.wait_for("app: code at IROM yes, rodata at DROM yes, running from flash through the MMU: ok", 30)
        b.wait_for("app: image confirmed", 30)
        b.wait_for("app: heartbeat, version 1.0.0+0", 30)
        b.wait_for("app: heartbeat, version 1.0.0+0", 30)
        b.power_cycle()
        boots(b, "1.0.0+0")
        b.expect_absent("load header refused")
    finally:
        b.close()


def rom_run(env, name, flash, efuse, until, timeout=60):
    """Runs until one of `until` appears; returns the console text of the run."""
    b = env.board(name, flash, efuse)
    try:
        b.start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            t = b.run_text()
            if any(u in t for u in until):
                time.sleep(0.5)
                return b.run_text()
            time.sleep(0.05)
        raise HarnessError("%s: none of %r within %ss; console:\n%s" % (name, until, timeout, b.tail()))
    finally:
        b.close()


def sc_sbv2(env):
    """2. Secure Boot V2: keel-boot signed by `keel esp sign`, key digest in eFuse, judged by the ROM."""
    key = os.path.join(env.vectors, SBV2_KEY)
    if not os.path.exists(key):
        fail("missing vector %s" % key)
    v1 = env.sign("app-v1.bin", "1.0.0")
    env.keel_ok("esp", "sign", "-k", key, env.f("keel-boot.bin"), "-o", env.w("boot-signed.bin"))
    env.keel_ok("esp", "sign", "-k", env.f("sbv2-other.pem"), env.f("keel-boot.bin"), "-o",
                env.w("boot-other.bin"))
    env.keel_ok("esp", "digest", "-k", key, "-o", env.w("digest.bin"))
    ef = env.w("sb.efuse")
    env.keel_ok("esp", "efuse", ef, "burn-key", "BLOCK_KEY0", "SECURE_BOOT_DIGEST0", env.w("digest.bin"))
    env.keel_ok("esp", "efuse", ef, "burn", "SECURE_BOOT_EN", "1")

    def efuse_copy(tag):
        p = env.w(tag + ".efuse")
        shutil.copy(ef, p)
        return p

    t = rom_run(env, "sb-ok", env.flash("sb-ok.flash", [(SLOT0, v1)], boot=env.w("boot-signed.bin")),
                efuse_copy("ok"), ["app: waiting for SMP requests", "verification failed"])
    for want in ("secure boot verification succeeded", "keel-boot: ESP32-C3",
                 "secure boot on", "app: Keel sample app version 1.0.0+0 on esp32c3"):
        if want not in t:
            fail("signed keel-boot with the trusted key: %r missing" % want)
    print("ok: signed keel-boot accepted by the ROM and booted the app", flush=True)

    flip = env.w("boot-flip.bin")
    shutil.copy(env.w("boot-signed.bin"), flip)
    with open(flip, "r+b") as fh:
        fh.seek(0x40)
        c = fh.read(1)
        fh.seek(0x40)
        fh.write(bytes([c[0] ^ 1]))
    cases = [("other key", env.w("boot-other.bin"), "Sig block 0 signed with untrusted key"),
             ("unsigned", env.f("keel-boot.bin"), "Image not V2 signed"),
             ("one byte changed", flip, "secure boot verification failed")]
    for what, boot, msg in cases:
        tag = what.replace(" ", "-")
        t = rom_run(env, tag, env.flash(tag + ".flash", [(SLOT0, v1)], boot=boot), efuse_copy(tag),
                    ["ets_main.c", "keel-boot: ESP32-C3"])
        if msg not in t or "secure boot verification failed" not in t:
            fail("%s: the ROM did not print %r / verification failed:\n%s" % (what, msg, t))
        if "keel-boot: ESP32-C3" in t:
            fail("%s: keel-boot ran although the ROM should have refused it" % what)
        print("ok: %s refused by the ROM (%s)" % (what, msg), flush=True)


def sc_update(env):
    """3. Test upgrade v1 -> v2 (swap-scratch), the app confirms, v2 stays after a power cycle."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v2 = env.sign("app-v2.bin", "2.0.0", extra=("--pad",))
    b = env.board("update", env.flash("update.flash", [(SLOT0, v1), (SLOT1, v2)]))
    try:
        b.start()
        boots(b, "2.0.0+0")
        expect_in_run(b, "-> TEST")
        b.power_cycle()
        boots(b, "2.0.0+0")
        b.expect_absent("-> TEST")
        b.expect_absent("-> REVERT")
    finally:
        b.close()


def sc_revert(env):
    """3. A test upgrade to an app that never confirms is reverted at the next boot."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v3 = env.sign("app-v3.bin", "3.0.0", payload="app-bad.payload", extra=("--pad",))
    b = env.board("revert", env.flash("revert.flash", [(SLOT0, v1), (SLOT1, v3)]))
    try:
        b.start()
        boots(b, "3.0.0+0", confirms=False)
        expect_in_run(b, "-> TEST")
        b.power_cycle()
        boots(b, "1.0.0+0")
        expect_in_run(b, "-> REVERT")
        b.power_cycle()
        boots(b, "1.0.0+0")
        b.expect_absent("-> REVERT")
    finally:
        b.close()


def refused_secondary(env, name, primary, secondary, reason):
    b = env.board(name, env.flash(name + ".flash", [(SLOT0, primary), (SLOT1, secondary)]))
    try:
        b.start()
        boots(b, "1.0.0+0" if "v1" in os.path.basename(primary) else "2.0.0+0")
        expect_in_run(b, reason)
        b.expect_absent("swap-scratch TEST")
    finally:
        b.close()


def sc_refused(env):
    """3. A pending update signed by an untrusted key, and a downgrade, are refused."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v2 = env.sign("app-v2.bin", "2.0.0")
    other = env.sign("app-v4-other.bin", "4.0.0", key="other-key.pem", extra=("--pad",))
    down = env.sign("app-v1-pending.bin", "1.0.0", extra=("--pad",))
    refused_secondary(env, "badkey", v1, other, "secondary refused: signed by an unknown key")
    print("ok: update signed by another key refused", flush=True)
    refused_secondary(env, "downgrade", v2, down, "secondary refused: downgrade refused: lower version")
    print("ok: downgrade 2.0.0 -> 1.0.0 refused", flush=True)
    bad = env.sign("app-v3-tampered.bin", "3.0.0", extra=("--pad",))
    with open(bad, "r+b") as fh:       # one payload byte changed after signing
        fh.seek(0x1000)
        c = fh.read(1)
        fh.seek(0x1000)
        fh.write(bytes([c[0] ^ 0x01]))
    refused_secondary(env, "tampered", v1, bad, "secondary refused: image hash mismatch")
    print("ok: tampered update refused", flush=True)


HOSTILE = [
    ("dram-over-boot", ["dram_dest_addr=0x3fcd0000"], "RAM segment over keel-boot's RAM"),
    ("dram-over-rom", ["dram_dest_addr=0x3fcdd000"], "RAM segment over the ROM's stack and data"),
    ("iram-over-boot", ["iram_dest_addr=0x403c4000", "entry_addr=0x403c4000"],
     "RAM segment over keel-boot's RAM"),
    ("entry-outside-iram", ["entry_addr=0x42010000"], "entry point outside the IRAM segment"),
    ("map-past-slot", ["irom_size=0x200000"], "flash mapping past the signed image in the slot"),
    ("iram-dram-overlap", ["dram_dest_addr=0x3fc80000"], "overlapping segments (IRAM and DRAM share SRAM)"),
]


def sc_hostile(env):
    """3. Signed apps whose load header is hostile are refused with their reason."""
    import re
    info = env.keel_ok("esp", "app-info", env.f("app.payload"), "-H", "0x20")
    words = dict(re.findall(r"(\w+)\s+(0x[0-9a-fA-F]+)", info))
    cases = list(HOSTILE)
    if all(k in words for k in ("irom_map_addr", "irom_flash_offset", "irom_size")):
        # DROM given IROM's MMU entries: both buses share the one table.
        ia = int(words["irom_map_addr"], 16)
        cases.append(("irom-drom-share-mmu", ["drom_map_addr=0x%x" % (ia - 0x42000000 + 0x3C000000),
                                              "drom_flash_offset=" + words["irom_flash_offset"],
                                              "drom_size=" + words["irom_size"]],
                      "overlapping segments (IROM and DROM share MMU entries)"))
    else:
        fail("keel esp app-info did not print the IROM words:\n" + info)
    for name, sets, reason in cases:
        pl = env.w(name + ".payload")
        args = ["esp", "app", env.f("app.elf"), "-o", pl, "-H", "0x20"]
        for st in sets:
            args += ["--set", st]
        env.keel_ok(*args)
        img = env.sign(name + ".bin", "1.0.0", payload=pl)
        b = env.board(name, env.flash(name + ".flash", [(SLOT0, img)]))
        try:
            b.start()
            b.wait_for("booting primary 1.0.0+0 (verified)", 60)
            b.wait_for("keel-boot: load header refused: " + reason, 30)
            b.wait_for("keel-boot: entering serial recovery (load header refused)", 30)
            b.expect_absent("app: Keel sample app")
        finally:
            b.close()
        print("ok: %s refused: %s" % (name, reason), flush=True)


def smp(env, b, *args):
    st, out = run_tool([env.keel, "serial", "-p", "unix:" + b.proxy] + list(args))
    if st != 0:
        raise HarnessError("keel serial %s failed (status %d)" % (" ".join(args), st))
    return out


def sc_recovery(env):
    """4. Serial recovery over the UART0 chardev: wiped primary, keel serial upload, reset, boot."""
    v2 = env.sign("app-v2.bin", "2.0.0")
    b = env.board("recovery", env.flash("recovery.flash", []))
    try:
        b.start()
        b.wait_for("keel-boot: entering serial recovery (no bootable image)", 60)
        smp(env, b, "upload", v2)
        out = smp(env, b, "list")
        if "2.0.0" not in out:
            fail("after the upload, recovery's image list does not show 2.0.0:\n" + out)
        smp(env, b, "reset")
        b.wait_reset(30)
        boots(b, "2.0.0+0")
        b.expect_absent("serial recovery")
    finally:
        b.close()
    # The reset itself: with QEMU resetting in place (not ended by the harness), the ROM reports
    # a software system reset and keel-boot reads the same reason from RESET_STATE.
    b = env.board("swreset", b.flash, extra=["-action", "reboot=reset"])
    try:
        b.start()
        boots(b, "2.0.0+0")
        expect_in_run(b, "reset reason 0x00000001")
        smp(env, b, "reset")
        b.wait_for("rst:0x3 (RTC_SW_SYS_RST)", 30)
        b.wait_for("reset reason 0x00000003", 30)
        b.wait_for("booting primary 2.0.0+0 (verified)", 60)
        b.wait_for("app: Keel sample app version 2.0.0+0 on esp32c3", 30)
    finally:
        b.close()


CUTS = int(os.environ.get("KEEL_C3_CUTS", "52"))


def symbols(env, elf, names):
    nm = shutil.which("riscv64-unknown-elf-nm")
    if not nm:
        fail("riscv64-unknown-elf-nm not found (scripts/deps.sh cross)")
    out = subprocess.run([nm, elf], stdout=subprocess.PIPE, check=True).stdout.decode()
    syms = {ln.split()[2]: int(ln.split()[0], 16) for ln in out.splitlines() if len(ln.split()) == 3}
    for n in names:
        if n not in syms:
            fail("%s has no symbol %s" % (elf, n))
    return [syms[n] for n in names]


def flash_cmds(b):
    """keel-boot's count of completed program/erase commands in this run."""
    import re
    m = re.search(r"keel-boot: (0x[0-9a-f]+) flash commands", b.run_text())
    if not m:
        raise HarnessError("keel-boot did not report its flash command count:\n" + b.run_text())
    return int(m.group(1), 16)


def cut_run(env, name, flash, k, efuse, during=None):
    """Powers the device on and kills QEMU (SIGKILL) right after keel-boot's flash command k
    completes: a gdbstub breakpoint on c3_flash_cmd_done(), which the driver calls only when
    its command count equals c3_cut_at (written before the ROM runs; no loader touches it)."""
    cut_at, done = symbols(env, env.f("keel-boot.elf"), ["c3_cut_at", "c3_flash_cmd_done"])
    wd = tempfile.mkdtemp(prefix=name + "-", dir=env.work)
    sock = os.path.join(wd, "gdb.sock")
    b = env.board(name, flash, efuse, extra=["-gdb", "unix:%s,server=on,wait=off" % sock])
    b.workdir = wd
    b.echo = False
    b.start(run=False)
    g = harness.GdbStub(sock, timeout=60)
    try:
        g.write(cut_at, k.to_bytes(4, "little"))
        g.break_at(done)
        helper = during(b) if during else None
        reply = g.cont()
        if helper:
            helper.kill()
            helper.wait()
        if not reply.startswith(("S05", "T05")):
            raise HarnessError("cut %d: unexpected stop %r; console:\n%s" % (k, reply, b.tail()))
        pc = int.from_bytes(g.read(cut_at, 4), "little")
        if pc != k:
            raise HarnessError("cut %d: c3_cut_at reads %d" % (k, pc))
    finally:
        g.close()
    b.proc.send_signal(signal.SIGKILL)
    b.wait_exit(30)
    b.close()
    return b.text


def state_line(text):
    """keel-boot's first decision line: the trailer state it found (or the swap it resumed)."""
    for ln in text.splitlines():
        if ln.startswith("keel: image 0: "):
            return ln.split(" -> ")[0].replace("keel: image 0: ", "")
    return "?"


def booted_version(b):
    import re
    b.wait_for("secure boot verification succeeded", 30)
    b.wait_for("keel-boot: ESP32-C3", 30)
    b.wait_for("app: waiting for SMP requests", 60)
    m = re.search(r"app: Keel sample app version (\S+) on esp32c3", b.run_text())
    if not m:
        raise HarnessError("no app version in this run:\n" + b.run_text())
    return m.group(1)


def second_cut(env, name, f, k, efuse):
    """A second power cut half-way through the boot that resumes after the first cut (its
    command count measured on a copy first): recovery from a cut during recovery."""
    probe = env.w("%s-probe.flash" % name)
    shutil.copy(f, probe)
    b = env.board("%s-probe%d" % (name, k), probe, efuse)
    b.echo = False
    try:
        b.start()
        b.wait_for("starting the app", 60)
        n = flash_cmds(b)
    finally:
        b.close()
    if n < 2:
        return
    cut_run(env, "%s-cut%d-second" % (name, k), f, n // 2, efuse)
    print("   second cut after command %d/%d of the resuming boot" % (n // 2, n), flush=True)


def powercut(env, name, base, total, allowed, efuse):
    """CUTS cuts spread over commands 1..total of the boot from `base`. After each the device
    restarts from its flash file; allowed(version, run_text) says whether what it booted is
    what the rules allow; a power cycle must then boot the same version again (confirmed)."""
    points = sorted({1 + (i * (total - 1)) // (CUTS - 1) for i in range(CUTS)})
    states, outcomes = {}, {}
    for k in points:
        f = env.w("%s-cut.flash" % name)
        shutil.copy(base, f)
        cut_run(env, "%s-cut%d" % (name, k), f, k, efuse)
        if k in points[2::5]:
            second_cut(env, name, f, k, efuse)
        b = env.board("%s-after%d" % (name, k), f, efuse)
        b.echo = False
        try:
            b.start()
            v = booted_version(b)
            t = b.run_text()
            why = allowed(v, t)
            if why:
                raise HarnessError("booted %s: %s\n%s" % (v, why, t))
            expect_in_run(b, "app: image confirmed")
            st = state_line(t)
            states[st] = states.get(st, 0) + 1
            outcomes[v] = outcomes.get(v, 0) + 1
            b.power_cycle()
            boots(b, v)
        except HarnessError as e:
            raise HarnessError("%s: after a cut at flash command %d/%d: %s" % (name, k, total, e))
        finally:
            b.close()
        print("ok: %s cut after flash command %d/%d: booted %s, then %s again" % (name, k, total, v, v),
              flush=True)
    print("%s: %d cuts; apps booted after the restart: %s" % (name, len(points), outcomes))
    print("%s: trailer states seen at the restart:" % name)
    for st, n in sorted(states.items()):
        print("  %3d x %s" % (n, st))
    if len(points) < 50:
        fail("%s: only %d cut points (at least 50 required)" % (name, len(points)))
    if len(states) < 3:
        fail("%s: the cuts reached only %d distinct trailer states" % (name, len(states)))


def secure_boot(env):
    """keel-boot signed for Secure Boot V2 and an eFuse file that enforces it: the power-cut
    runs restart from both files, the whole chain checked on every boot."""
    key = os.path.join(env.vectors, SBV2_KEY)
    env.keel_ok("esp", "sign", "-k", key, env.f("keel-boot.bin"), "-o", env.w("boot-sb.bin"))
    env.keel_ok("esp", "digest", "-k", key, "-o", env.w("digest-sb.bin"))
    ef = env.w("pc.efuse")
    env.keel_ok("esp", "efuse", ef, "burn-key", "BLOCK_KEY0", "SECURE_BOOT_DIGEST0", env.w("digest-sb.bin"))
    env.keel_ok("esp", "efuse", ef, "burn", "SECURE_BOOT_EN", "1")
    return env.w("boot-sb.bin"), ef


def reference(env, name, flash, version, confirms, efuse):
    b = env.board(name, flash, efuse)
    try:
        b.start()
        boots(b, version, confirms)
        return flash_cmds(b)
    finally:
        b.close()


def sc_powercut_upgrade(env):
    """5. Power cuts (SIGKILL) at >= 50 points spread over a test upgrade v1 -> v2."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v2 = env.sign("app-v2.bin", "2.0.0", extra=("--pad",))
    boot, ef = secure_boot(env)
    base = env.flash("up-base.flash", [(SLOT0, v1), (SLOT1, v2)], boot=boot)
    keep = env.w("up-ref.flash")
    shutil.copy(base, keep)
    total = reference(env, "up-ref", keep, "2.0.0+0", True, ef)
    print("test upgrade: %d flash commands in keel-boot" % total, flush=True)
    if total < CUTS:
        fail("the upgrade took only %d flash commands" % total)

    def allowed(v, t):
        if v == "2.0.0+0":
            return None
        # Only once the swap has finished (copy_done) may the untried v2 be reverted: the
        # power went before the app could run and confirm it.
        if v == "1.0.0+0" and "copy_done set" in state_line(t) and "-> REVERT" in t:
            return None
        return "neither the new app nor a revert of a finished, unconfirmed swap"
    powercut(env, "upgrade", base, total, allowed, ef)


def sc_powercut_revert(env):
    """5. Power cuts at >= 50 points spread over a revert (v3 never confirms -> v1)."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v3 = env.sign("app-v3.bin", "3.0.0", payload="app-bad.payload", extra=("--pad",))
    boot, ef = secure_boot(env)
    base = env.flash("rv-base.flash", [(SLOT0, v1), (SLOT1, v3)], boot=boot)
    reference(env, "rv-test", base, "3.0.0+0", False, ef)     # base now: v3 on test, revert pending
    keep = env.w("rv-ref.flash")
    shutil.copy(base, keep)
    total = reference(env, "rv-ref", keep, "1.0.0+0", True, ef)
    print("revert: %d flash commands in keel-boot" % total, flush=True)
    if total < CUTS:
        fail("the revert took only %d flash commands" % total)
    powercut(env, "revert", base, total,
             lambda v, t: None if v == "1.0.0+0" else "a revert, once begun, must end in v1", ef)


M0P, M0S, M1P, M1S, MSLOT = 0x10000, 0x60000, 0xB0000, 0x100000, 0x50000


def sc_multi(env):
    """3. Two images (bootloader-2img.conf): an update of image 0 that needs image 1 >= 2.0.0
    is held while image 1 stays at 1.0.0, and installed together with image 1 2.0.0."""
    def sign(out, ver, extra=()):
        return env.sign(out, ver, payload="app-2img.payload", slot=MSLOT, extra=extra)
    i0v1, i1v1 = sign("m-i0v1.bin", "1.0.0"), sign("m-i1v1.bin", "1.0.0")
    i0v2 = sign("m-i0v2.bin", "2.0.0", extra=("--confirm", "-d", "(1,2.0.0)"))
    i1v2 = sign("m-i1v2.bin", "2.0.0", extra=("--confirm",))
    boot = env.f("keel-boot-2img.bin")
    b = env.board("multi-held", env.flash("multi-held.flash", [(M0P, i0v1), (M1P, i1v1), (M0S, i0v2)],
                                          boot=boot))
    try:
        b.start()
        boots(b, "1.0.0+0")
        expect_in_run(b, "held (dependency)")
        b.expect_absent("swap-scratch PERM")
    finally:
        b.close()
    print("ok: image 0 2.0.0 needing image 1 2.0.0 held while image 1 is 1.0.0", flush=True)
    b = env.board("multi-both", env.flash("multi-both.flash", [(M0P, i0v1), (M1P, i1v1), (M0S, i0v2),
                                                               (M1S, i1v2)], boot=boot))
    try:
        b.start()
        boots(b, "2.0.0+0")
        for want in ("image 0: swap-scratch PERM", "image 1: swap-scratch PERM",
                     "image 1: booting primary 2.0.0+0 (verified)"):
            expect_in_run(b, want)
        b.power_cycle()
        boots(b, "2.0.0+0")
        b.expect_absent("swap-scratch PERM")
    finally:
        b.close()
    print("ok: both images updated together", flush=True)


# RV32I + M + C + Zicsr mnemonics as objdump prints them (with its pseudo-instructions). The
# emulator's CPU also runs A/F/D instructions that silicon traps on (espqemu.md section 6), so
# only this scan can catch them.
RV32IMC = set("""
lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw addi slti sltiu xori ori
andi slli srli srai add sub sll slt sltu xor srl sra or and fence fence.i ecall ebreak mret wfi
mul mulh mulhsu mulhu div divu rem remu csrrw csrrs csrrc csrrwi csrrsi csrrci
nop li mv not neg seqz snez sltz sgtz beqz bnez blez bgez bltz bgtz bgt ble bgtu bleu j jr ret
call tail la zext.b csrr csrw csrs csrc csrwi csrsi csrci unimp .word .short .byte
""".split())


def foreign(mnemonics):
    """Mnemonics outside RV32IMC + Zicsr (compressed forms count as their base: c.addi -> addi)."""
    return sorted({m for m in mnemonics if (m[2:] if m.startswith("c.") else m) not in RV32IMC})


def sc_isa(env):
    """keel-boot and the app contain only RV32IMC (+ Zicsr) instructions, as the C3 executes."""
    od = shutil.which("riscv64-unknown-elf-objdump")
    if not od:
        fail("riscv64-unknown-elf-objdump not found (scripts/deps.sh cross)")
    if foreign(["addi", "c.lw", "amoadd.w", "fmadd.s"]) != ["amoadd.w", "fmadd.s"]:
        fail("the ISA scan does not flag A/F instructions")
    for elf in ("keel-boot.elf", "keel-boot-2img.elf", "keel-boot-norec.elf", "app.elf", "app-bad.elf"):
        out = subprocess.run([od, "-d", "-M", "numeric", env.f(elf)],
                             stdout=subprocess.PIPE, check=True).stdout.decode()
        ms = [ln.split("\t")[2].split()[0] for ln in out.splitlines() if ln.count("\t") >= 2]
        bad = foreign(ms)
        if bad:
            fail("%s has instructions outside RV32IMC: %s" % (elf, " ".join(bad)))
        print("ok: %s: %d instructions, all RV32IMC + Zicsr" % (elf, len(ms)), flush=True)


def sc_update_app(env):
    """3. The update path through the app: v1 receives v2 over SMP (`keel serial upload` into
    the secondary), an SMP reset, keel-boot's TEST swap, v2 confirms itself and stays."""
    v1 = env.sign("app-v1.bin", "1.0.0")
    v2 = env.sign("app-v2.bin", "2.0.0")
    b = env.board("update-app", env.flash("update-app.flash", [(SLOT0, v1)]))
    try:
        b.start()
        boots(b, "1.0.0+0")
        smp(env, b, "upload", v2)
        smp(env, b, "reset")
        b.wait_reset(30)
        boots(b, "2.0.0+0")
        expect_in_run(b, "swap-scratch TEST")
        b.power_cycle()
        boots(b, "2.0.0+0")
        b.expect_absent("-> REVERT")
    finally:
        b.close()


def sc_recovery_cut(env):
    """4/5. Power cuts during a serial-recovery upload (which writes the primary directly): the
    half-written primary is never started; recovery comes back and a new upload boots."""
    v2 = env.sign("app-v2.bin", "2.0.0")
    empty = env.flash("rc-empty.flash", [])
    f = env.w("rc-ref.flash")
    shutil.copy(empty, f)
    b = env.board("rc-ref", f)
    try:
        b.start()
        b.wait_for("keel-boot: entering serial recovery (no bootable image)", 60)
        smp(env, b, "upload", v2)
    finally:
        b.close()
    # The upload's flash commands, about: sector erases + 64-byte programs of the image.
    with open(v2, "rb") as fh:
        n = len(fh.read())
    total = (n + 4095) // 4096 + (n + 63) // 64
    points = [1 + i * (total - 2) // 7 for i in range(8)]

    def upload(board):
        return subprocess.Popen([env.keel, "serial", "-p", "unix:" + board.proxy, "upload", v2],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    for k in points:
        f = env.w("rc-cut.flash")
        shutil.copy(empty, f)
        cut_run(env, "rc-cut%d" % k, f, k, None, during=upload)
        b = env.board("rc-after%d" % k, f)
        try:
            b.start()
            b.wait_for("keel-boot: entering serial recovery (no bootable image)", 60)
            b.expect_absent("app: Keel sample app")
            smp(env, b, "upload", v2)
            smp(env, b, "reset")
            b.wait_reset(30)
            boots(b, "2.0.0+0")
        except HarnessError as e:
            raise HarnessError("cut after upload flash command %d: %s" % (k, e))
        finally:
            b.close()
        print("ok: upload cut after flash command %d of about %d: recovery again, re-upload boots"
              % (k, total), flush=True)


SCENARIOS = {"recovery-cut": sc_recovery_cut, "update-app": sc_update_app, "isa": sc_isa, "multi": sc_multi, "powercut-upgrade": sc_powercut_upgrade, "powercut-revert": sc_powercut_revert,
             "recovery": sc_recovery, "boot": sc_boot, "sbv2": sc_sbv2, "update": sc_update, "revert": sc_revert,
             "refused": sc_refused, "hostile": sc_hostile}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        print("usage: c3_test.py {%s} BUILD_DIR" % "|".join(SCENARIOS), file=sys.stderr)
        sys.exit(2)
    env = Env(sys.argv[2], need_qemu=sys.argv[1] != "isa")
    try:
        SCENARIOS[sys.argv[1]](env)
    except HarnessError as e:
        fail(str(e))
    shutil.rmtree(env.work, ignore_errors=True)
    print("PASS: esp32c3.%s" % sys.argv[1], flush=True)


if __name__ == "__main__":
    main()
