#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send a disc layout to vcdrom exactly as written, over raw generic netlink.

For tests that need a layout no loader makes (or a broken one): no libnl, no
checks of ours, so the kernel's own validation is what answers. Names and
values come from kernel/uapi/linux/vcdrom.h at run time.

  vcdrom_nl.py insert DRIVE LAYOUT.json [--replace] [--device SPEC]
  vcdrom_nl.py eject DRIVE [--force] [--device SPEC]

--device SPEC opens a file as the caller and sends its fd as VCDROM_A_DEVICE_FD:
rw:PATH (O_RDWR | O_NONBLOCK, as a cdrom opens for writing), ro:PATH
(O_RDONLY | O_NONBLOCK), opath:PATH (O_PATH), pipe (a pipe's write end), or
fd:N (the number N as is). A file that cannot be opened is exit status 1.

LAYOUT.json:
  {"medium": "cd", "mcn": "0123456789012", "cdtext": "<hex of 18-byte packs>",
   "dvd_physical": "<hex>", "dvd_copyright": "<hex>", "dvd_manufacturer": "<hex>", "dvd_bca": "<hex>",
   "files": ["a.bin", ...],
   "sessions": [{"tracks": [{"number": 1, "mode": "audio", "flags": 0, "start": 0,
                             "isrc": "USABC1234567", "indexes": [300],
                             "extents": [{"start": 0, "length": 600, "format": "raw",
                                          "file": 0, "offset": 0, "flags": 1,
                                          "sub_format": "pw_linear", "sub_file": 1,
                                          "sub_offset": 0}]}]}]}
Any key may be left out (the kernel then says what is missing); a value given
as a number is sent as is, so out-of-range enums can be tried too.

Exit status: 0 done; 1 refused (the errno and the kernel's message on stderr,
as "vcdrom_nl: insert: EINVAL: <message>"); 2 usage.
"""

import errno
import json
import os
import re
import socket
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2


def header_values():
    """Every enum constant and #define of the uapi header, by name."""
    text = open(os.path.join(TOP, "kernel/uapi/linux/vcdrom.h")).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    values = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", text, re.S):
        nxt = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*(\w+))?$", item)
            if m.group(2):
                nxt = int(m.group(2), 0)
            values[m.group(1)] = nxt
            nxt += 1
    return values


V = header_values()


def enum(prefix, value):
    if isinstance(value, int):
        return value
    return V[prefix + value.upper()]


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * ((-n) % 4)


def u8(kind, v):
    return attr(kind, struct.pack("=B", v))


def u32(kind, v):
    return attr(kind, struct.pack("=I", v))


def u64(kind, v):
    return attr(kind, struct.pack("=Q", v))


def string(kind, s):
    return attr(kind, s.encode() + b"\0")


