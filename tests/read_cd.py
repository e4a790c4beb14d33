#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""READ(10), READ CD and READ CD MSF of whole-CD layouts, through SG_IO.

  read_cd.py SG_DEVICE DRIVE WORKDIR [SR_DEVICE]

VCDROM_COLD_DIR: a directory on a disk file system (its page cache dropped
between reads), for the gathered runs' partly cached check.

Inserts layouts with vcdrom_nl.py's code (drive DRIVE, files in WORKDIR) and
checks the bytes and the sense of each answer against what the images hold
and what ECMA-130 and MMC say. Run by read_cd.sh, which loads the module.
Exit status 0 when every check passed, 1 at the first that failed.
"""

import ctypes
import fcntl
import importlib.util
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vcdrom_nl", os.path.join(HERE, "vcdrom_nl.py"))
nl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(nl)

CORPORA = os.environ.get("VCDROM_CORPORA", "/work/shared/corpora")
ISOFS_M1 = os.path.join(CORPORA, "libcdio/data/isofs-m1.bin")
SG_IO = 0x2285
SG_DXFER_FROM_DEV = -3
SYNC = bytes([0]) + bytes([0xff]) * 10 + bytes([0])
GOOD = None
ILLEGAL_MODE = (5, 0x64, 0)
OUT_OF_RANGE = (5, 0x21, 0)
INVALID_FIELD = (5, 0x24, 0)


class SgIoHdr(ctypes.Structure):
    _fields_ = [("interface_id", ctypes.c_int), ("dxfer_direction", ctypes.c_int),
                ("cmd_len", ctypes.c_ubyte), ("mx_sb_len", ctypes.c_ubyte),
                ("iovec_count", ctypes.c_ushort), ("dxfer_len", ctypes.c_uint),
                ("dxferp", ctypes.c_void_p), ("cmdp", ctypes.c_void_p),
                ("sbp", ctypes.c_void_p), ("timeout", ctypes.c_uint),
                ("flags", ctypes.c_uint), ("pack_id", ctypes.c_int),
                ("usr_ptr", ctypes.c_void_p), ("status", ctypes.c_ubyte),
                ("masked_status", ctypes.c_ubyte), ("msg_status", ctypes.c_ubyte),
                ("sb_len_wr", ctypes.c_ubyte), ("host_status", ctypes.c_ushort),
                ("driver_status", ctypes.c_ushort), ("resid", ctypes.c_int),
                ("duration", ctypes.c_uint), ("info", ctypes.c_uint)]


class Failed(Exception):
    pass


checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        raise Failed(what)


class Drive:
    def __init__(self, sg, index, workdir, sr=None):
        self.fd = os.open(sg, os.O_RDWR)
        # SG_IO through the block device maps the caller's pages (sg copies through its own buffer)
        self.srfd = os.open(sr, os.O_RDONLY | os.O_NONBLOCK) if sr else None
        self.index = index
        self.workdir = workdir
        self.genl = nl.Genl()

    def insert(self, layout):
        path = os.path.join(self.workdir, "layout.json")
        with open(path, "w") as f:
            json.dump(layout, f)
        fds = [os.open(os.path.join(self.workdir, name), os.O_RDONLY) for name in layout["files"]]
        payload = nl.u32(nl.V["VCDROM_A_DRIVE"], self.index) + nl.disc_attrs(layout, fds)
        payload += nl.attr(nl.V["VCDROM_A_REPLACE"], b"")
        try:
            self.genl.request(self.genl.family, nl.V["VCDROM_CMD_INSERT"], 1, payload)
        finally:
            for fd in fds:
                os.close(fd)
        # the unit attention of the new medium
        self.cmd(bytes(6), 0)

    def cmd(self, cdb, length, pieces=0):
        """Send @cdb for up to @length bytes: (data, sense); sense is None, or (key, asc, ascq, info).
        @pieces: into that many 512-byte pieces of memory, apart from each other (an iovec), through
        the block device."""
        cdb = bytes(cdb)
        buf = ctypes.create_string_buffer(max(length, 1) if not pieces else pieces * 1024 + 512)
        sense = ctypes.create_string_buffer(32)
        cdbuf = ctypes.create_string_buffer(cdb, len(cdb))
        dxferp, iovecs = ctypes.addressof(buf), 0
        if pieces:
            check(length == pieces * 512, "an iovec read is of whole 512-byte pieces")
            base = (ctypes.addressof(buf) + 511) & ~511
            iov = (ctypes.c_void_p * (2 * pieces))()
            for i in range(pieces):
                iov[2 * i], iov[2 * i + 1] = base + i * 1024, 512
            dxferp, iovecs = ctypes.addressof(iov), pieces
        hdr = SgIoHdr(interface_id=ord("S"), dxfer_direction=SG_DXFER_FROM_DEV if length else -1,
                      cmd_len=len(cdb), mx_sb_len=32, iovec_count=iovecs, dxfer_len=length,
                      dxferp=dxferp, cmdp=ctypes.addressof(cdbuf),
                      sbp=ctypes.addressof(sense), timeout=20000)
        fcntl.ioctl(self.srfd if pieces else self.fd, SG_IO, hdr)
        if pieces:
            off = base - ctypes.addressof(buf)
            data = b"".join(buf.raw[off + i * 1024:off + i * 1024 + 512] for i in range(pieces))
            data = data[:length - hdr.resid]
        else:
            data = buf.raw[:length - hdr.resid]
        if hdr.status == 0 and hdr.host_status == 0:
            return data, None
        sb = sense.raw
        check(hdr.status == 2 and sb[0] & 0x7f == 0x70,
              f"CDB {cdb.hex()}: status {hdr.status}, host {hdr.host_status}, sense {sb[:18].hex()}")
        info = struct.unpack(">I", sb[3:7])[0] if sb[0] & 0x80 else None
        return data, (sb[2] & 0xf, sb[12], sb[13], info)


def read10(drive, lba, count):
    return drive.cmd(struct.pack(">BBIBHB", 0x28, 0, lba, 0, count, 0), count * 2048)


def read_cd(drive, lba, count, fields, type_=0, sub=0, length=None):
    cdb = struct.pack(">BBI", 0xbe, type_ << 2, lba) + count.to_bytes(3, "big") + \
        bytes([fields, sub, 0])
    return drive.cmd(cdb, length if length is not None else count * (2352 + 296 + 96))


def read_cd_msf(drive, start, end, fields, type_=0, sub=0):
    def msf(lba):
        lba += 150
        return bytes([lba // 4500, lba // 75 % 60, lba % 75])
    cdb = bytes([0xb9, type_ << 2, 0]) + msf(start) + msf(end) + bytes([fields, sub, 0])
    return drive.cmd(cdb, (end - start) * (2352 + 296 + 96))


def expect(got, data, sense, what):
    d, s = got
    if sense is None:
        check(s is None, f"{what}: sense {s}, wanted GOOD")
    else:
        check(s is not None and s[:3] == sense[:3], f"{what}: sense {s}, wanted {sense}")
        if len(sense) > 3:
            check(s[3] == sense[3], f"{what}: information {s[3]}, wanted {sense[3]}")
    if data is not None:
        check(len(d) == len(data), f"{what}: {len(d)} bytes, wanted {len(data)}")
        if d != data:
            check(False, f"{what}: bytes differ at {next(i for i in range(len(d)) if d[i] != data[i])}")


# EDC: CRC-32, x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, LSB first
EDC_TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ (0xd8018001 if c & 1 else 0)
    EDC_TABLE.append(c)


def edc(data):
    c = 0
    for b in data:
        c = (c >> 8) ^ EDC_TABLE[(c ^ b) & 0xff]
    return struct.pack("<I", c)


def crc16(data):
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021 if c & 0x8000 else c << 1) & 0xffff
    return struct.pack(">H", c ^ 0xffff)


def bcd(v):
    return (v // 10) << 4 | v % 10


def msf_bcd(frames):
    return bytes([bcd(frames // 4500), bcd(frames // 75 % 60), bcd(frames % 75)])


def check_data_sector(s, lba, mode, form=None, what=""):
    """Structure and EDC of a whole data sector as READ CD returned it."""
    check(s[:12] == SYNC, f"{what}: sync {s[:12].hex()}")
    check(s[12:15] == msf_bcd(lba + 150), f"{what}: header MSF {s[12:15].hex()} at LBA {lba}")
    check(s[15] == mode, f"{what}: mode byte {s[15]}")
    if mode == 1:
        check(s[2064:2068] == edc(s[:2064]), f"{what}: mode 1 EDC at LBA {lba}")
        check(s[2068:2076] == bytes(8), f"{what}: mode 1 intermediate bytes")
    elif form == 1:
        check(s[16:20] == s[20:24] and not s[18] & 0x20, f"{what}: form 1 subheader {s[16:24].hex()}")
        check(s[2072:2076] == edc(s[16:2072]), f"{what}: form 1 EDC at LBA {lba}")
    elif form == 2:
        check(s[16:20] == s[20:24] and s[18] & 0x20 != 0, f"{what}: form 2 subheader {s[16:24].hex()}")
        check(s[2348:2352] == edc(s[16:2348]), f"{what}: form 2 EDC at LBA {lba}")


def track(number, mode, start, extents, **kw):
    t = {"number": number, "mode": mode, "start": start, "extents": extents}
    t.update(kw)
    return t


def extent(start, length, fmt, file=0, offset=0):
    e = {"start": start, "length": length, "format": fmt}
    if fmt != "zero":
        e.update(file=file, offset=offset)
    return e


def disc(files, *tracks, **kw):
    d = {"medium": "cd", "files": files, "sessions": [{"tracks": list(tracks)}]}
    d.update(kw)
    return d


def write(workdir, name, data):
    with open(os.path.join(workdir, name), "wb") as f:
        f.write(data)


def test_mode1(drv, w):
    """Cooked mode 1 read raw, written back as a RAW image: the same sectors, both ways."""
    user = random.randbytes(20 * 2048)
    write(w, "m1.iso", user)
    drv.insert(disc(["m1.iso"], track(1, "mode1", 0, [extent(0, 20, "cooked_2048"),
                                                      extent(20, 5, "zero")])))
    raw, s = read_cd(drv, 0, 25, 0xf8)
    check(s is None and len(raw) == 25 * 2352, f"READ CD F8h of a cooked mode 1 disc: {s}, {len(raw)}")
    for i in range(25):
        sec = raw[i * 2352:(i + 1) * 2352]
        check_data_sector(sec, i, 1, what="cooked mode 1 read raw")
        want = user[i * 2048:(i + 1) * 2048] if i < 20 else bytes(2048)
        check(sec[16:2064] == want, f"user data of cooked mode 1 sector {i}")
    write(w, "m1.bin", raw)
    expect(read_cd(drv, 3, 2, 0x10), user[3 * 2048:5 * 2048], GOOD, "READ CD 10h, cooked mode 1")
    expect(read_cd(drv, 0, 0, 0xf8), b"", GOOD, "READ CD of 0 sectors")
    expect(read_cd(drv, 24, 2, 0xf8), b"", OUT_OF_RANGE, "READ CD past the lead-out")

    drv.insert(disc(["m1.bin"], track(1, "mode1", 0, [extent(0, 25, "raw")])))
    expect(read10(drv, 0, 20), user, GOOD, "READ(10) of a RAW mode 1 image")
    expect(read10(drv, 19, 2), user[19 * 2048:] + bytes(2048), GOOD, "READ(10) into the zero extent")
    expect(read_cd(drv, 0, 25, 0xf8), raw, GOOD, "READ CD F8h of the RAW image it was written from")
    expect(read_cd(drv, 7, 1, 0xf8, type_=2), raw[7 * 2352:8 * 2352], GOOD, "READ CD, expected mode 1")
    expect(read_cd(drv, 7, 1, 0xf8, type_=4), b"", ILLEGAL_MODE + (7,), "mode 1 read as form 1")
    # field selections of a mode 1 sector
    sec = raw[5 * 2352:6 * 2352]
    for fields, want in ((0x20, sec[12:16]), (0x40, b""), (0x60, sec[12:16]), (0xa0, sec[:16]),
                         (0x18, sec[16:]), (0x78, sec[12:]), (0x30, sec[12:2064]),
                         (0x12, sec[16:2064] + bytes(294)), (0x14, sec[16:2064] + bytes(296))):
        expect(read_cd(drv, 5, 1, fields), want, GOOD, f"mode 1 sector, fields {fields:02x}h")
    for fields in (0x08, 0x28, 0x80, 0x90, 0x98, 0xa8, 0xc0, 0xd0, 0x16):
        expect(read_cd(drv, 5, 1, fields), b"", INVALID_FIELD, f"fields {fields:02x}h")
    expect(read_cd(drv, 5, 1, 0x10, type_=6), b"", INVALID_FIELD, "expected sector type 6")
    expect(read_cd(drv, 5, 1, 0x10, sub=3), b"", INVALID_FIELD, "subchannel 011b")
    # READ CD MSF: the end is not read
    expect(read_cd_msf(drv, 5, 8, 0xf8), raw[5 * 2352:8 * 2352], GOOD, "READ CD MSF 3 sectors")
    expect(read_cd_msf(drv, 5, 5, 0xf8), b"", GOOD, "READ CD MSF, start = end")


def test_isofs_m1(drv, w):
    """A real MODE1/2352 image, cooked: READ CD must make up exactly its sync, header, EDC and ECC."""
    if not os.path.exists(ISOFS_M1):
        print("read_cd: no isofs-m1.bin, its EDC/ECC check skipped")
        return
    raw = open(ISOFS_M1, "rb").read()
    n = len(raw) // 2352
    write(w, "isofs.iso", b"".join(raw[i * 2352 + 16:i * 2352 + 2064] for i in range(n)))
    drv.insert(disc(["isofs.iso"], track(1, "mode1", 0, [extent(0, n, "cooked_2048")])))
    for lba in range(0, n, 64):
        cnt = min(64, n - lba)
        got, s = read_cd(drv, lba, cnt, 0xf8)
        check(s is None, f"READ CD of isofs-m1 at {lba}: {s}")
        for i in range(cnt):
            a = got[i * 2352:(i + 1) * 2352]
            b = raw[(lba + i) * 2352:(lba + i + 1) * 2352]
            if a != b:
                check(False, f"isofs-m1 sector {lba + i} made up from its user data differs at "
                      f"byte {next(j for j in range(2352) if a[j] != b[j])}")


def test_xa(drv, w):
    """XA form 1 and form 2, cooked, raw and 2336: user data, form checks, subheaders."""
    user = random.randbytes(4 * 2048)
    f2 = random.randbytes(2 * 2324)
    write(w, "xa1.iso", user)
    write(w, "xa2.bin", f2)
    drv.insert(disc(["xa1.iso", "xa2.bin"], track(1, "mode2_xa", 0, [
        extent(0, 4, "cooked_2048", 0), extent(4, 2, "cooked_2324", 1)])))
    raw, s = read_cd(drv, 0, 6, 0xf8)
    check(s is None and len(raw) == 6 * 2352, f"READ CD of cooked XA: {s}, {len(raw)}")
    for i in range(6):
        sec = raw[i * 2352:(i + 1) * 2352]
        check_data_sector(sec, i, 2, form=1 if i < 4 else 2, what="cooked XA read raw")
        check(sec[16:24] == (bytes([0, 0, 8, 0]) * 2 if i < 4 else bytes([0, 0, 0x20, 0]) * 2),
              f"made-up subheader of sector {i}: {sec[16:24].hex()}")
    check(raw[24:2072] == user[:2048], "form 1 user data at 24")
    check(raw[4 * 2352 + 24:4 * 2352 + 2348] == f2[:2324], "form 2 user data at 24")
    expect(read10(drv, 0, 4), user, GOOD, "READ(10) of cooked form 1")
    expect(read10(drv, 3, 2), user[3 * 2048:], ILLEGAL_MODE + (4,), "READ(10) into cooked form 2")
    write(w, "xa.bin", raw)
    write(w, "xa.2336", b"".join(raw[i * 2352 + 16:(i + 1) * 2352] for i in range(6)))

    for fmt, name in (("raw", "xa.bin"), ("mode2", "xa.2336")):
        drv.insert(disc([name], track(1, "mode2_xa", 0, [extent(0, 6, fmt)])))
        expect(read10(drv, 0, 4), user, GOOD, f"READ(10) of XA {fmt}")
        expect(read10(drv, 4, 1), b"", ILLEGAL_MODE + (4,), f"READ(10) of XA {fmt} form 2")
        expect(read10(drv, 2, 4), user[2 * 2048:], ILLEGAL_MODE + (4,),
               f"READ(10) of XA {fmt} across form 2: the sectors before it, then 05/64/00")
        expect(read_cd(drv, 0, 6, 0xf8), raw, GOOD, f"READ CD F8h of XA {fmt}")
        expect(read_cd(drv, 0, 6, 0x10, type_=4), user, ILLEGAL_MODE + (4,),
               f"READ CD of XA {fmt} expecting form 1")
        expect(read_cd(drv, 4, 2, 0x10, type_=5), f2, GOOD, f"READ CD of XA {fmt} expecting form 2")
        expect(read_cd(drv, 0, 1, 0x10, type_=2), b"", ILLEGAL_MODE + (0,),
               f"READ CD of XA {fmt} expecting mode 1")
    # field selections of form 1 and form 2
    s1, s2 = raw[:2352], raw[4 * 2352:5 * 2352]
    for fields, want1, want2 in ((0x10, s1[24:2072], s2[24:2348]), (0x40, s1[16:24], s2[16:24]),
                                 (0x60, s1[12:24], s2[12:24]), (0x30, s1[12:16] + s1[24:2072],
                                                                s2[12:16] + s2[24:2348]),
                                 (0x58, s1[16:], s2[16:]), (0x18, s1[24:], s2[24:]),
                                 (0xe0, s1[:24], s2[:24]), (0xb0, s1[:16] + s1[24:2072],
                                                            s2[:16] + s2[24:2348])):
        expect(read_cd(drv, 0, 1, fields), want1, GOOD, f"form 1 sector, fields {fields:02x}h")
        expect(read_cd(drv, 4, 1, fields), want2, GOOD, f"form 2 sector, fields {fields:02x}h")


def test_videocd(drv, w):
    """Real XA sectors stored as 2336 bytes: passed through, form told by each one's subheader."""
    nrg = os.path.join(CORPORA, "libcdio/data/videocd.nrg")
    if not os.path.exists(nrg):
        print("read_cd: no videocd.nrg, its XA check skipped")
        return
    n = 1000
    stored = open(nrg, "rb").read(n * 2336)
    drv.insert(disc([nrg], track(1, "mode2_xa", 0, [extent(0, n, "mode2")])))
    raw = b""
    for lba in range(0, n, 100):
        got, s = read_cd(drv, lba, 100, 0xf8)
        check(s is None and len(got) == 100 * 2352, f"READ CD of videocd.nrg at {lba}: {s}")
        raw += got
    forms = [2 if stored[i * 2336 + 2] & 0x20 else 1 for i in range(n)]
    check(1 in forms and 2 in forms, "videocd.nrg's first sectors hold both forms")
    for i in range(n):
        sec = raw[i * 2352:(i + 1) * 2352]
        check(sec[:16] == SYNC + msf_bcd(i + 150) + b"\2" and sec[16:] == stored[i * 2336:(i + 1) * 2336],
              f"videocd.nrg sector {i} read raw")
    write(w, "vcd.bin", raw)
    first2 = forms.index(2)
    want = b"".join(stored[i * 2336 + 8:i * 2336 + 2056] for i in range(first2))
    expect(read10(drv, 0, first2 + 1), want, ILLEGAL_MODE + (first2,),
           "READ(10) of videocd.nrg up to its first form 2 sector")


