# SPDX-License-Identifier: Apache-2.0
"""QEMU harness shared by Keel's board tests (Debian /usr/bin/python3, stdlib only).

One `Board` runs one emulated device across many QEMU processes:
  * the UART is a unix-socket chardev the harness owns; everything the
    guest prints is kept (`text`) and echoed to stdout with a prefix, and a
    second socket (`proxy`) lets a host tool (`keel serial -p unix:PATH`,
    mbrflash) talk to the UART while the harness keeps logging;
  * QMP controls the run: QEMU starts paused (-S) so no output is lost, and
    a guest reset becomes a QMP SHUTDOWN event (-action reboot=shutdown)
    instead of a reset;
  * persistence: boards whose flash is not file-backed (nRF51) declare a
    `dump` region; on every reset or power cycle the harness saves it with
    QMP `memsave` and starts the next QEMU from the saved file, so flash
    survives exactly as it would on a device;
  * wait_for(text, timeout) / expect_absent(); every wait has a timeout and
    failures raise HarnessError with the tail of the console;
  * cut hooks: `extra_args` and `plugin` let later boards add a TCG plugin
    that stops QEMU after the Nth flash command (scheduled cuts), and
    `on_start` callbacks run after QEMU is up.
Never uses -serial stdio (see ../shared NOTES: closed stdin breaks it).
"""
import json
import os
import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time


class HarnessError(Exception):
    pass


