#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""dumpinfo_json.py IMAGE JSON: checks `keel dumpinfo --json` output against
the image bytes, parsed here independently of Keel's C parser (header, both
TLV areas, and the trailer with max-align read from its magic). Exits 1
naming the first field that differs."""
import json
import struct
import sys

MAGIC8 = bytes.fromhex("77c295f360d2ef7f3552500f2cb67980")
MAGIC_TAIL = bytes.fromhex("2de15d29410b8d77679c110f1f8a")


def fail(msg):
    print("FAIL %s: %s" % (sys.argv[1], msg), file=sys.stderr)
    sys.exit(1)


def check(label, got, want):
    if got != want:
        fail("%s: json has %r, image has %r" % (label, got, want))


def tlvs(b, off, end):
    out = []
    while off < end:
        t, n = struct.unpack_from("<HH", b, off)
        out.append({"type": t, "len": n, "offset": off, "data": b[off + 4:off + 4 + n].hex()})
        off += 4 + n
    if off != end:
        fail("TLV entries do not end at the area end")
    return out


def main():
    b = open(sys.argv[1], "rb").read()
    j = json.load(open(sys.argv[2]))
    magic, load, hsz, psz, isz, flags, ma, mi, rev, build = struct.unpack_from("<IIHHIIBBHI", b, 0)
    h = j["header"]
    for k, v in (("magic", magic), ("load_addr", load), ("hdr_size", hsz),
                 ("protected_tlv_size", psz), ("img_size", isz), ("flags", flags)):
        check("header." + k, h[k], v)
    check("header.version", h["version"], "%d.%d.%d+%d" % (ma, mi, rev, build))
    check("payload", j["payload"], {"offset": hsz, "size": isz})
    off = hsz + isz
    area = j["tlv_area"]
    if psz:
        pm, pt = struct.unpack_from("<HH", b, off)
        check("tlv_hdr_prot", area["tlv_hdr_prot"], {"offset": off, "magic": pm, "tlv_tot": pt})
        want = tlvs(b, off + 4, off + pt)
        got = [{k: t[k] for k in ("type", "len", "offset", "data")} for t in area["tlvs_prot"]]
        check("tlvs_prot", got, want)
        off += psz
    else:
        check("tlv_hdr_prot", area["tlv_hdr_prot"], {})
        check("tlvs_prot", area["tlvs_prot"], [])
    um, ut = struct.unpack_from("<HH", b, off)
    check("tlv_hdr", area["tlv_hdr"], {"offset": off, "magic": um, "tlv_tot": ut})
    got = [{k: t[k] for k in ("type", "len", "offset", "data")} for t in area["tlvs"]]
    check("tlvs", got, tlvs(b, off + 4, off + ut))
    end = off + ut
    check("image_end", j["image_end"], end)
    check("file_size", j["file_size"], len(b))
    tr = j["trailer"]
    if len(b) == end:
        check("trailer", tr, {})
        return
    m = b[-16:]
    if m == MAGIC8:
        a = 8
    elif m[2:] == MAGIC_TAIL:
        a = m[0] | m[1] << 8
    else:
        check("trailer.magic_state", tr.get("magic_state"), "bad")
        return
    unit = max(16, a)
    s = len(b)
    ok, cd, si = s - unit - a, s - unit - 2 * a, s - unit - 3 * a
    ss = s - unit - 4 * a
    check("trailer.max_align", tr["max_align"], a)
    check("trailer.magic", tr["magic"], m.hex())
    check("trailer.image_ok", tr["image_ok"], b[ok])
    check("trailer.copy_done", tr["copy_done"], b[cd])
    check("trailer.swap_info", tr["swap_info"], b[si])
    check("trailer.swap_size", tr["swap_size"], struct.unpack_from("<I", b, ss)[0])
    check("trailer.offset", tr["offset"], ss)
    state = {0xff: "UNSET", 0x01: "SET"}
    check("trailer.image_ok_state", tr["image_ok_state"], state.get(b[ok], "BAD"))
    check("trailer.copy_done_state", tr["copy_done_state"], state.get(b[cd], "BAD"))


main()
print("json ok: %s" % sys.argv[1].rsplit("/", 1)[-1])
