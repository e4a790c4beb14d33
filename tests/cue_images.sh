#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CUE/BIN tests' own discs and oracles, checked without a module (no root needed): the layouts lib_cd.sh
# records for the four discs against independent readers of the sheets, so the drive tests compare the drive
# with something right:
# - cd-info --cue-file (libcdio) on the single-BIN sheets (mixed, XA): the track and lead-out LSNs are the
#   layout's (less the PREGAP libcdio leaves out), MCN, track types, CD-TEXT as written;
# - cdrdao show-toc on the mixed and audio sheets (cdrdao reads multi-file sheets too): starts, ends and
#   pregaps of every track are the layout's;
# - every data BIN verifies with cdsector at its LBAs; every audio BIN is a whole number of sectors;
# - the session-2 ISO's volume descriptor points into the layout's LBAs (built for them);
# - our CDDB disc id (cddb_id) gives whipper's ids for its layouts in the shared corpora (bloc, ladyhawke,
#   totbl, and capital: two sessions), when the corpora are present.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_cmd xorriso sox cd-info cdrdao od
test_bin cdsector >/dev/null

# cdrdao_starts SHEET: "N START END" of each track, from cdrdao show-toc.
cdrdao_starts() {
	(cd "$(dirname "$1")" && cdrdao show-toc "$(basename "$1")" 2>&1) | awk '
		/^TRACK/ { n = $2 }
		/^ +START/ { gsub(/[()]/, " "); s = $3 }
		/^ +END/ { gsub(/[()]/, " "); print n, s, $3 }'
}

# layout_starts: the same from the layout: a track ends where the next one's pregap (index 0) begins.
layout_starts() {
	local i t next end
	for i in "${!DISC_TRACKS[@]}"; do
		t=${DISC_TRACKS[i]}
		next=${DISC_TRACKS[i + 1]:-}
		if [ -n "$next" ]; then end=${DISC_INDEX0[next]}; else end=${DISC_LEADOUT[$DISC_SESSIONS]}; fi
		echo "$t ${DISC_START[t]} $end"
	done
}

verify_data_bins() {
	local e_lba e_count e_file e_off t end
	for t in "${DISC_TRACKS[@]}"; do
		[ "${DISC_MODE[t]}" != AUDIO ] || continue
		while read -r e_lba e_count e_file e_off; do
			[ -n "$e_lba" ] || continue
			if [ "$e_lba" -le "${DISC_INDEX0[t]}" ] && [ $((e_lba + e_count)) -gt "${DISC_INDEX0[t]}" ]; then
				end=$(layout_starts | awk -v t="$t" '$1 == t { print $3 }')
				disc_bytes "${DISC_INDEX0[t]}" $((end - DISC_INDEX0[t])) "$T/track.bin"
				run_rc rc cdsector verify --lba "${DISC_INDEX0[t]}" "$T/track.bin"
				assert_eq 0 "$rc" "cdsector verify of track $t of $DISC_CUE: $out"
			fi
		done <<<"$DISC_EXTENTS"
	done
}

kmsg "mixed"
make_mixed_disc "$T/mixed"
info=$(cdinfo --cue-file "$DISC_CUE")
assert_eq "$(expected_lsns 3 150)" "$(cdinfo_lsns "$info")" "cd-info --cue-file mixed.cue: LSNs"
assert_eq "1 data - no
2 audio - yes 2 no
3 audio - yes 2 yes
4 audio - no 2 no
170 leadout" "$(cdinfo_tracks "$info")" "cd-info --cue-file mixed.cue: types and flags"
assert_match "^Media Catalog Number \(MCN\): $DISC_MCN\$" "$info" "cd-info --cue-file mixed.cue: MCN"
assert_eq "CD-TEXT for Disc:
	TITLE: vcdrom mixed disc
	PERFORMER: vcdrom tests
CD-TEXT for Track  1:
	TITLE: Data track
	PERFORMER: xorriso
CD-TEXT for Track  2:
	TITLE: Sine 440
	PERFORMER: Oscillator A
CD-TEXT for Track  3:
	TITLE: Square 330
	PERFORMER: Oscillator B
CD-TEXT for Track  4:
	TITLE: Pink noise
	PERFORMER: Oscillator C" "$(cdinfo_cdtext "$info")" "cd-info --cue-file mixed.cue: CD-TEXT"
sed '/INDEX 02/d' "$DISC_CUE" >"$T/mixed/mixed.cdrdao.cue"
assert_eq "$(layout_starts)" "$(cdrdao_starts "$T/mixed/mixed.cdrdao.cue")" "cdrdao show-toc mixed.cue"
toc=$(cdrdao_toc_lines "$T/mixed/mixed.cdrdao.cue")
assert_match "^ +ISRC US VCD 26 00003\$" "$toc" "cdrdao show-toc mixed.cue: ISRC"
assert_match "^CATALOG NUMBER: $DISC_MCN\$" "$toc" "cdrdao show-toc mixed.cue: catalog"
verify_data_bins
assert_eq "$(stat -c %s "$T/mixed/mixed.bin")" $(((DISC_LEADOUT[1] - 150) * 2352)) "size of mixed.bin"