def test_audio(drv, w):
    """Audio (RAW, RAW_SWAPPED, an unstored pregap), formless mode 2, Q and P-W, and a second session."""
    a1 = random.randbytes(200 * 2352)
    a2 = random.randbytes(150 * 2352)
    m2 = random.randbytes(10 * 2336)
    data = random.randbytes(10 * 2048)
    write(w, "a1.bin", a1)
    swapped = bytearray(a2)
    swapped[0::2], swapped[1::2] = a2[1::2], a2[0::2]
    write(w, "a2.bin", bytes(swapped))
    write(w, "m2.bin", m2)
    write(w, "data.iso", data)
    layout = disc(["a1.bin", "a2.bin", "m2.bin", "data.iso"],
                  track(1, "audio", 0, [extent(0, 200, "raw", 0)], indexes=[100]),
                  track(2, "audio", 350, [extent(200, 150, "zero"), extent(350, 150, "raw_swapped", 1)],
                        flags=2, isrc="USXYZ2600042"),
                  track(3, "mode2", 500, [extent(500, 10, "mode2", 2)]),
                  mcn="0123456789012")
    layout["sessions"].append({"tracks": [track(4, "mode1", 11910, [extent(11910, 10, "cooked_2048", 3)])]})
    drv.insert(layout)

    expect(read_cd(drv, 5, 2, 0x10, type_=1), a1[5 * 2352:7 * 2352], GOOD, "READ CD of RAW audio")
    expect(read_cd(drv, 5, 1, 0xf8), a1[5 * 2352:6 * 2352], GOOD, "audio: sync and headers do not apply")
    expect(read_cd(drv, 5, 1, 0x00), b"", GOOD, "audio, no fields")
    expect(read_cd(drv, 360, 3, 0x10), a2[10 * 2352:13 * 2352], GOOD, "RAW_SWAPPED audio reads swapped")
    expect(read_cd(drv, 240, 2, 0x10, type_=1), bytes(2 * 2352), GOOD, "an unstored audio pregap: silence")
    expect(read_cd(drv, 198, 4, 0x10, type_=1), a1[198 * 2352:] + bytes(2 * 2352), GOOD,
           "audio across tracks")
    expect(read_cd(drv, 5, 1, 0x10, type_=2), b"", ILLEGAL_MODE + (5,), "audio read as mode 1")
    expect(read10(drv, 7, 1), b"", ILLEGAL_MODE + (7,), "READ(10) of audio")
    expect(read10(drv, 500, 1), b"", ILLEGAL_MODE + (500,), "READ(10) of formless mode 2")
    expect(read_cd(drv, 502, 2, 0x10, type_=3), m2[2 * 2336:4 * 2336], GOOD, "READ CD of formless mode 2")
    got, s = read_cd(drv, 502, 1, 0xf8)
    check(s is None and got[16:] == m2[2 * 2336:3 * 2336], "formless mode 2, all fields")
    check_data_sector(got, 502, 2, what="formless mode 2")
    expect(read_cd(drv, 499, 2, 0x10, type_=1), a2[-2352:], ILLEGAL_MODE + (500,),
           "CD-DA expected: stops at the mode 2 track")
    # the gap between the sessions: LOGICAL BLOCK ADDRESS OUT OF RANGE, the sectors before it first
    expect(read10(drv, 11000, 1), b"", OUT_OF_RANGE + (11000,), "READ(10) between sessions")
    expect(read_cd(drv, 509, 2, 0x10), m2[9 * 2336:], OUT_OF_RANGE + (510,), "READ CD into the gap")
    expect(read10(drv, 11910, 10), data, GOOD, "READ(10) of the second session")

    # formatted Q: control/ADR, track, index, relative MSF, 0, absolute MSF, CRC, 3 zeros, P
    def q(lba):
        got, s = read_cd(drv, lba, 1, 0, sub=2)
        check(s is None and len(got) == 16, f"formatted Q at {lba}: {s}, {len(got)} bytes")
        check(got[10:12] == crc16(got[:10]), f"Q CRC at {lba}: {got.hex()}")
        check(got[12:15] == bytes(3), f"formatted Q bytes 12-14 at {lba}")
        return got

    for lba, ctl, tno, idx, rel, p in ((50, 0x01, 1, 1, 50, 0), (150, 0x01, 1, 2, 150, 0),
                                       (250, 0x21, 2, 0, 99, 0x80), (349, 0x21, 2, 0, 0, 0x80),
                                       (351, 0x21, 2, 1, 1, 0), (503, 0x41, 3, 1, 3, 0)):
        got = q(lba)
        want = bytes([ctl, bcd(tno), bcd(idx)]) + msf_bcd(rel) + b"\0" + msf_bcd(lba + 150)
        check(got[:10] == want, f"Q at {lba}: {got[:10].hex()}, wanted {want.hex()}")
        check(got[15] == p, f"P at {lba}: {got[15]:02x}")
    got = q(410)
    check(got[0] == 0x22 and got[1:8] == bytes.fromhex("01234567890120") and got[8] == 0 and
          got[9] == bcd((410 + 150) % 75), f"MCN frame at 410: {got.hex()}")
    got = q(420)
    # U S X Y Z = 0x25 0x23 0x28 0x29 0x2a in 6 bits, then 2600042 in BCD
    bits = "".join(f"{c:06b}" for c in (0x25, 0x23, 0x28, 0x29, 0x2a)) + "00" + \
        "".join(f"{int(c):04b}" for c in "2600042") + "0000"
    check(got[0] == 0x23 and got[1:9] == int(bits, 2).to_bytes(8, "big") and
          got[9] == bcd((420 + 150) % 75), f"ISRC frame at 420: {got.hex()}")
    # raw P-W: P in bit 7 of every byte in the pregap, Q's 96 bits in bit 6
    for lba in (250, 50):
        qq = q(lba)
        pw, s = read_cd(drv, lba, 1, 0, sub=1)
        check(s is None and len(pw) == 96, f"raw P-W at {lba}: {s}")
        qbits = int("".join("1" if b & 0x40 else "0" for b in pw), 2).to_bytes(12, "big")
        check(qbits == qq[:12], f"Q in raw P-W at {lba}: {qbits.hex()}")
        check(all((b & 0x80) == qq[15] for b in pw), f"P in raw P-W at {lba}")
        check(all(b & 0x3f == 0 for b in pw), f"R-W in raw P-W at {lba}")
    got, s = read_cd(drv, 20, 2, 0x10, sub=1)
    check(s is None and len(got) == 2 * (2352 + 96) and got[:2352] == a1[20 * 2352:21 * 2352],
          "audio and raw P-W, 2 sectors")
    expect(read_cd(drv, 20, 1, 0, sub=4), bytes(96), GOOD, "R-W of a disc without any")


