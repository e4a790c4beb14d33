#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Third-party cue sheets and BINs from libcdio's test suite (the shared corpora, when present beside the
# checkout or at /work/shared/corpora; skipped otherwise), inserted as they are, and what cd-info and cd-read
# say about the drive compared with libcdio's own expected output (.right files; the lines about the device,
# "Last CD Session LSN" and "audio status" are the drive's own and left out):
# - cdda.cue (its FILE says CDDA.BIN, the file is cdda.bin: found case-insensitively): track list, MCN and
#   CD-TEXT as cdda.right; cd-read of sector 0 (audio) as cdda-read.right; cdparanoia rips the BIN;
# - cdda_4_5.cue: tracks numbered 4 and 5, as cdda_4_5.right;
# - isofs-m1.cue (ISOFS-M1.BIN, MODE1/2352): track list and MCN as isofs-m1.right; sectors 26-27
#   read through the drive as isofs-m1-read.right; READ CD of every sector is the BIN's;
# - p1.cue (pregaps in INDEX 00, CD-TEXT, CATALOG; its FILE names BOING.BIN: given a copy naming p1.bin):
#   cd-info on the drive against cd-info on the sheet; cdparanoia rips both tracks;
# - bad-cat1/2/3, bad-mode1, bad-msf-1/2/3: refused naming the sheet and the bad line; the drive stays empty.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

corpora=$(corpora_dir)
if [ -z "$corpora" ] || [ ! -d "$corpora/libcdio/data" ]; then
	skip "no shared corpora (../shared/corpora, /work/shared/corpora)"
fi
lib=$corpora/libcdio
need_root
need_vcdromctl
need_cmd jq sg_raw sg_turs cd-info cd-read cdparanoia

# right_core TEXT: a cd-info report without what depends on the device: the track list, MCN and CD-TEXT.
right_core() {
	grep -E '^CD-ROM Track List|^ +#: |^ *[0-9]{1,3}: [0-9:]{8} |^Media Catalog Number' <<<"$1" |
		sed -E 's/^( *[0-9]{1,3}: [0-9:]{8} +[0-9]{6} +[A-Za-z]+ +)(true|false) */\1- /' || true
	cdinfo_cdtext "$1"
}

# check_right SHEET RIGHT: cd-info -C on the drive holding SHEET agrees with libcdio's RIGHT file.
check_right() {
	cd_insert "$1"
	run_rc rc cdinfo -C "$sr"
	echo "$out" | sed -n '/^CD-ROM Track List/,/^audio status/p'
	assert_eq 0 "$rc" "cd-info -C $sr holding $(basename "$1")"
	assert_eq "$(right_core "$(cat "$2")")" "$(right_core "$out")" \
		"cd-info -C $sr holding $(basename "$1") against $(basename "$2")"
}

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

kmsg "cdda.cue"
check_right "$lib/data/cdda.cue" "$lib/cdda.right"
assert_eq "[\"$lib/data/cdda.bin\"]" "$(drive_json 0 .images)" "the file cdda.cue's CDDA.BIN is"
run_rc rc cd-read --no-header -C "$sr" --mode=red --just-hex --start=0
assert_eq 0 "$rc" "cd-read --mode=red of sector 0"
assert_eq "$(cat "$lib/cdda-read.right")" "$out" "cd-read --mode=red --just-hex --start=0 against cdda-read.right"
disc_reset
disc_track 1 AUDIO 1 0 0
DISC_LEADOUT[1]=302
disc_extent 0 302 "$lib/data/cdda.bin" 0
check_rips "$sr"
check_read_cd "$sg" 100 3
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "cdda_4_5.cue"
check_right "$lib/data/cdda_4_5.cue" "$lib/cdda_4_5.right"
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "isofs-m1.cue"
check_right "$lib/data/isofs-m1.cue" "$lib/isofs-m1.right"
# Not cd-read -C itself: on any Linux drive its m1f1 read takes read(2)'s byte count for an error code.
right_hex=$(sed -n 's/^0x[0-9a-f]*: \(\([0-9a-f]\{4\} \)\{8\}\).*/\1/p' "$lib/isofs-m1-read.right" | tr -d ' \n')
drive_hex=$(dd if="$sr" bs=2048 skip=26 count=2 iflag=direct status=none | od -An -v -tx1 | tr -d ' \n')
assert_eq 8192 "${#right_hex}" "hex digits of two sectors in isofs-m1-read.right"
assert_eq "$right_hex" "$drive_hex" "sectors 26-27 read through $sr against isofs-m1-read.right"
disc_reset
disc_track 1 MODE1/2352 1 0 0
DISC_LEADOUT[1]=302
disc_extent 0 302 "$lib/data/isofs-m1.bin" 0
for lba in 0 100 200; do
	check_read_cd "$sg" "$lba" 100
done
check_read_cd "$sg" 300 2
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "p1.cue"
sed 's/^FILE "BOING.BIN"/FILE "p1.bin"/' "$lib/data/p1.cue" >"$T/p1.cue"
ln -s "$lib/data/p1.bin" "$T/p1.bin"
cd_insert "$T/p1.cue"
disc_reset
DISC_MCN=0000010271955
disc_track 1 AUDIO 1 0 75
disc_track 2 AUDIO 1 150 225
DISC_LEADOUT[1]=302
disc_extent 0 302 "$T/p1.bin" 0
DISC_CUE=$T/p1.cue
check_cdinfo_drive "$sr"
check_cdinfo_cue_vs_drive
check_rips "$sr"
vcdromctl eject 0 || fail "vcdromctl eject 0"

kmsg "bad sheets"
for bad in bad-cat1.cue:4 bad-cat2.cue:4 bad-cat3.cue:4 bad-mode1.cue:6 bad-msf-1.cue:7 bad-msf-2.cue:7 bad-msf-3.cue:7; do
	before=$(vcdromctl --json list)
	run_split rc vcdromctl insert "$lib/data/${bad%%:*}"
	echo "${bad%%:*}: exit $rc: $out_stderr"
	assert_ne 0 "$rc" "exit status of vcdromctl insert ${bad%%:*}"
	assert_eq "" "$out_stdout" "stdout of vcdromctl insert ${bad%%:*}"
	assert_match "(^|[ /])${bad%%:*}:${bad##*:}: " "$out_stderr" "vcdromctl insert ${bad%%:*}: sheet and line"
	assert_eq "$before" "$(vcdromctl --json list)" "drives after refusing ${bad%%:*}"
done
