# SPDX-License-Identifier: Apache-2.0
"""Real power cuts on rv32 virt: QEMU is killed (SIGKILL) in the middle of a swap.

usage: powercut.py {upgrade|revert} BUILD_DIR [CUTS]

1. The device is brought to the moment before the swap: v1 running, v2
   uploaded and marked for a test upgrade (upgrade), or v3 (never confirms)
   on its test run after an upgrade from v1 (revert); QEMU is stopped at the
   guest's reset, and the bank files are kept as the "before" state.
2. A trace run from that state counts keel-boot's flash commands: the
   insncount plugin (tools/bench) counts calls of virt_flash_cmd_mark,
   which the CFI driver makes before every program/erase command, and logs
   which flash word each command hit.
3. Cuts: each cut restores the "before" bank 1, runs QEMU with the plugin
   in cut mode (cut=N: SIGKILL on the Nth command, so N-1 are done), reads
   the swap state the cut left (both trailers, from the bank file), powers
   the device on again without the plugin and checks it runs exactly the
   image the rules say: the new one for an interrupted test upgrade (v2),
   the old one for an interrupted revert (v1).
   Every fifth cut is followed by a second one while the next power-on
   resumes the swap, before the final power-on checks the image.
The cut points cover every swap state (each interval between two trailer
writes) and are spread over all of the swap's commands. The test prints
the cuts made and the states reached (where each sector's content came
from, and both trailers), and fails if fewer distinct trailer states were
hit than min(cuts, trailer-state intervals that exist). Default 50 cuts; a cut before every
command of the swap with
KEEL_POWERFAIL_FULL=1; KEEL_VIRT_CUTS overrides.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
from harness import HarnessError, fail  # noqa: E402
import virt_test as vt  # noqa: E402

BANK1 = 0x22000000
TRAILER = 1024   # the trailer (magic, flags, swap status) lies in each slot's last KiB


def symbols(env):
    out = subprocess.run(["riscv64-unknown-elf-nm", "-S", env.f("keel-boot.elf")],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    sym = {}
    for ln in out.splitlines():
        f = ln.split()
        if len(f) == 4:
            sym[f[3]] = (int(f[0], 16), int(f[1], 16))
        elif len(f) == 3:
            sym[f[2]] = (int(f[0], 16), 0)
    for need in ("virt_flash_cmd_mark", "_sramfunc", "_eramfunc", "virt_boot_done"):
        if need not in sym:
            fail("keel-boot.elf has no symbol %s" % need)
    return sym


def slot_regions():
    """(name, trailer start, last sector start) per slot, as bank-1 offsets."""
    out = []
    for name, off, size in (("P", vt.SLOT0, vt.SLOT0_SIZE), ("S", vt.SLOT1, vt.SLOT1_SIZE)):
        out.append((name, off + size - TRAILER, off + size - vt.SECTOR, off + size))
    return out


def sector_names(bank1):
    """Digest -> name ("P0".."S4") of every non-trailer sector of the before state."""
    names = {}
    with open(bank1, "rb") as fh:
        for name, off, size in (("P", vt.SLOT0, vt.SLOT0_SIZE), ("S", vt.SLOT1, vt.SLOT1_SIZE)):
            for i in range(size // vt.SECTOR - 1):
                fh.seek(off + i * vt.SECTOR)
                d = hashlib.sha256(fh.read(vt.SECTOR)).digest()
                names.setdefault(d, "%s%d" % (name, i))
    names[hashlib.sha256(b"\xff" * vt.SECTOR).digest()] = "--"
    return names


def state_of(bank1, names):
    """The swap state a cut left: where each sector's content came from (a before-state
    sector, erased "--", or "??" = partly copied), and both trailers as found."""
    parts, digest = [], hashlib.sha256()
    with open(bank1, "rb") as fh:
        for name, t0, sec, end in slot_regions():
            start = vt.SLOT0 if name == "P" else vt.SLOT1
            secs = []
            for a in range(start, sec, vt.SECTOR):
                fh.seek(a)
                secs.append(names.get(hashlib.sha256(fh.read(vt.SECTOR)).digest(), "??"))
            fh.seek(t0)
            t = fh.read(end - t0)
            digest.update(t)
            words = sum(1 for i in range(0, len(t), 4) if t[i:i + 4] != b"\xff" * 4)
            magic = "magic" if t[-16:] != b"\xff" * 16 else "-"
            parts.append("%s[%s|%dw,%s]" % (name, " ".join(secs), words, magic))
    return " ".join(parts), digest.hexdigest()[:8]


def prepare(env, scenario, work):
    """Runs the device up to the reset that starts the swap; returns the bank files."""
    b = vt.board_for(env, "prep-" + scenario, work=work)
    try:
        b.start()
        vt.boots(b, "1.0.0+0")
        if scenario == "upgrade":
            vt.smp(env, b, "upload", env.f("app-v2.signed.bin"))
        else:
            vt.upload_and_reset(env, b, env.f("app-v3.signed.bin"))
            vt.boots(b, "3.0.0+0", confirms=False)
        vt.smp(env, b, "reset")
        if not b._wait_event(("SHUTDOWN", "RESET"), 30):
            raise HarnessError("no guest reset after the SMP reset")
        b.stop()
    finally:
        b.close()
    return b.bank0, b.bank1


def run_plugin(env, name, bank0, bank1, work, plugin_args, expect_app=None):
    """One power-on with the plugin; returns (board, plugin log lines)."""
    log = os.path.join(work, "plugin-%s.txt" % name)
    if os.path.exists(log):
        os.unlink(log)
    b = harness.Board("virt", bank1, workdir=work, qemu="qemu-system-riscv32", name=name,
                      load_args=vt.load_args(bank0, bank1), echo=False,
                      extra_args=["-plugin", env.plugin + "," + plugin_args + ",out=" + log])
    return b, log


def lines(path):
    with open(path) as fh:
        return fh.read().splitlines()


def trace(env, bank0, before, work, sym):
    """Counts keel-boot's commands from the before state and says which word each hit."""
    bank1 = os.path.join(work, "bank1-trace.img")
    shutil.copyfile(before, bank1)
    args = "mark=0x%x,done=0x%x,tlo=0x%x,thi=0x%x" % (
        sym["virt_flash_cmd_mark"][0], sym["virt_boot_done"][0], sym["_sramfunc"][0],
        sym["_eramfunc"][0])
    b, log = run_plugin(env, "trace", bank0, bank1, work, args)
    try:
        b.start()
        b.wait_for("app: waiting for SMP requests", timeout=120)
    finally:
        b.close()
    cmds, done = {}, None
    for ln in lines(log):
        f = ln.split()
        if f[0] == "cmd":
            cmds[int(f[1])] = int(f[2], 16) - BANK1
        elif f[0] == "done" and done is None:
            done = int(f[1])
    if not done:
        fail("trace run: keel-boot issued no flash command (done=%s)" % done)
    return cmds, done, b.text


