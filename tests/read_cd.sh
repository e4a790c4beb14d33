#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The read path of whole CDs, through SG_IO (read_cd.py does the checks): READ(10) of mode 1 and XA form 1
# stored cooked, raw and as 2336 bytes, 05/64/00 with the LBA on audio, formless mode 2 and form 2;
# READ CD of cooked sectors against the raw image made of them and against a real MODE1/2352 image
# (isofs-m1.bin, when the corpus is there), field selections, expected sector types, C2, formatted Q
# and raw P-W, swapped audio, READ CD MSF, and the gap between sessions.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd python3

vcdrom_load
sg=$(vcdrom_sgdevs)
python3 "$(dirname "$0")/read_cd.py" "$sg" 0 "$T" || fail "read_cd.py $sg"
