#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One disc, every format: same_disc.py writes one description as a cue sheet (+ BINs), a cdrdao TOC
# (+ files: raw big-endian audio, a WAVE, a MODE1_RAW data file), a Nero v2 image, a CloneCD image
# whose .sub stores the sub-channel the drive would make up (so it must answer alike), and an Alcohol MDS
# whose audio stores it too (its MCN and ISRCs are only there), and a MAME CHD made of the cue sheet by
# `chdman createcd` (Debian's mame-tools). Three discs:
# - "one": a session of a MODE1 data track and three audio tracks with a stored pregap, an unstored one,
#   indexes 2 and 3, ISRC, DCP/PRE/4CH, an MCN and CD-TEXT; as CUE, TOC, NRG, CCD and MDS;
# - "two": session 1 audio, session 2 a MODE1 data track; as CUE, NRG, CCD and MDS (a TOC file holds one
#   session);
# - "chd": what a CHD can store: a session of a MODE1 data track, audio tracks with a stored pregap (INDEX
#   00) and an unstored one (PREGAP), a MODE2/2352 track (XA form 1) with a stored pregap, no MCN, ISRC,
#   CD-TEXT, flags or indexes past 1; as CUE and CHD (extracted into a cache, then inserted).
# Each image is inserted in turn, and the drive must answer byte for byte the same for each:
# - READ TOC formats 0 (LBA and MSF), 1, 2 (every session), 3 (PMA: refused alike), 4 (ATIP), 5 (CD-TEXT);
# - READ DISC INFORMATION; READ TRACK INFORMATION of every track;
# - READ SUB-CHANNEL formats 2 (MCN) and 3 (ISRC of every track); not format 1, the current position, which
#   depends on what read the disc before (sr, udev), not on its format: READ CD's formatted Q covers it;
# - READ CD of every sector of every track (pregaps included) with raw P-W, and with formatted Q;
#   its main channel is also the bytes the cue sheet's BINs store (zeros in an unstored pregap);
# - `vcdromctl status --toc --json`: the format inserted, and otherwise what `vcdromctl toc` of the image said.
# `vcdromctl toc` names each image's format (plain and --json), and agrees on the rest with the others',
# but that of a CHD adds a note of what a CHD cannot store (its last line; "note" in --json, null for the
# others).
# The MDS has no CD-TEXT (READ TOC format 5 is not compared) and stores no pregap: its main channel reads
# zeros in an audio track's pregap.
# No kernel version changes what it compares (the loaders' discs, the module's answers through sg): in
# `make check`, only the newest kernel runs it (lib.sh's once_per_run).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq python3 sg_turs chdman timeout
once_per_run same_disc.sh || skip "what it compares is the tool's loaders and the module's answers through sg"
test_bin cdsector >/dev/null

declare -A format_name=([cue]="CUE sheet" [toc]="cdrdao TOC" [nrg]="Nero image" [ccd]="CloneCD image"
	[mds]="Media Descriptor image" [chd]="CHD image")
chd_note="a CHD stores no MCN, ISRCs, CD-TEXT, track flags, indexes past 1 or sessions"
declare -A want_formats=([one]="cue toc nrg ccd mds" [two]="cue nrg ccd mds" [chd]="cue chd")

# collect DIR: the drive's answers, one file each, in DIR (sg_answers.py: one python3 for all the commands,
# as a process per command costs seconds in a TCG guest; a failed one's file holds its sense).
collect() {
	local dir=$1 list=$1.list t s
	mkdir -p "$dir"
	{
		echo toc0.lba 8190 43 00 00 00 00 00 00 1f fe 00
		echo toc0.msf 8190 43 02 00 00 00 00 00 1f fe 00
		echo toc0.track2 8190 43 00 00 00 00 00 02 1f fe 00
		echo toc0.leadout 8190 43 02 00 00 00 00 aa 1f fe 00
		echo toc1 8190 43 00 01 00 00 00 00 1f fe 00
		for ((s = 1; s <= sessions; s++)); do
			echo "toc2.s$s 8190 43 02 02 00 00 00 $(printf %02x "$s") 1f fe 00"
		done
		echo toc3 8190 43 02 03 00 00 00 00 1f fe 00
		echo toc4 8190 43 02 04 00 00 00 00 1f fe 00
		echo toc5 8190 43 00 05 00 00 00 00 1f fe 00
		echo discinfo 2048 51 00 00 00 00 00 00 08 00 00
		for t in $(jq -r '.tracks[].number' "$layout"); do
			echo "trackinfo.$t 2048 52 01 00 00 00 $(printf %02x "$t") 00 08 00 00"
			echo "subq3.$t 48 42 00 40 03 00 00 $(printf %02x "$t") 00 30 00"
		done
		echo subq2 48 42 00 40 02 00 00 00 00 30 00
		echo readcd readcd.pw 01
		echo readcd readcd.q 02
	} >"$list"
	python3 "$TESTS_DIR/sg_answers.py" "$sg" "$dir" "$list" "$layout" || fail "the drive's answers ($fmt)"
	# the format is the one thing that differs: status --toc names the one the disc was inserted as
	vcdromctl --json status --toc 0 >"$T/status-toc.json" || fail "vcdromctl --json status --toc 0"
	assert_eq "${format_name[$fmt]}" "$(jq -r .format "$T/status-toc.json")" \
		"disc $variant as $fmt: vcdromctl status --toc names the format"
	jq -S 'del(.format)' "$T/status-toc.json" >"$dir/status-toc.json"
}

