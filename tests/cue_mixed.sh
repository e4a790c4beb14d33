#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A mixed-mode CD from a cue sheet and one BIN (lib_cd.sh make_mixed_disc): a MODE1/2352 data track (an ISO
# of a tree, EDC/ECC by cdsector), three audio tracks with an INDEX 00 pregap, an INDEX 02, a PREGAP (not
# stored), FLAGS DCP/PRE, ISRC, CATALOG and CD-TEXT. On the drive:
# - cd-info -C: the track list at the layout's LSNs, MCN, each track's ISRC; against cd-info on the sheet: the
#   disc mode, track types and flags, MCN and CD-TEXT agree (cd-info on the sheet leaves PREGAP out: its
#   positions from track 3 on are checked 150 sectors earlier);
# - cdrdao read-toc agrees with cdrdao show-toc of the sheet (modes, flags, ISRC, catalog, pregaps, starts,
#   ends), and shows track 2's INDEX 02;
# - cdparanoia rips tracks 2, 3 and 4 bit for bit as the BIN holds them (track 2 with track 3's PREGAP as
#   silence; track 3 with track 4's stored pregap);
# - cd-discid gives the id of the layout;
# - READ CD (sync to ECC) of data sectors, audio sectors, the pregaps: exactly the BIN's bytes, zeros in the
#   PREGAP; the ISO reads back through READ(10) (sha256) and mounts with the tree's files;
# - then the same ISO as MODE1/2048 in a sheet, and as a plain ISO: READ CD gives raw sectors whose sync,
#   header, EDC and ECC cdsector verifies, holding the ISO's bytes.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sox sg_raw sg_turs cd-info cdparanoia cdrdao cd-discid sha256sum
test_bin cdsector >/dev/null

make_mixed_disc "$T/mixed"
data=$(sectors_of "$T/mixed/data.iso")
log "layout: $(for t in "${DISC_TRACKS[@]}"; do printf '%s:%s/%s ' "$t" "${DISC_INDEX0[t]}" "${DISC_START[t]}"; done)lead-out ${DISC_LEADOUT[1]}"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
cd_insert "$DISC_CUE"
assert_eq "loaded CD-ROM" "$(drive_json 0 '"\(.state) \(.profile)"')" "state and profile after inserting the sheet"

kmsg "cd-info"
check_cdinfo_drive "$sr"
check_cdinfo_cue_vs_drive 3 150
assert_eq "1 data - no
2 audio - yes 2 no
3 audio - yes 2 yes
4 audio - no 2 no
170 leadout" "$(cdinfo_tracks "$drive_info")" "cd-info -C $sr: types, copy, channels, pre-emphasis"
assert_match "^	TITLE: vcdrom mixed disc\$" "$drive_info" "cd-info -C $sr: the disc's CD-TEXT title"
assert_match "^	PERFORMER: Oscillator C\$" "$drive_info" "cd-info -C $sr: track 4's CD-TEXT performer"

kmsg "cdrdao"
check_cdrdao "$sg"
# track 2's INDEX 02, 150 sectors after its index 1
assert_match "^ +INDEX +2 .*\( *$((DISC_INDEX2 - DISC_START[2]))\)|^ +INDEX +2 .*\( *$DISC_INDEX2\)" \
	"$(sed -n '/^TRACK  2/,/^TRACK  3/p' <<<"$cdrdao_drive")" "cdrdao read-toc: track 2's INDEX 02"

kmsg "cdparanoia"
check_rips "$sr"
check_discid "$sr"

kmsg "READ CD"
check_read_cd "$sg" 0
check_read_cd "$sg" 16 4					# the volume descriptors
check_read_cd "$sg" $((data - 1))				# the data track's last sector
check_read_cd "$sg" "$data" 2					# track 2's pregap (INDEX 00)
check_read_cd "$sg" "${DISC_START[2]}" 3
check_read_cd "$sg" "${DISC_INDEX0[3]}" 2			# track 3's PREGAP: silence
check_read_cd "$sg" $((DISC_START[3] - 1)) 2		# its last PREGAP sector, its first stored one
check_read_cd "$sg" "${DISC_INDEX0[4]}"
check_read_cd "$sg" $((DISC_LEADOUT[1] - 1))			# the last sector
# shellcheck disable=SC2046 # the CDB bytes are words
run_rc rc sg_raw -r 2352 "$sg" be 00 $(lba_bytes "${DISC_LEADOUT[1]}") 00 00 01 f8 00 00
assert_ne 0 "$rc" "READ CD at the lead-out (LBA ${DISC_LEADOUT[1]}) exit status"

kmsg "the data track"
# O_DIRECT: through the page cache the ISO's odd last sector shares a 4 KiB page with the audio pregap after
# it, and that page cannot be read, as on a physical drive
dd if="$sr" bs=2048 count="$data" iflag=direct status=none | cmp - "$T/mixed/data.iso" ||
	fail "the data track read through $sr differs from the ISO"
mount_ro "$sr" "$T/mnt"
diff -r "$T/mixed/tree" "$T/mnt" || fail "the files on $sr differ from the tree"
umount "$T/mnt"

kmsg "MODE1/2048 in a sheet"
printf 'FILE "data.iso" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n' >"$T/mixed/cooked.cue"
cd_insert --replace "$T/mixed/cooked.cue"
check_raw_synth "$sg" 0 20 <(head -c $((20 * 2048)) "$T/mixed/data.iso")
check_raw_synth "$sg" $((data - 5)) 5 <(tail -c $((5 * 2048)) "$T/mixed/data.iso")
run_rc rc cdinfo -C "$sr"
assert_match "^ +1: 00:02:00 +000000 data " "$out" "cd-info -C $sr with the MODE1/2048 sheet"
assert_match "^170: [0-9:]+ +0*$data leadout" "$out" "cd-info -C $sr: lead-out of the MODE1/2048 sheet"

kmsg "a plain ISO"
cd_insert --replace "$T/mixed/data.iso"
check_raw_synth "$sg" 16 8 <(tail -c +$((16 * 2048 + 1)) "$T/mixed/data.iso" | head -c $((8 * 2048)))
vcdromctl eject 0 || fail "vcdromctl eject 0"