def test_raw_pw(drv, w):
    """Audio stored with its raw P-W: R-W from the image, P and Q made up all the same."""
    secs = [random.randbytes(2352 + 96) for _ in range(10)]
    write(w, "pw.bin", b"".join(secs))
    drv.insert(disc(["pw.bin"], track(1, "audio", 0, [extent(0, 10, "raw_pw")])))
    got, s = read_cd(drv, 3, 1, 0x10, sub=1)
    check(s is None and len(got) == 2352 + 96 and got[:2352] == secs[3][:2352], f"RAW_PW audio: {s}")
    pw = got[2352:]
    check(all(a & 0x3f == b & 0x3f for a, b in zip(pw, secs[3][2352:])), "R-W of RAW_PW in raw P-W")
    qbits = int("".join("1" if b & 0x40 else "0" for b in pw), 2).to_bytes(12, "big")
    want = bytes([0x01, 1, 1]) + msf_bcd(3) + b"\0" + msf_bcd(153)
    check(qbits[:10] == want and qbits[10:] == crc16(want), f"Q made up over RAW_PW: {qbits.hex()}")
    check(all(b & 0x80 == 0 for b in pw), "no P outside a pregap")
    rw = b"".join(bytes(b & 0x3f for b in x[2352:]) for x in secs)
    expect(read_cd(drv, 3, 1, 0, sub=4), rw_packs(rw, 3), GOOD, "R-W of RAW_PW, de-interleaved")


