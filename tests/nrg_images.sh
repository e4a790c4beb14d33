#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nero images from libcdio's test suite (the shared corpora, when present beside the checkout or at
# /work/shared/corpora; skipped otherwise), inserted as they are, and what cd-info says about the drive
# compared with what it says about the image itself (cd-info --nrg-file) and with libcdio's .right file:
# - p1.nrg (NER5, disc-at-once, 2 audio tracks, track 1's pregap stored from LBA -150, CD-TEXT): track and
#   lead-out LSNs, track types and copy flags, MCN and CD-TEXT as --nrg-file; cdparanoia rips both tracks
#   bit for bit as the image stores them (little-endian audio; LBA 0 is 150 sectors into the file);
# - videocd.nrg (NERO, track-at-once, 5 MODE2 tracks of 2336-byte sectors, 150 unstored sectors before each
#   after the first): the same against --nrg-file and videocd.right; READ CD of sectors of every track
#   returns the image's 2336 bytes after the 16 of sync and header; the gaps read;
# - a copy of p1.nrg whose first chunk's size runs past the footer: refused naming the file; the drive
#   stays empty.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

corpora=$(corpora_dir)
if [ -z "$corpora" ] || [ ! -f "$corpora/libcdio/data/p1.nrg" ] || [ ! -f "$corpora/libcdio/data/videocd.nrg" ]; then
	skip "no shared corpora with libcdio's NRG images (../shared/corpora, /work/shared/corpora)"
fi
lib=$corpora/libcdio
need_root
need_vcdromctl
need_cmd jq sg_raw sg_turs cd-info cdparanoia

# right_core TEXT: a cd-info report without what depends on the device: the track list, MCN and CD-TEXT.
right_core() {
	grep -E '^CD-ROM Track List|^ +#: |^ *[0-9]{1,3}: [0-9:]{8} |^Media Catalog Number' <<<"$1" |
		sed -E 's/^( *[0-9]{1,3}: [0-9:]{8} +[0-9]{6} +[A-Za-z]+ +)(true|false) */\1- /' || true
	cdinfo_cdtext "$1"
}

# type_copy OUTPUT: "N TYPE COPY" per track; XA is "data" (Linux's CDROMREADTOCENTRY has no XA flag). The
# channels column is left out: libcdio's NRG reader says 0 for every audio track.
type_copy() {
	cdinfo_tracks "$1" | sed 's/ XA / data /' | awk '{ print $1, $2, ($1 == "leadout" ? "" : $4) }'
}

# check_nrg_vs_drive NRG SR: cd-info on the image and on the drive agree on the LSNs, types, copy flags, MCN
# and CD-TEXT.
check_nrg_vs_drive() {
	local nrg_info drive_info
	nrg_info=$(cdinfo --nrg-file "$1") || fail "cd-info --nrg-file $1: $nrg_info"
	run_rc rc cdinfo -C "$2"
	drive_info=$out
	echo "$drive_info" | sed -n '/^Disc mode/,/^audio status/p'
	assert_eq 0 "$rc" "cd-info -C $2 exit status"
	assert_eq "$(cdinfo_lsns "$nrg_info")" "$(cdinfo_lsns "$drive_info")" \
		"cd-info: track and lead-out LSNs of $(basename "$1") against $2"
	assert_eq "$(type_copy "$nrg_info")" "$(type_copy "$drive_info")" \
		"cd-info: track types and copy flags of $(basename "$1") against $2"
	assert_eq "$(grep '^Media Catalog' <<<"$nrg_info")" "$(grep '^Media Catalog' <<<"$drive_info")" \
		"cd-info: MCN of $(basename "$1") against $2"
	assert_eq "$(cdinfo_cdtext "$nrg_info")" "$(cdinfo_cdtext "$drive_info")" \
		"cd-info: CD-TEXT of $(basename "$1") against $2"
	drive_cdinfo=$drive_info
}

