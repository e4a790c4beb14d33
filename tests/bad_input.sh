#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `vcdromctl insert` (and eject, status, remove) must refuse, each with its exit status (vcdromctl(8)) and one message
# naming the verb, the object and the reason, leaving every drive as it was (`vcdromctl status` the same
# before and after, no medium change seen through sg): a missing file, a directory, an empty file, a FIFO, a
# CUE sheet whose BIN is missing, files whose content is no format it loads (2048-byte sectors without a
# volume descriptor, raw 2352-byte sectors without their sheet, gzip, xz, CHD, an unknown file), a drive that does not exist (index 200, a path that is not there), something that is not a drive, a
# second insert without --replace, and a vcdrom drive's own block device as the image. Each is tried on an
# empty drive and, with --replace, on a loaded one. (A file the caller cannot read: nonroot.sh.)

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sg_turs mkfifo gzip truncate

make_tree "$T/tree"
make_iso "$T/tree" "$T/a.iso" VCDROM_A
make_iso "$T/tree/data" "$T/b.iso" VCDROM_B
: >"$T/empty.iso"
mkfifo "$T/fifo.iso"
printf 'FILE "x.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n' >"$T/disc.cue"
# content, not extension: each is named .iso
head -c $((40 * 2048)) /dev/zero >"$T/zeros.iso"
{ printf '\000'; head -c 10 /dev/zero | tr '\000' '\377'; printf '\000\000\002\000\001'; } >"$T/raw.iso"
truncate -s $((20 * 2352)) "$T/raw.iso"
# compressed files are expanded (issue 17): these two are corrupt, refused naming where
gzip -c "$T/a.iso" | head -c 4000 >"$T/gz.iso"
printf '\3757zXZ\000' >"$T/xz.iso"
truncate -s 4096 "$T/xz.iso"
printf 'MComprHD' >"$T/chd.iso"
truncate -s 4096 "$T/chd.iso"
head -c 100 /dev/zero >"$T/unknown.dat"
not_iso="no ISO 9660, UDF or High Sierra volume descriptor in sectors 16-31, no Apple partition map"
raw_hint="insert with --raw to use it as plain 2048-byte data sectors"

vcdrom_load drives=2
mapfile -t srs < <(vcdrom_srdevs)
mapfile -t sgs < <(vcdrom_sgdevs)

# everything `vcdromctl status` says about every drive
snapshot() {
	vcdromctl --json list
}

# refused STATUS WHAT MESSAGE CMD...: CMD exits with STATUS (vcdromctl(8), EXIT STATUS: 6 an image that
# cannot be served, 7 no such drive, 5 busy, 1 other), prints nothing on stdout and exactly MESSAGE on
# stderr, and the drives are as they were.
refused() {
	local status=$1 what=$2 msg=$3 before after
	shift 3
	before=$(snapshot) || fail "vcdromctl status before $what: $before"
	run_split rc "$@"
	echo "$*: exit $rc: $out_stderr"
	assert_eq "$status" "$rc" "exit status of $* ($what)"
	assert_eq "" "$out_stdout" "stdout of $* ($what)"
	assert_eq "$msg" "$out_stderr" "message of $* ($what)"
	after=$(snapshot) || fail "vcdromctl status after $what: $after"
	assert_eq "$before" "$after" "drives after $* ($what)"
}

# ready_no_change SG: the drive saw no medium change (no unit attention): TEST UNIT READY is GOOD.
ready_no_change() {
	run_rc rc sg_turs -v "$1"
	assert_eq 0 "$rc" "TEST UNIT READY on $1 after refused requests:"$'\n'"$out"
}

# bad_files VERB_ARGS...: the files that can never be a disc, into the drive VERB_ARGS name.
bad_files() {
	refused 6 "a missing file" "vcdromctl: insert: $T/missing.iso: No such file or directory" \
		vcdromctl insert "$@" "$T/missing.iso"
	refused 6 "a directory" "vcdromctl: insert: $T/tree: Is a directory" \
		vcdromctl insert "$@" "$T/tree"
	refused 6 "an empty file" "vcdromctl: insert: $T/empty.iso: empty file" \
		vcdromctl insert "$@" "$T/empty.iso"
	refused 6 "a FIFO" "vcdromctl: insert: $T/fifo.iso: not a regular file or block device" \
		vcdromctl insert "$@" "$T/fifo.iso"
	refused 6 "2048-byte sectors without a volume descriptor" \
		"vcdromctl: insert: $T/zeros.iso: not an ISO image: $not_iso ($raw_hint)" \
		vcdromctl insert "$@" "$T/zeros.iso"
	refused 6 "raw sectors without their sheet" \
		"vcdromctl: insert: $T/raw.iso: is a raw CD image without its cue sheet: give the .cue, or insert with --sector-size 2352" \
		vcdromctl insert "$@" "$T/raw.iso"
	refused 6 "a truncated gzip file" \
		"vcdromctl: insert: $T/gz.iso: corrupt data at byte 4000 (truncated: the gzip stream ends before its end)" \
		vcdromctl insert "$@" "$T/gz.iso"
	refused 6 "a corrupt xz file" \
		"vcdromctl: insert: $T/xz.iso: corrupt data at byte 12 (liblzma: compressed data is corrupt)" \
		vcdromctl insert "$@" "$T/xz.iso"
	refused 6 "a CHD of no version chdman writes" \
		"vcdromctl: insert: $T/chd.iso: CHD version 0: only version 5 is read (chdman copy makes one)" \
		vcdromctl insert "$@" "$T/chd.iso"
	refused 6 "an unknown file" \
		"vcdromctl: insert: $T/unknown.dat: unknown format: $not_iso, nor any other format's signature ($raw_hint)" \
		vcdromctl insert "$@" "$T/unknown.dat"
	# a sheet whose BIN is missing: refused naming the sheet and line (all the sheet errors: cue_bad.sh)
	before=$(snapshot)
	run_split rc vcdromctl insert "$@" "$T/disc.cue"
	echo "vcdromctl insert $* disc.cue: exit $rc: $out_stderr"
	assert_ne 0 "$rc" "exit status of vcdromctl insert $* disc.cue (its BIN missing)"
	assert_eq "" "$out_stdout" "stdout of vcdromctl insert $* disc.cue"
	assert_match "disc\.cue:1: .*x\.bin" "$out_stderr" "vcdromctl insert $* disc.cue (its BIN missing)"
	assert_eq "$before" "$(snapshot)" "drives after vcdromctl insert $* disc.cue"
}