def test_gathered(drv, w):
    """Long runs of sectors stored whole, read a run at a time (io.c's vcdrom_gather): READ(10)'s user
    data and READ CD's whole sectors as stored, across many runs, into short buffers and scattered
    pieces of memory, stopping at a form 2 sector or at the end of a truncated file at the right LBA."""
    n = 200
    secs = [random.randbytes(2352) for _ in range(n)]
    raw = b"".join(secs)
    user = b"".join(x[16:2064] for x in secs)
    write(w, "g1.bin", raw)
    drv.insert(disc(["g1.bin"], track(1, "mode1", 0, [extent(0, n, "raw")])))
    expect(read10(drv, 0, n), user, GOOD, "READ(10) of 200 RAW mode 1 sectors")
    expect(read10(drv, 31, 3), user[31 * 2048:34 * 2048], GOOD, "READ(10) across a run's end")
    expect(drv.cmd(struct.pack(">BBIBHB", 0x28, 0, 10, 0, 3, 0), 5000), user[10 * 2048:10 * 2048 + 5000],
           GOOD, "READ(10) of 3 sectors into 5000 bytes")
    if drv.srfd is not None:
        expect(drv.cmd(struct.pack(">BBIBHB", 0x28, 0, 7, 0, 64, 0), 64 * 2048, pieces=256),
               user[7 * 2048:71 * 2048], GOOD, "READ(10) of 64 sectors into 256 pieces of 512 bytes")
    expect(read_cd(drv, 0, n, 0xf8), raw, GOOD, "READ CD F8h of 200 RAW mode 1 sectors")
    expect(read_cd(drv, 3, 27, 0xf8, type_=2), raw[3 * 2352:30 * 2352], GOOD, "READ CD of 27, mode 1")
    expect(read_cd(drv, 5, 10, 0xf8, length=4 * 2352 + 100), raw[5 * 2352:9 * 2352 + 100], GOOD,
           "READ CD F8h of 10 sectors into 4 sectors and 100 bytes")
    if drv.srfd is not None:
        cdb = struct.pack(">BBI", 0xbe, 0, 40) + (32).to_bytes(3, "big") + bytes([0xf8, 0, 0])
        expect(drv.cmd(cdb, 147 * 512, pieces=147), raw[40 * 2352:40 * 2352 + 147 * 512], GOOD,
               "READ CD of 32 sectors into 147 pieces of 512 bytes")

    # RAW_PW: 2448 bytes a sector
    pw = b"".join(x + random.randbytes(96) for x in secs[:100])
    write(w, "g2.bin", pw)
    drv.insert(disc(["g2.bin"], track(1, "mode1", 0, [extent(0, 100, "raw_pw")])))
    expect(read10(drv, 0, 100), user[:100 * 2048], GOOD, "READ(10) of 100 RAW_PW mode 1 sectors")
    expect(read_cd(drv, 0, 100, 0xf8), raw[:100 * 2352], GOOD, "READ CD F8h of 100 RAW_PW sectors")

    # XA, stored whole and as 2336 bytes: form 2 at 70
    xa = []
    for i in range(100):
        sh = bytes([1, 0, 0x20 if i == 70 else 0x08, 0]) * 2
        xa.append(SYNC + msf_bcd(i + 150) + b"\2" + sh + random.randbytes(2352 - 24))
    write(w, "g3.bin", b"".join(xa))
    write(w, "g3.2336", b"".join(x[16:] for x in xa))
    xuser = b"".join(x[24:2072] for x in xa)
    for fmt, name in (("raw", "g3.bin"), ("mode2", "g3.2336")):
        drv.insert(disc([name], track(1, "mode2_xa", 0, [extent(0, 100, fmt)])))
        expect(read10(drv, 0, 100), xuser[:70 * 2048], ILLEGAL_MODE + (70,),
               f"READ(10) of XA {fmt}: 70 form 1 sectors, then form 2")
        expect(read10(drv, 71, 29), xuser[71 * 2048:], GOOD, f"READ(10) of XA {fmt} after the form 2")
        if fmt == "raw":
            expect(read_cd(drv, 0, 100, 0xf8), b"".join(xa), GOOD, "READ CD F8h of XA raw, both forms")

    # truncated while inserted: the first sector not whole is where the read fails
    write(w, "g4.bin", raw)
    drv.insert(disc(["g4.bin"], track(1, "mode1", 0, [extent(0, n, "raw")])))
    os.truncate(os.path.join(w, "g4.bin"), 150 * 2352 + 2100)
    expect(read10(drv, 140, 20), user[140 * 2048:151 * 2048], (3, 0x11, 0, 151),
           "READ(10) of a truncated RAW image: sector 150's user data is there, 151's is not")
    expect(read_cd(drv, 140, 20, 0xf8), raw[140 * 2352:150 * 2352], (3, 0x11, 0, 150),
           "READ CD F8h of a truncated RAW image: sector 150 is not whole")


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3")