kmsg "audio"
make_audio_disc "$T/audio"
assert_eq "$(layout_starts)" "$(cdrdao_starts "$DISC_CUE")" "cdrdao show-toc audio.cue"
toc=$(cdrdao_toc_lines "$DISC_CUE")
assert_eq 1 "$(grep -c 'FOUR CHANNEL' <<<"$toc")" "cdrdao show-toc audio.cue: one four-channel track"

kmsg "xa"
make_xa_disc "$T/xa"
info=$(cdinfo --cue-file "$DISC_CUE")
assert_eq "$(expected_lsns)" "$(cdinfo_lsns "$info")" "cd-info --cue-file xa.cue: LSNs"
assert_eq "1 XA - no
2 XA - no
170 leadout" "$(cdinfo_tracks "$info")" "cd-info --cue-file xa.cue: types"
assert_eq "$(layout_starts)" "$(cdrdao_starts "$DISC_CUE")" "cdrdao show-toc xa.cue"
assert_match '^TOC TYPE: CD_ROM_XA' "$(cdrdao_toc_lines "$DISC_CUE")" "cdrdao show-toc xa.cue: TOC type"
verify_data_bins

kmsg "sessions"
make_sessions_disc "$T/sessions"
verify_data_bins
# the primary volume descriptor's root directory lies at or after the track's index 1
root=$(od -An -tu4 -j $((16 * 2048 + 158)) -N4 "$T/sessions/data.iso" | tr -d ' ')
if [ "$root" -lt "${DISC_START[3]}" ] || [ "$root" -ge "${DISC_LEADOUT[2]}" ]; then
	fail "session 2's ISO has its root directory at LBA $root, outside ${DISC_START[3]}..${DISC_LEADOUT[2]}"
fi
assert_eq "$(printf '%08x 3 150 525 12225 %d' $(((2 + 7 + 1 + 6 + 3) % 255 << 24 | (DISC_LEADOUT[2] / 75) << 8 | 3)) \
	$(((DISC_LEADOUT[2] + 150) / 75)))" "$(cddb_id)" "cddb_id of the two-session disc, computed by hand"

# ---- whipper's disc ids for real discs' layouts ----
corpora=$(corpora_dir)
if [ -z "$corpora" ] || [ ! -d "$corpora/whipper" ]; then
	log "no shared corpora: whipper's disc ids not checked"
	exit 0
fi

frames() {
	case $1 in
	*:*:*) echo $((10#${1%%:*} * 4500 + 10#$(cut -d: -f2 <<<"$1") * 75 + 10#${1##*:})) ;;
	*) echo $(($1 / 588)) ;;
	esac
}

# toc_layout TOC SESSION FIRST_LBA: add the tracks of a cdrdao toc file to the layout from FIRST_LBA on: each
# track's length is the sum of its SILENCE, ZERO, PREGAP, FILE and DATAFILE lengths (the last value on the
# line), index 1 is after START's (or PREGAP's) length.
toc_layout() {
	local toc=$1 session=$2 pos=$3 n=${#DISC_TRACKS[@]} line len start=-1 begin=$3 mode
	while read -r line; do
		line=${line%%//*}
		# shellcheck disable=SC2086 # the words of the line
		set -- $line
		[ $# -gt 0 ] || continue
		case $1 in
		TRACK)
			if [ "$start" -ge 0 ] || [ "$n" -lt "${#DISC_TRACKS[@]}" ] || [ "$pos" -gt "$begin" ] || [ -n "${mode:-}" ]; then
				[ -z "${mode:-}" ] || disc_track $((n + 1)) "$mode" "$session" "$begin" $((begin + (start < 0 ? 0 : start)))
				[ -z "${mode:-}" ] || n=$((n + 1))
			fi
			mode=$2 begin=$pos start=-1
			;;
		SILENCE | ZERO | PREGAP)
			len=$(frames "${!#}")
			pos=$((pos + len))
			[ "$1" != PREGAP ] || start=$((pos - begin))
			;;
		FILE | AUDIOFILE | DATAFILE)
			len=${!#}
			[ "$1" != DATAFILE ] || [ $# -gt 2 ] || len=0
			pos=$((pos + $(frames "$len")))
			;;
		START)
			if [ $# -gt 1 ]; then start=$(frames "$2"); else start=$((pos - begin)); fi
			;;
		esac
	done <"$toc"
	disc_track $((n + 1)) "$mode" "$session" "$begin" $((begin + (start < 0 ? 0 : start)))
	DISC_LEADOUT[session]=$pos
}

for pair in bloc.toc:ad0be00d ladyhawke.toc:c60af50d totbl.fast.toc:810b7b0b; do
	disc_reset
	toc_layout "$corpora/whipper/${pair%%:*}" 1 0
	id=$(cddb_id)
	log "${pair%%:*}: $id"
	assert_eq "${pair##*:}" "${id%% *}" "CDDB id of whipper's ${pair%%:*}"
done
disc_reset
toc_layout "$corpora/whipper/capital.1.toc" 1 0
toc_layout "$corpora/whipper/capital.2.toc" 2 209100
id=$(cddb_id)
log "capital.1.toc + capital.2.toc: $id"
assert_eq 209100 "${DISC_START[${DISC_TRACKS[-1]}]}" "capital's session-2 track"
assert_eq b910140c "${id%% *}" "CDDB id of whipper's capital (two sessions)"