class Board:
    def __init__(self, machine, flash_file, workdir=None, qemu="qemu-system-arm",
                 dump=None, extra_args=(), plugin=None, name="dev", echo=True, load_args=None):
        """dump = (address, size) saved with memsave at every stop, or None.
        load_args replaces ["-kernel", flash_file] (e.g. file-backed pflash drives on virt)."""
        self.machine = machine
        self.flash = os.path.abspath(flash_file)
        self.workdir = workdir or tempfile.mkdtemp(prefix="keel-qemu-")
        self.qemu = qemu
        self.dump = dump
        self.extra_args = list(extra_args)
        self.plugin = plugin
        self.name = name
        self.echo = echo
        self.load_args = list(load_args) if load_args is not None else None
        self.text = ""            # everything the guest printed, all runs
        self.run_start = 0        # offset in text where the current run began
        self.cursor = 0           # wait_for searches from here
        self.runs = 0
        self.proc = None
        self.on_start = []
        self._lock = threading.Lock()
        self._events = []
        self.proxy = os.path.join(self.workdir, "uart-proxy.sock")
        self._proxy_srv = None
        self._proxy_cli = None
        self.bytes_to_guest = 0

    # ------------------------------------------------------------ running
    def start(self, run=True):
        """Starts QEMU; run=False leaves the guest paused (e.g. for a GdbStub)."""
        uart = os.path.join(self.workdir, "uart.sock")
        qmp = os.path.join(self.workdir, "qmp.sock")
        for p in (uart, qmp):
            if os.path.exists(p):
                os.unlink(p)
        args = [self.qemu, "-M", self.machine, "-display", "none", "-monitor", "none",
                "-chardev", "socket,id=u0,path=%s,server=on,wait=off" % uart,
                "-serial", "chardev:u0",
                "-qmp", "unix:%s,server=on,wait=off" % qmp,
                "-S", "-action", "reboot=shutdown,shutdown=pause",
                ] + (self.load_args if self.load_args is not None else ["-kernel", self.flash]) + \
            self.extra_args
        if self.plugin:
            args += ["-plugin", self.plugin, "-d", "plugin",
                     "-D", os.path.join(self.workdir, "plugin-%d.log" % self.runs)]
        self.log = open(os.path.join(self.workdir, "qemu-%d.log" % self.runs), "w")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.runs += 1
        self._uart = self._connect(uart)
        self._qmp = self._connect(qmp)
        self._qmp_file = self._qmp.makefile("rwb", buffering=0)
        self._replies = queue.Queue()
        self._qmp_thread = threading.Thread(target=self._qmp_reader, daemon=True)
        self._qmp_thread.start()
        self._replies.get(timeout=10)          # greeting
        self.qmp("qmp_capabilities")
        with self._lock:
            self._events = []
            self.run_start = len(self.text)
        self._ensure_proxy()
        self._alive = True
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        for cb in self.on_start:
            cb(self)
        if run:
            self.qmp("cont")

    def _connect(self, path):
        deadline = time.time() + 10
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return s
            except OSError:
                s.close()
                if self.proc.poll() is not None or time.time() > deadline:
                    raise HarnessError("QEMU did not open %s (see %s)" % (path, self.log.name))
                time.sleep(0.02)

    def _qmp_reader(self):
        """Events go to the event list, everything else to the reply queue."""
        while True:
            try:
                line = self._qmp_file.readline()
            except (OSError, ValueError):
                line = b""
            if not line:
                self._replies.put(None)
                return
            msg = json.loads(line)
            if "event" in msg:
                with self._lock:
                    self._events.append(msg)
            else:
                self._replies.put(msg)

    def qmp(self, cmd, **arguments):
        msg = {"execute": cmd}
        if arguments:
            msg["arguments"] = arguments
        self._qmp_file.write(json.dumps(msg).encode() + b"\n")
        try:
            r = self._replies.get(timeout=30)
        except queue.Empty:
            r = None
        if r is None:
            raise HarnessError("QMP %s: no reply (QEMU gone?)" % cmd)
        if "error" in r:
            raise HarnessError("QMP %s: %s" % (cmd, r["error"]))
        return r.get("return")

    def _ensure_proxy(self):
        if self._proxy_srv:
            return
        if os.path.exists(self.proxy):
            os.unlink(self.proxy)
        self._proxy_srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._proxy_srv.bind(self.proxy)
        self._proxy_srv.listen(1)

    def _pump(self):
        """Moves UART bytes: guest -> text (+ proxy client), proxy client -> guest."""
        import select
        pending = b""
        while self._alive:
            socks = [self._uart, self._proxy_srv] + ([self._proxy_cli] if self._proxy_cli else [])
            try:
                r, _, _ = select.select(socks, [], [], 0.05)
            except (OSError, ValueError):
                break
            for s in r:
                if s is not self._uart and s is not self._proxy_srv and s is not self._proxy_cli:
                    continue   # a client replaced earlier in this round (already closed)
                if s is self._proxy_srv:
                    c, _ = s.accept()
                    if self._proxy_cli:
                        self._proxy_cli.close()
                    self._proxy_cli = c
                    continue
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if s is self._uart:
                    if not data:
                        self._alive = False
                        break
                    if self._proxy_cli:
                        try:
                            self._proxy_cli.sendall(data)
                        except OSError:
                            self._proxy_cli.close()
                            self._proxy_cli = None
                    pending += data
                    txt = pending.decode("latin-1")
                    pending = b""
                    with self._lock:
                        self.text += txt
                    if self.echo:
                        self._echo(txt)
                else:
                    if not data:
                        s.close()
                        self._proxy_cli = None
                    else:
                        self._uart.sendall(data)
                        self.bytes_to_guest += len(data)

    _line = ""

    def _echo(self, txt):
        self._line += txt
        while "\n" in self._line:
            ln, self._line = self._line.split("\n", 1)
            ln = ln.rstrip("\r")
            # SMP frames are base64 lines; show them as one marker, not noise.
            if ln.startswith(("\x06\x09", "\x04\x14")):
                continue
            # Binary protocol replies (keel-mbr's) are shown as a byte count, not as noise.
            m = re.match(r"^(.*[^\t -~])([\t -~]*)$", ln, re.S)
            if m:
                print("[%s#%d] (%d bytes of binary protocol data)" %
                      (self.name, self.runs, len(m.group(1))), flush=True)
                ln = m.group(2)
                if not ln:
                    continue
            print("[%s#%d] %s" % (self.name, self.runs, ln), flush=True)

    def _wait_event(self, names, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                for e in self._events:
                    if e["event"] in names:
                        self._events.remove(e)
                        return e
            if self.proc.poll() is not None:
                raise HarnessError("QEMU exited (status %s)" % self.proc.returncode)
            time.sleep(0.02)
        return None

    def stop(self):
        """Pauses the guest, saves the flash dump (if any) and ends QEMU."""
        if not self.proc:
            return
        error = None
        try:
            self.qmp("stop")
            if self.dump:
                tmp = self.flash + ".new"
                self.qmp("memsave", val=self.dump[0], size=self.dump[1], filename=tmp,
                         **{"cpu-index": 0})
                if os.path.getsize(tmp) != self.dump[1]:
                    raise HarnessError("memsave wrote %d bytes, not %d" %
                                       (os.path.getsize(tmp), self.dump[1]))
                os.replace(tmp, self.flash)
            self.qmp("quit")
        except (HarnessError, OSError) as e:
            # A lost flash dump would let the next run start from stale flash: never silent.
            error = "cannot save the device state: %s" % e
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._alive = False
        self._pump_thread.join(2)
        for s in (self._uart, self._qmp):
            s.close()
        self.log.close()
        self.proc = None
        if error and self.dump:
            raise HarnessError(error)

    def wait_reset(self, timeout=30):
        """Waits for the guest to reset itself; then saves flash and restarts QEMU."""
        e = self._wait_event(("SHUTDOWN", "RESET"), timeout)
        if not e:
            raise HarnessError("no guest reset within %ss; CPU: %s; console tail:\n%s" %
                               (timeout, self.cpu_state(), self.tail()))
        self.stop()
        self.start()

    def cpu_state(self):
        """The guest's registers in one line, for failure reports."""
        try:
            regs = self.qmp("human-monitor-command", **{"command-line": "info registers"})
        except HarnessError as e:
            return str(e)
        return "%s; harness pump %s, %d bytes sent to the guest" % (
            " ".join(regs.split()), "alive" if self._pump_thread.is_alive() else "DEAD",
            self.bytes_to_guest)

    def wait_exit(self, timeout=60):
        """Cut hook: waits for QEMU to end by itself (e.g. a TCG plugin in extra_args that
        exits after the Nth flash command, a scheduled power cut), then cleans up so start()
        can power the device on again. No flash dump is taken: boards whose flash is
        file-backed keep what the cut left; returns QEMU's exit status."""
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError("QEMU still running %ss after the scheduled cut; console tail:\n%s"
                               % (timeout, self.tail()))
        self._alive = False
        self._pump_thread.join(2)
        for s in (self._uart, self._qmp):
            s.close()
        self.log.close()
        self.proc = None
        return status

    def power_cycle(self):
        self.stop()
        self.start()

    def close(self):
        self.stop()
        if self._proxy_cli:
            self._proxy_cli.close()
        if self._proxy_srv:
            self._proxy_srv.close()

    # ------------------------------------------------------------ console
    def tail(self, n=1500):
        """The console's end without SMP frame lines."""
        with self._lock:
            lines = self.text[-8 * n:].split("\n")
        keep = [ln for ln in lines if not ln.startswith(("\x06\x09", "\x04\x14"))]
        return "\n".join(keep)[-n:]

    def run_text(self):
        with self._lock:
            return self.text[self.run_start:]

    def wait_for(self, needle, timeout=20):
        """Waits until needle appears after the cursor; moves the cursor past it."""
        deadline = time.time() + timeout
        while True:
            with self._lock:
                i = self.text.find(needle, self.cursor)
                if i >= 0:
                    self.cursor = i + len(needle)
                    return
            if time.time() > deadline:
                raise HarnessError("timeout (%ss) waiting for %r; console tail:\n%s" %
                                   (timeout, needle, self.tail()))
            if self.proc is None or self.proc.poll() is not None:
                raise HarnessError("QEMU ended while waiting for %r; console tail:\n%s" %
                                   (needle, self.tail()))
            time.sleep(0.02)

    def expect_absent(self, needle):
        """Fails if needle appeared in the current run's output."""
        if needle in self.run_text():
            raise HarnessError("unexpected %r in this run's output:\n%s" % (needle, self.run_text()))

    def skip_to_end(self):
        with self._lock:
            self.cursor = len(self.text)


def run_tool(args, timeout=120, echo_to=None):
    """Runs a host tool; returns (status, output), echoing the output (to stdout by default)."""
    echo_to = echo_to or sys.stdout
    print("$ " + " ".join(args), file=echo_to, flush=True)
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    out = p.stdout.decode(errors="replace")
    for ln in out.splitlines():
        print("  | " + ln, file=echo_to, flush=True)
    return p.returncode, out


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


class GdbStub:
    """Minimal GDB remote-protocol client for QEMU's gdbstub (-gdb unix:PATH,server=on,wait=off):
    memory read/write, breakpoints, continue, interrupt. Used to paint and measure stacks."""

    def __init__(self, path, timeout=60):
        deadline = time.time() + 10
        while True:
            self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise HarnessError("no gdbstub at %s" % path)
                time.sleep(0.05)
        self.s.settimeout(timeout)
        self.buf = b""

    def _recv_packet(self):
        while True:
            i = self.buf.find(b"$")
            j = self.buf.find(b"#", i + 1) if i >= 0 else -1
            if i >= 0 and j >= 0 and len(self.buf) >= j + 3:
                body = self.buf[i + 1:j]
                self.buf = self.buf[j + 3:]
                self.s.sendall(b"+")
                return body.decode("latin-1")
            data = self.s.recv(65536)
            if not data:
                raise HarnessError("gdbstub closed")
            self.buf += data

    def cmd(self, body, reply=True):
        pkt = body.encode("latin-1")
        self.s.sendall(b"$" + pkt + b"#%02x" % (sum(pkt) & 0xFF))
        return self._recv_packet() if reply else None

    def write(self, addr, data):
        for o in range(0, len(data), 1024):
            chunk = data[o:o + 1024]
            r = self.cmd("M%x,%x:%s" % (addr + o, len(chunk), chunk.hex()))
            if r != "OK":
                raise HarnessError("gdbstub write at 0x%x: %r" % (addr + o, r))

    def read(self, addr, n):
        out = b""
        while len(out) < n:
            k = min(1024, n - len(out))
            r = self.cmd("m%x,%x" % (addr + len(out), k))
            if r.startswith("E") or len(r) != 2 * k:
                raise HarnessError("gdbstub read at 0x%x: %r" % (addr + len(out), r[:20]))
            out += bytes.fromhex(r)
        return out

    def break_at(self, addr):
        if self.cmd("Z0,%x,2" % addr) != "OK":
            raise HarnessError("gdbstub: cannot set a breakpoint at 0x%x" % addr)

    def clear(self, addr):
        self.cmd("z0,%x,2" % addr)

    def cont(self):
        """Continues until the guest stops (breakpoint); returns the stop reply."""
        return self.cmd("c")

    def go(self):
        """Continues without waiting for the stop."""
        self.cmd("c", reply=False)

    def interrupt(self):
        self.s.sendall(b"\x03")
        return self._recv_packet()

    def close(self):
        self.s.close()


# ---- helpers the board scenario scripts share ---------------------------

def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def keel_serial(keel, b, *args, ok=True):
    """`keel serial` against the board's proxied UART; (status, output)."""
    st, out = run_tool([keel, "serial", "-p", "unix:" + b.proxy] + list(args))
    if ok and st != 0:
        raise HarnessError("keel serial %s failed (status %d)" % (" ".join(args), st))
    return st, out


def smp_reset(keel, b):
    """SMP reset: the device answers, then resets (a QMP event)."""
    keel_serial(keel, b, "reset")
    b.wait_reset()


def app_boots(b, version, board_line, confirms=True):
    """keel-boot starts the sample app at `version`; board_line is the app's
    own board check; it then confirms itself, or says it never does."""
    b.wait_for("keel-boot: starting the primary")
    b.wait_for("app: Keel sample app version %s" % version)
    b.wait_for(board_line)
    if confirms:
        b.wait_for("app: image confirmed")
    else:
        b.wait_for("app: healthy, but this build never confirms")
    b.wait_for("app: waiting for SMP requests")


def tampered_copy(src, workdir, offset=0x100 + 0x2000):
    """A copy of the signed image at src with one payload bit flipped (hash mismatch)."""
    img = bytearray(read(src))
    img[offset] ^= 0x01
    p = os.path.join(workdir, os.path.basename(src).replace(".signed.bin", "-tampered.signed.bin"))
    with open(p, "wb") as fh:
        fh.write(img)
    return p
