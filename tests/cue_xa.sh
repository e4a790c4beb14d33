#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A CD-ROM XA disc from a cue sheet (lib_cd.sh make_xa_disc), like a Video CD: MODE2/2352 track 1 holding an
# ISO in XA form 1 sectors, MODE2/2352 track 2 of form 2 sectors (submode 62h) after a 150-sector INDEX 00
# pregap, all sectors made by cdsector. On the drive:
# - cd-info -C: two data tracks at the layout's LSNs; the same as cd-info on the sheet;
# - cdrdao read-toc agrees with cdrdao show-toc of the sheet (TOC type CD_ROM_XA);
# - READ CD of form 1 and form 2 sectors, the pregap, the last sector: exactly the BIN's bytes, and cdsector
#   verifies them;
# - READ(10) of track 1 gives the ISO's bytes (form 1 user data), which mounts with the tree's files;
# - cd-discid gives the layout's id.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sg_raw sg_turs cd-info cdrdao cd-discid
test_bin cdsector >/dev/null

make_xa_disc "$T/xa"
data=$(sectors_of "$T/xa/data.iso")

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
cd_insert "$DISC_CUE"
assert_eq "loaded CD-ROM" "$(drive_json 0 '"\(.state) \(.profile)"')" "state and profile after inserting the sheet"

kmsg "cd-info"
check_cdinfo_drive "$sr"
check_cdinfo_cue_vs_drive
# through Linux's CDROMREADTOCENTRY libcdio sees data tracks, not XA (cdrdao's TOC type checks XA below)
assert_eq "1 data - no
2 data - no
170 leadout" "$(cdinfo_tracks "$drive_info")" "cd-info -C $sr: track types"

kmsg "cdrdao"
check_cdrdao "$sg" starts
assert_match '^TOC TYPE: CD_ROM_XA' "$cdrdao_drive" "cdrdao read-toc: TOC type"
check_discid "$sr"

kmsg "READ CD"
for lba in 0 16 $((data - 1)) "$data" $((data + 149)) $((data + 150)) $((data + 151)) $((DISC_LEADOUT[1] - 1)); do
	check_read_cd "$sg" "$lba"
	run_rc rc cdsector verify --lba "$lba" "$T/readcd.bin"
	assert_eq 0 "$rc" "cdsector verify of READ CD at LBA $lba: $out"
done
check_read_cd "$sg" 10 20
read_cd "$sg" "${DISC_START[2]}" 1 "$T/f2.bin"
assert_eq "62 62" "$(od -An -tx1 -j18 -N1 "$T/f2.bin" | tr -d ' ') $(od -An -tx1 -j22 -N1 "$T/f2.bin" | tr -d ' ')" \
	"submode of a track 2 sector"

kmsg "track 1 through READ(10)"
# O_DIRECT: the ISO's odd last sector shares a 4 KiB page with track 2's pregap, as on a physical drive
dd if="$sr" bs=2048 count="$data" iflag=direct status=none | cmp - "$T/xa/data.iso" ||
	fail "track 1 read through $sr differs from the ISO"
mount_ro "$sr" "$T/mnt"
diff -r "$T/xa/tree" "$T/mnt" || fail "the files on $sr differ from the tree"
umount "$T/mnt"
vcdromctl eject 0 || fail "vcdromctl eject 0"
