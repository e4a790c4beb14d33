#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A two-session disc from a cue sheet with REM SESSION (lib_cd.sh make_sessions_disc), like an Enhanced CD:
# session 1 two audio tracks (audio.bin), session 2 a MODE1/2352 track (data.bin: 150 pregap sectors, then an
# ISO built by xorriso -C for its place, index 1 at session 1's end + 11400). On the drive:
# - cd-info -C: the track list at the layout's LSNs (track 3 at 12075), "Last CD Session LSN" is track 3's;
# - cdparanoia rips both audio tracks bit for bit (track 2 ends at session 1's lead-out); cd-discid gives the
#   layout's id (the last session's lead-out);
# - READ CD of sectors on both sides of the gap: the BIN's bytes, verified by cdsector for the data track;
#   nothing in the gap between the sessions is readable;
# - mount shows session 2's files (isofs finds the last session through CDROMMULTISESSION).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sox sg_raw sg_turs cd-info cdparanoia cd-discid
test_bin cdsector >/dev/null

make_sessions_disc "$T/sessions"
start=${DISC_START[3]}
assert_eq 12075 "$start" "the data track's index 1 (675 + 11250 + 150)"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
cd_insert "$DISC_CUE"
assert_eq "loaded CD-ROM" "$(drive_json 0 '"\(.state) \(.profile)"')" "state and profile after inserting the sheet"

kmsg "cd-info"
check_cdinfo_drive "$sr"
assert_eq "1 audio - no 2 no
2 audio - no 2 no
3 data - no
170 leadout" "$(cdinfo_tracks "$drive_info")" "cd-info -C $sr: types and flags"
assert_match "^Last CD Session LSN: 0*$start\$" "$drive_info" "cd-info -C $sr: the last session's start"

kmsg "cdparanoia"
check_rips "$sr"
check_discid "$sr"

kmsg "READ CD"
check_read_cd "$sg" 0
check_read_cd "$sg" 672 3			# session 1's last sectors
check_read_cd "$sg" "${DISC_INDEX0[3]}" 2	# session 2's first sectors (the data track's pregap)
check_read_cd "$sg" $((start - 1)) 20
run_rc rc cdsector verify --lba $((start - 1)) "$T/readcd.bin"
assert_eq 0 "$rc" "cdsector verify of READ CD at LBA $((start - 1)): $out"
check_read_cd "$sg" $((DISC_LEADOUT[2] - 1))
for lba in 675 5000 $((DISC_INDEX0[3] - 1)) "${DISC_LEADOUT[2]}"; do
	# shellcheck disable=SC2046 # the CDB bytes are words
	run_rc rc sg_raw -r 2352 "$sg" be 00 $(lba_bytes "$lba") 00 00 01 f8 00 00
	assert_ne 0 "$rc" "READ CD at LBA $lba (outside both sessions) exit status"
done

kmsg "mount"
dd if="$sr" bs=2048 skip="$start" count="$DISC_ISO_SECTORS" status=none | cmp - "$T/sessions/data.iso" ||
	fail "session 2's track read through $sr differs from the ISO"
mount_ro "$sr" "$T/mnt"
diff -r "$T/sessions/tree2" "$T/mnt" || fail "the files on $sr are not session 2's"
assert_eq "in the second session" "$(cat "$T/mnt/second session/hello.txt")" "a file of session 2"
umount "$T/mnt"
vcdromctl eject 0 || fail "vcdromctl eject 0"