def cache_pages(path, pages):
    """Bring just these 4 KiB pages of @path into the page cache (no readahead around them)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        for page in pages:
            os.pread(fd, 4096, page * 4096)
    finally:
        os.close(fd)


def test_gathered_cold(drv, w):
    """The same runs from an image on ext4, partly in the page cache: io.c copies a run's cached start from
    the page cache and reads the rest through read_iter; both must give the image's bytes."""
    cold = os.environ.get("VCDROM_COLD_DIR")
    if not cold:
        print("read_cd: no VCDROM_COLD_DIR, the cold gathered check skipped")
        return
    n = 300
    secs = [random.randbytes(2352) for _ in range(n)]
    raw = b"".join(secs)
    user = b"".join(x[16:2064] for x in secs)
    xa = [SYNC + msf_bcd(i + 150) + b"\2" + bytes([1, 0, 0x20 if i == 250 else 0x08, 0]) * 2 +
          random.randbytes(2352 - 24) for i in range(n)]
    xuser = b"".join(x[24:2072] for x in xa)
    for name, data in (("c1.bin", raw), ("c2.bin", b"".join(xa))):
        with open(os.path.join(cold, name), "wb") as f:
            f.write(data)
    # cached: some pages at a run's start, some in its middle, one alone further on
    pages = [0, 1, 2, 20, 21, 40, 100]
    path = os.path.join(cold, "c1.bin")
    drv.insert(disc([path], track(1, "mode1", 0, [extent(0, n, "raw")])))
    for what, call, want, sense in (
            ("READ(10) of 300", lambda: read10(drv, 0, n), user, GOOD),
            ("READ(10) of 40 from 30", lambda: read10(drv, 30, 40), user[30 * 2048:70 * 2048], GOOD),
            ("READ CD F8h of 300", lambda: read_cd(drv, 0, n, 0xf8), raw, GOOD)):
        drop_caches()
        cache_pages(path, pages)
        expect(call(), want, sense, f"partly cached RAW mode 1 on ext4: {what}")
    path = os.path.join(cold, "c2.bin")
    drv.insert(disc([path], track(1, "mode2_xa", 0, [extent(0, n, "raw")])))
    for first in (0, 240):
        drop_caches()
        cache_pages(path, pages + [140, 141])
        expect(read10(drv, first, n - first), xuser[first * 2048:250 * 2048], ILLEGAL_MODE + (250,),
               f"partly cached XA on ext4: READ(10) from {first} up to the form 2 sector")