def nest(kind, parts):
    return attr(kind | NLA_F_NESTED, b"".join(parts))


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                             string(CTRL_ATTR_FAMILY_NAME, "vcdrom"))
        self.family = None
        for kind, payload in self.attrs(reply[4:]):
            if kind == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack("=H", payload[:2])[0]
        if self.family is None:
            raise OSError(errno.ENOENT, "no vcdrom family (is the module loaded?)")

    @staticmethod
    def attrs(data):
        while len(data) >= 4:
            n, kind = struct.unpack("=HH", data[:4])
            if n < 4:
                break
            yield kind & 0x3fff, data[4:n]
            data = data[(n + 3) & ~3:]

    def request(self, family, cmd, version, payload):
        """Send one request; return the reply message, or raise OSError with the extack message."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK,
                          self.seq, 0) + body
        self.sock.send(msg)
        reply = None
        while True:
            data = self.sock.recv(1 << 16)
            while len(data) >= 16:
                n, kind, flags, seq, _ = struct.unpack("=IHHII", data[:16])
                if kind == NLMSG_ERROR:
                    err = struct.unpack("=i", data[16:20])[0]
                    if err == 0:
                        return reply
                    text = ""
                    if flags & NLM_F_ACK_TLVS:
                        echoed = 16 if flags & NLM_F_CAPPED else \
                            struct.unpack("=I", data[20:24])[0]
                        for k, p in self.attrs(data[20 + ((echoed + 3) & ~3):n]):
                            if k == NLMSGERR_ATTR_MSG:
                                text = p.rstrip(b"\0").decode(errors="replace")
                    raise OSError(-err, text or os.strerror(-err))
                reply = data[16:n]
                data = data[(n + 3) & ~3:]


def disc_attrs(layout, fds):
    parts = []
    if "medium" in layout:
        parts.append(u32(V["VCDROM_DISC_A_MEDIUM"], enum("VCDROM_MEDIUM_", layout["medium"])))
    if "mcn" in layout:
        parts.append(string(V["VCDROM_DISC_A_MCN"], layout["mcn"]))
    if "cdtext" in layout:
        parts.append(attr(V["VCDROM_DISC_A_CDTEXT"], bytes.fromhex(layout["cdtext"])))
    for key in ("dvd_physical", "dvd_copyright", "dvd_manufacturer", "dvd_bca"):
        if key in layout:
            parts.append(attr(V["VCDROM_DISC_A_" + key.upper()], bytes.fromhex(layout[key])))
    for fd in fds:
        parts.append(nest(V["VCDROM_DISC_A_FILE"], [u32(V["VCDROM_FILE_A_FD"], fd)]))
    for session in layout.get("sessions", []):
        tracks = []
        for t in session.get("tracks", []):
            tp = []
            if "number" in t:
                tp.append(u8(V["VCDROM_TRACK_A_NUMBER"], t["number"]))
            if "mode" in t:
                tp.append(u32(V["VCDROM_TRACK_A_MODE"], enum("VCDROM_TRACK_", t["mode"])))
            if "flags" in t:
                tp.append(u32(V["VCDROM_TRACK_A_FLAGS"], t["flags"]))
            if "start" in t:
                tp.append(u32(V["VCDROM_TRACK_A_START"], t["start"]))
            if "isrc" in t:
                tp.append(string(V["VCDROM_TRACK_A_ISRC"], t["isrc"]))
            for e in t.get("extents", []):
                ep = []
                for key, kind, put in (("start", "START", u32), ("length", "LENGTH", u32),
                                       ("file", "FILE", u32), ("offset", "OFFSET", u64),
                                       ("flags", "FLAGS", u32), ("sub_file", "SUB_FILE", u32),
                                       ("sub_offset", "SUB_OFFSET", u64)):
                    if key in e:
                        ep.append(put(V["VCDROM_EXTENT_A_" + kind], e[key]))
                if "format" in e:
                    ep.append(u32(V["VCDROM_EXTENT_A_FORMAT"],
                                  enum("VCDROM_SECTOR_", e["format"])))
                if "sub_format" in e:
                    ep.append(u32(V["VCDROM_EXTENT_A_SUB_FORMAT"],
                                  enum("VCDROM_SUB_", e["sub_format"])))
                tp.append(nest(V["VCDROM_TRACK_A_EXTENT"], ep))
            for lba in t.get("indexes", []):
                tp.append(u32(V["VCDROM_TRACK_A_INDEX"], lba))
            tracks.append(nest(V["VCDROM_SESSION_A_TRACK"], tp))
        parts.append(nest(V["VCDROM_DISC_A_SESSION"], tracks))
    return nest(V["VCDROM_A_DISC"], parts)


def open_device(spec):
    """The fd --device SPEC asks for."""
    kind, _, path = spec.partition(":")
    flags = {"rw": os.O_RDWR | os.O_NONBLOCK, "ro": os.O_RDONLY | os.O_NONBLOCK,
             "opath": os.O_PATH}
    if kind in flags:
        return os.open(path, flags[kind])
    if kind == "pipe":
        return os.pipe()[1]
    if kind == "fd":
        return int(path)
    raise ValueError(f"bad --device {spec}")


def main(argv):
    device = None
    if "--device" in argv:
        i = argv.index("--device")
        if i + 1 >= len(argv):
            print("vcdrom_nl: --device needs SPEC", file=sys.stderr)
            return 2
        device = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 3 or argv[1] not in ("insert", "eject"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    verb, drive = argv[1], int(argv[2])
    try:
        nl = Genl()
        dev = b"" if device is None else u32(V["VCDROM_A_DEVICE_FD"], open_device(device))
        if verb == "insert":
            if len(argv) < 4:
                print("vcdrom_nl: insert needs DRIVE LAYOUT.json", file=sys.stderr)
                return 2
            path = argv[3]
            layout = json.load(open(path))
            base = os.path.dirname(os.path.abspath(path))
            fds = [os.open(os.path.join(base, f), os.O_RDONLY) for f in layout.get("files", [])]
            payload = u32(V["VCDROM_A_DRIVE"], drive) + disc_attrs(layout, fds)
            if "--replace" in argv[4:]:
                payload += attr(V["VCDROM_A_REPLACE"], b"")
            nl.request(nl.family, V["VCDROM_CMD_INSERT"], 1, payload + dev)
        else:
            payload = u32(V["VCDROM_A_DRIVE"], drive)
            if "--force" in argv[3:]:
                payload += attr(V["VCDROM_A_FORCE"], b"")
            nl.request(nl.family, V["VCDROM_CMD_EJECT"], 1, payload + dev)
    except ValueError as e:
        print(f"vcdrom_nl: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e.errno))
        print(f"vcdrom_nl: {verb}: {name}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
