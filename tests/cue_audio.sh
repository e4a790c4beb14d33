#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An audio CD from a cue sheet with one BIN per track (lib_cd.sh make_audio_disc): a pregap stored at the
# start of its track's own file, a PREGAP (not stored), FLAGS DCP and 4CH, a track that is not a whole number
# of seconds, no CATALOG. On the drive:
# - cd-info -C: "CD-DA", the track list at the layout's LSNs, copy and channel flags, no MCN, no ISRC;
#   (libcdio cannot read a sheet of several files: the layout is the oracle there);
# - cdrdao read-toc agrees with cdrdao show-toc of the sheet (cdrdao reads multi-file sheets);
# - cdparanoia rips all four tracks bit for bit; cd-discid gives the layout's id;
# - READ CD of sectors at each file boundary and in the PREGAP (silence);
# - a second sheet with a MOTOROLA (big-endian) file: the drive plays it little-endian, as cdparanoia and
#   READ CD show;
# - a sheet of 99 files with long names: insert, status and list work (more than a page of paths).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq sox sg_raw sg_turs cd-info cdparanoia cdrdao cd-discid

make_audio_disc "$T/audio"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
cd_insert "$DISC_CUE"
assert_eq "loaded CD-ROM" "$(drive_json 0 '"\(.state) \(.profile)"')" "state and profile after inserting the sheet"
assert_eq "$(printf '"%s",' "$T"/audio/t{1,2,3,4}.bin | sed 's/^/[/; s/,$/]/')" "$(drive_json 0 .images)" \
	"images of the drive: the four BINs"

kmsg "cd-info"
check_cdinfo_drive "$sr"
assert_match '^Disc mode is listed as: CD-DA' "$drive_info" "cd-info -C $sr: disc mode"
assert_eq "1 audio - no 2 no
2 audio - yes 2 no
3 audio - no 2 no
4 audio - no 4 no
170 leadout" "$(cdinfo_tracks "$drive_info")" "cd-info -C $sr: types, copy, channels, pre-emphasis"
# CD-TEXT from the sheet's disc TITLE and PERFORMER only
assert_eq "CD-TEXT for Disc:
	TITLE: vcdrom audio disc
	PERFORMER: vcdrom tests" "$(cdinfo_cdtext "$drive_info" | grep -v '^CD-TEXT for Track')" "cd-info -C $sr: CD-TEXT"

kmsg "cdrdao"
check_cdrdao "$sg"
kmsg "cdparanoia"
check_rips "$sr"
check_discid "$sr"

kmsg "READ CD"
check_read_cd "$sg" 0
check_read_cd "$sg" 298 4			# t1.bin's end, t2.bin's pregap
check_read_cd "$sg" 373 4			# track 2's index 0 to index 1
check_read_cd "$sg" 673 4			# t2.bin's end, track 3's PREGAP (silence)
check_read_cd "$sg" 748 4			# the PREGAP's end, t3.bin's start
check_read_cd "$sg" 1123 4			# t3.bin to t4.bin
check_read_cd "$sg" 1440 3			# the last sectors
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "MOTOROLA"
make_tone "$T/audio/be.bin" 300 --be sine 600 sine 750
dd if="$T/audio/be.bin" conv=swab status=none of="$T/audio/le.bin"
printf 'FILE "be.bin" MOTOROLA\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$T/audio/be.cue"
cd_insert "$T/audio/be.cue"
disc_reset
disc_track 1 AUDIO 1 0 0
DISC_LEADOUT[1]=300
disc_extent 0 300 "$T/audio/le.bin" 0
check_rips "$sr"
check_read_cd "$sg" 0 3
check_read_cd "$sg" 299

# 99 files with long names: the insert's reply and the drive's status carry every path (more than fits in a
# page-sized netlink message)
kmsg "99 files"
vcdromctl eject 0 || fail "vcdromctl eject 0"
many=$T/audio/a-folder-with-a-rather-long-name-so-that-ninety-nine-paths-are-larger-than-one-netlink-page
mkdir -p "$many"
: >"$many/many.cue"
for n in $(seq 1 99); do
	f=$(printf 'track-%02d-of-ninety-nine-with-a-long-file-name.bin' "$n")
	head -c $((4 * 2352)) /dev/zero >"$many/$f"
	printf 'FILE "%s" BINARY\n  TRACK %02d AUDIO\n    INDEX 01 00:00:00\n' "$f" "$n" >>"$many/many.cue"
done
run_rc rc "$VCDROMCTL" insert "$many/many.cue"
assert_eq 0 "$rc" "insert of a sheet of 99 files: $out"
assert_eq 99 "$(drive_json 0 '.images | length')" "paths in the drive's status"
run_rc rc "$VCDROMCTL" --json list
assert_eq 0 "$rc" "vcdromctl --json list with 99 paths: $out"
assert_eq loaded "$(jq -r '.drives[0].state' <<<"$out")" "drive 0 in the list"
assert_eq "$many/$(printf 'track-99-of-ninety-nine-with-a-long-file-name.bin')" "$(drive_json 0 '.images[98]')" \
	"the last path in the drive's status"
vcdromctl eject 0 || fail "vcdromctl eject 0"
