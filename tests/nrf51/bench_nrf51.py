# SPDX-License-Identifier: Apache-2.0
"""nRF51 benchmark (make bench): sizes of keel-mbr / keel-boot and exact
instructions from reset to the app's main() under QEMU microbit.

usage: bench_nrf51.py BUILD_DIR PLUGIN.so SIZE_TOOL   -> markdown on stdout

Instruction windows come from the insncount TCG plugin (tools/bench),
loaded once per window from copies of the .so (each copy keeps its own
counters): reset (keel-mbr's reset handler) -> keel-boot's reset handler
-> the app's reset handler -> the app's main(). Counts include every
instruction executed on the way: the MBR's CRC over keel-boot, keel_boot()
with its SHA-256 and Ed25519 verification of the primary, UART output of
the boot log (polled TXDRDY loops, which QEMU completes at once), and the
app's .data/.bss set-up.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
import nrf51_test  # noqa: E402


def sym(elf, name):
    out = subprocess.run(["arm-none-eabi-nm", elf], stdout=subprocess.PIPE, check=True,
                         universal_newlines=True).stdout
    for ln in out.splitlines():
        f = ln.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16) & ~1
    raise SystemExit("bench: %s has no symbol %s" % (elf, name))


def size(tool, elf):
    out = subprocess.run([tool, elf], stdout=subprocess.PIPE, check=True,
                         universal_newlines=True).stdout.splitlines()[1].split()
    text, data, bss = int(out[0]), int(out[1]), int(out[2])
    return text + data, data + bss


def count(n, plugin, app, work):
    env = nrf51_test.Env(n)
    flash = os.path.join(work, "flash-%s" % app)
    nrf51_test.make_flash(env, flash, app=app)
    pts = [sym(os.path.join(n, "keel-mbr.elf"), "mbr_reset"),
           sym(os.path.join(n, "keel-boot.elf"), "nrf51_reset_handler"),
           sym(os.path.join(n, "app.elf"), "nrf51_reset_handler"),
           sym(os.path.join(n, "app.elf"), "main")]
    wins = [(0, 3), (0, 1), (1, 2), (2, 3)]
    args, outs = [], []
    for i, (a, b) in enumerate(wins):
        so = os.path.join(work, "insncount%d.so" % i)
        shutil.copy(plugin, so)
        out = os.path.join(work, "%s.w%d" % (app, i))
        outs.append(out)
        args += ["-plugin", "%s,start=0x%x,stop=0x%x,out=%s" % (so, pts[a], pts[b], out)]
    brd = harness.Board("microbit", flash, workdir=work, dump=None, extra_args=args,
                        name="bench", echo=False)
    try:
        brd.start()
        brd.wait_for("app: Keel sample app version", timeout=120)
    finally:
        brd.close()
    res = []
    for out in outs:
        vals = [int(ln.split()[2]) for ln in open(out) if ln.startswith("window ")]
        if len(vals) != 1:
            raise SystemExit("bench: %s: expected one window, got %r" % (out, vals))
        res.append(vals[0])
    if res[0] != res[1] + res[2] + res[3]:
        raise SystemExit("bench: windows do not add up: %r" % res)
    img = os.path.getsize(os.path.join(n, app))
    return img, res


RAM, RAM_END = 0x20000000, 0x20004000
PAINT = b"\xa5"


def lowest_touched(ram, floor):
    """Lowest RAM address at or above floor whose word is no longer the paint."""
    for a in range(floor, RAM_END, 4):
        if ram[a - RAM:a - RAM + 4] != PAINT * 4:
            return a
    return RAM_END


def stacks(n, work, keel):
    """Peak stack (bytes) of keel-mbr, of keel-boot booting an app, and of keel-boot's serial
    recovery serving an upload and a list: RAM is painted through QEMU's gdbstub before the
    first instruction and read back at the next stage's reset handler (or after the SMP work)."""
    env = nrf51_test.Env(n)
    boot_elf, app_elf = os.path.join(n, "keel-boot.elf"), os.path.join(n, "app.elf")
    boot_floor = sym(boot_elf, "_ebss")
    out = {}
    for case in ("boot", "recovery"):
        flash = os.path.join(work, "stack-%s.bin" % case)
        nrf51_test.make_flash(env, flash, app="app-v1.signed.bin" if case == "boot" else None)
        sock = os.path.join(work, "gdb-%s.sock" % case)
        brd = harness.Board("microbit", flash, workdir=work, dump=None, name="stack",
                            extra_args=["-gdb", "unix:%s,server=on,wait=off" % sock], echo=False)
        try:
            brd.start(run=False)
            g = harness.GdbStub(sock)
            g.write(RAM, PAINT * (RAM_END - RAM))
            if case == "boot":
                g.break_at(sym(boot_elf, "nrf51_reset_handler"))
                g.cont()
                ram = g.read(RAM, RAM_END - RAM)
                out["keel-mbr"] = RAM_END - lowest_touched(ram, RAM + 8)
                g.clear(sym(boot_elf, "nrf51_reset_handler"))
                g.break_at(sym(app_elf, "nrf51_reset_handler"))
                g.cont()
                ram = g.read(RAM, RAM_END - RAM)
                out["keel-boot"] = RAM_END - lowest_touched(ram, boot_floor)
            else:
                g.go()
                brd.wait_for("entering serial recovery")
                for args in (["upload", env.f("app-v1.signed.bin")], ["list"]):
                    st, _ = harness.run_tool([keel, "serial", "-p", "unix:" + brd.proxy] + args,
                                             echo_to=sys.stderr)
                    if st:
                        raise SystemExit("bench: keel serial %s failed" % args[0])
                g.interrupt()
                ram = g.read(RAM, RAM_END - RAM)
                out["recovery"] = RAM_END - lowest_touched(ram, boot_floor)
            g.close()
        finally:
            brd.close()
    return out