# ---- both drives empty ----
kmsg "empty drives"
bad_files
bad_files --drive 0
refused 7 "a drive that does not exist" "vcdromctl: insert: $T/a.iso: No such device (no drive 200)" \
	vcdromctl insert --drive 200 "$T/a.iso"
refused 7 "a drive that does not exist" "vcdromctl: eject: 200: No such device (no drive 200)" \
	vcdromctl eject 200
refused 7 "a drive that does not exist" "vcdromctl: status: 200: No such device (no drive 200)" \
	vcdromctl status 200
refused 7 "a drive that does not exist" "vcdromctl: remove: 200: No such device (no drive 200)" \
	vcdromctl remove 200
refused 7 "a device that is not a drive" "vcdromctl: insert: /dev/null: not a drive index or an sr/sg device" \
	vcdromctl insert --drive /dev/null "$T/a.iso"
refused 7 "a device path that does not exist" "vcdromctl: status: /dev/sr-none: no such drive or device" \
	vcdromctl status /dev/sr-none
refused 1 "an empty drive" "vcdromctl: eject: 1: No medium found (drive 1 holds no medium)" \
	vcdromctl eject 1
assert_eq "empty empty" "$(drive_state 0) $(drive_state 1)" "states after all that"

# ---- drive 0 loaded ----
kmsg "drive 0 loaded"
node=$(vcdromctl insert "$T/a.iso") || fail "vcdromctl insert a.iso"
assert_eq "${srs[0]}" "$node" "vcdromctl insert a.iso prints"
sg_turs "${sgs[0]}" >/dev/null 2>&1 || true	# the insert's unit attention
bad_files --drive 0 --replace
ready_no_change "${sgs[0]}"

refused 5 "a second insert without --replace" \
	"vcdromctl: insert: $T/b.iso: Device or resource busy (drive 0 already holds a medium; use replace)" \
	vcdromctl insert --drive 0 "$T/b.iso"
refused 5 "a second insert without --replace" \
	"vcdromctl: insert: $T/b.iso: Device or resource busy (drive 0 already holds a medium; use replace)" \
	vcdromctl insert --drive "${srs[0]}" "$T/b.iso"
ready_no_change "${sgs[0]}"

# a drive's own device as the image: into another drive, and into itself
node=$(vcdromctl insert --drive 1 "$T/b.iso") || fail "vcdromctl insert --drive 1 b.iso"
assert_eq "${srs[1]}" "$node" "vcdromctl insert --drive 1 b.iso prints"
sg_turs "${sgs[1]}" >/dev/null 2>&1 || true
refused 6 "drive 1's device" \
	"vcdromctl: insert: ${srs[1]}: Invalid argument (file 0: is a vcdrom drive)" \
	vcdromctl insert --drive 0 --replace "${srs[1]}"
refused 6 "drive 0's own device" \
	"vcdromctl: insert: ${srs[0]}: Invalid argument (file 0: is a vcdrom drive)" \
	vcdromctl insert --drive 0 --replace "${srs[0]}"
# every drive holds a medium now: without --drive there is nowhere to put one
refused 1 "no empty drive" \
	"vcdromctl: insert: $T/a.iso: no drive is empty (name one with --drive, and add --replace)" \
	vcdromctl insert "$T/a.iso"
ready_no_change "${sgs[0]}"
ready_no_change "${sgs[1]}"
assert_eq "[\"$T/a.iso\"] [\"$T/b.iso\"]" "$(drive_json 0 .images) $(drive_json 1 .images)" \
	"images after the refused inserts"

# ---- and --replace does it ----
node=$(vcdromctl insert --drive 0 --replace "$T/b.iso") || fail "vcdromctl insert --drive 0 --replace b.iso"
assert_eq "${srs[0]}" "$node" "vcdromctl insert --drive 0 --replace b.iso prints"
assert_eq "loaded [\"$T/b.iso\"] $(sectors_of "$T/b.iso")" "$(drive_json 0 '"\(.state) \(.images) \(.capacity)"')" \
	"drive 0 after insert --replace"
cmp -s "$T/b.iso" "${srs[0]}" || fail "${srs[0]} does not read as b.iso after insert --replace"
