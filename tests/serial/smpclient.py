# SPDX-License-Identifier: Apache-2.0
"""An independent SMP-over-console client, written from the protocol notes
(Zephyr's "SMP over console" transport and MCUboot's serial recovery), not
from Keel's C code, so the framing is checked by a second implementation.

Uses Debian's python3-cbor2 (CBOR), python3-crcmod (CRC-16/XMODEM, the
predefined "xmodem" function real Python clients use) and python3-serial
(a pty or serial device). Run with /usr/bin/python3.
"""
import base64
import os
import socket
import struct
import time

import cbor2
import crcmod.predefined
import serial

crc16 = crcmod.predefined.mkPredefinedCrcFun("xmodem")

OP_READ, OP_READ_RSP, OP_WRITE, OP_WRITE_RSP = 0, 1, 2, 3
GROUP_OS, GROUP_IMAGE = 0, 1


class SmpError(Exception):
    pass


def encode_frame(packet, line_chars=124):
    """Console framing: BE16 length (packet + CRC) | packet | BE16 CRC,
    base64 as one string, cut into lines of line_chars characters; the first
    line starts 06 09, the others 04 14, each ends with LF."""
    body = struct.pack(">H", len(packet) + 2) + packet + struct.pack(">H", crc16(packet))
    text = base64.b64encode(body)
    lines = []
    for i in range(0, len(text), line_chars):
        marker = b"\x06\x09" if i == 0 else b"\x04\x14"
        lines.append(marker + text[i:i + line_chars] + b"\n")
    return b"".join(lines)


def smp_header(op, group, cmd, seq, length, version=0):
    return struct.pack(">BBHHBB", (version << 3) | op, 0, length, group, seq, cmd)


class Link:
    """A pty/serial device or a unix-socket chardev."""

    def __init__(self, where, timeout=5.0):
        self.timeout = timeout
        if where.startswith("unix:"):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(where[5:])
            self.sock.settimeout(0.2)
            self.ser = None
        else:
            self.ser = serial.Serial(where, 115200, timeout=0.2)
            self.sock = None

    def write(self, data):
        if self.ser:
            self.ser.write(data)
            self.ser.flush()
        else:
            self.sock.sendall(data)

    def read(self):
        if self.ser:
            return self.ser.read(4096)
        try:
            return self.sock.recv(4096)
        except socket.timeout:
            return b""

    def close(self):
        if self.ser:
            self.ser.close()
        else:
            self.sock.close()


class Client:
    def __init__(self, where, version=0, line_chars=124, timeout=10.0):
        self.link = Link(where)
        self.version = version
        self.line_chars = line_chars
        self.timeout = timeout
        self.seq = 0
        self.pending = b""
        self.console_text = b""
        self.bytes_sent = 0

    def close(self):
        self.link.close()

    def _read_packet(self, deadline):
        """Reassembles one response packet from 06 09 / 04 14 lines."""
        buf = b""
        while time.monotonic() < deadline:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                if line.startswith(b"\x06\x09"):
                    buf = base64.b64decode(line[2:], validate=True)
                elif line.startswith(b"\x04\x14"):
                    buf += base64.b64decode(line[2:], validate=True)
                else:
                    self.console_text += line + b"\n"
                    continue
                if len(buf) >= 2 and len(buf) - 2 == struct.unpack(">H", buf[:2])[0]:
                    frame = buf[2:]
                    if crc16(frame) != 0:
                        raise SmpError("response CRC mismatch")
                    return frame[:-2]
            self.pending += self.link.read()
        raise SmpError("timeout waiting for a response")

    def request(self, op, group, cmd, payload, raw_payload=None):
        body = raw_payload if raw_payload is not None else cbor2.dumps(payload)
        seq = self.seq
        self.seq = (self.seq + 1) & 0xFF
        packet = smp_header(op, group, cmd, seq, len(body), self.version) + body
        wire = encode_frame(packet, self.line_chars)
        self.bytes_sent += len(wire)
        self.link.write(wire)
        deadline = time.monotonic() + self.timeout
        while True:
            rsp = self._read_packet(deadline)
            b0, _flags, length, grp, rseq, rcmd = struct.unpack(">BBHHBB", rsp[:8])
            if rseq != seq or grp != group or rcmd != cmd:
                continue
            if b0 & 7 != op + 1:
                raise SmpError("response op %d for request op %d" % (b0 & 7, op))
            if (b0 >> 3) & 3 != self.version:
                raise SmpError("response version %d for a v%d request" % ((b0 >> 3) & 3, self.version))
            if length != len(rsp) - 8:
                raise SmpError("header length %d, payload %d" % (length, len(rsp) - 8))
            return cbor2.loads(rsp[8:]), rsp

    # ---- commands -------------------------------------------------------

    def image_list(self):
        rsp, _ = self.request(OP_READ, GROUP_IMAGE, 0, {})
        if "images" not in rsp:
            raise SmpError("list: %r" % rsp)
        return rsp["images"]

    def echo(self, text):
        rsp, _ = self.request(OP_WRITE, GROUP_OS, 0, {"d": text})
        return rsp

    def params(self):
        rsp, _ = self.request(OP_READ, GROUP_OS, 6, {})
        return rsp

    def reset(self):
        rsp, _ = self.request(OP_WRITE, GROUP_OS, 5, {})
        return rsp

    def upload(self, data, image=None, mtu=512, start=0, stop_after=None):
        """Uploads data; the device's returned offset drives the next chunk.
        stop_after: stop (simulating a lost link) once that many bytes are
        acknowledged. Returns the final offset."""
        import hashlib
        sha = hashlib.sha256(data).digest()
        off = start
        while off < len(data):
            req = {}
            if off == 0:
                if image is not None:
                    req["image"] = image
                req["len"] = len(data)
                req["sha"] = sha
            req["off"] = off
            # Largest chunk whose decoded frame (2 + 8 + CBOR + 2) fits mtu.
            n = min(len(data) - off, mtu)
            while n > 0:
                req["data"] = data[off:off + n]
                if 2 + 8 + len(cbor2.dumps(req)) + 2 <= mtu:
                    break
                n -= 1
            rsp, _ = self.request(OP_WRITE, GROUP_IMAGE, 1, req)
            if rsp.get("rc", 0) != 0 or "off" not in rsp:
                raise SmpError("upload at %d: %r" % (off, rsp))
            if rsp["off"] > len(data):
                raise SmpError("device offset %d past the image" % rsp["off"])
            off = rsp["off"]
            if stop_after is not None and off >= stop_after:
                return off
        return off
