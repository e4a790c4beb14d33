#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Images chosen by content, end to end (tools/tests/test_detect.c checks every signature on the host): an
# ISO's sectors encoded by cdsector as raw MODE1 and as raw MODE2 form 1 sectors, without a cue sheet, and a
# file of random bytes.
# - `vcdromctl toc` and `insert` refuse each, naming the file and the option that helps, and change no drive;
# - with --sector-size 2352, toc says "raw CD image", CD-ROM, one data track of the ISO's length (and notes the
#   mode it read); insert loads it: cd-info -C sees one data track and the lead-out at that length, and
#   READ(10) through /dev/srN gives the ISO's bytes (MODE1 user data, form 1 user data);
# - the random file with --raw: toc says "plain data sectors", and the drive reads it back byte for byte.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sg_turs cd-info cmp dd
test_bin cdsector >/dev/null

make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" VCDROM_RAW
n=$(sectors_of "$T/disc.iso")
encode_data 1 0 "$T/disc.iso" "$T/m1.bin"
encode_data 2form1 0 "$T/disc.iso" "$T/m2.bin"
head -c $((64 * 2048)) /dev/urandom >"$T/random.dat"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

# refused FILE MESSAGE: toc and insert both refuse FILE with exactly MESSAGE, and the drives stay as they were.
refused() {
	local f=$1 msg=$2 before verb
	before=$(vcdromctl --json list) || fail "vcdromctl list"
	for verb in toc insert; do
		run_split rc vcdromctl "$verb" "$f"
		assert_eq 6 "$rc" "exit status of vcdromctl $verb ${f##*/} (an image that cannot be served)"
		assert_eq "" "$out_stdout" "stdout of vcdromctl $verb ${f##*/}"
		assert_eq "vcdromctl: $verb: $f: $msg" "$out_stderr" "message of vcdromctl $verb ${f##*/}"
	done
	assert_eq "$before" "$(vcdromctl --json list)" "drives after refusing ${f##*/}"
}

kmsg "refused without an option"
no_sheet="is a raw CD image without its cue sheet: give the .cue, or insert with --sector-size 2352"
refused "$T/m1.bin" "$no_sheet"
refused "$T/m2.bin" "$no_sheet"
refused "$T/random.dat" "unknown format: no ISO 9660, UDF or High Sierra volume descriptor in sectors 16-31, \
no Apple partition map, nor any other format's signature (insert with --raw to use it as plain 2048-byte data sectors)"

for case in "1 m1.bin" "2 m2.bin"; do
	read -r mode bin <<<"$case"
	kmsg "$bin with --sector-size 2352"
	run_split rc vcdromctl --json toc --sector-size 2352 "$T/$bin"
	assert_eq 0 "$rc" "vcdromctl toc --sector-size 2352 $bin exit status ($out_stderr)"
	assert_eq "raw CD image CD-ROM $n 1 data" \
		"$(jq -r '"\(.format) \(.medium) \(.leadout.start) \(.tracks | length) \(.tracks[0].type)"' <<<"$out_stdout")" \
		"vcdromctl --json toc --sector-size 2352 $bin"
	assert_eq "vcdromctl: toc: $T/$bin: one MODE$mode data track of $n raw sectors" "$out_stderr" \
		"vcdromctl toc's note on $bin"

	run_split rc vcdromctl insert --replace --drive 0 --sector-size 2352 "$T/$bin"
	assert_eq 0 "$rc" "vcdromctl insert --sector-size 2352 $bin exit status ($out_stderr)"
	assert_eq "$sr" "$out_stdout" "what vcdromctl insert --sector-size 2352 $bin prints"
	sg_ready "$sg"
	assert_eq "loaded CD-ROM $n" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity)"')" \
		"drive 0 after inserting $bin"
	info=$(cdinfo -C "$sr") || fail "cd-info -C $sr ($bin): $info"
	assert_eq "1 0
170 $n" "$(cdinfo_lsns "$info")" "cd-info -C $sr ($bin): LSNs"
	assert_eq "1 data - no
170 leadout" "$(cdinfo_tracks "$info")" "cd-info -C $sr ($bin): track types"
	dd if="$sr" bs=2048 count="$n" iflag=direct status=none | cmp - "$T/disc.iso" ||
		fail "$sr does not read as disc.iso with $bin inserted"
done

kmsg "random bytes with --raw"
run_split rc vcdromctl --json toc --raw "$T/random.dat"
assert_eq 0 "$rc" "vcdromctl toc --raw random.dat exit status ($out_stderr)"
assert_eq "plain data sectors CD-ROM 64" "$(jq -r '"\(.format) \(.medium) \(.leadout.start)"' <<<"$out_stdout")" \
	"vcdromctl --json toc --raw random.dat"
run_split rc vcdromctl insert --replace --drive 0 --raw "$T/random.dat"
assert_eq 0 "$rc" "vcdromctl insert --raw random.dat exit status ($out_stderr)"
assert_eq "" "$out_stderr" "vcdromctl insert --raw random.dat's stderr"
sg_ready "$sg"
cmp "$T/random.dat" "$sr" || fail "$sr does not read as random.dat"
vcdromctl eject 0 || fail "eject"
