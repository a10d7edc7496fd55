# SPDX-License-Identifier: Apache-2.0
"""rv32 virt benchmark (ports/virt/bench.sh): prints a Markdown section.

usage: bench_virt.py PORT_BUILD_DIR HOST_BUILD_DIR

Exact guest instructions (insncount plugin, tools/bench) from keel-boot's
first instruction (0x20000000, where the reset ROM jumps with pflash unit 0)
to the app's first instruction (0x22000100), for a 256 KiB app signed with
Ed25519 and with ECDSA-P256, and the same with a pending 256 KiB test
upgrade per swap strategy (the difference is the swap's cost); flash
commands counted by the same plugin (calls of virt_flash_cmd_mark);
keel-boot's size.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virt_test as vt  # noqa: E402

START, APP = 0x20000000, 0x22000100


def nm(elf, name):
    out = subprocess.run(["riscv64-unknown-elf-nm", elf], stdout=subprocess.PIPE, check=True)
    for ln in out.stdout.decode().splitlines():
        f = ln.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    sys.exit("bench_virt: no symbol %s in %s" % (name, elf))


def run(n, work, boot, primary, secondary=None, sec_off=0):
    """One power-on; returns (instructions reset -> app, flash commands keel-boot issued)."""
    b0 = bytearray(b"\xff" * vt.BANK)
    k = open(os.path.join(n, boot + ".bin"), "rb").read()
    b0[0:len(k)] = k
    b1 = bytearray(b"\xff" * vt.BANK)
    p = open(primary, "rb").read()
    b1[0:len(p)] = p
    if secondary:
        s = open(secondary, "rb").read()
        b1[sec_off:sec_off + len(s)] = s
    paths = [os.path.join(work, "b0.img"), os.path.join(work, "b1.img")]
    for path, data in zip(paths, (b0, b1)):
        with open(path, "wb") as fh:
            fh.write(data)
    out = os.path.join(work, "counts.txt")
    if os.path.exists(out):
        os.unlink(out)
    mark = nm(os.path.join(n, boot + ".elf"), "virt_flash_cmd_mark")
    done = nm(os.path.join(n, boot + ".elf"), "virt_boot_done")
    args = ["qemu-system-riscv32", "-M", "virt", "-bios", "none", "-display", "none",
            "-monitor", "none", "-serial", "file:" + os.path.join(work, "uart.txt"),
            "-drive", "if=pflash,format=raw,unit=0,file=" + paths[0],
            "-drive", "if=pflash,format=raw,unit=1,file=" + paths[1],
            "-plugin", "%s,start=0x%x,stop=0x%x,mark=0x%x,done=0x%x,out=%s" % (
                PLUGIN, START, APP, mark, done, out)]
    q = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    insns = cmds = None
    while time.time() < deadline and insns is None:
        time.sleep(0.1)
        if os.path.exists(out):
            for ln in open(out).read().splitlines():
                f = ln.split()
                if f[0] == "done":
                    cmds = int(f[1])
                if f[0] == "window":
                    insns = int(f[2])
        if q.poll() is not None:
            break
    q.terminate()
    q.wait()
    uart = open(os.path.join(work, "uart.txt"), errors="replace").read()
    if insns is None or "keel-boot: starting the primary" not in uart:
        sys.exit("bench_virt: %s did not reach the app:\n%s" % (boot, uart[-2000:]))
    return insns, cmds, uart


def sign(keel, key, src, dst, ver, pad):
    cmd = [keel, "sign", "-H", "0x100", "--pad-header", "--align", "4", "-S", "0x100000",
           "-k", key, "-v", ver] + (["--pad"] if pad else []) + [src, dst]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def main():
    global PLUGIN
    n, host = sys.argv[1], sys.argv[2]
    keel = os.path.join(host, "tools", "keel", "keel")
    PLUGIN = os.path.join(host, "tools", "bench", "libinsncount.so")
    work = tempfile.mkdtemp(prefix="keel-virt-bench-")
    raw = os.path.join(n, "app-256k.bin")
    ed, ec = os.path.join(n, "root-ed25519.pem"), os.path.join(n, "root-ecdsa.pem")
    imgs = {}
    for name, key, ver, pad in (("ed-v1", ed, "1.0.0", False), ("ec-v1", ec, "1.0.0", False),
                                ("ed-v2", ed, "2.0.0", True)):
        imgs[name] = os.path.join(work, name + ".bin")
        sign(keel, key, raw, imgs[name], ver, pad)
    size_img = os.path.getsize(imgs["ed-v1"])

    boot_ed, _, _ = run(n, work, "keel-boot", imgs["ed-v1"])
    boot_ec, _, _ = run(n, work, "keel-boot", imgs["ec-v1"])
    rows = []
    for boot, name, off in (("keel-boot", "swap-offset", vt.SLOT1 + vt.SECTOR),
                            ("keel-boot-move", "swap-move", vt.SLOT1 + vt.SECTOR),
                            ("keel-boot-scratch", "swap-scratch", vt.SLOT1),
                            ("keel-boot-overwrite", "overwrite-only", vt.SLOT1)):
        plain, _, _ = run(n, work, boot, imgs["ed-v1"])
        swap, cmds, uart = run(n, work, boot, imgs["ed-v1"], imgs["ed-v2"], off)
        if "booting primary 2.0.0" not in uart:
            sys.exit("bench_virt: %s did not install the upgrade:\n%s" % (name, uart[-2000:]))
        rows.append((name, plain, swap, cmds))

    shutil.rmtree(work, ignore_errors=True)
    size = subprocess.run(["riscv64-unknown-elf-size", "-A", os.path.join(n, "keel-boot.elf")],
                          stdout=subprocess.PIPE, check=True).stdout.decode()
    sec = {}
    for ln in size.splitlines():
        f = ln.split()
        if len(f) >= 2 and f[0].startswith("."):
            sec[f[0]] = int(f[1])
    flash = sec.get(".text", 0) + sec.get(".ramfunc", 0) + sec.get(".data", 0)
    binsize = os.path.getsize(os.path.join(n, "keel-boot.bin"))

    print("### Reset to app, 256 KiB image (%d bytes signed)" % size_img)
    print()
    print("| Image | Instructions (keel-boot's first to the app's first) |")
    print("|---|---:|")
    print("| Ed25519 (pure), verified primary | %s |" % format(boot_ed, ","))
    print("| ECDSA-P256, verified primary | %s |" % format(boot_ec, ","))
    print()
    print("### Swap of a 256 KiB test upgrade, per strategy (Ed25519 images)")
    print()
    print("| Strategy | Boot without upgrade | Boot with the swap | Swap's share | CFI commands |")
    print("|---|---:|---:|---:|---:|")
    for name, plain, swap, cmds in rows:
        print("| %s | %s | %s | %s | %d |" % (name, format(plain, ","), format(swap, ","),
                                              format(swap - plain, ","), cmds))
    print()
    print("Slots (docs/virt.md): swap-offset primary 4 / secondary 5 sectors (upload one sector in);")
    print("swap-move primary 5 / secondary 4; swap-scratch and overwrite-only 4 / 4, swap-scratch")
    print("with a one-sector (256 KiB) scratch area. Overwrite-only keeps no copy of the old image.")
    print()
    print("CFI commands: buffered programs (up to 4 KiB each, QEMU's write buffer) and block")
    print("erases (256 KiB) keel-boot issued before starting the app. The swap's share includes")
    print("verifying the new image; instruction counts include the driver's status polling,")
    print("which QEMU answers at once (no flash timing is modelled, qemu.md 8).")
    print()
    print("### keel-boot size (rv32imac, -Os, Ed25519 + ECDSA-P256, serial recovery, no encryption)")
    print()
    print("| Part | Bytes |")
    print("|---|---:|")
    print("| .text (incl. rodata) | %d |" % sec.get(".text", 0))
    print("| .ramfunc (CFI command code, copied to RAM) | %d |" % sec.get(".ramfunc", 0))
    print("| .data | %d |" % sec.get(".data", 0))
    print("| flash total (text + ramfunc + data) | %d (%.1f KiB); keel-boot.bin %d |" %
          (flash, flash / 1024, binsize))
    print("| .bss (RAM, excluding the stack) | %d |" % sec.get(".bss", 0))


if __name__ == "__main__":
    main()
