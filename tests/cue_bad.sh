#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cue sheets `vcdromctl insert` must refuse, one per error class: the tool exits non-zero, prints nothing on
# stdout and on stderr a message naming the sheet and the line ("SHEET:LINE: reason", the reason naming what
# is wrong), and the drive stays as it was: empty (no medium, no unit attention) or, with --replace, holding the
# medium it had. Classes: an unknown track mode, an unknown FILE type, a missing file, a BIN whose size does not
# fit its tracks (a partial sector; an INDEX past the file's end: the track named), INDEX 01 before INDEX 00,
# indexes of a later track before an earlier one's, the same index twice, bad MSF (frame 75, second 60, not
# numbers), a TRACK before any FILE, a FILE with no TRACK after it, a track without INDEX 01, track numbers
# going down, a CATALOG not 13 digits, an ISRC not 12 letters and digits, unknown FLAGS.
# No kernel version changes any of it: in `make check`, only the newest kernel runs it (lib.sh's once_per_run).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq sg_turs sox
once_per_run cue_bad.sh || skip "the tool refuses every sheet before the kernel sees it"

d=$T/sheets
mkdir -p "$d"
make_tone "$d/a.bin" 300 sine 440		# 300 audio sectors
cp "$d/a.bin" "$d/b.bin"
head -c $((10 * 2352 + 100)) "$d/a.bin" >"$d/partial.bin"

# sheet NAME LINES...: $d/NAME.cue made of LINES.
sheet() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$d/$name.cue"
}

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

# refused NAME LINE REASON_REGEX [--replace]: inserting $d/NAME.cue fails with "NAME.cue:LINE: ..." matching
# REASON_REGEX (case-insensitive), and the drive is as before.
refused() {
	local name=$1 line=$2 reason=$3 before after
	shift 3
	before=$(vcdromctl --json list) || fail "vcdromctl --json list: $before"
	run_split rc vcdromctl insert "$@" "$d/$name.cue"
	echo "$name.cue: exit $rc: $out_stderr"
	assert_ne 0 "$rc" "exit status of vcdromctl insert $* $name.cue"
	assert_eq "" "$out_stdout" "stdout of vcdromctl insert $name.cue"
	assert_match "(^|[ /])$name\.cue:$line: " "$out_stderr" "vcdromctl insert $name.cue: the sheet and line $line"
	grep -qiE -- "$name\.cue:$line: .*($reason)" <<<"$out_stderr" ||
		fail "vcdromctl insert $name.cue: the reason does not match /$reason/: $out_stderr"
	after=$(vcdromctl --json list) || fail "vcdromctl --json list: $after"
	assert_eq "$before" "$after" "drives after refusing $name.cue"
	run_rc rc sg_turs "$sg"
	if [ "$(jq -r '.drives[0].state' <<<"$after")" = loaded ]; then
		assert_eq 0 "$rc" "TEST UNIT READY after refusing $name.cue (no medium change):"$'\n'"$out"
	else
		assert_ne 0 "$rc" "TEST UNIT READY on the empty drive after refusing $name.cue"
		assert_no_match "[Uu]nit [Aa]ttention" "$out" "TEST UNIT READY after refusing $name.cue"
	fi
}

sheet mode 'FILE "a.bin" BINARY' '  TRACK 01 MODE3/2352' '    INDEX 01 00:00:00'
sheet filetype 'FILE "a.bin" FLAC' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00'
sheet missing 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00' \
	'FILE "nothere.bin" BINARY' '  TRACK 02 AUDIO' '    INDEX 01 00:00:00'
sheet partial 'FILE "partial.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00'
sheet pastend 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00' \
	'  TRACK 02 AUDIO' '    INDEX 01 00:04:01'
sheet index_order 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 00 00:00:00' '    INDEX 02 00:01:00' \
	'    INDEX 01 00:02:00'
sheet index01_before00 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00' '  TRACK 02 AUDIO' \
	'    INDEX 00 00:02:00' '    INDEX 01 00:01:00'
sheet track_order 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:02:00' '  TRACK 02 AUDIO' \
	'    INDEX 01 00:01:00'
sheet index_twice 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00' '    INDEX 01 00:01:00'
sheet msf_frame 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:75'
sheet msf_second 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:60:00'
sheet msf_text 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 0a:00:00'
sheet track_first '  TRACK 01 AUDIO' 'FILE "a.bin" BINARY' '    INDEX 01 00:00:00'
sheet file_no_track 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00' 'FILE "b.bin" BINARY'
sheet no_index01 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 00 00:00:00' '  TRACK 02 AUDIO' \
	'    INDEX 01 00:01:00'
sheet number_down 'FILE "a.bin" BINARY' '  TRACK 02 AUDIO' '    INDEX 01 00:00:00' '  TRACK 01 AUDIO' \
	'    INDEX 01 00:01:00'
sheet catalog 'CATALOG 012345678901' 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    INDEX 01 00:00:00'
sheet isrc 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    ISRC US-VC-26-0001' '    INDEX 01 00:00:00'
sheet flags 'FILE "a.bin" BINARY' '  TRACK 01 AUDIO' '    FLAGS DCP LOUD' '    INDEX 01 00:00:00'

# NAME;LINE;REASON: the line may be an alternation where a loader may see the error at either line
cases=(
	"mode;2;mode"
	"filetype;1;type|FLAC"
	"missing;4;nothere\.bin"
	"partial;(1|2|3);track 0?1"
	"pastend;(4|5);track 0?2"
	"index_order;(4|5);index"
	"index01_before00;6;index"
	"track_order;5;index|track|order"
	"index_twice;4;index"
	"msf_frame;3;msf|frame|time|75"
	"msf_second;3;msf|second|time|60"
	"msf_text;3;msf|time|number"
	"track_first;1;file|track"
	"file_no_track;4;track|file"
	"no_index01;(2|3|4);index"
	"number_down;4;track|number|order"
	"catalog;1;catalog|mcn|13|digit"
	"isrc;3;isrc|12"
	"flags;3;flag|LOUD"
)

kmsg "empty drive"
for c in "${cases[@]}"; do
	IFS=';' read -r name line reason <<<"$c"
	refused "$name" "$line" "$reason"
done
assert_eq empty "$(drive_state 0)" "the drive after every refusal"

kmsg "loaded drive, --replace"
printf 'FILE "a.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$d/good.cue"
cd_insert "$d/good.cue"
for c in "${cases[@]}"; do
	IFS=';' read -r name line reason <<<"$c"
	refused "$name" "$line" "$reason" --replace
done
assert_eq "loaded [\"$d/a.bin\"]" "$(drive_json 0 '"\(.state) \(.images)"')" "the drive after every refusal"
