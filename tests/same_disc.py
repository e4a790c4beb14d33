#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One disc written as a cue sheet, a cdrdao TOC, a Nero image, a CloneCD image
and an Alcohol 120% MDS.

  same_disc.py write CDSECTOR DIR VARIANT   write DIR/disc.cue, DIR/disc.toc,
                                            DIR/disc.nrg, DIR/disc.ccd,
                                            DIR/disc.mds and their files
                                            (those of the variant's formats)
  same_disc.py check VCDROMCTL DIR VARIANT  `vcdromctl --json toc` of each
                                            agrees in all but "format" (and
                                            a CHD's "note")

VARIANT "one" is a single session: a MODE1 data track, then audio tracks
with a stored pregap (INDEX 00), an unstored one (PREGAP), indexes 2 and 3,
ISRC, DCP/PRE/4CH flags, an MCN and CD-TEXT (titles and performers).
VARIANT "two" is an Enhanced CD: session 1 audio, session 2 a MODE1 data
track with a stored pregap; a cdrdao TOC holds one session, so it has no
disc.toc. VARIANT "chd" is what a MAME CHD can hold: one session of a MODE1
data track, audio tracks with a stored pregap (INDEX 00) and an unstored one
(PREGAP), a MODE2/2352 track (XA form 1 sectors) with a stored pregap, and no
MCN, ISRC, CD-TEXT, flags or indexes past 1; only disc.cue is written, its
disc.chd is `chdman createcd`'s of it (same_disc.sh makes it), and `check`
wants a CHD's "note" and extracts it into DIR/cache. Data sectors are encoded
by CDSECTOR (tests/cdsector.c). DIR/layout.json gives the variant's formats,
each track's LBAs (i0: its pregap, start: index 1, end) and where the cue
sheet's BIN stores its sectors ("stored": LBA, sectors, file, offset).

The CloneCD image's disc.sub holds the P-W sub-channel the drive makes up for
the other formats: P in pregaps, Q mode 1 (position), mode 2 (MCN) at LBA % 100
== 10 and mode 3 (ISRC) at LBA % 100 == 20 outside pregaps, R-W zeros.

Audio is stored little-endian in the BIN, the NRG and the CloneCD IMG, big-endian in the
TOC's raw files (one track as a .wav instead). The MDS stores audio with its
sub-channel (2448-byte sectors, raw P-W with the Q the disc has, MCN and
ISRC frames included), but no pregap (zeros) and no MCN, ISRC or CD-TEXT
fields (the loader finds the MCN in the stored Q: `check` compares its TOC as
the others'). The layout (LBAs) is the loaders': a session after the first
starts 11250 sectors after the one before ends.
"""

import json
import os
import random
import struct
import subprocess
import sys

SECTOR = 2352
SESSION_GAP = 11250
VCDROM_CD_MAX_LEADOUT = 449849		# 99:59:74


def track(mode, length, pre=0, gap=0, indexes=(), isrc="", flags=(), title="", performer=""):
    """A track: @pre sectors of stored pregap (INDEX 00), @gap unstored (PREGAP), @length from
    index 1; @indexes are index 2, 3... as sectors after index 1."""
    return dict(mode=mode, length=length, pre=pre, gap=gap, indexes=list(indexes), isrc=isrc,
                flags=list(flags), title=title, performer=performer)


VARIANTS = {
    "one": dict(
        mcn="0123456789012", title="vcdrom same disc", performer="vcdrom tests",
        sessions=[[
            track("MODE1", 60, title="Data", performer="cdsector"),
            track("AUDIO", 90, pre=40, indexes=[30], isrc="USVCD2600002", flags=["DCP"],
                  title="Noise A", performer="Random"),
            track("AUDIO", 70, gap=25, isrc="USVCD2600003", flags=["PRE"],
                  title="Noise B", performer="Random"),
            track("AUDIO", 80, pre=20, indexes=[20, 50], flags=["DCP", "4CH"],
                  title="Noise C", performer="Random and more"),
        ]]),
    "two": dict(
        mcn="1234567890128", title="vcdrom same disc, two sessions", performer="vcdrom tests",
        sessions=[[
            track("AUDIO", 75, isrc="USVCD2600011", title="First", performer="Random"),
            track("AUDIO", 60, pre=30, indexes=[25], isrc="USVCD2600012", flags=["DCP"],
                  title="Second", performer="Random"),
            track("AUDIO", 50, gap=20, flags=["PRE"], title="Third", performer="Random"),
        ], [
            track("MODE1", 40, pre=150, title="Data", performer="cdsector"),
        ]]),
    # small (every sector is read twice), lengths not a multiple of 4: chdman pads each track to one
    "chd": dict(
        mcn="", title="", performer="",
        sessions=[[
            track("MODE1", 25),
            track("AUDIO", 30, pre=10),
            track("MODE2", 17, pre=6),
            track("AUDIO", 22, gap=9),
            track("AUDIO", 19, pre=7),
        ]]),
}

CHD_NOTE = "a CHD stores no MCN, ISRCs, CD-TEXT, track flags, indexes past 1 or sessions"


def lay_out(disc):
    """Number the tracks and give each its LBAs: i0 (its pregap), start (index 1), end."""
    lba, number = 0, 1
    for s, session in enumerate(disc["sessions"]):
        if s:
            lba += SESSION_GAP
        for t in session:
            t["number"], t["session"] = number, s + 1
            number += 1
            t["i0"] = lba
            lba += t["gap"] + t["pre"]
            t["start"] = lba
            lba += t["length"]
            t["end"] = lba
        disc.setdefault("leadouts", []).append(lba)
    disc["tracks"] = [t for session in disc["sessions"] for t in session]


def msf(frames):
    return "%02d:%02d:%02d" % (frames // 4500, frames // 75 % 60, frames % 75)


def encode_data(cdsector, workdir, lba, user, mode="1"):
    """Raw sectors of @user (2048 bytes each) from @lba, by cdsector: mode 1, or mode 2 form 1
    (@mode "2form1")."""
    src, dst = os.path.join(workdir, "user.tmp"), os.path.join(workdir, "raw.tmp")
    with open(src, "wb") as f:
        f.write(user)
    subprocess.run([cdsector, "encode", "--mode", mode, "--lba", str(lba), src, dst], check=True)
    with open(dst, "rb") as f:
        raw = f.read()
    os.unlink(src)
    os.unlink(dst)
    return raw


def make_sectors(disc, cdsector, workdir):
    """Each track's stored sectors (pregap, then from index 1): audio little-endian."""
    rnd = random.Random(13)
    for t in disc["tracks"]:
        n = t["pre"] + t["length"]
        if t["mode"] == "AUDIO":
            t["raw"] = rnd.randbytes(n * SECTOR)
        else:
            user = bytes(t["pre"] * 2048) + rnd.randbytes(t["length"] * 2048)
            t["raw"] = encode_data(cdsector, workdir, t["i0"] + t["gap"], user,
                                   "1" if t["mode"] == "MODE1" else "2form1")
        assert len(t["raw"]) == n * SECTOR


def swab(data):
    """16-bit samples the other way round."""
    out = bytearray(data)
    out[0::2], out[1::2] = data[1::2], data[0::2]
    return bytes(out)


def write(path, data, mode="wb"):
    with open(path, mode) as f:
        f.write(data)


def q(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- cue sheet: a BIN per session ----

def write_cue(disc, d):
    lines = ["CATALOG " + disc["mcn"]] if disc["mcn"] else []
    if disc["title"]:
        lines += ["TITLE " + q(disc["title"]), "PERFORMER " + q(disc["performer"])]
    for s, session in enumerate(disc["sessions"]):
        name = "disc-%d.bin" % (s + 1)
        write(os.path.join(d, name), b"".join(t["raw"] for t in session))
        if len(disc["sessions"]) > 1:
            lines.append("REM SESSION %02d" % (s + 1))
        lines.append("FILE %s BINARY" % q(name))
        pos = 0			# sectors into the BIN
        for t in session:
            t["stored"] = [t["i0"] + t["gap"], t["pre"] + t["length"], name, pos * SECTOR]
            mode = "AUDIO" if t["mode"] == "AUDIO" else t["mode"] + "/2352"
            lines.append("  TRACK %02d %s" % (t["number"], mode))
            if t["title"]:
                lines.append("    TITLE " + q(t["title"]))
                lines.append("    PERFORMER " + q(t["performer"]))
            if t["flags"]:
                lines.append("    FLAGS " + " ".join(t["flags"]))
            if t["isrc"]:
                lines.append("    ISRC " + t["isrc"])
            if t["gap"]:
                lines.append("    PREGAP " + msf(t["gap"]))
            if t["pre"]:
                lines.append("    INDEX 00 " + msf(pos))
            pos += t["pre"]
            lines.append("    INDEX 01 " + msf(pos))
            for i, off in enumerate(t["indexes"]):
                lines.append("    INDEX %02d %s" % (i + 2, msf(pos + off)))
            pos += t["length"]
    write(os.path.join(d, "disc.cue"), "\n".join(lines) + "\n", "w")


# ---- cdrdao TOC: a file per track, raw audio big-endian, one track as WAVE ----

def wave(pcm):
    fmt = struct.pack("<HHIIHH", 1, 2, 44100, 44100 * 4, 4, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + \
        struct.pack("<I", len(pcm)) + pcm
    return b"RIFF" + struct.pack("<I", len(body)) + body


def write_toc(disc, d):
    assert len(disc["sessions"]) == 1, "a TOC file holds one session"
    tracks = disc["tracks"]
    kind = "CD_DA" if all(t["mode"] == "AUDIO" for t in tracks) else "CD_ROM"
    lines = [kind, "", "CATALOG " + q(disc["mcn"]), "",
             "CD_TEXT {", "  LANGUAGE_MAP {", "    0 : EN", "  }", "  LANGUAGE 0 {",
             "    TITLE " + q(disc["title"]), "    PERFORMER " + q(disc["performer"]), "  }", "}"]
    waved = False
    for t in tracks:
        lines += ["", "// track %d" % t["number"]]
        if t["mode"] == "AUDIO":
            lines.append("TRACK AUDIO")
            lines.append("COPY" if "DCP" in t["flags"] else "NO COPY")
            lines.append("PRE_EMPHASIS" if "PRE" in t["flags"] else "NO PRE_EMPHASIS")
            lines.append("FOUR_CHANNEL_AUDIO" if "4CH" in t["flags"] else "TWO_CHANNEL_AUDIO")
        else:
            lines.append("TRACK MODE1_RAW")
            lines.append("COPY" if "DCP" in t["flags"] else "NO COPY")
        if t["isrc"]:
            lines.append("ISRC " + q(t["isrc"]))
        lines += ["CD_TEXT {", "  LANGUAGE 0 {", "    TITLE " + q(t["title"]),
                  "    PERFORMER " + q(t["performer"]), "  }", "}"]
        if t["gap"]:
            lines.append("PREGAP " + msf(t["gap"]))
        if t["mode"] != "AUDIO":
            name = "t%02d.bin" % t["number"]
            write(os.path.join(d, name), t["raw"])
            lines.append("DATAFILE " + q(name))
        elif not waved and t["pre"] and t["indexes"]:
            # a WAVE file: little-endian, its data chunk
            waved = True
            name = "t%02d.wav" % t["number"]
            write(os.path.join(d, name), wave(t["raw"]))
            lines.append("FILE %s 0" % q(name))
        else:
            name = "t%02d.raw" % t["number"]
            write(os.path.join(d, name), swab(t["raw"]))
            lines.append("FILE %s 0 %s" % (q(name), msf(t["pre"] + t["length"])))
        if t["pre"]:
            lines.append("START " + msf(t["pre"]))
        for off in t["indexes"]:
            lines.append("INDEX " + msf(off))
    write(os.path.join(d, "disc.toc"), "\n".join(lines) + "\n", "w")


# ---- Nero v2 (NER5): disc-at-once, CUEX and DAOX per session, SINF, CDTX ----
# (libcdio's NRG reader asserts on the CUEX entries of index 2 and later; libMirage and ours read them)

def cdtext_crc(pack):
    c = 0
    for b in pack:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021 if c & 0x8000 else c << 1) & 0xffff
    return struct.pack(">H", c ^ 0xffff)


def cdtext_packs(disc):
    """Block 0 (English, ISO 8859-1) of TITLE and PERFORMER, SIZE_INFO last, as the CD-TEXT
    specification lays it out."""
    packs, counts = [], [0] * 16

    def close(p):
        p += bytes(16 - len(p))
        packs.append(bytes(p) + cdtext_crc(p))

    tracks = disc["tracks"]
    for ptype, key in ((0x80, "title"), (0x81, "performer")):
        cur = None
        strings = [(0, disc[key])] + [(t["number"], t[key]) for t in tracks]
        for number, text in strings:
            s = text.encode("latin-1") + b"\0"
            for i, b in enumerate(s):
                if cur is None:
                    cur = bytearray([ptype, number, len(packs), min(i, 15)])
                    counts[ptype & 0xf] += 1
                cur.append(b)
                if len(cur) == 16:
                    close(cur)
                    cur = None
        if cur is not None:
            close(cur)
    counts[0xf] = 3
    total = len(packs) + 3
    info = bytearray(36)
    info[0] = 0x00
    info[1], info[2] = tracks[0]["number"], tracks[-1]["number"]
    info[4:20] = bytes(counts)
    info[20] = total - 1
    info[28] = 0x09
    for i in range(3):
        close(bytearray([0x8f, i, len(packs), 0]) + info[12 * i:12 * i + 12])
    return b"".join(packs)


def chunk(cid, body):
    return cid.encode() + struct.pack(">I", len(body)) + body


def write_nrg(disc, d):
    data = bytearray()
    chain = bytearray()
    for s, session in enumerate(disc["sessions"]):
        cue, dao = bytearray(), bytearray()
        first = session[0]

        def point(t, index, lba):
            ctl = (0x4 if t["mode"] != "AUDIO" else 0) | ("DCP" in t["flags"]) << 1 | \
                ("PRE" in t["flags"]) | ("4CH" in t["flags"]) << 3
            number = 0xaa if index is None else t["number"]
            cue.extend(struct.pack(">BBBBi", ctl << 4 | 1, number, 1 if index is None else index,
                                   0, lba))

        point(dict(first, number=0), 0, -150 if not s else first["i0"] - 4500)	# lead-in
        for t in session:
            mode = 0x07 if t["mode"] == "AUDIO" else 0x05
            raw = t["raw"]
            if not s and t is first:
                assert not t["pre"] and not t["gap"]
                # Nero stores 150 sectors before LBA 0 (the first track's index 0 at -150)
                point(t, 0, -150)
                pre_off = len(data)
                data += bytes(150 * SECTOR)
            else:
                point(t, 0, t["i0"])		# Nero gives every track an index 0
                pre_off = len(data)
            point(t, 1, t["start"])
            for i, off in enumerate(t["indexes"]):
                point(t, i + 2, t["start"] + off)
            data += raw[:t["pre"] * SECTOR]
            start_off = len(data)
            data += raw[t["pre"] * SECTOR:]
            dao += t["isrc"].encode().ljust(12, b"\0") + struct.pack(">HB", SECTOR, mode) + \
                b"\0\0\1" + struct.pack(">QQQ", pre_off, start_off, len(data))
        point(session[-1], None, disc["leadouts"][s])
        head = struct.pack(">I", 22 + len(dao)) + disc["mcn"].encode() + b"\0" + \
            struct.pack(">HBB", 1, first["number"], session[-1]["number"])
        # in the order of libcdio's p1.nrg: CUEX, DAOX, CDTX, SINF, MTYP
        chain += chunk("CUEX", bytes(cue)) + chunk("DAOX", head + dao)
        if not s:
            chain += chunk("CDTX", cdtext_packs(disc))
        chain += chunk("SINF", struct.pack(">I", len(session)))
    chain += chunk("MTYP", struct.pack(">I", 1))
    chain += chunk("END!", b"")
    write(os.path.join(d, "disc.nrg"), bytes(data) + bytes(chain) + b"NER5" +
          struct.pack(">Q", len(data)))


# ---- CloneCD: disc.ccd (full-TOC entries), disc.img (every sector), disc.sub (P-W linear) ----

def bcd(n):
    return n // 10 << 4 | n % 10


def msf_bcd(frames):
    return bytes([bcd(frames // 4500), bcd(frames // 75 % 60), bcd(frames % 75)])


def crc16(data):
    """CRC-16 CCITT (x^16 + x^12 + x^5 + 1, from 0), as sub-channel Q has it (inverted)."""
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021 if c & 0x8000 else c << 1) & 0xffff
    return struct.pack(">H", c ^ 0xffff)


def control(t):
    return (0x4 if t["mode"] != "AUDIO" else 0) | ("DCP" in t["flags"]) << 1 | \
        ("PRE" in t["flags"]) | ("4CH" in t["flags"]) << 3


def isrc_code(c):
    return ord(c) - ord("0") if c <= "9" else ord(c) - ord("A") + 0x11


def subq(disc, t, lba):
    """Q at @lba of track @t, and whether P is set (in the pregap)."""
    index = 0
    if lba >= t["start"]:
        index = 1 + sum(1 for off in t["indexes"] if lba >= t["start"] + off)
    ctl = control(t) << 4
    q = bytearray(10)
    if index and lba % 100 == 10 and disc["mcn"]:
        q[0] = ctl | 2
        for i, d in enumerate(disc["mcn"]):
            q[1 + i // 2] |= int(d) << (0 if i % 2 else 4)
        q[9] = bcd((lba + 150) % 75)
    elif index and lba % 100 == 20 and t["isrc"]:
        s = t["isrc"]
        q[0] = ctl | 3
        q[1] = (isrc_code(s[0]) << 2 | isrc_code(s[1]) >> 4) & 0xff
        q[2] = (isrc_code(s[1]) << 4 | isrc_code(s[2]) >> 2) & 0xff
        q[3] = (isrc_code(s[2]) << 6 | isrc_code(s[3])) & 0xff
        q[4] = isrc_code(s[4]) << 2
        for i in range(7):
            q[5 + i // 2] |= int(s[5 + i]) << (0 if i % 2 else 4)
        q[9] = bcd((lba + 150) % 75)
    else:
        q[0] = ctl | 1
        q[1], q[2] = bcd(t["number"]), bcd(index)
        q[3:6] = msf_bcd(lba - t["start"] if index else t["start"] - 1 - lba)
        q[7:10] = msf_bcd(lba + 150)
    return bytes(q) + crc16(q), not index


def ccd_entry(n, session, point, adr, ctl, pmsf, amsf=(0, 0, 0)):
    plba = (pmsf[0] * 60 + pmsf[1]) * 75 + pmsf[2] - 150
    alba = (amsf[0] * 60 + amsf[1]) * 75 + amsf[2] - 150
    return ["[Entry %d]" % n, "Session=%d" % session, "Point=0x%02x" % point, "ADR=0x%02x" % adr,
            "Control=0x%02x" % ctl, "TrackNo=0", "AMin=%d" % amsf[0], "ASec=%d" % amsf[1],
            "AFrame=%d" % amsf[2], "ALBA=%d" % alba, "Zero=0", "PMin=%d" % pmsf[0],
            "PSec=%d" % pmsf[1], "PFrame=%d" % pmsf[2], "PLBA=%d" % plba]


def to_msf(lba):
    f = lba + 150
    return (f // 4500, f // 75 % 60, f % 75)


def write_ccd(disc, d):
    """As CloneCD writes it: per session A0, A1, A2, its tracks (ADR 1), then for a session
    followed by another B0 (the next one's start, ADR 5) and C0 (ADR 5); the sessions' sectors
    back to back in disc.img, from their first track's index 0."""
    entries, img, sub = [], bytearray(), bytearray()
    sessions = disc["sessions"]
    for s, session in enumerate(sessions):
        first, last = session[0], session[-1]
        xa = 0x00		# CD-DA or CD-ROM
        for point, ctl, pmsf in ((0xa0, control(first), (first["number"], xa, 0)),
                                 (0xa1, control(last), (last["number"], 0, 0)),
                                 (0xa2, control(last), to_msf(disc["leadouts"][s]))):
            entries.append((s + 1, point, 1, ctl, pmsf, (0, 0, 0)))
        for t in session:
            entries.append((s + 1, t["number"], 1, control(t), to_msf(t["start"]), (0, 0, 0)))
        if s + 1 < len(sessions):
            nxt = sessions[s + 1][0]["i0"]
            entries.append((s + 1, 0xb0, 5, 0, to_msf(VCDROM_CD_MAX_LEADOUT), to_msf(nxt)))
            entries.append((s + 1, 0xc0, 5, 0, (97, 26, 66), (0, 0, 0)))
        for t in session:
            data = bytes(t["gap"] * SECTOR) + t["raw"]
            img += data
            for lba in range(t["i0"], t["end"]):
                q, p = subq(disc, t, lba)
                sub += (b"\xff" if p else b"\0") * 12 + q + bytes(72)
    lines = ["[CloneCD]", "Version=3", "[Disc]", "TocEntries=%d" % len(entries),
             "Sessions=%d" % len(sessions), "DataTracksScrambled=0",
             "CDTextLength=%d" % len(disc["cdtext"]), "CATALOG=" + disc["mcn"]]
    for s, session in enumerate(sessions):
        pregap_mode = 0 if session[0]["mode"] == "AUDIO" else 1
        lines += ["[Session %d]" % (s + 1), "PreGapMode=%d" % pregap_mode, "PreGapSubC=0"]
    for n, e in enumerate(entries):
        lines += ccd_entry(n, *e)
    packs = disc["cdtext"]
    lines += ["[CDText]", "Entries=%d" % (len(packs) // 18)]
    for n in range(len(packs) // 18):
        # CloneCD writes a pack's 16 bytes, not its CRC
        lines.append("Entry %d=%s" % (n, " ".join("%02x" % b for b in packs[18 * n:18 * n + 16])))
    for t in disc["tracks"]:
        lines += ["[TRACK %d]" % t["number"], "MODE=%d" % (0 if t["mode"] == "AUDIO" else 1)]
        if t["isrc"]:
            lines.append("ISRC=" + t["isrc"])
        if t["start"] != t["i0"] and t is not disc["tracks"][0]:
            lines.append("INDEX 0=%d" % t["i0"])
        lines.append("INDEX 1=%d" % t["start"])
        for i, off in enumerate(t["indexes"]):
            lines.append("INDEX %d=%d" % (i + 2, t["start"] + off))
    write(os.path.join(d, "disc.ccd"), "\r\n".join(lines) + "\r\n", "w")
    write(os.path.join(d, "disc.img"), bytes(img))
    write(os.path.join(d, "disc.sub"), bytes(sub))
    assert len(sub) == len(img) // SECTOR * 96


# ---- Alcohol 120% MDS 1.x: audio with its sub-channel (2448), data raw ----
# (pregaps are not stored in an MDF: they read as zeros; MDS has no MCN, ISRC or CD-TEXT fields,
# so the MCN and ISRCs are only in the stored Q, where a disc has them)

def raw_pw(q, p):
    """96 bytes of raw P-W as READ CD returns them: byte i holds bit i of each channel,
    P in bit 7, Q in bit 6, R-W zero."""
    return bytes((0x80 if p else 0) | (q[i // 8] >> (7 - i % 8) & 1) << 6 for i in range(96))


def msf_bin(lba):
    f = lba + 150
    return bytes([f // 4500, f // 75 % 60, f % 75])


def write_mds(disc, d):
    nr_sessions = len(disc["sessions"])
    blocks_at = 88 + 24 * nr_sessions
    nr_blocks = sum(len(session) + 3 for session in disc["sessions"])
    extra_at = blocks_at + 80 * nr_blocks
    footer_at = extra_at + 8 * len(disc["tracks"])
    name_at = footer_at + 16
    head = bytearray(88)
    head[0:18] = b"MEDIA DESCRIPTOR\1\5"
    struct.pack_into("<HHH", head, 18, 0x00, nr_sessions, 2)	# CD-ROM
    struct.pack_into("<I", head, 80, 88)
    sessions, blocks, extras, mdf = bytearray(), bytearray(), bytearray(), bytearray()
    for s, session in enumerate(disc["sessions"]):
        first, last = session[0], session[-1]
        start = first["i0"] - (150 if not s else 0)
        sessions += struct.pack("<iiHBBHHII", start, disc["leadouts"][s], s + 1,
                                len(session) + 3, 3, first["number"], last["number"], 0,
                                blocks_at + len(blocks))

        def point(pt, ctl, pmsf):
            return struct.pack("<BBBBB3sB3s", 0, 0, 0x10 | ctl, 0, pt, b"\0\0\0", 0, pmsf) + \
                bytes(68)

        blocks.extend(point(0xa0, control(first), bytes([first["number"], 0, 0])))
        blocks.extend(point(0xa1, control(last), bytes([last["number"], 0, 0])))
        blocks.extend(point(0xa2, control(last), msf_bin(disc["leadouts"][s])))
        for t in session:
            audio = t["mode"] == "AUDIO"
            size = 2448 if audio else SECTOR
            offset = len(mdf)
            for i in range(t["length"]):
                lba = t["start"] + i
                sector = t["raw"][(t["pre"] + i) * SECTOR:(t["pre"] + i + 1) * SECTOR]
                mdf += sector + (raw_pw(*subq(disc, t, lba)) if audio else b"")
            pregap = t["start"] - start if t is first else t["gap"] + t["pre"]
            extras += struct.pack("<II", pregap, t["length"])
            blocks.extend(struct.pack("<BBBBB3sB3sIH18sIQII24s",
                                      0xa9 if audio else 0xaa, 0x08 if audio else 0,
                                      0x10 | control(t), 0, t["number"], b"\0\0\0", 0,
                                      msf_bin(t["start"]), extra_at + len(extras) - 8, size,
                                      bytes(18), t["start"], offset, 1, footer_at, bytes(24)))
    assert len(blocks) == 80 * nr_blocks
    # the footer: "*.mdf" in UTF-16, as Alcohol writes it
    footer = struct.pack("<IIII", name_at, 1, 0, 0) + "*.mdf".encode("utf-16-le") + b"\0\0"
    write(os.path.join(d, "disc.mds"), bytes(head + sessions + blocks + extras + footer))
    write(os.path.join(d, "disc.mdf"), bytes(mdf))


def formats(variant):
    if variant == "chd":
        return ("cue", "chd")
    return ("cue", "nrg", "ccd", "mds") if len(VARIANTS[variant]["sessions"]) > 1 else \
        ("cue", "toc", "nrg", "ccd", "mds")


def main(argv):
    if len(argv) != 5 or argv[1] not in ("write", "check") or argv[4] not in VARIANTS:
        print(__doc__, file=sys.stderr)
        return 2
    tool, d, variant = argv[2], argv[3], argv[4]
    if argv[1] == "write":
        disc = VARIANTS[variant]
        lay_out(disc)
        os.makedirs(d, exist_ok=True)
        make_sectors(disc, tool, d)
        write_cue(disc, d)		# first: it records where the BINs store each track
        if "toc" in formats(variant):
            write_toc(disc, d)
        if "nrg" in formats(variant):
            write_nrg(disc, d)
        if "ccd" in formats(variant):
            disc["cdtext"] = cdtext_packs(disc)
            write_ccd(disc, d)
        if "mds" in formats(variant):
            write_mds(disc, d)
        # the layout, for the tests
        write(os.path.join(d, "layout.json"), json.dumps(
            dict(formats=formats(variant), leadouts=disc["leadouts"],
                 tracks=[{k: t[k] for k in ("number", "session", "mode", "i0", "start", "end", "stored")}
                         for t in disc["tracks"]])), "w")
        return 0
    want, bad = None, 0
    for fmt in formats(variant):
        path = os.path.join(d, "disc." + fmt)
        cache = ["--cache-dir", os.path.join(d, "cache")] if fmt == "chd" else []
        out = subprocess.run([tool, "--json", "toc"] + cache + [path], capture_output=True,
                             text=True)
        if out.returncode:
            print("FAIL: vcdromctl toc %s: %s" % (path, out.stderr.strip()), file=sys.stderr)
            return 1
        got = json.loads(out.stdout)
        print("%s: format %s, medium %s" % (path, got.pop("format"), got["medium"]))
        # a CHD says what it cannot store; the others say nothing
        note = got.pop("note")
        if note != (CHD_NOTE if fmt == "chd" else None):
            print("FAIL: disc.%s: note %r" % (fmt, note), file=sys.stderr)
            bad = 1
        if want is None:
            want = got
        elif got != want:
            print("FAIL: vcdromctl toc of disc.%s differs from disc.cue's:\n%s\n%s" %
                  (fmt, json.dumps(got), json.dumps(want)), file=sys.stderr)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