# ECMA-130 annex B: the first bytes of the scrambler's sequence, as the standard gives them
SCRAMBLE_START = bytes.fromhex("018000600028001e800860 06a802fe818060602828 1e9e88 68".replace(" ", ""))


def scramble_table():
    """x^15 + x + 1 from 1, least significant bit first: what bytes 12-2351 are XORed with."""
    reg, out = 1, bytearray()
    for _ in range(2340):
        b = 0
        for j in range(8):
            b |= (reg & 1) << j
            reg = (reg >> 1) | (((reg ^ (reg >> 1)) & 1) << 14)
        out.append(b)
    return bytes(out)


def scramble(sector, table):
    return sector[:12] + bytes(a ^ b for a, b in zip(sector[12:], table))


def test_scrambled(drv, w):
    """RAW data sectors stored scrambled (CloneCD DataTracksScrambled=1) read unscrambled."""
    table = scramble_table()
    check(table.startswith(SCRAMBLE_START), f"scrambler table starts {table[:len(SCRAMBLE_START)].hex()}")
    with open(os.path.join(w, "m1.bin"), "rb") as f:
        raw = f.read()
    with open(os.path.join(w, "m1.iso"), "rb") as f:
        user = f.read()
    n = len(raw) // 2352
    write(w, "m1s.bin", b"".join(scramble(raw[i * 2352:(i + 1) * 2352], table) for i in range(n)))
    scr = extent(0, n, "raw")
    scr["flags"] = 1
    drv.insert(disc(["m1s.bin"], track(1, "mode1", 0, [scr])))
    expect(read_cd(drv, 0, n, 0xf8), raw, GOOD, "READ CD F8h of scrambled mode 1 sectors")
    expect(read10(drv, 0, 20), user, GOOD, "READ(10) of scrambled mode 1 sectors")
    expect(read_cd(drv, 4, 2, 0x10), user[4 * 2048:6 * 2048], GOOD, "READ CD 10h, scrambled")
    # redumper's scrambled sectors at LBA 0 (its tests/unscramble), a mode 1 and a mode 2 one
    for name, mode in (("08_mode1.0.pass", 1), ("09_mode2.0.pass", 2)):
        path = os.path.join(CORPORA, "redumper", name)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            sec = f.read()
        write(w, "r.bin", sec * 4)
        e = extent(0, 4, "raw")
        e["flags"] = 1
        drv.insert(disc(["r.bin"], track(1, "mode1" if mode == 1 else "mode2", 0, [e])))
        # unscrambled: sync, header 00:02:00 and its mode, then only zeros (EDC too)
        got, s = read_cd(drv, 0, 1, 0xf8)
        check(s is None and got[:12] == SYNC and got[12:16] == msf_bcd(150) + bytes([mode]) and
              got[16:] == bytes(2336), f"redumper {name} unscrambled: {s}, {got[:24].hex()}")
    # only raw data sectors can be scrambled
    for t in (track(1, "audio", 0, [scr]), track(1, "mode1", 0, [dict(scr, format="cooked_2048")])):
        try:
            drv.insert(disc(["m1s.bin"], t))
            check(False, f"scrambled {t['mode']} {t['extents'][0]['format']} extent accepted")
        except OSError as e:
            check(e.errno == 22 and "scrambled" in e.strerror, f"scrambled refusal: {e}")


