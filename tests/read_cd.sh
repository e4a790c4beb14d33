#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The read path of whole CDs, through SG_IO (read_cd.py does the checks): READ(10) of mode 1 and XA form 1
# stored cooked, raw and as 2336 bytes, 05/64/00 with the LBA on audio, formless mode 2 and form 2;
# READ CD of cooked sectors against the raw image made of them and against a real MODE1/2352 image
# (isofs-m1.bin, when the corpora are there), real XA sectors (videocd.nrg) passed through, field
# selections, expected sector types, C2, formatted Q and raw P-W, swapped audio, READ CD MSF, and the gap
# between sessions; RAW data sectors stored scrambled (ours, and redumper's vectors when the corpora are
# there) and a stored sub-channel (CloneCD's linear .sub, raw P-W in the sectors) returned as stored, and
# the layouts of those the kernel refuses. Then the tests' own encoder (cdsector verify) checks the sectors
# the kernel made up.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_cmd python3

vcdrom_load
sg=$(vcdrom_sgdevs)
sr=$(vcdrom_srdevs)
# an ext4 for images partly in the page cache (read_cd.py drops it between reads)
cold=
if command -v mkfs.ext4 >/dev/null && modprobe loop; then
	truncate -s 32M "$T/ext4.img"
	loopdev=$(losetup -f --show "$T/ext4.img") || fail "losetup $T/ext4.img"
	on_exit "losetup -d '$loopdev' 2>/dev/null"
	mkfs.ext4 -q -F -O ^has_journal "$loopdev" || fail "mkfs.ext4 $loopdev"
	mkdir "$T/ext4"
	mount "$loopdev" "$T/ext4" || fail "mount $loopdev"
	on_exit "vcdromctl eject --force 0 >/dev/null 2>&1; umount '$T/ext4' 2>/dev/null"
	cold=$T/ext4
fi
VCDROM_COLD_DIR=$cold VCDROM_CORPORA=$(corpora_dir) python3 "$(dirname "$0")/read_cd.py" "$sg" 0 "$T" "$sr" ||
	fail "read_cd.py $sg"

# mode 1 (with an unstored extent) and XA form 1 and 2 made up from user data; real XA given sync and header
for img in m1.bin xa.bin vcd.bin; do
	[ -e "$T/$img" ] || continue
	run_rc rc cdsector verify --lba 0 "$T/$img"
	assert_eq 0 "$rc" "cdsector verify of the sectors READ CD gave in $img: $out"
done
log "cdsector verify: the sectors READ CD made up check out"
