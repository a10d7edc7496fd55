# SPDX-License-Identifier: Apache-2.0
"""make demo, nRF51 part: the boot chain on QEMU's micro:bit, step by step.

usage: demo_nrf51.py BUILD_DIR/ports/nrf51
Lines from the emulated device are shown as [nrf51#N] where N counts power-ons
(each reset restarts QEMU from the flash the previous run left).
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import harness  # noqa: E402
import nrf51_test as t  # noqa: E402

BOLD = "\033[1m" if sys.stdout.isatty() else ""
OFF = "\033[0m" if sys.stdout.isatty() else ""


def step(s):
    print("\n%s== %s%s" % (BOLD, s, OFF), flush=True)


def main():
    env = t.Env(sys.argv[1])
    work = tempfile.mkdtemp(prefix="keel-nrf51-demo-")
    flash = os.path.join(work, "flash.bin")

    step("nRF51 1. The flash image a factory programs: keel-mbr at 0x0, keel-boot at 0x1000, "
         "app v1 (signed with keel sign) in the primary slot at 0xC000; the rest erased (0xFF)")
    t.make_flash(env, flash)
    print("   keel-mbr %d B, keel-boot %d B (with its CRC header), app v1 %d B -> %s" % (
        os.path.getsize(env.f("keel-mbr.bin")), os.path.getsize(env.f("keel-boot.img")),
        os.path.getsize(env.f("app-v1.signed.bin")), flash))
    b = harness.Board("microbit", flash, workdir=work, dump=(0, t.FLASH), name="nrf51")
    try:
        step("nRF51 2. Power on: keel-mbr checks keel-boot's CRC and starts it; keel-boot verifies "
             "the app's Ed25519 signature and starts it; the app's TIMER0 interrupt and SVC reach "
             "it through keel-mbr's forwarding table")
        b.start()
        t.boots(b, "1.0.0+0")

        step("nRF51 3. Update v1 -> v2 through the running app: keel serial uploads the signed "
             "image into the secondary slot over the UART (SMP), the app requests a test upgrade")
        t.smp(env, b, "upload", env.f("app-v2.signed.bin"))
        t.smp(env, b, "list")
        step("nRF51 4. Reset: keel-boot swaps v2 in (test), v2 runs and confirms itself")
        t.smp_reset(env, b)
        t.boots(b, "2.0.0+0")
        step("nRF51 5. Another reset: v2 is permanent, nothing moves")
        t.smp_reset(env, b)
        t.boots(b, "2.0.0+0")

        step("nRF51 6. Update to v3, a build that never confirms itself")
        t.smp(env, b, "upload", env.f("app-v3.signed.bin"))
        t.smp_reset(env, b)
        t.boots(b, "3.0.0+0", confirms=False)
        step("nRF51 7. Reset without a confirmation: keel-boot swaps v2 back")
        t.smp_reset(env, b)
        t.boots(b, "2.0.0+0")
    except harness.HarnessError as e:
        t.fail(str(e))
    finally:
        b.close()
    print("\nnRF51 demo done. Flash image and QEMU logs: %s; the board, its memory map and "
          "the MBR's own update protocol: docs/nrf51.md." % work)


if __name__ == "__main__":
    main()