def interleave(linear):
    """Raw P-W (bit 7 P ... bit 0 W) from P, Q, R ... W stored 12 bytes each."""
    return bytes(sum(((linear[ch * 12 + i // 8] >> (7 - i % 8)) & 1) << (7 - ch) for ch in range(8))
                 for i in range(96))


# R-W symbol i of a pack is stored in column RW_COLUMN[i] of the pack (RW_COLUMN[i] & 7) later
RW_COLUMN = [18 if i == 1 else 1 if i == 18 else 5 if i == 2 else 2 if i == 5 else
             23 if i == 3 else 3 if i == 23 else i for i in range(24)]


def rw_packs(stream, lba):
    """The 4 packs starting in sector @lba, de-interleaved from the R-W symbols of every sector."""
    def at(n):
        return stream[n] if n < len(stream) else 0
    return bytes(at((lba * 4 + p + (RW_COLUMN[i] & 7)) * 24 + RW_COLUMN[i])
                 for p in range(4) for i in range(24))


def test_rw_packs(drv, w):
    """READ CD's R-W (100b): the packs a stored sub-channel holds, de-interleaved. The packs are
    interleaved here as an encoder does (spreading each pack forward), then read back whole."""
    n = 12
    packs = [bytes(random.randrange(64) for _ in range(24)) for _ in range(4 * n)]
    stream = bytearray(n * 96)
    for p, pack in enumerate(packs):
        for i, sym in enumerate(pack):
            at = (p + (RW_COLUMN[i] & 7)) * 24 + RW_COLUMN[i]
            if at < len(stream):
                stream[at] = sym
    # the symbols as CloneCD's linear .sub stores them: channel R (bit 5) to W (bit 0), 12 bytes each
    linear = bytearray(n * 96)
    for k, sym in enumerate(stream):
        sector, bit = divmod(k, 96)
        for ch in range(6):
            if sym >> (5 - ch) & 1:
                linear[sector * 96 + (2 + ch) * 12 + bit // 8] |= 0x80 >> (bit % 8)
    write(w, "rw.bin", random.randbytes(n * 2352))
    write(w, "rw.sub", bytes(linear))
    drv.insert(disc(["rw.bin", "rw.sub"], track(1, "audio", 0, [
        dict(extent(0, n, "raw"), sub_format="pw_linear", sub_file=1, sub_offset=0)])))
    for lba in range(n - 2):
        expect(read_cd(drv, lba, 1, 0, sub=4), b"".join(packs[4 * lba:4 * lba + 4]), GOOD,
               f"R-W packs of sector {lba}")
    expect(read_cd(drv, 1, 8, 0, sub=4), b"".join(packs[4:36]), GOOD, "R-W packs of sectors 1-8")
    got, sense = read_cd(drv, 3, 1, 0x10, sub=4)
    expect((got[2352:], sense), b"".join(packs[12:16]), GOOD, "R-W packs after the main channel")
    # the last sectors: what would come from past the disc is zero
    want = bytearray(b"".join(packs[4 * (n - 1):]))
    for p in range(4):
        for i in range(24):
            if (n - 1) * 4 + p + (RW_COLUMN[i] & 7) >= 4 * n:
                want[p * 24 + i] = 0
    expect(read_cd(drv, n - 1, 1, 0, sub=4), bytes(want), GOOD, "R-W packs of the last sector")
    # R-W stored in RAW_PW sectors (P and Q made up)
    pw = b"".join(random.randbytes(2352) + bytes(stream[i * 96:(i + 1) * 96]) for i in range(n))
    write(w, "rw.pw", pw)
    drv.insert(disc(["rw.pw"], track(1, "audio", 0, [extent(0, n, "raw_pw")])))
    expect(read_cd(drv, 0, n - 2, 0, sub=4), b"".join(packs[:4 * (n - 2)]), GOOD,
           "R-W packs of RAW_PW sectors")
    # no R-W stored: zeros
    drv.insert(disc(["rw.bin"], track(1, "audio", 0, [extent(0, n, "raw")])))
    expect(read_cd(drv, 0, 2, 0, sub=4), bytes(192), GOOD, "R-W without a stored sub-channel: zeros")


def test_stored_sub(drv, w):
    """A stored sub-channel is returned as stored: raw P-W, Q and P from it, R-W; for audio and
    for data sectors."""
    audio = random.randbytes(10 * 2352)
    linear = random.randbytes(10 * 96)
    pw = [random.randbytes(2352 + 96) for _ in range(10)]
    write(w, "s.bin", audio)
    write(w, "s.sub", linear)
    write(w, "s.pw", b"".join(pw))
    e1 = dict(extent(0, 10, "raw"), sub_format="pw_linear", sub_file=1, sub_offset=0)
    e2 = dict(extent(10, 10, "raw_pw", file=2), sub_format="pw")
    drv.insert(disc(["s.bin", "s.sub", "s.pw"], track(1, "audio", 0, [e1]),
                    track(2, "audio", 10, [e2])))
    rw_stream = b"".join(bytes(b & 0x3f for b in interleave(linear[i * 96:(i + 1) * 96]))
                         for i in range(10)) + b"".join(bytes(b & 0x3f for b in x[2352:]) for x in pw)
    for lba in range(20):
        if lba < 10:
            data, stored = audio[lba * 2352:(lba + 1) * 2352], interleave(linear[lba * 96:(lba + 1) * 96])
        else:
            data, stored = pw[lba - 10][:2352], pw[lba - 10][2352:]
        expect(read_cd(drv, lba, 1, 0x10, sub=1), data + stored, GOOD, f"stored raw P-W at {lba}")
        qbits = int("".join("1" if b & 0x40 else "0" for b in stored), 2).to_bytes(12, "big")
        expect(read_cd(drv, lba, 1, 0, sub=2), qbits + bytes(3) + bytes([stored[0] & 0x80]), GOOD,
               f"stored formatted Q at {lba}")
        expect(read_cd(drv, lba, 1, 0, sub=4), rw_packs(rw_stream, lba), GOOD,
               f"stored R-W at {lba}, de-interleaved")
    check(interleave(linear[:96])[0] >> 6 & 1 == linear[12] >> 7, "interleave: Q's first bit")
    expect(read_cd(drv, 8, 4, 0x10, sub=1), b"".join(
        (audio[i * 2352:(i + 1) * 2352] + interleave(linear[i * 96:(i + 1) * 96])) if i < 10 else pw[i - 10]
        for i in range(8, 12)), GOOD, "stored raw P-W over two tracks")
    # a data track stored with its sub-channel (Alcohol's 2448-byte mode 1 sectors)
    with open(os.path.join(w, "m1.bin"), "rb") as f:
        raw = f.read()
    with open(os.path.join(w, "m1.iso"), "rb") as f:
        user = f.read()
    n = len(raw) // 2352
    subs = [random.randbytes(96) for _ in range(n)]
    write(w, "m1pw.bin", b"".join(raw[i * 2352:(i + 1) * 2352] + subs[i] for i in range(n)))
    drv.insert(disc(["m1pw.bin"], track(1, "mode1", 0, [dict(extent(0, n, "raw_pw"), sub_format="pw")])))
    expect(read10(drv, 0, 20), user, GOOD, "READ(10) of mode 1 sectors stored with their sub-channel")
    expect(read_cd(drv, 2, 3, 0xf8, sub=1), b"".join(raw[i * 2352:(i + 1) * 2352] + subs[i]
                                                     for i in range(2, 5)), GOOD,
           "READ CD of mode 1 sectors and the raw P-W stored with them")
    # refused: no format, not in the sectors, past the file's end, a file that is not there
    bad = ((dict(extent(0, 10, "raw"), sub_file=1, sub_offset=0), "without its format"),
           (dict(extent(0, 10, "raw"), sub_format="pw"), "raw P-W"),
           (dict(extent(0, 10, "raw"), sub_format="pw", sub_file=1, sub_offset=97), "past the end"),
           (dict(extent(0, 10, "raw"), sub_format="pw", sub_file=3, sub_offset=0), "names file"),
           (dict(extent(0, 10, "raw"), sub_format="pw", sub_file=1), "without file or offset"))
    for e, msg in bad:
        try:
            drv.insert(disc(["s.bin", "s.sub"], track(1, "audio", 0, [e])))
            check(False, f"sub-channel extent {e} accepted")
        except OSError as err:
            check(err.errno == 22 and msg in err.strerror, f"sub-channel refusal {e}: {err}")


def subq_cdb(msf):
    return bytes([0x42, 0x02 if msf else 0, 0x40, 0x01, 0, 0, 0, 0, 16, 0])


def test_stored_subq(drv, w):
    """READ SUB-CHANNEL 01h where the sub-channel is stored: the position its Q gives, after SEEK and
    after READ CD; the made-up one where the stored Q fails its CRC, is not a position or not BCD."""
    n = 20
    qs = []
    for lba in range(n):
        q = bytes([0x21, 0x01, 0x01]) + msf_bcd(lba + 500) + b"\0" + msf_bcd(lba + 1150)
        if lba == 5:    # another track's pregap: relative time 3 counting down
            q = bytes([0x21, 0x02, 0x00]) + msf_bcd(3) + b"\0" + msf_bcd(lba + 1150)
        if lba == 9:    # an MCN frame
            q = bytes([0x02, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x30, 0, 0, 0x09])[:10]
        if lba == 11:   # frame 0x7a is not BCD
            q = q[:9] + b"\x7a"
        q += crc16(q)
        if lba == 7:    # damaged: the CRC does not match
            q = q[:10] + bytes([q[10] ^ 0xff, q[11]])
        qs.append(q)
    linear = b"".join(random.randbytes(12) + q + random.randbytes(72) for q in qs)
    write(w, "q.bin", random.randbytes(n * 2352))
    write(w, "q.sub", linear)
    drv.insert(disc(["q.bin", "q.sub"], track(1, "audio", 0, [
        dict(extent(0, n, "raw"), sub_format="pw_linear", sub_file=1, sub_offset=0)])))

    def want(lba, msf):
        """(ADR/control, track, index, absolute, relative) as the drive should answer at @lba."""
        if lba in (7, 9, 11):
            t, i, a, r, ctl = 1, 1, lba, lba, 0
        elif lba == 5:
            t, i, a, r, ctl = 2, 0, lba + 1000, -4, 2
        else:
            t, i, a, r, ctl = 1, 1, lba + 1000, lba + 500, 2
        if msf:
            a = bytes([0]) + bytes([(a + 150) // 4500, (a + 150) // 75 % 60, (a + 150) % 75])
            r = bytes([0, abs(r) // 4500, abs(r) // 75 % 60, abs(r) % 75])
        else:
            a, r = struct.pack(">i", a), struct.pack(">i", r)
        return bytes([0, 0x15, 0, 12, 1, 0x10 | ctl, t, i]) + a + r

    for lba in range(n):
        expect(drv.cmd(struct.pack(">BBIIH", 0x2b, 0, lba, 0, 0), 0), b"", GOOD, f"SEEK to {lba}")
        for msf in (False, True):
            expect(drv.cmd(subq_cdb(msf), 16), want(lba, msf), GOOD,
                   f"READ SUB-CHANNEL 01h{' MSF' if msf else ''} after SEEK to {lba}")
    expect(drv.cmd(struct.pack(">BBIIH", 0x2b, 0, 3, 0, 0), 0), b"", GOOD, "SEEK to 3")
    expect(drv.cmd(subq_cdb(False)[:7] + b"\0\x08\0", 8), want(3, False)[:8], GOOD,
           "READ SUB-CHANNEL 01h, 8 bytes of it")
    expect(read_cd(drv, 2, 3, 0x10), None, GOOD, "READ CD of 2-4")
    expect(drv.cmd(subq_cdb(False), 16), want(4, False), GOOD, "READ SUB-CHANNEL 01h after READ CD of 2-4")
    # no stored sub-channel: the made-up position, moved by SEEK as well
    drv.insert(disc(["q.bin"], track(1, "audio", 0, [extent(0, n, "raw")])))
    expect(drv.cmd(struct.pack(">BBIIH", 0x2b, 0, 13, 0, 0), 0), b"", GOOD, "SEEK to 13")
    expect(drv.cmd(subq_cdb(False), 16), bytes([0, 0x15, 0, 12, 1, 0x10, 1, 1]) +
           struct.pack(">ii", 13, 13), GOOD, "READ SUB-CHANNEL 01h after SEEK, made-up Q")


def main(argv):
    sg, index, workdir = argv[1], int(argv[2]), argv[3]
    random.seed(1)
    drv = Drive(sg, index, workdir, argv[4] if len(argv) > 4 else None)
    try:
        for test in (test_mode1, test_isofs_m1, test_xa, test_gathered, test_gathered_cold, test_videocd, test_audio, test_raw_pw, test_stored_subq, test_rw_packs,
                     test_scrambled, test_stored_sub):
            test(drv, workdir)
            print(f"read_cd: {test.__name__}: ok")
    except Failed as e:
        print(f"FAIL: read_cd: {e}", file=sys.stderr)
        return 1
    print(f"read_cd: {checks} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