def schedule(cmds, total, cuts):
    """Cut points k (SIGKILL before command k) covering every state interval, then spread."""
    regions = slot_regions()
    boundaries = []
    for k in range(1, total + 1):
        a = cmds.get(k)
        if a is None:
            continue
        if any(t0 <= a < end or a == sec for _, t0, sec, end in regions):
            boundaries.append(k)
    # Interval i: states after j commands, j in [start_i, end_i]; a cut k = j + 1.
    starts = [0] + boundaries
    ends = [b - 1 for b in boundaries] + [total - 1]
    intervals = [(s, e) for s, e in zip(starts, ends) if s <= e]
    pick = set()
    if len(intervals) <= cuts:
        for s, e in intervals:
            pick.add(e + 1)            # right before the command that changes the state
    else:
        for i in range(cuts):
            s, e = intervals[i * len(intervals) // cuts]
            pick.add(e + 1)
    # The rest evenly over all commands; a point already taken moves to the next free one.
    want = min(cuts, total)
    spread = want - len(pick)
    for i in range(spread):
        k = 1 + (i * total) // max(1, spread)
        while k in pick and k < total:
            k += 1
        while k in pick and k > 1:
            k -= 1
        pick.add(k)
    return sorted(pick)[:want], len(intervals), len(boundaries)


def again_cut_or_app(b, log, c2, want):
    """A power-on with a scheduled cut: True if QEMU was killed at command c2, False if the
    resumed swap needed fewer commands and the app (which must be `want`) came up first."""
    deadline = time.time() + 120
    while time.time() < deadline:
        if b.proc.poll() is not None:
            status = b.wait_exit(timeout=10)
            if status != -9 or "cut before command %d" % c2 not in lines(log):
                fail("second cut at %d: QEMU ended with status %s, plugin log %r" %
                     (c2, status, lines(log)))
            return True
        if "app: waiting for SMP requests" in b.run_text():
            run = b.run_text()
            b.close()
            if ("version %s " % want) not in run:
                fail("after a cut the device runs the wrong image (want %s):\n%s" % (want, run))
            return False
        time.sleep(0.05)
    fail("second cut at %d: neither a cut nor the app within 120 s:\n%s" % (c2, b.tail()))


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("upgrade", "revert"):
        print("usage: powercut.py {upgrade|revert} BUILD_DIR [CUTS]", file=sys.stderr)
        sys.exit(2)
    scenario = sys.argv[1]
    env = vt.Env(sys.argv[2])
    if not os.path.exists(env.plugin):
        fail("missing plugin %s" % env.plugin)
    cuts = 100000 if os.environ.get("KEEL_POWERFAIL_FULL") else 50   # full: every command
    cuts = int(os.environ.get("KEEL_VIRT_CUTS", cuts))
    if len(sys.argv) == 4:
        cuts = int(sys.argv[3])
    want, old = ("2.0.0+0", "1.0.0+0") if scenario == "upgrade" else ("1.0.0+0", "3.0.0+0")
    sym = symbols(env)
    work = tempfile.mkdtemp(prefix="keel-virt-cut-%s-" % scenario)
    try:
        bank0, before = prepare(env, scenario, work)
        keep = os.path.join(work, "bank1-before.img")
        shutil.copyfile(before, keep)
        cmds, total, text = trace(env, bank0, keep, work, sym)
        if ("swap-offset TEST" if scenario == "upgrade" else "REVERT") not in text:
            fail("trace run: keel-boot did not start the expected swap:\n" + text[-2000:])
        points, n_states, n_bound = schedule(cmds, total, cuts)
        print("swap: %d flash commands before the app starts, %d of them trailer writes or "
              "trailer-sector erases, %d state intervals; %d cuts scheduled" %
              (total, n_bound, n_states, len(points)), flush=True)
        states, trailer_states, recuts = {}, set(), 0
        names = sector_names(keep)
        bank1 = os.path.join(work, "bank1.img")
        for n, k in enumerate(points):
            t0 = time.time()
            shutil.copyfile(keep, bank1)
            b, log = run_plugin(env, "cut%d" % k, bank0, bank1, work,
                                "mark=0x%x,cut=%d" % (sym["virt_flash_cmd_mark"][0], k))
            b.start()
            status = b.wait_exit(timeout=120)
            if status != -9 or "cut before command %d" % k not in lines(log):
                fail("cut %d: QEMU ended with status %s, plugin log %r, console:\n%s" %
                     (k, status, lines(log), b.tail()))
            st, tr = state_of(bank1, names)
            st = "%s #%s" % (st, tr)
            states.setdefault(st, []).append(k)
            trailer_states.add(tr)
            t1 = time.time()
            print("cut %2d/%d before command %6d/%d: state %s" % (n + 1, len(points), k, total, st),
                  flush=True)
            # Every fifth cut: power cut again while the next boot resumes the swap.
            if n % 5 == 4:
                c2 = 1 + (k * 7) % 40
                b1, log2 = run_plugin(env, "recut%d" % k, bank0, bank1, work,
                                      "mark=0x%x,cut=%d" % (sym["virt_flash_cmd_mark"][0], c2))
                b1.start()
                if again_cut_or_app(b1, log2, c2, want):
                    st2, tr2 = state_of(bank1, names)
                    st2 = "%s #%s" % (st2, tr2)
                    states.setdefault(st2, []).append("%d+%d" % (k, c2))
                    trailer_states.add(tr2)
                    recuts += 1
                    print("  and again before command %d of the resumed swap: state %s" %
                          (c2, st2), flush=True)
            # Power on again, no plugin: the device must finish and run exactly `want`.
            b2 = harness.Board("virt", bank1, workdir=work, qemu="qemu-system-riscv32",
                               name="after%d" % k, load_args=vt.load_args(bank0, bank1), echo=False)
            try:
                b2.start()
                b2.wait_for("keel-boot: starting the primary", timeout=120)
                b2.wait_for("app: Keel sample app version ", timeout=60)
                b2.wait_for("app: waiting for SMP requests", timeout=60)
                run = b2.run_text()
                if ("version %s " % want) not in run:
                    fail("cut before command %d/%d (state %s): the device runs the wrong image "
                         "(want %s, not %s):\n%s" % (k, total, st, want, old, run))
            finally:
                b2.close()
            print("  -> runs %s (%.1fs + %.1fs)" % (want, t1 - t0, time.time() - t1), flush=True)
        print("%s: %d more cuts made while the next boot resumed the swap (cut k+c below)" %
              (scenario, recuts))
        print("%s: %d cuts made (SIGKILL), %d distinct swap states reached (%d distinct trailer "
              "states of %d trailer-state intervals); sectors: P0..P3 / S0..S4 = the before "
              "state's sector it now holds, -- erased, ?? partly written:" %
              (scenario, len(points), len(states), len(trailer_states), n_states))
        for st, ks in sorted(states.items(), key=lambda x: int(str(x[1][0]).split("+")[0])):
            print("  %s  (cuts before commands %s)" % (st, ",".join(map(str, ks[:8])) +
                                                       (",..." if len(ks) > 8 else "")))
        need = min(len(points), n_states)
        if len(trailer_states) < need:
            fail("only %d distinct trailer states reached, %d exist and %d cuts were made" %
                 (len(trailer_states), n_states, len(points)))
        if len(points) < min(cuts, total):
            fail("only %d cuts scheduled, %d asked" % (len(points), cuts))
    except HarnessError as e:
        fail(str(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("PASS: virt power cuts during %s" % scenario)


if __name__ == "__main__":
    main()