# main_channel FILE SIZE: the first 2352 bytes of each SIZE-byte sector of FILE.
main_channel() {
	python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
n = int(sys.argv[2])
sys.stdout.buffer.write(b"".join(d[i:i + 2352] for i in range(0, len(d), n)))' "$1" "$2"
}

vcdrom_load
sg=$(vcdrom_sgdevs)

for variant in one two chd; do
	d=$T/$variant
	python3 "$(dirname "$0")/same_disc.py" write "$(test_bin cdsector)" "$d" "$variant" ||
		fail "same_disc.py write $variant"
	layout=$d/layout.json
	sessions=$(jq '.leadouts | length' "$layout")
	mapfile -t formats < <(jq -r '.formats[]' "$layout")
	assert_eq "${want_formats[$variant]}" "${formats[*]}" "disc $variant: its formats"
	if [ "$variant" = chd ]; then
		# chdman 0.251 may spin for ever on input it does not like: bounded
		timeout 200 chdman createcd -i "$d/disc.cue" -o "$d/disc.chd" >"$T/chdman.log" 2>&1 ||
			fail "chdman createcd of disc chd: $(tail -n 3 "$T/chdman.log")"
	fi

	# what the cue sheet's BINs store, track by track, for READ CD's main channel
	disc_reset
	while read -r lba count file off; do
		disc_extent "$lba" "$count" "$d/$file" "$off"
	done < <(jq -r '.tracks[] | .stored | "\(.[0]) \(.[1]) \(.[2]) \(.[3])"' "$layout")
	: >"$T/want.main"
	while read -r i0 end; do
		disc_bytes "$i0" $((end - i0)) "$T/want.part"
		cat "$T/want.part" >>"$T/want.main"
	done < <(jq -r '.tracks[] | "\(.i0) \(.end)"' "$layout")

	for fmt in "${formats[@]}"; do
		img=$d/disc.$fmt
		cache=()
		[ "$fmt" = chd ] && cache=(--cache-dir "$T/cache")	# where the CHD is extracted
		kmsg "disc $variant as $fmt"
		run_rc rc vcdromctl --json toc "${cache[@]}" "$img"
		assert_eq 0 "$rc" "vcdromctl --json toc disc.$fmt ($variant): $out"
		assert_eq "${format_name[$fmt]}" "$(jq -r .format <<<"$out")" "vcdromctl --json toc: format of disc.$fmt"
		# a CHD's note of what it cannot store; none from the others (status --toc has none either)
		assert_eq "$([ "$fmt" = chd ] && echo "$chd_note" || echo null)" "$(jq -r .note <<<"$out")" \
			"vcdromctl --json toc disc.$fmt ($variant): the note"
		jq -S 'del(.format) | .note = null' <<<"$out" >"$d/$fmt.toc.json"
		run_rc rc vcdromctl toc "${cache[@]}" "$img"
		assert_eq 0 "$rc" "vcdromctl toc disc.$fmt ($variant): $out"
		assert_match "^format: ${format_name[$fmt]}\$" "$out" "vcdromctl toc disc.$fmt ($variant) names the format"
		# the rest as disc.cue's, but for the CHD's note, its last line
		if [ "$fmt" = chd ]; then
			assert_eq "note: $chd_note" "$(tail -n 1 <<<"$out")" "vcdromctl toc disc.chd: its last line"
			out=$(head -n -1 <<<"$out")
		fi
		grep -v '^format: ' <<<"$out" >"$d/$fmt.toc.txt"

		cd_insert "${cache[@]}" "$img"
		sg_ready "$sg"	# after an eject, the drive holds a second unit attention
		collect "$d/$fmt.answers"
		vcdromctl eject 0 || fail "vcdromctl eject 0"
		cmp "$d/$fmt.toc.json" "$d/$fmt.answers/status-toc.json" ||
			fail "disc $variant as $fmt: status --toc of the drive is not what vcdromctl toc said:
