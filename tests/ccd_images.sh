#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CloneCD images as CloneCD makes them: a disc in the drive dumped by ccd_dump.py (the full TOC as the
# [Entry] lines, every sector whole in the .img with no gap between sessions, the raw P-W channel after
# channel in the .sub, CATALOG, ISRC and CD-TEXT), then inserted again:
# - same_disc.py's discs "one" (data, audio, stored and unstored pregaps, indexes, ISRC, MCN, CD-TEXT) and
#   "two" (two sessions), inserted as cue sheets and dumped with the Q of 10 sectors damaged: with the CCD
#   in, the drive answers READ TOC's full TOC with the [Entry] lines byte for byte, READ CD with the .img's
#   sectors and the .sub's raw P-W (the damaged Q too: stored, not made up), formatted Q with the stored Q;
#   `vcdromctl toc` of the CCD says what it says of the cue sheet, but for the format;
# - disc "two" dumped with its data sectors scrambled (DataTracksScrambled=1): read back unscrambled;
# - the CCD without its .sub: it loads, with a note, and the drive makes up Q as for the cue sheet;
# - an ISO 9660 image inserted and dumped: ccd2iso (a converter we did not write) turns the .img back into
#   that ISO, and the drive holding the CCD reads the ISO's bytes and mounts it;
# - a CCD whose .img is gone, or whose entries contradict each other: refused naming the file, the drive
#   stays empty.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq python3 sg_raw sg_turs ccd2iso
test_bin cdsector >/dev/null

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
dump_py=$(dirname "$0")/ccd_dump.py

# dump DIR NAME [OPTION...]: the disc in the drive as DIR/NAME.ccd, .img, .sub.
dump() {
	python3 "$dump_py" dump "$sg" "$@" || fail "ccd_dump.py dump $*"
}

# toc_json IMAGE: vcdromctl --json toc IMAGE without the format.
toc_json() {
	run_rc rc vcdromctl --json toc "$1"
	assert_eq 0 "$rc" "vcdromctl --json toc $1: $out"
	jq -S 'del(.format)' <<<"$out"
}

# formatted_q LBA: READ CD's formatted Q of the sector at LBA, in hex.
formatted_q() {
	# shellcheck disable=SC2046 # the CDB bytes are words
	sg_raw -r 16 -o "$T/q" "$sg" be 00 $(lba_bytes "$1") 00 00 01 00 02 00 >/dev/null 2>&1 ||
		fail "READ CD formatted Q at $1"
	od -An -tx1 "$T/q" | tr -d ' \n'
}

for variant in one two; do
	d=$T/$variant
	kmsg "disc $variant"
	python3 "$(dirname "$0")/same_disc.py" write "$(test_bin cdsector)" "$d" "$variant" ||
		fail "same_disc.py write $variant"
	cd_insert "$d/disc.cue"
	sg_ready "$sg"
	qs=""
	for lba in 5 33 60 120; do qs+="$(formatted_q "$lba") "; done
	dump "$d" dump --damage-q 30 10
	toc_json "$d/disc.cue" >"$d/cue.json"
	vcdromctl eject 0 || fail "vcdromctl eject 0"

	toc_json "$d/dump.ccd" >"$d/ccd.json"
	cmp "$d/cue.json" "$d/ccd.json" ||
		fail "disc $variant: vcdromctl toc of the CCD is not the cue sheet's: $(diff "$d/cue.json" "$d/ccd.json")"
	run_rc rc vcdromctl toc "$d/dump.ccd"
	assert_match "^format: CloneCD image\$" "$out" "vcdromctl toc names the CCD's format"
	cd_insert "$d/dump.ccd"
	sg_ready "$sg"
	python3 "$dump_py" check "$sg" "$d" dump || fail "disc $variant: the drive holding dump.ccd"
	# the damaged Q is the stored one, not the one the drive would make up
	assert_ne "$(cut -d' ' -f2 <<<"$qs")" "$(formatted_q 33)" "disc $variant: the damaged Q at LBA 33"
	assert_eq "$(cut -d' ' -f1 <<<"$qs")" "$(formatted_q 5)" "disc $variant: the stored Q at LBA 5"

	# without the .sub: loads, says so, and Q is made up as it is for the cue sheet
	mkdir -p "$d/nosub"
	cp "$d/dump.ccd" "$d/nosub/nosub.ccd"
	ln -s "$d/dump.img" "$d/nosub/nosub.img"
	run_split rc vcdromctl insert --drive 0 --replace "$d/nosub/nosub.ccd"
	assert_eq 0 "$rc" "insert of a CCD without a .sub: $out_stderr"
	assert_match "sub" "$out_stderr" "insert of a CCD without a .sub says so"
	sg_ready "$sg"
	got=""
	for lba in 5 33 60 120; do got+="$(formatted_q "$lba") "; done
	assert_eq "$qs" "$got" "disc $variant without its .sub: the Q the drive makes up, as for the cue sheet"
	vcdromctl eject 0 || fail "vcdromctl eject 0"
done

# ---- scrambled data sectors: disc two, session 2's data track, dumped as the drive reads it ----
kmsg "scrambled"
d=$T/two
cd_insert "$d/disc.cue"
sg_ready "$sg"
dump "$d" scr --scramble
vcdromctl eject 0 || fail "vcdromctl eject 0"
grep -q '^DataTracksScrambled=1' "$d/scr.ccd" || fail "the scrambled dump says DataTracksScrambled=1"
cmp -s "$d/dump.img" "$d/scr.img" && fail "the scrambled dump's .img is not scrambled"
cd_insert "$d/scr.ccd"
sg_ready "$sg"
python3 "$dump_py" check "$sg" "$d" scr || fail "the drive holding a scrambled CCD"
vcdromctl eject 0 || fail "vcdromctl eject 0"

# ---- an ISO, dumped; ccd2iso is the oracle for the data ----
kmsg "ISO dumped"
mkdir -p "$T/tree/dir"
head -c 300000 /dev/urandom >"$T/tree/dir/random.bin"
echo "vcdrom ccd" >"$T/tree/readme.txt"
make_iso "$T/tree" "$T/data.iso" VCDROM_CCD
cd_insert "$T/data.iso"
sg_ready "$sg"
dump "$T" data
vcdromctl eject 0 || fail "vcdromctl eject 0"
ccd2iso "$T/data.img" "$T/back.iso" >/dev/null || fail "ccd2iso data.img"
cmp "$T/data.iso" "$T/back.iso" || fail "ccd2iso of the dumped .img is not the ISO"
check_iso_image "$T/data.ccd" "$T/data.iso" "$T/tree"

# ---- refused: nothing inserted ----
kmsg "refusals"
mkdir -p "$T/bad"
cp "$T/data.ccd" "$T/bad/noimg.ccd"
insert_refused "$T/bad/noimg.ccd" noimg "a CCD without its .img"
ln -s "$T/data.img" "$T/bad/twice.img"
sed -E 's/^Point=0x01(\r?)$/Point=0xa2\1/' "$T/data.ccd" >"$T/bad/twice.ccd"
cmp -s "$T/data.ccd" "$T/bad/twice.ccd" && fail "no Point=0x01 line to change in data.ccd"
insert_refused "$T/bad/twice.ccd" "twice\.ccd" "a CCD with two A2 entries in one session"
