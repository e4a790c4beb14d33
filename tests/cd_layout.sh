#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Whole-CD layouts sent straight over netlink (tests/vcdrom_nl.py, no loader in between): a mixed disc (an
# audio track stored raw, with ISRC and an index 2; a mode 1 track after a pregap that is not stored) goes
# in as a CD-ROM of the layout's length, its data reads back through READ(10) while its audio answers
# ILLEGAL MODE FOR THIS TRACK; a two-session disc goes in with its gap. Then layouts the kernel must refuse,
# each with the kernel's reason, leaving the drive as it was.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq python3 sg_raw sg_turs cmp

nl() { python3 "$(dirname "$0")/vcdrom_nl.py" "$@"; }
lba_hex() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

head -c $((600 * 2352)) /dev/urandom >"$T/audio.bin"
head -c $((300 * 2048)) /dev/urandom >"$T/data.iso"

# layout FILE JSON: write a layout whose files are audio.bin and data.iso.
layout() { echo "$2" >"$T/$1"; }

layout mixed.json '{"mcn": "0123456789012", "files": ["audio.bin", "data.iso"], "sessions": [{"tracks": [
	{"number": 1, "mode": "audio", "flags": 2, "start": 0, "isrc": "USXYZ0000001", "indexes": [300],
	 "extents": [{"start": 0, "length": 600, "format": "raw", "file": 0, "offset": 0}]},
	{"number": 2, "mode": "mode1", "start": 750,
	 "extents": [{"start": 600, "length": 150, "format": "zero"},
		     {"start": 750, "length": 300, "format": "cooked_2048", "file": 1, "offset": 0}]}]}]}'

vcdrom_load
sg=$(vcdrom_sgdevs)

run_rc rc nl insert 0 "$T/mixed.json"
assert_eq 0 "$rc" "insert of a mixed layout: $out"
assert_eq "loaded CD-ROM 1050" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity)"')" \
	"state, profile and capacity of the mixed disc"
sg_turs "$sg" >/dev/null 2>&1 || true	# takes the unit attention of the new medium

# READ(10) of the data track's first and last sectors: the ISO's bytes
for i in 0 299; do
	run_rc rc sg_raw -r 2048 -o "$T/got" "$sg" 28 00 $(lba_hex $((750 + i))) 00 00 01 00
	assert_eq 0 "$rc" "READ(10) at LBA $((750 + i)): $out"
	dd if="$T/data.iso" of="$T/want" bs=2048 skip="$i" count=1 status=none
	cmp "$T/want" "$T/got" || fail "READ(10) at LBA $((750 + i)) differs from data.iso sector $i"
done
# the pregap: zeros; the audio track: not readable as data
run_rc rc sg_raw -r 2048 -o "$T/got" "$sg" 28 00 $(lba_hex 600) 00 00 01 00
assert_eq 0 "$rc" "READ(10) in the pregap: $out"
cmp -s "$T/got" <(head -c 2048 /dev/zero) || fail "the unstored pregap does not read as zeros"
run_rc rc sg_raw -r 2048 "$sg" 28 00 $(lba_hex 10) 00 00 01 00
assert_eq "Illegal Request / Illegal mode for this track" "$(sense_of "$out")" "READ(10) of audio:"$'\n'"$out"

# two sessions: audio, then data after the lead-out and lead-in
layout sessions.json '{"files": ["audio.bin", "data.iso"], "sessions": [
	{"tracks": [{"number": 1, "mode": "audio", "start": 0,
		     "extents": [{"start": 0, "length": 600, "format": "raw", "file": 0, "offset": 0}]}]},
	{"tracks": [{"number": 2, "mode": "mode1", "start": 11850,
		     "extents": [{"start": 11850, "length": 300, "format": "cooked_2048", "file": 1, "offset": 0}]}]}]}'
run_rc rc nl insert 0 "$T/sessions.json" --replace
assert_eq 0 "$rc" "insert of a two-session layout: $out"
assert_eq "loaded CD-ROM 12150" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity)"')" \
	"state, profile and capacity of the two-session disc"
sg_turs "$sg" >/dev/null 2>&1 || true
run_rc rc sg_raw -r 2048 -o "$T/got" "$sg" 28 00 $(lba_hex 11850) 00 00 01 00
assert_eq 0 "$rc" "READ(10) of session 2's first sector: $out"
cmp -s "$T/got" <(head -c 2048 "$T/data.iso") || fail "session 2's first sector is not data.iso's"
vcdromctl eject 0 >/dev/null

# refused: each sed expression spoils the mixed layout one way; the kernel's reason must be given
refuse() {
	local why=$1 want=$2 expr=$3
	sed "$expr" "$T/mixed.json" >"$T/bad.json"
	cmp -s "$T/mixed.json" "$T/bad.json" && fail "$why: the sed expression changed nothing"
	run_rc rc nl insert 0 "$T/bad.json" --replace
	assert_eq 1 "$rc" "exit status of an insert with $why: $out"
	assert_match "$want" "$out" "the kernel's reason for $why"
	assert_ne loaded "$(drive_state 0)" "the drive's state after an insert with $why"
}
refuse "audio stored cooked" "track 1: audio tracks cannot be stored in format 1" \
	's/"format": "raw"/"format": "cooked_2048"/'
refuse "mode 1 stored as 2324 bytes" "track 2: mode 1 tracks cannot be stored in format 5" \
	's/"cooked_2048"/"cooked_2324"/'
refuse "an ISRC of 11 characters" "track 1: ISRC is not 12 characters" 's/USXYZ0000001/USXYZ000001/'
refuse "an ISRC in lower case" "track 1: ISRC is not 12 characters" 's/USXYZ0000001/usxyz0000001/'
refuse "an MCN with a letter" "MCN is not 13 digits" 's/0123456789012/012345678901A/'
refuse "an index before index 1" "track 1: index 2 at 0 is not after 0" 's/"indexes": \[300\]/"indexes": [0]/'
refuse "an index past the track" "track 1: index 2 at 700" 's/"indexes": \[300\]/"indexes": [700]/'
refuse "a gap inside a session" "track 2: extent starts at 601, not at 600" 's/"start": 600,/"start": 601,/'
refuse "a DVD with an audio track" "only a CD can have " 's/"mcn"/"medium": "dvd", "mcn"/'
refuse "CD-TEXT of 17 bytes" "CD-TEXT of 17 bytes" 's/"mcn"/"cdtext": "8000000000000000000000000000000000", "mcn"/'
refuse "a CD-TEXT pack of type 0x70" "CD-TEXT pack 0: type 0x70" \
	's/"mcn"/"cdtext": "700000000000000000000000000000000000", "mcn"/'
refuse "a CD past 99:59:74" "past a CD's last address" \
	's/"start": 750, "length": 300, "format": "cooked_2048"/"start": 750, "length": 449100, "format": "zero"/'