def main():
    n, plugin, tool = sys.argv[1], sys.argv[2], sys.argv[3]
    work = tempfile.mkdtemp(prefix="keel-nrf51-bench-")
    sizes = {t: size(tool, os.path.join(n, t + ".elf"))
             for t in ("keel-mbr", "keel-mbr-nostage1", "keel-boot", "keel-boot-norec", "app")}
    runs = [("app-64k.signed.bin", "64 KiB app (payload 65536 B)"),
            ("app-v1.signed.bin", "sample app as built")]
    counts = [(label,) + count(n, plugin, app, work) for app, label in runs]
    stk = stacks(n, work, nrf51_test.Env(n).keel)
    shutil.rmtree(work, ignore_errors=True)
    p = print
    p("### Flash and RAM")
    p()
    p("| Stage | Flash (text + data) | Static RAM (data + bss) | Region |")
    p("|---|---:|---:|---|")
    rows = [("keel-mbr", "keel-mbr", "0x0000-0x0FFF (4 KiB); RAM: 8 reserved bytes, stack only"),
            ("keel-mbr, no stage 1", "keel-mbr-nostage1", "same"),
            ("keel-boot with serial recovery", "keel-boot", "0x1000-0xBFFF (44 KiB) incl. 16 B header"),
            ("keel-boot without serial recovery", "keel-boot-norec", "same"),
            ("sample app (SMP upload, confirm)", "app", "primary slot, 103 KiB")]
    for label, t, region in rows:
        fl, ram = sizes[t]
        p("| %s | %d B (%.2f KiB) | %d B | %s |" % (label, fl, fl / 1024, ram, region))
    p()
    p("Peak stack, measured (RAM painted through QEMU's gdbstub before reset, read back at the "
      "next stage's reset handler): keel-mbr %d B; keel-boot booting the sample app %d B; "
      "keel-boot's serial recovery serving `keel serial upload` and `list` %d B. Every stage's "
      "stack starts at the top of RAM (0x20004000), so a stage needs its static RAM plus its "
      "stack, plus the MBR's 8 reserved bytes: keel-boot with recovery %d B of the 16 KiB, "
      "without %d B." % (stk["keel-mbr"], stk["keel-boot"], stk["recovery"],
                         sizes["keel-boot"][1] + max(stk["keel-boot"], stk["recovery"]) + 8,
                         sizes["keel-boot-norec"][1] + stk["keel-boot"] + 8))
    p()
    p("### Instructions from reset to the app's first line")
    p()
    p("| Image | image bytes | reset -> app main() | keel-mbr | keel-boot | app start-up |")
    p("|---|---:|---:|---:|---:|---:|")
    for label, img, r in counts:
        p("| %s | %d | %d | %d | %d | %d |" % (label, img, r[0], r[1], r[2], r[3]))
    p()
    p("Exact guest instructions (insncount plugin). keel-mbr = its reset handler to "
      "keel-boot's (CRC-16 of keel-boot); keel-boot = to the app's reset handler "
      "(boot decision, SHA-256 over the image, Ed25519 verification, fast profile, "
      "boot log); app start-up = .data/.bss to main(). The build makes its own test keys, so "
      "the Ed25519 part varies by a few hundred thousand instructions from build to build "
      "(verification work depends on the key and signature); the UART output is polled but "
      "QEMU completes every byte at once, so on silicon at 115200 baud the boot log adds wait "
      "time these counts do not show.")
    p()
    p("Serial recovery costs keel-boot %d B of flash and %d B of static RAM (the SMP receive "
      "and reply buffers)." % (sizes["keel-boot"][0] - sizes["keel-boot-norec"][0],
                               sizes["keel-boot"][1] - sizes["keel-boot-norec"][1]))


if __name__ == "__main__":
    main()