$(diff "$d/$fmt.toc.json" "$d/$fmt.answers/status-toc.json")"

		main_channel "$d/$fmt.answers/readcd.pw" 2448 >"$T/got.main"
		if [ "$fmt" = mds ]; then
			python3 - "$T/want.main" "$T/got.main" "$layout" <<'EOF' ||
import json, sys
want, got = (open(f, "rb").read() for f in sys.argv[1:3])
at = 0
for t in json.load(open(sys.argv[3]))["tracks"]:
    gap = (t["start"] - t["i0"]) * 2352
    n = (t["end"] - t["i0"]) * 2352
    # an audio pregap not stored reads as zeros, a data track's as sectors of zeros, as the BIN's
    pregap = bytes(gap) if t["mode"] == "AUDIO" else want[at:at + gap]
    assert got[at:at + gap] == pregap, f"track {t['number']}: pregap"
    assert got[at + gap:at + n] == want[at + gap:at + n], f"track {t['number']}: main channel"
    at += n
assert len(got) == len(want) == at, f"{len(got)} bytes, {len(want)} wanted"
EOF
				fail "disc $variant as mds: READ CD's main channel is not the BINs' (audio pregaps: zeros)"
		else
			cmp "$T/want.main" "$T/got.main" ||
				fail "disc $variant as $fmt: READ CD's main channel is not what the BINs store"
		fi
		log "disc $variant as $fmt: $(find "$d/$fmt.answers" -type f | wc -l) answers," \
			"$(($(stat -c %s "$d/$fmt.answers/readcd.pw") / 2448)) sectors read"
	done

	# the cue sheet's answers are the reference
	for fmt in "${formats[@]:1}"; do
		cmp "$d/cue.toc.json" "$d/$fmt.toc.json" ||
			fail "disc $variant: vcdromctl toc of disc.$fmt differs from disc.cue's: $(diff "$d/cue.toc.json" "$d/$fmt.toc.json")"
		cmp "$d/cue.toc.txt" "$d/$fmt.toc.txt" ||
			fail "disc $variant: vcdromctl toc of disc.$fmt differs from disc.cue's: $(diff "$d/cue.toc.txt" "$d/$fmt.toc.txt")"
		for f in "$d/cue.answers"/*; do
			name=$(basename "$f")
			if [ "$fmt" = mds ] && [ "$name" = toc5 ]; then
				continue	# no CD-TEXT
			elif [ "$fmt" = mds ] && [[ $name = readcd.* ]]; then
				# the sub-channel (96 bytes of P-W, or 16 of Q) alike; the main channel was
				# checked above
				python3 -c 'import sys
a, b = (open(f, "rb").read() for f in sys.argv[1:3])
n = 2352 + int(sys.argv[3])
sys.exit(len(a) != len(b) or any(a[i + 2352:i + n] != b[i + 2352:i + n]
                                 for i in range(0, len(a), n)))' "$f" "$d/mds.answers/$name" \
					"$([ "$name" = readcd.pw ] && echo 96 || echo 16)" ||
					fail "disc $variant: READ CD's sub-channel ($name) differs between disc.cue and disc.mds"
				continue
			fi
			cmp "$f" "$d/$fmt.answers/$name" ||
				fail "disc $variant: $name differs between disc.cue and disc.$fmt:
$(cmp -l "$f" "$d/$fmt.answers/$name" 2>&1 | head -n 5)"
		done
		assert_eq "$(ls "$d/cue.answers")" "$(ls "$d/$fmt.answers")" "disc $variant: the answers collected"
		log "disc $variant: disc.$fmt answers as disc.cue does"
	done
	log "disc $variant done, ${SECONDS} s into the test"	# where a slow guest spends its time
	# a few answers that say the disc is the one described, not just the same each time
	assert_eq "$(printf '%s\n' "$(jq '[.tracks[].number] | length' "$layout")" "$sessions")" \
		"$(jq -r '(.tracks | length), .sessions' "$d/cue.toc.json")" "disc $variant: tracks and sessions"
	if [ "$variant" = chd ]; then
		[ -n "$(ls -A "$T/cache")" ] || fail "disc chd: nothing in the cache"
		assert_eq "null" "$(jq -r .mcn "$d/cue.toc.json")" "disc chd: no MCN"
	else
		[ "$(stat -c %s "$d/cue.answers/toc5")" -gt 4 ] || fail "disc $variant: no CD-TEXT in READ TOC format 5"
	fi
done