# check_mode2 SG LBA COUNT NRG OFFSET: READ CD of COUNT sectors from LBA: after each one's 16 bytes of sync
# and header come the 2336 bytes stored in NRG from OFFSET on.
check_mode2() {
	local i
	read_cd "$1" "$2" "$3" "$T/m2.raw"
	: >"$T/m2.got"
	for ((i = 0; i < $3; i++)); do
		dd if="$T/m2.raw" bs=1 skip=$((i * 2352 + 16)) count=2336 status=none >>"$T/m2.got"
	done
	dd if="$4" iflag=skip_bytes,count_bytes skip="$5" count=$(($3 * 2336)) status=none >"$T/m2.want"
	cmp "$T/m2.want" "$T/m2.got" || fail "READ CD of $3 sector(s) at LBA $2: not the image's 2336-byte sectors"
	log "LBA $2-$(($2 + $3 - 1)): READ CD gives the image's mode 2 sectors"
}

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

kmsg "p1.nrg"
cd_insert "$lib/data/p1.nrg"
check_nrg_vs_drive "$lib/data/p1.nrg" "$sr"
assert_eq "Nero image" "$(drive_json 0 .format)" "vcdromctl status 0 holding p1.nrg: format"
assert_eq "$(vcdromctl --json toc "$lib/data/p1.nrg" 2>/dev/null)" "$(vcdromctl --json status --toc 0 2>&1)" \
	"vcdromctl --json status --toc 0 holding p1.nrg against vcdromctl --json toc p1.nrg"
assert_eq "$(printf '%s\n' '1 150' '2 300' '170 302')" "$(cdinfo_lsns "$drive_cdinfo")" \
	"cd-info -C $sr holding p1.nrg: LSNs"
disc_reset
disc_track 1 AUDIO 1 0 150
disc_track 2 AUDIO 1 225 300
DISC_LEADOUT[1]=302
# the image stores 300 sectors of track 1's pregap from LBA -150: LBA 0 is 150 sectors in
disc_extent 0 302 "$lib/data/p1.nrg" $((150 * 2352))
check_rips "$sr"
check_read_cd "$sg" 0 3
check_read_cd "$sg" 299 3
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "videocd.nrg"
cd_insert "$lib/data/videocd.nrg"
check_nrg_vs_drive "$lib/data/videocd.nrg" "$sr"
# through Linux's CDROMREADTOCENTRY a mode 2 track is "data", not "XA"; column widths follow the type's
assert_eq "$(right_core "$(cat "$lib/videocd.right")" | sed -E 's/ +/ /g; s/ XA / data /')" \
	"$(right_core "$drive_cdinfo" | sed -E 's/ +/ /g; s/ XA / data /')" \
	"cd-info -C $sr holding videocd.nrg against videocd.right"
nrg=$lib/data/videocd.nrg
check_mode2 "$sg" 0 20 "$nrg" 0
check_mode2 "$sg" 656 20 "$nrg" $((656 * 2336))
# track-at-once: the 150 sectors before tracks 2-5 are not stored, but read
read_cd "$sg" 676 10 "$T/gap.raw"
read_cd "$sg" 816 10 "$T/gap.raw"
off=$((676 * 2336))
for start in 826 1051 1276; do
	check_mode2 "$sg" "$start" 20 "$nrg" "$off"
	check_mode2 "$sg" $((start + 55)) 20 "$nrg" $((off + 55 * 2336))
	off=$((off + 75 * 2336))
done
check_mode2 "$sg" 1501 20 "$nrg" "$off"
check_mode2 "$sg" 1706 20 "$nrg" $((off + 205 * 2336))
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "a bad chain"
cp "$lib/data/p1.nrg" "$T/bad.nrg"
# CUEX, the first chunk (at 1063104), says it is 4096 bytes long: past the footer
printf '\000\000\020\000' | dd of="$T/bad.nrg" bs=1 seek=$((1063104 + 4)) conv=notrunc status=none
before=$(vcdromctl --json list)
run_split rc vcdromctl insert "$T/bad.nrg"
echo "bad.nrg: exit $rc: $out_stderr"
assert_ne 0 "$rc" "exit status of vcdromctl insert bad.nrg"
assert_eq "" "$out_stdout" "stdout of vcdromctl insert bad.nrg"
assert_match "bad\.nrg: chunk CUEX at 1063104: size 4096 runs past the footer" "$out_stderr" \
	"vcdromctl insert bad.nrg: the file, the chunk and the reason"
assert_eq "$before" "$(vcdromctl --json list)" "drives after refusing bad.nrg"
