#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Dump the CD in a drive as CloneCD does, and check a drive against such a dump.

  ccd_dump.py dump SG_DEVICE DIR NAME [--scramble] [--damage-q LBA COUNT]
  ccd_dump.py check SG_DEVICE DIR NAME

dump writes DIR/NAME.ccd, .img and .sub.
The .ccd's [Entry] lines are the drive's full TOC (READ TOC format 2) as it
answered, one descriptor each; [TRACK] sections give each track's mode (from
its first sector's header, AUDIO as 0) and its indexes (from the formatted Q
of every sector) and ISRC, [Disc] the CATALOG (READ SUB-CHANNEL); [CDText]
the drive's CD-TEXT packs (READ TOC format 5), 18 bytes an entry. The .img holds every sector from LBA 0 to the last
lead-out as READ CD returns it whole (sync to EDC/ECC, 2352 bytes), the gaps
between sessions left out; the .sub the raw P-W READ CD gives with it,
channel after channel (P, Q, R ... W, 12 bytes each). --scramble stores the
data sectors scrambled (ECMA-130 annex B) and says DataTracksScrambled=1;
--damage-q makes the Q of COUNT sectors from LBA wrong (its CRC inverted),
as a copy protection's deliberate errors are. Writes DIR/NAME.json: each
track's number, start and session, and the runs of LBAs the .img holds.

