#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A drive's answers to a list of commands, each in a file: one process for all.

  sg_answers.py SG_DEVICE DIR LIST [LAYOUT.json]

Each line of LIST is "NAME LEN CDB-BYTES..." (hex): DIR/NAME gets the data
the command returned (up to LEN bytes), or "sense KEY ASC ASCQ" when it
failed; or "readcd NAME SUB": DIR/NAME gets READ CD (any sector type, sync to
EDC/ECC, sub-channel selection SUB) of every sector of every track of
LAYOUT.json (same_disc.py's: from each track's i0 to its end), 25 sectors a
command. Exit status 1 when a READ CD fails or the drive cannot be opened.
"""

import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("read_cd", os.path.join(HERE, "read_cd.py"))
rc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rc)


def main(argv):
    sg, d, listing = argv[1:4]
    layout = json.load(open(argv[4])) if len(argv) > 4 else None
    drv = rc.Drive.__new__(rc.Drive)
    drv.fd = os.open(sg, os.O_RDWR)
    for line in open(listing):
        words = line.split()
        if not words:
            continue
        if words[0] == "readcd":
            name, sub = words[1], int(words[2], 16)
            size = 2352 + (96 if sub == 1 else 16)
            with open(os.path.join(d, name), "wb") as f:
                for t in layout["tracks"]:
                    for lba in range(t["i0"], t["end"], 25):
                        n = min(25, t["end"] - lba)
                        data, sense = rc.read_cd(drv, lba, n, 0xf8, sub=sub, length=n * size)
                        if sense is not None or len(data) != n * size:
                            print(f"FAIL: READ CD of {n} sector(s) at LBA {lba}, sub-channel {sub}: "
                                  f"sense {sense}, {len(data)} bytes", file=sys.stderr)
                            return 1
                        f.write(data)
            continue
        name, length, cdb = words[0], int(words[1]), bytes(int(b, 16) for b in words[2:])
        data, sense = drv.cmd(cdb, length)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data if sense is None else ("sense %x %02x %02x\n" % sense[:3]).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
