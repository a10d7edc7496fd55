# SPDX-License-Identifier: Apache-2.0
"""End-to-end serial recovery: keel-boot in keel-sim with its console on a
pseudo-terminal, driven by `keel serial` and by the independent Python
client (smpclient.py). Run by ctest with /usr/bin/python3:

    test_sim_serial.py KEEL KEEL_SIM WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smpclient  # noqa: E402

KEEL, SIM, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, flush=True)
    else:
        print("ok:", what, flush=True)


def run(*args, ok=True):
    p = subprocess.run(list(args), cwd=WORK, capture_output=True, text=True, timeout=120)
    if ok and p.returncode != 0:
        raise SystemExit("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(args), p.stdout, p.stderr))
    return p


class Device:
    """keel-sim booting once (into recovery when nothing verifies)."""

    def __init__(self, conf="dev.conf"):
        self.out = open(os.path.join(WORK, "sim.out"), "w")
        self.err_path = os.path.join(WORK, "sim.err")
        self.proc = subprocess.Popen([SIM, "-c", conf, "boot"], cwd=WORK,
                                     stdout=self.out, stderr=open(self.err_path, "w"))
        self.pty = None
        for _ in range(100):
            m = re.search(r"console on (/dev/pts/\d+)", open(self.err_path).read())
            if m:
                self.pty = m.group(1)
                break
            time.sleep(0.05)
        if not self.pty:
            raise SystemExit("keel-sim did not open a pty:\n" + open(self.err_path).read())

    def wait(self, timeout=30):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        return open(os.path.join(WORK, "sim.out")).read()

    def kill(self):
        self.proc.kill()
        return self.wait()


def serial(dev, *args, ok=True):
    return run(KEEL, "serial", "-p", dev.pty, *args, ok=ok)


def image_hash(path):
    info = json.loads(run(KEEL, "dumpinfo", "--json", path).stdout)
    return [t["data"] for t in info["tlv_area"]["tlvs"] if t["type_name"] == "SHA256"][0]


def wipe():
    run(SIM, "-c", "dev.conf", "erase", "primary")
    run(SIM, "-c", "dev.conf", "erase", "secondary")


def setup():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    run(KEEL, "keygen", "-k", "key.pem", "-t", "ed25519")
    run(KEEL, "keygen", "-k", "other.pem", "-t", "ed25519")
    run(SIM, "-c", "dev.conf", "init", "--key", "key.pem")
    with open(os.path.join(WORK, "dev.conf"), "a") as f:
        f.write("console = pty\n")
    with open(os.path.join(WORK, "app.bin"), "wb") as f:
        f.write(os.urandom(30000))
    common = ["-H", "32", "--pad-header", "-S", "0x20000", "--align", "4"]
    run(KEEL, "sign", "-k", "key.pem", "-v", "1.2.3", *common, "app.bin", "v1.bin")
    run(KEEL, "sign", "-k", "other.pem", "-v", "9.9.9", *common, "app.bin", "foreign.bin")


def test_recover_wiped(v1_hash):
    wipe()
    dev = Device()
    lst = serial(dev, "list").stdout
    check("image=" not in lst, "a wiped device lists no image")
    up = serial(dev, "upload", "v1.bin")
    m = re.search(r"efficiency ([0-9.]+)", up.stdout)
    check(m is not None, "upload reports its efficiency: " + up.stdout.strip())
    lst = serial(dev, "list").stdout
    check("version: 1.2.3" in lst and v1_hash in lst,
          "list shows the version and the hash dumpinfo reports (%s)" % v1_hash[:16])
    serial(dev, "reset")
    out = dev.wait()
    check("booted image 0 version 1.2.3" in out, "after reset the recovered image boots")


def test_bad_image_refused():
    wipe()
    dev = Device()
    serial(dev, "upload", "foreign.bin")
    lst = serial(dev, "list").stdout
    check("9.9.9" not in lst, "an image signed by an unknown key is not listed")
    serial(dev, "reset")
    time.sleep(1.0)
    out = dev.kill()
    check("signed by an unknown key" in out or "unknown key" in out,
          "the foreign image is refused at boot with its reason")
    check(out.count("entering serial recovery") >= 2, "the device stays in recovery")


def test_resume(v1_size):
    wipe()
    dev = Device()
    cli = smpclient.Client(dev.pty)
    data = open(os.path.join(WORK, "v1.bin"), "rb").read()
    off = cli.upload(data, mtu=256, stop_after=len(data) // 2)
    cli.close()
    check(0 < off < len(data), "upload interrupted at offset %d of %d" % (off, len(data)))
    up = serial(dev, "upload", "--resume", "v1.bin")
    m = re.search(r"resuming at offset (\d+)", up.stderr)
    check(m is not None and int(m.group(1)) == off,
          "keel serial resumes at the device's offset (%s)" % (m.group(1) if m else "none"))
    serial(dev, "reset")
    check("booted image 0 version 1.2.3" in dev.wait(), "the resumed upload boots")


def test_python_client(v1_hash):
    """The independent client: framing, v1 and v2 headers, errors."""
    wipe()
    dev = Device()
    for version in (0, 1):
        cli = smpclient.Client(dev.pty, version=version)
        check(cli.echo("keel")["r"] == "keel", "echo, SMP v%d" % (version + 1))
        check(cli.params()["buf_size"] >= 512, "params, SMP v%d" % (version + 1))
        rsp, raw = cli.request(smpclient.OP_READ, smpclient.GROUP_IMAGE, 1, None,
                               raw_payload=b"\xa0")
        if version == 0:
            check(rsp.get("rc") == 3, "upload without off/data: rc 3 (v1 form): %r" % rsp)
        else:
            check(rsp.get("rc") == 3, "malformed request stays a protocol error in v2: %r" % rsp)
        rsp, _ = cli.request(smpclient.OP_WRITE, smpclient.GROUP_IMAGE, 1,
                             {"off": 0, "len": 0x7FFFFFFF, "data": b""})
        if version == 0:
            check(rsp == {"rc": 3}, "oversized upload: {rc: 3} in v1: %r" % rsp)
        else:
            check(rsp == {"err": {"group": 1, "rc": 30}}, "oversized upload: img_mgmt error 30 in v2: %r" % rsp)
        rsp, raw = cli.request(smpclient.OP_READ, 7, 0, {})
        check(rsp == {"rc": 8}, "unknown group: rc 8")
        # Replies use indefinite-length maps, as MCUboot's do.
        check(raw[8] == 0xBF, "reply map is indefinite-length (0x%02x)" % raw[8])
        cli.close()
    cli = smpclient.Client(dev.pty)
    data = open(os.path.join(WORK, "v1.bin"), "rb").read()
    check(cli.upload(data, mtu=1024) == len(data), "independent client uploads the image")
    images = cli.image_list()
    check(len(images) == 1 and images[0]["version"] == "1.2.3" and images[0]["hash"].hex() == v1_hash,
          "independent client lists version and hash")
    eff = len(data) / cli.bytes_sent
    check(0.6 < eff <= 0.75, "wire efficiency %.3f within the base64 ceiling" % eff)
    check(cli.reset() == {"rc": 0}, "reset answers rc 0")
    cli.close()
    check("booted image 0 version 1.2.3" in dev.wait(), "image uploaded by the independent client boots")


def test_detect_window():
    """A working device listens detect-window-ms for a client, then boots."""
    wipe()
    run(SIM, "-c", "dev.conf", "flash", "primary", "v1.bin")
    conf = open(os.path.join(WORK, "dev.conf")).read() + "detect-window-ms = 2000\n"
    open(os.path.join(WORK, "window.conf"), "w").write(conf)
    dev = Device("window.conf")
    lst = serial(dev, "list").stdout
    check("version: 1.2.3" in lst, "a client within the window reaches recovery on a working device")
    serial(dev, "reset")
    out = dev.wait()
    check("a client spoke within the detect window" in out and out.count("booted image 0 version 1.2.3") == 2,
          "the device booted, entered recovery for the client, and booted again after the reset")
    t0 = time.monotonic()
    dev = Device("window.conf")
    out = dev.wait()
    took = time.monotonic() - t0
    check("entering serial recovery" not in out and "booted image 0 version 1.2.3" in out,
          "without a client the device boots after the window (%.1f s)" % took)


def main():
    setup()
    v1_hash = image_hash(os.path.join(WORK, "v1.bin"))
    test_recover_wiped(v1_hash)
    test_bad_image_refused()
    test_resume(os.path.getsize(os.path.join(WORK, "v1.bin")))
    test_python_client(v1_hash)
    test_detect_window()
    print("serial end-to-end: %d checks, %d failures" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