check compares the drive (holding DIR/NAME.ccd) with the files: READ TOC
format 2 with the [Entry] lines, byte for byte; READ CD of every sector of
the runs with the .img (unscrambled when the .ccd says it is scrambled) and
its raw P-W with the .sub; formatted Q with the .sub's Q and P. Exit status
0 when all agree, 1 with the first difference.
"""

import importlib.util
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("read_cd", os.path.join(HERE, "read_cd.py"))
rc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rc)


class Sg(rc.Drive):
    """SG_IO only: no netlink."""

    def __init__(self, sg):
        self.fd = os.open(sg, os.O_RDWR)


def need(got, what):
    data, sense = got
    if sense is not None:
        raise SystemExit(f"ccd_dump: {what}: sense {sense}")
    return data


def linear(pw):
    """Raw P-W (bit 7 P ... bit 0 W) as the 8 channels one after another."""
    out = bytearray(96)
    for i in range(96):
        for ch in range(8):
            if pw[i] >> (7 - ch) & 1:
                out[ch * 12 + i // 8] |= 0x80 >> (i % 8)
    return bytes(out)


def lba_of(m, s, f):
    return (m * 60 + s) * 75 + f - 150


def entries(path):
    """The [Entry] sections of a .ccd as 11-byte full TOC descriptors, in order."""
    out, cur = [], None
    for line in open(path):
        line = line.strip()
        if line.startswith("["):
            cur = {} if line.startswith("[Entry") else None
            if cur is not None:
                out.append(cur)
        elif cur is not None and "=" in line:
            k, v = line.split("=", 1)
            cur[k] = int(v, 0)
    return [bytes([e["Session"], e["ADR"] << 4 | e["Control"], e["TrackNo"], e["Point"], e["AMin"],
                   e["ASec"], e["AFrame"], e["Zero"], e["PMin"], e["PSec"], e["PFrame"]]) for e in out]


def check(sg, d, name):
    drv = Sg(sg)
    ccd = os.path.join(d, name + ".ccd")
    want = entries(ccd)
    toc = need(drv.cmd(bytes([0x43, 0x02, 0x02, 0, 0, 0, 1, 0x1f, 0xfe, 0]), 8190), "READ TOC format 2")
    got = [toc[i:i + 11] for i in range(4, struct.unpack(">H", toc[:2])[0] + 2, 11)]
    if got != want:
        raise SystemExit(f"FAIL: {name}: full TOC is not the [Entry] lines:\n"
                         + "\n".join(f"{a.hex()} {b.hex()}" for a, b in zip(got, want))
                         + f"\n({len(got)} descriptors, {len(want)} entries)")
    scrambled = "DataTracksScrambled=1" in open(ccd).read()
    runs = json.load(open(os.path.join(d, name + ".json")))["runs"]
    img = open(os.path.join(d, name + ".img"), "rb")
    sub = open(os.path.join(d, name + ".sub"), "rb")
    table = rc.scramble_table()
    n_checked = 0
    for start, end in runs:
        for lba in range(start, end, 20):
            n = min(20, end - lba)
            raw = need(rc.read_cd(drv, lba, n, 0xf8, sub=1), f"READ CD at {lba}")
            q = need(rc.read_cd(drv, lba, n, 0, sub=2), f"READ CD formatted Q at {lba}")
            for k in range(n):
                sec, lin = img.read(2352), sub.read(96)
                # a data sector stored scrambled: its mode byte is valid only unscrambled
                if scrambled and sec[:12] == rc.SYNC and sec[15] not in (1, 2) and \
                        rc.scramble(sec, table)[15] in (1, 2):
                    sec = rc.scramble(sec, table)
                pw = rc.interleave(lin)
                if raw[k * 2448:(k + 1) * 2448] != sec + pw:
                    what = "main channel" if raw[k * 2448:k * 2448 + 2352] != sec else "raw P-W"
                    raise SystemExit(f"FAIL: {name}: READ CD at LBA {lba + k}: {what} is not the image's")
                if q[k * 16:(k + 1) * 16] != lin[12:24] + bytes(3) + bytes([lin[0] & 0x80]):
                    raise SystemExit(f"FAIL: {name}: formatted Q at LBA {lba + k}: "
                                     f"{q[k * 16:(k + 1) * 16].hex()}, stored {lin[12:24].hex()}")
                n_checked += 1
    if img.read(1) or sub.read(1):
        raise SystemExit(f"FAIL: {name}: the .img or .sub holds more than the runs {runs}")
    print(f"ccd_dump: {name}: full TOC of {len(got)} descriptors and {n_checked} sectors "
          "with their sub-channel as stored")
    return 0


def main(argv):
    if len(argv) > 1 and argv[1] == "check":
        return check(*argv[2:5])
    if len(argv) < 2 or argv[1] != "dump":
        raise SystemExit(__doc__)
    args = argv[2:]
    scramble = "--scramble" in args
    damage = None
    if "--damage-q" in args:
        i = args.index("--damage-q")
        damage = (int(args[i + 1]), int(args[i + 2]))
        del args[i:i + 3]
    args = [a for a in args if a != "--scramble"]
    sg, d, name = args
    drv = Sg(sg)
    toc = need(drv.cmd(bytes([0x43, 0x02, 0x02, 0, 0, 0, 1, 0x1f, 0xfe, 0]), 8190), "READ TOC format 2")
    last_session = toc[3]
    descs = [toc[i:i + 11] for i in range(4, struct.unpack(">H", toc[:2])[0] + 2, 11)]
    tracks, leadouts, sess_of = [], {}, {}
    for de in descs:
        s, adr_ctl, point = de[0], de[1], de[3]
        if adr_ctl >> 4 == 1 and 1 <= point <= 99:
            tracks.append((point, lba_of(de[8], de[9], de[10]), adr_ctl & 0xf))
            sess_of[point] = s
        elif adr_ctl >> 4 == 1 and point == 0xa2:
            leadouts[s] = lba_of(de[8], de[9], de[10])
    tracks.sort()
    cdtext = b""
    got, sense = drv.cmd(bytes([0x43, 0, 0x05, 0, 0, 0, 0, 0x90, 0x04, 0]), 36868)
    if sense is None and len(got) > 4:
        cdtext = got[4:struct.unpack(">H", got[:2])[0] + 2]

    # the sectors: every track from its session's first to its lead-out, no gaps between sessions
    runs = []
    for s in range(1, last_session + 1):
        first = min(t[1] for t in tracks if sess_of[t[0]] == s)
        # a session's first track's pregap (150 sectors) is on the disc, but not before LBA 0
        runs.append((max(first - 150, 0) if s > 1 else 0, leadouts[s]))
    img = open(os.path.join(d, name + ".img"), "wb")
    sub = open(os.path.join(d, name + ".sub"), "wb")
    table = rc.scramble_table()
    modes, indexes = {}, {}
    for start, end in runs:
        for lba in range(start, end, 20):
            n = min(20, end - lba)
            raw = need(rc.read_cd(drv, lba, n, 0xf8, sub=1), f"READ CD at {lba}")
            q = need(rc.read_cd(drv, lba, n, 0, sub=2), f"READ CD formatted Q at {lba}")
            for k in range(n):
                sec = raw[k * 2448:k * 2448 + 2352]
                pw = raw[k * 2448 + 2352:(k + 1) * 2448]
                qq = q[k * 16:(k + 1) * 16]
                cur = lba + k
                t = max((t for t in tracks if t[1] <= cur), default=tracks[0])
                if qq[0] & 0xf == 1:
                    tno, idx = int(f"{qq[1]:x}"), int(f"{qq[2]:x}")
                    indexes.setdefault(tno, {}).setdefault(idx, cur)
                if cur == t[1]:
                    modes[t[0]] = sec[15] if t[2] & 4 else 0
                if scramble and sec[:12] == rc.SYNC and sec[15] in (1, 2):
                    sec = rc.scramble(sec, table)  # every data sector, pregaps too
                if damage and damage[0] <= cur < damage[0] + damage[1]:
                    pw = bytes(b ^ 0x40 if i >= 80 else b for i, b in enumerate(pw))
                img.write(sec)
                sub.write(linear(pw))
    img.close()
    sub.close()

    # the catalog number and each track's ISRC, as READ SUB-CHANNEL formats 2 and 3 give them
    got = need(drv.cmd(bytes([0x42, 0, 0x40, 2, 0, 0, 0, 0, 48, 0]), 48), "READ SUB-CHANNEL 02h")
    mcn = got[9:22].decode() if got[8] & 0x80 else ""
    isrc = {}
    for no, _, ctl in tracks:
        got = need(drv.cmd(bytes([0x42, 0, 0x40, 3, 0, 0, no, 0, 48, 0]), 48), "READ SUB-CHANNEL 03h")
        if got[8] & 0x80:
            isrc[no] = got[9:21].decode()

    lines = ["[CloneCD]", "Version=3", "[Disc]", f"TocEntries={len(descs)}",
             f"Sessions={last_session}", f"DataTracksScrambled={1 if scramble else 0}",
             f"CDTextLength={len(cdtext)}"] + ([f"CATALOG={mcn}"] if mcn else [])
    for s in range(1, last_session + 1):
        lines += [f"[Session {s}]", "PreGapMode=" + ("1" if any(
            t[2] & 4 for t in tracks if sess_of[t[0]] == s) else "0"), "PreGapSubC=0"]
    for i, de in enumerate(descs):
        lines += [f"[Entry {i}]", f"Session={de[0]}", f"Point=0x{de[3]:02x}", f"ADR=0x{de[1] >> 4:02x}",
                  f"Control=0x{de[1] & 0xf:02x}", f"TrackNo={de[2]}", f"AMin={de[4]}", f"ASec={de[5]}",
                  f"AFrame={de[6]}", f"ALBA={lba_of(de[4], de[5], de[6])}", f"Zero={de[7]}",
                  f"PMin={de[8]}", f"PSec={de[9]}", f"PFrame={de[10]}",
                  f"PLBA={lba_of(de[8], de[9], de[10])}"]
    if cdtext:
        lines += ["[CDText]", f"Entries={len(cdtext) // 18}"]
        lines += [f"Entry {i}=" + " ".join(f"{b:02x}" for b in cdtext[i * 18:(i + 1) * 18])
                  for i in range(len(cdtext) // 18)]
    for no, start, _ in tracks:
        lines += [f"[TRACK {no}]", f"MODE={modes.get(no, 0)}"]
        if no in isrc:
            lines.append(f"ISRC={isrc[no]}")
        for idx, lba in sorted(indexes.get(no, {}).items()):
            lines.append(f"INDEX {idx}={lba}")
    with open(os.path.join(d, name + ".ccd"), "w", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(d, name + ".json"), "w") as f:
        json.dump({"tracks": [{"number": t[0], "start": t[1], "session": sess_of[t[0]]} for t in tracks],
                   "runs": runs, "descs": len(descs)}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
