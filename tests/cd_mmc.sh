#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a drive answers about a whole CD, byte for byte, for layouts sent over netlink (tests/vcdrom_nl.py):
# - a mixed disc of 3 tracks (mode 1; audio after a pregap, with an index 2; audio after a pregap), MCN, ISRC,
#   CD-TEXT: READ TOC formats 0 (with the start track filter and MSF), 1, 2, 3, 4 and 5; READ SUB-CHANNEL
#   01h, 02h, 03h; READ HEADER; READ DISC and TRACK INFORMATION per track; GET CONFIGURATION; cd-info lists
#   the tracks, MCN, ISRC and CD-TEXT;
# - audio play on it: PLAY AUDIO (10), (12) and MSF, the position advancing in real time, PAUSE, RESUME,
#   STOP, play to the end (13h once, then 15h), a READ ending play, and the range and mode checks;
# - a two-session disc (audio, then an ISO 9660 session after an 11250-sector gap): formats 0, 1, 2 (B0, C0,
#   the session filter), disc and track information per session, CDROMMULTISESSION, mount of session 2, play
#   stopped by the session's end (14h);
# - a CD-ROM XA disc: disc type 20h in the full TOC and disc information, data mode 2 in READ HEADER.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq python3 sg_raw sg_turs cd-info genisoimage cmp

nl() { python3 "$(dirname "$0")/vcdrom_nl.py" "$@"; }
hex32() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

# scsi NAME ALLOC CDB...: run CDB (ALLOC bytes in), which must succeed; its data in $data, as sg_data
# gives it but parsed in bash: a fork costs in a TCG guest, and this test sends a few hundred commands.
data=
scsi() {
	local name=$1 alloc=$2 line w bytes=()
	shift 2
	run_rc rc sg_raw -r "$alloc" "$sg" "$@"
	assert_eq 0 "$rc" "$name: sg_raw exit status"$'\n'"$out"
	while IFS= read -r line; do
		[[ $line =~ ^\ *[0-9a-f]{2,}\ +(([0-9a-f]{2}\ {1,2})*[0-9a-f]{2}) ]] || continue
		read -r -a w <<<"${BASH_REMATCH[1]}"
		bytes+=("${w[@]}")
	done <<<"$out"
	data="${bytes[*]}"
}

# expect NAME HEX ALLOC CDB...: the data CDB returns is exactly HEX.
expect() {
	local name=$1 want=$2
	shift 2
	scsi "$name" "$@"
	assert_eq "$want" "$data" "$name"
}

# expect_sense NAME "KEY / ASC" CDB...
expect_sense() {
	local name=$1 want=$2
	shift 2
	run_rc rc sg_raw -r 64 "$sg" "$@"
	assert_eq "$want" "$(sense_of "$out")" "$name:"$'\n'"$out"
}

# insert LAYOUT: replace the medium, eat the unit attention.
insert() {
	run_rc rc nl insert 0 "$T/$1" --replace
	assert_eq 0 "$rc" "insert of $1: $out"
	sg_turs "$sg" >/dev/null 2>&1 || true
}

INVALID_FIELD="Illegal Request / Invalid field in cdb"
OUT_OF_RANGE="Illegal Request / Logical block address out of range"
ILLEGAL_MODE="Illegal Request / Illegal mode for this track"
SEQUENCE="Illegal Request / Command sequence error"

# ---- the media ----
head -c $((300 * 2048)) /dev/urandom >"$T/data.iso"
head -c $((600 * 2352)) /dev/urandom >"$T/audio.bin"
mkdir -p "$T/tree"
echo "vcdrom session 2" >"$T/tree/SESSION2.TXT"
# the second session's file system, its addresses counted from LBA 12000; 400 sectors in all
genisoimage -quiet -R -V SESSION2 -C 0,12000 -o "$T/s2.iso" "$T/tree" 2>"$T/genisoimage.log" ||
	fail "genisoimage: $(cat "$T/genisoimage.log")"
[ "$(sectors_of "$T/s2.iso")" -le 400 ] || fail "the session 2 image is over 400 sectors"
truncate -s $((400 * 2048)) "$T/s2.iso"

# CD-TEXT, block 0 in English, ISO-8859-1: titles and performers of the disc and 3 tracks, then the 3 size
# packs; each pack's CRC-16 (CCITT, inverted) over its first 16 bytes.
python3 - "$T/cdtext.bin" <<'EOF'
import sys

def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xffff
    return crc ^ 0xffff

packs = []
def pack(kind, track, text, pos=0):
    p = bytes([kind, track, len(packs), pos]) + text
    packs.append(p + crc16(p).to_bytes(2, "big"))

counts = {}
for kind, strings in ((0x80, ["Test Disc", "Data", "Song Two", "Song Three"]),
                      (0x81, ["vcdrom", "Nobody", "Someone", "Anyone"])):
    buf = b"".join(s.encode("latin-1") + b"\0" for s in strings)
    starts = []
    off = 0
    for track, s in enumerate(strings):
        starts.append((off, track))
        off += len(s) + 1
    for i in range(0, len(buf), 12):
        track, first = max((t, o) for o, t in starts if o <= i)
        pack(kind, track, buf[i:i + 12].ljust(12, b"\0"), min(i - first, 15))
        counts[kind] = counts.get(kind, 0) + 1
counts[0x8f] = 3
n = [counts.get(0x80 + i, 0) for i in range(16)]
last_seq = len(packs) + 2
pack(0x8f, 0, bytes([0x00, 1, 3, 0x00]) + bytes(n[0:8]))
pack(0x8f, 1, bytes(n[8:16]) + bytes([last_seq, 0, 0, 0]))
pack(0x8f, 2, bytes([0, 0, 0, 0]) + bytes([0x09, 0, 0, 0, 0, 0, 0, 0]))
open(sys.argv[1], "wb").write(b"".join(packs))
EOF
cdtext_hex=$(od -An -v -tx1 "$T/cdtext.bin" | tr -d ' \n')
cdtext_len=$(stat -c %s "$T/cdtext.bin")

cat >"$T/mixed.json" <<EOF
{"medium": "cd", "mcn": "0123456789012", "cdtext": "$cdtext_hex", "files": ["data.iso", "audio.bin"],
 "sessions": [{"tracks": [
	{"number": 1, "mode": "mode1", "start": 0,
	 "extents": [{"start": 0, "length": 300, "format": "cooked_2048", "file": 0, "offset": 0}]},
	{"number": 2, "mode": "audio", "flags": 2, "start": 450, "isrc": "USXYZ2600001", "indexes": [750],
	 "extents": [{"start": 300, "length": 150, "format": "zero"},
		     {"start": 450, "length": 600, "format": "raw", "file": 1, "offset": 0}]},
	{"number": 3, "mode": "audio", "flags": 1, "start": 1125, "isrc": "USXYZ2600002",
	 "extents": [{"start": 1050, "length": 75, "format": "zero"},
		     {"start": 1125, "length": 450, "format": "raw", "file": 1, "offset": 0}]}]}]}
EOF
cat >"$T/sessions.json" <<EOF
{"files": ["audio.bin", "s2.iso"], "sessions": [
	{"tracks": [{"number": 1, "mode": "audio", "start": 0,
		     "extents": [{"start": 0, "length": 600, "format": "raw", "file": 0, "offset": 0}]}]},
	{"tracks": [{"number": 2, "mode": "mode1", "start": 12000,
		     "extents": [{"start": 11850, "length": 150, "format": "zero"},
				 {"start": 12000, "length": 400, "format": "cooked_2048", "file": 1,
				  "offset": 0}]}]}]}
EOF
cat >"$T/xa.json" <<EOF
{"files": ["data.iso"], "sessions": [{"tracks": [{"number": 1, "mode": "mode2_xa", "start": 0,
	"extents": [{"start": 0, "length": 300, "format": "cooked_2048", "file": 0, "offset": 0}]}]}]}
EOF

vcdrom_load
sg=$(vcdrom_sgdevs)
sr=$(vcdrom_srdevs)

# ======== the mixed disc ========
kmsg "mixed disc"
insert mixed.json
assert_eq "loaded CD-ROM 1575" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity)"')" "the mixed disc"

# LBA 0, 450, 1125, 1575 are MSF 00:02:00, 00:08:00, 00:17:00, 00:23:00
T1="00 14 01 00 00 00 00 00" T2="00 12 02 00 00 00 01 c2" T3="00 11 03 00 00 00 04 65"
LO="00 11 aa 00 00 00 06 27"
expect "READ TOC format 0" "00 22 01 03 $T1 $T2 $T3 $LO" 804 43 00 00 00 00 00 00 03 24 00
expect "READ TOC format 0, MSF" \
	"00 22 01 03 00 14 01 00 00 00 02 00 00 12 02 00 00 00 08 00 00 11 03 00 00 00 11 00 00 11 aa 00 00 00 17 00" \
	804 43 02 00 00 00 00 00 03 24 00
expect "READ TOC format 0 from track 2" "00 1a 01 03 $T2 $T3 $LO" 804 43 00 00 00 00 00 02 03 24 00
expect "READ TOC format 0 from the lead-out" "00 0a 01 03 $LO" 804 43 00 00 00 00 00 aa 03 24 00
expect "READ TOC format 0, 12 bytes" "00 22 01 03 $T1" 12 43 00 00 00 00 00 00 00 0c 00
expect_sense "READ TOC format 0 from track 4" "$INVALID_FIELD" 43 00 00 00 00 00 04 03 24 00
expect "READ TOC format 1" "00 0a 01 01 $T1" 12 43 00 01 00 00 00 00 00 0c 00
expect "READ TOC format 1, old style (control byte 40h)" "00 0a 01 01 $T1" 12 43 00 00 00 00 00 00 00 0c 40
expect "READ TOC format 2" "00 44 01 01 \
01 14 00 a0 00 00 00 00 01 00 00 01 11 00 a1 00 00 00 00 03 00 00 01 11 00 a2 00 00 00 00 00 17 00 \
01 14 00 01 00 00 00 00 00 02 00 01 12 00 02 00 00 00 00 00 08 00 01 11 00 03 00 00 00 00 00 11 00" \
	804 43 02 02 00 00 00 00 03 24 00
expect "READ TOC format 3 (PMA)" "00 02 00 00" 804 43 00 03 00 00 00 00 03 24 00
expect_sense "READ TOC format 4 (ATIP)" "$INVALID_FIELD" 43 00 04 00 00 00 00 03 24 00
scsi "READ TOC format 5 (CD-TEXT)" 65535 43 00 05 00 00 00 00 ff ff 00
printf -v want '%02x %02x 00 00' $(((cdtext_len + 2) >> 8)) $(((cdtext_len + 2) & 255))
assert_eq "$want $(od -An -v -tx1 "$T/cdtext.bin" | xargs)" "$data" "READ TOC format 5: header and packs"
expect "READ TOC format 5, 4 bytes" "$want" 4 43 00 05 00 00 00 00 00 04 00

# sub-channel: no play yet (15h); position at LBA 0; MCN; ISRC of tracks 2 and 1
expect "READ SUB-CHANNEL without SubQ" "00 15 00 00" 16 42 00 00 01 00 00 00 00 10 00
expect "READ SUB-CHANNEL 01h" "00 15 00 0c 01 14 01 01 00 00 00 00 00 00 00 00" 16 42 00 40 01 00 00 00 00 10 00
expect "READ SUB-CHANNEL 01h, MSF" "00 15 00 0c 01 14 01 01 00 00 02 00 00 00 00 00" 16 42 02 40 01 00 00 00 00 10 00
expect "READ SUB-CHANNEL 02h (MCN)" \
	"00 15 00 14 02 00 00 00 80 30 31 32 33 34 35 36 37 38 39 30 31 32 00 00" 24 42 00 40 02 00 00 00 00 18 00
expect "READ SUB-CHANNEL 03h (ISRC), track 2" \
	"00 15 00 14 03 32 02 00 80 55 53 58 59 5a 32 36 30 30 30 30 31 00 00 00" 24 42 00 40 03 00 00 02 00 18 00
expect "READ SUB-CHANNEL 03h (ISRC), track 1: none" \
	"00 15 00 14 03 34 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" 24 42 00 40 03 00 00 01 00 18 00
expect_sense "READ SUB-CHANNEL 03h, track 4" "$INVALID_FIELD" 42 00 40 03 00 00 04 00 18 00
expect_sense "READ SUB-CHANNEL 04h" "$INVALID_FIELD" 42 00 40 04 00 00 00 00 18 00

# READ HEADER: mode 1 in track 1, LBA and MSF; audio and the lead-out refused
expect "READ HEADER at 10" "01 00 00 00 00 00 00 0a" 8 44 00 00 00 00 0a 00 00 08 00
expect "READ HEADER at 10, MSF" "01 00 00 00 00 00 02 0a" 8 44 02 00 00 00 0a 00 00 08 00
expect_sense "READ HEADER of audio" "$ILLEGAL_MODE" 44 00 00 00 01 f4 00 00 08 00
expect_sense "READ HEADER at the lead-out" "$OUT_OF_RANGE" 44 00 00 00 06 27 00 00 08 00

Z12="00 00 00 00 00 00 00 00 00 00 00 00"
expect "READ DISC INFORMATION" "00 20 0e 01 01 01 03 00 00 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00 00 00" \
	34 51 00 00 00 00 00 00 00 22 00
TI1="00 2e 01 01 00 04 01 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 2c 00 00 01 2b 00 00 00 00 $Z12"
TI2="00 2e 02 01 00 02 0f 02 00 00 01 c2 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 58 00 00 04 19 00 00 00 00 $Z12"
TI3="00 2e 03 01 00 01 0f 02 00 00 04 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 c2 00 00 06 26 00 00 00 00 $Z12"
expect "READ TRACK INFORMATION, track 1" "$TI1" 48 52 01 00 00 00 01 00 00 30 00
expect "READ TRACK INFORMATION, track 2" "$TI2" 48 52 01 00 00 00 02 00 00 30 00
expect "READ TRACK INFORMATION, track 3" "$TI3" 48 52 01 00 00 00 03 00 00 30 00
expect "READ TRACK INFORMATION, LBA 300 (track 2's pregap)" "$TI2" 48 52 00 00 00 01 2c 00 00 30 00
expect "READ TRACK INFORMATION, session 1" "$TI1" 48 52 02 00 00 00 01 00 00 30 00
expect_sense "READ TRACK INFORMATION, track 4" "$INVALID_FIELD" 52 01 00 00 00 04 00 00 30 00
expect_sense "READ TRACK INFORMATION, the lead-out" "$INVALID_FIELD" 52 00 00 00 06 27 00 00 30 00

# GET CONFIGURATION: CD Read with CD-Text and C2; CD External Audio Play; both current
expect "GET CONFIGURATION 001Eh" "00 00 00 0c 00 00 00 08 00 1e 09 04 03 00 00 00" 64 46 02 00 1e 00 00 00 00 40 00
expect "GET CONFIGURATION 0103h" "00 00 00 0c 00 00 00 08 01 03 01 04 03 00 01 00" 64 46 02 01 03 00 00 00 00 40 00
scsi "MODE SENSE page 2Ah" 40 5a 00 2a 00 00 00 00 00 28 00
read -r -a ms <<<"$data"
assert_eq "71 77" "${ms[12]} ${ms[13]}" "page 2Ah bytes 4-5: audio play, mode 2, multi-session; CD-DA, accurate, R-W, C2, ISRC, UPC"

# cd-info (libcdio) sees what was inserted
run_rc rc cd-info -C "$sr" --no-header --quiet --no-device-info --no-cddb
kmsg "cd-info: $out"
assert_match "^ +1: 00:02:00  000000 data" "$out" "cd-info: track 1"
assert_match "^ +2: 00:08:00  000450 audio" "$out" "cd-info: track 2"
assert_match "^ +3: 00:17:00  001125 audio" "$out" "cd-info: track 3"
assert_match "^170: 00:23:00  001575 leadout" "$out" "cd-info: lead-out"
assert_match "^Media Catalog Number \(MCN\): 0123456789012$" "$out" "cd-info: MCN"
assert_match "^TRACK +2 ISRC: USXYZ2600001$" "$out" "cd-info: ISRC of track 2"
assert_match "^TRACK +3 ISRC: USXYZ2600002$" "$out" "cd-info: ISRC of track 3"
assert_match "^Language 0 'English':" "$out" "cd-info: CD-TEXT language"
grep -A3 '^CD-TEXT for Disc:' <<<"$out" | grep -q $'^\tTITLE: Test Disc$' || fail "cd-info: disc title:"$'\n'"$out"
grep -A3 '^CD-TEXT for Disc:' <<<"$out" | grep -q $'^\tPERFORMER: vcdrom$' || fail "cd-info: disc performer"
grep -A3 '^CD-TEXT for Track  2:' <<<"$out" | grep -q $'^\tTITLE: Song Two$' || fail "cd-info: title of track 2"
grep -A3 '^CD-TEXT for Track  3:' <<<"$out" | grep -q $'^\tPERFORMER: Anyone$' || fail "cd-info: performer of track 3"

# ======== audio play ========
kmsg "audio play"
# subq_pos [MSF]: the audio status and the absolute LBA READ SUB-CHANNEL 01h gives, as "STATUS LBA"
subq() {
	scsi "READ SUB-CHANNEL 01h" 16 42 00 40 01 00 00 00 00 10 00
	read -r -a q <<<"$data"
	echo "${q[1]} $((0x${q[8]}${q[9]}${q[10]}${q[11]}))"
}
status_is() { assert_eq "$1" "$(subq | cut -d' ' -f1)" "${2:-audio status}"; }

expect_sense "PLAY AUDIO(10) of the data track" "$ILLEGAL_MODE" 45 00 00 00 00 0a 00 00 4b 00
expect_sense "PLAY AUDIO(10) at the lead-out" "$OUT_OF_RANGE" 45 00 00 00 06 27 00 00 4b 00
expect_sense "PLAY AUDIO(10) past the lead-out" "$OUT_OF_RANGE" 45 00 00 00 06 00 00 00 4b 00
expect_sense "PAUSE with nothing playing" "$SEQUENCE" 4b 00 00 00 00 00 00 00 00 00
expect_sense "RESUME with nothing paused" "$SEQUENCE" 4b 00 00 00 00 00 00 00 01 00
expect "PLAY AUDIO(10) of length 0" "" 0 45 00 00 00 00 0a 00 00 00 00
status_is 15 "after a play of length 0"

# track 2 from its start: the position advances 75 sectors a second. Bounds from the clock, not from how
# fast the guest is: at least a second's worth across the sleep, at most what the time measured around the
# commands allows (a frame either way for rounding).
now_ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(now_ms)
expect "PLAY AUDIO(10) track 2" "" 0 45 00 00 00 01 c2 00 02 58 00
read -r st1 p1 < <(subq)
t1=$(now_ms)
sleep 1
read -r st2 p2 < <(subq)
t2=$(now_ms)
assert_eq "11 11" "$st1 $st2" "audio status while playing"
[ "$p1" -ge 450 ] && [ $((p1 - 450)) -le $(((t1 - t0) * 75 / 1000 + 1)) ] ||
	fail "position $p1, $((t1 - t0)) ms after play started at 450"
[ $((p2 - p1)) -ge 74 ] && [ $((p2 - p1)) -le $(((t2 - t0) * 75 / 1000 + 1)) ] ||
	fail "the position moved from $p1 to $p2 across a 1 s sleep, $((t2 - t0)) ms in all"
scsi "READ SUB-CHANNEL 01h while playing" 16 42 00 40 01 00 00 00 00 10 00
read -r -a q <<<"$data"
rel=$((0x${q[12]}${q[13]}${q[14]}${q[15]}))
abs=$((0x${q[8]}${q[9]}${q[10]}${q[11]}))
index=01
[ "$abs" -lt 750 ] || index=02
assert_eq "01 12 02 $index" "${q[4]} ${q[5]} ${q[6]} ${q[7]}" "format, ADR/control, track and index at $abs"
assert_eq $((abs - 450)) "$rel" "the track-relative position"

# PAUSE: 12h and a frozen position; RESUME: moving again; STOP: 15h
expect "PAUSE" "" 0 4b 00 00 00 00 00 00 00 00 00
read -r st1 p1 < <(subq)
sleep 0.5
read -r st2 p2 < <(subq)
assert_eq "12 12 $p1" "$st1 $st2 $p2" "status and position while paused"
expect "PAUSE again" "" 0 4b 00 00 00 00 00 00 00 00 00
expect "RESUME" "" 0 4b 00 00 00 00 00 00 00 01 00
sleep 0.5
read -r st2 p2 < <(subq)
t3=$(now_ms)
# The play is 600 sectors (8 s): it may have completed only if more than 8 s passed since it started.
if [ "$st2" = 13 ] && [ $((t3 - t0)) -gt 8000 ]; then
	log "the 8 s play completed before the check after RESUME, $((t3 - t0)) ms after it started (slow guest)"
else
	assert_eq 11 "$st2" "status after RESUME, $((t3 - t0)) ms after the 8 s play started"
	[ "$p2" -gt "$p1" ] || fail "the position did not move after RESUME: $p1 then $p2"
fi
expect "STOP PLAY/SCAN" "" 0 4e 00 00 00 00 00 00 00 00 00
read -r st1 p1 < <(subq)
sleep 0.3
read -r st2 p2 < <(subq)
assert_eq "15 15 $p1" "$st1 $st2 $p2" "status and position after STOP"
expect_sense "RESUME after STOP" "$SEQUENCE" 4b 00 00 00 00 00 00 00 01 00

# play to the end of the disc: 13h once, then 15h; the position is the last sector played
expect "PLAY AUDIO(12) of the last 30 sectors" "" 0 a5 00 00 00 06 09 00 00 00 1e 00 00
sleep 1
read -r st1 p1 < <(subq)
read -r st2 p2 < <(subq)
assert_eq "13 1574 15 1574" "$st1 $p1 $st2 $p2" "status and position after play reached the end, read twice"

# PLAY AUDIO MSF 00:17:00-00:23:00 (track 3), then a READ(10) of track 1 ends play
expect "PLAY AUDIO MSF" "" 0 47 00 00 00 11 00 00 17 00 00
status_is 11 "after PLAY AUDIO MSF"
run_rc rc sg_raw -r 2048 "$sg" 28 00 00 00 00 05 00 00 01 00
assert_eq 0 "$rc" "READ(10) during play: $out"
read -r st1 p1 < <(subq)
sleep 0.3
read -r st2 p2 < <(subq)
assert_eq "15 15 $p1" "$st1 $st2 $p2" "status and position after a READ interrupted play"
[ "$p1" -ge 1125 ] && [ "$p1" -lt 1575 ] || fail "position $p1 after play of track 3 was interrupted"
expect "PLAY AUDIO MSF, start = end" "" 0 47 00 00 00 11 00 00 11 00 00
status_is 15 "after PLAY AUDIO MSF of nothing"
expect_sense "PLAY AUDIO MSF, start after end" "$INVALID_FIELD" 47 00 00 00 12 00 00 11 00 00
expect_sense "PLAY AUDIO MSF, 60 seconds" "$INVALID_FIELD" 47 00 00 00 11 00 00 3c 00 00
# from the current position (FF:FF:FF): where the READ left it
expect "PLAY AUDIO MSF from here" "" 0 47 00 00 ff ff ff 00 17 00 00
read -r st1 p2 < <(subq)
assert_eq 11 "$st1" "status of a play from the current position"
[ "$p2" -ge "$p1" ] && [ "$p2" -lt $((p1 + 375)) ] || fail "play from the current position $p1 is at $p2"
# the same through the kernel's CD-ROM ioctls on /dev/srN, which cdrom.c turns into these commands (CDROMSTOP
# into START STOP UNIT); each line: "what: status track index M:SS:FF"
expect "STOP PLAY/SCAN" "" 0 4e 00 00 00 00 00 00 00 00 00
run_rc rc python3 - "$sr" <<'EOF'
import fcntl, os, struct, sys
CDROMPAUSE, CDROMRESUME, CDROMPLAYMSF, CDROMSTOP, CDROMSUBCHNL, CDROMVOLREAD = \
    0x5301, 0x5302, 0x5303, 0x5307, 0x530b, 0x5313
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
def subchnl(what):
    b = fcntl.ioctl(fd, CDROMSUBCHNL, struct.pack("=BBBBB3x4s4s", 2, 0, 0, 0, 0, bytes(4), bytes(4)))
    fmt, status, adrctl, trk, ind, a = struct.unpack("=BBBBB3x4s4x", b)
    print(f"{what}: {status:02x} {trk} {ind} {a[0]}:{a[1]:02}:{a[2]:02}")
fcntl.ioctl(fd, CDROMPLAYMSF, struct.pack("=6B", 0, 17, 0, 0, 23, 0))
subchnl("play")
fcntl.ioctl(fd, CDROMPAUSE)
subchnl("pause")
fcntl.ioctl(fd, CDROMRESUME)
subchnl("resume")
fcntl.ioctl(fd, CDROMSTOP)
subchnl("stop")
print("volume:", " ".join(map(str, fcntl.ioctl(fd, CDROMVOLREAD, bytes(4)))))
fcntl.ioctl(fd, 0x530a, bytes([200, 100, 0, 0]))	# CDROMVOLCTRL: MODE SENSE, then MODE SELECT 0Eh
print("volume set:", " ".join(map(str, fcntl.ioctl(fd, CDROMVOLREAD, bytes(4)))))
EOF
assert_eq 0 "$rc" "CD-ROM audio ioctls: $out"
assert_match "^play: 11 3 1 0:1[7-9]:[0-9]{2}$" "$out" "CDROMSUBCHNL after CDROMPLAYMSF 00:17:00"
assert_match "^pause: 12 3 1 0:1[7-9]:[0-9]{2}$" "$out" "CDROMSUBCHNL after CDROMPAUSE"
assert_match "^resume: 11 3 1 0:1[7-9]:[0-9]{2}$" "$out" "CDROMSUBCHNL after CDROMRESUME"
assert_match "^stop: 15 3 1 0:1[7-9]:[0-9]{2}$" "$out" "CDROMSUBCHNL after CDROMSTOP"
assert_match "^volume: 255 255 0 0$" "$out" "CDROMVOLREAD"
assert_match "^volume set: 200 100 0 0$" "$out" "CDROMVOLREAD after CDROMVOLCTRL"
expect "MODE SENSE page 0Eh" "00 16 00 00 00 00 00 00 0e 0e 04 00 00 00 00 00 01 c8 02 64 00 00 00 00" \
	24 5a 00 0e 00 00 00 00 00 18 00
expect "MODE SENSE page 0Eh, changeable" "00 16 00 00 00 00 00 00 0e 0e 00 00 00 00 00 00 0f ff 0f ff 0f ff 0f ff" \
	24 5a 00 4e 00 00 00 00 00 18 00
# MODE SELECT takes page 0Eh only, with PF, without SP
printf '\0\0\0\0\0\0\0\0\x2a\x06\0\0\0\0\0\0' >"$T/page2a"
run_rc rc sg_raw -s 16 -i "$T/page2a" "$sg" 55 10 00 00 00 00 00 00 10 00
assert_eq "Illegal Request / Invalid field in parameter list" "$(sense_of "$out")" "MODE SELECT of page 2Ah:"$'\n'"$out"
expect_sense "MODE SELECT with SP" "Illegal Request / Saving parameters not supported" 55 11 00 00 00 00 00 00 00 00

# an eject ends it
vcdromctl eject 0 >/dev/null
sg_turs "$sg" >/dev/null 2>&1 || true	# the removal's unit attention; insert eats the new medium's
insert mixed.json
status_is 15 "after the medium was changed during play"

# ======== two sessions ========
kmsg "two sessions"
insert sessions.json
assert_eq "loaded CD-ROM 12400" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity)"')" "the two-session disc"
# LBA 600 = 00:10:00, 11850 = 02:40:00, 12000 = 02:42:00, 12400 = 02:47:25
expect "two sessions: READ TOC format 0" \
	"00 1a 01 02 00 10 01 00 00 00 00 00 00 14 02 00 00 00 2e e0 00 14 aa 00 00 00 30 70" \
	804 43 00 00 00 00 00 00 03 24 00
expect "two sessions: READ TOC format 1" "00 0a 01 02 00 14 02 00 00 00 2e e0" 12 43 00 01 00 00 00 00 00 0c 00
expect "two sessions: READ TOC format 1, MSF" "00 0a 01 02 00 14 02 00 00 02 2a 00" 12 43 02 01 00 00 00 00 00 0c 00
S2="02 14 00 a0 00 00 00 00 02 00 00 02 14 00 a1 00 00 00 00 02 00 00 02 14 00 a2 00 00 00 00 02 2f 19 \
02 14 00 02 00 00 00 00 02 2a 00"
expect "two sessions: READ TOC format 2" "00 70 01 02 \
01 10 00 a0 00 00 00 00 01 00 00 01 10 00 a1 00 00 00 00 01 00 00 01 10 00 a2 00 00 00 00 00 0a 00 \
01 10 00 01 00 00 00 00 00 02 00 01 50 00 b0 4f 3b 4a 02 02 28 00 01 50 00 c0 00 00 00 00 61 1b 00 $S2" \
	804 43 02 02 00 00 00 00 03 24 00
expect "two sessions: READ TOC format 2 from session 2" "00 2e 01 02 $S2" 804 43 02 02 00 00 00 02 03 24 00
expect_sense "two sessions: READ TOC format 2 from session 3" "$INVALID_FIELD" 43 02 02 00 00 00 03 03 24 00
expect "two sessions: READ DISC INFORMATION" \
	"00 20 0e 01 02 02 02 00 00 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00 00 00" \
	34 51 00 00 00 00 00 00 00 22 00
TIS1="00 2e 01 01 00 00 0f 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 58 00 00 02 57 00 00 00 00 $Z12"
TIS2="00 2e 02 02 00 04 01 02 00 00 2e e0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 90 00 00 30 6f 00 00 00 00 $Z12"
expect "two sessions: READ TRACK INFORMATION, session 1" "$TIS1" 48 52 02 00 00 00 01 00 00 30 00
expect "two sessions: READ TRACK INFORMATION, session 2" "$TIS2" 48 52 02 00 00 00 02 00 00 30 00
expect "two sessions: READ TRACK INFORMATION, track 2" "$TIS2" 48 52 01 00 00 00 02 00 00 30 00
expect "two sessions: READ TRACK INFORMATION, LBA 11900 (pregap)" "$TIS2" 48 52 00 00 00 2e 7c 00 00 30 00
expect_sense "two sessions: READ TRACK INFORMATION between sessions" "$INVALID_FIELD" 52 00 00 00 13 88 00 00 30 00
expect_sense "two sessions: READ TRACK INFORMATION, session 3" "$INVALID_FIELD" 52 02 00 00 00 03 00 00 30 00
expect "two sessions: READ HEADER in session 2's pregap, MSF" "01 00 00 00 00 02 28 32" 8 44 02 00 00 2e 7c 00 00 08 00
expect_sense "two sessions: READ HEADER between sessions" "$OUT_OF_RANGE" 44 00 00 00 13 88 00 00 08 00
expect_sense "two sessions: PLAY AUDIO between sessions" "$OUT_OF_RANGE" 45 00 00 00 13 88 00 00 4b 00

# play that runs into the end of session 1 stops there with an error: 14h once, then 15h
expect "two sessions: PLAY AUDIO(10) 570-669" "" 0 45 00 00 00 02 3a 00 00 64 00
sleep 1
read -r st1 p1 < <(subq)
read -r st2 p2 < <(subq)
assert_eq "14 599 15 599" "$st1 $p1 $st2 $p2" "status and position after play ran into the session's end"
# MSF 00:00:00 is track 1's pregap, where the disc begins: play from LBA 0
expect "two sessions: PLAY AUDIO MSF from 00:00:00" "" 0 47 00 00 00 00 00 00 05 00 00
read -r st1 p1 < <(subq)
assert_eq 11 "$st1" "status of a play from 00:00:00"
[ "$p1" -lt 75 ] || fail "play from 00:00:00 is at $p1"
expect "STOP PLAY/SCAN" "" 0 4e 00 00 00 00 00 00 00 00 00

# the kernel takes session 2's first data track as the file system's start
ms=$(python3 - "$sr" <<'EOF'
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
buf = fcntl.ioctl(fd, 0x5310, struct.pack("=iBBxx", 0, 0, 1))	# CDROMMULTISESSION, CDROM_LBA
lba, xa, fmt = struct.unpack("=iBBxx", buf)
print(lba, xa, fmt)
EOF
) || fail "CDROMMULTISESSION on $sr: $ms"
assert_eq "12000 1 1" "$ms" "CDROMMULTISESSION: LBA, XA flag, address format"
modprobe isofs 2>/dev/null || true
mount_ro "$sr" "$T/mnt"
assert_eq "vcdrom session 2" "$(cat "$T/mnt/session2.txt" 2>/dev/null || cat "$T/mnt/SESSION2.TXT")" \
	"the file of session 2's file system"
umount "$T/mnt"

# ======== CD-ROM XA ========
kmsg "XA disc"
insert xa.json
expect "XA: READ TOC format 2" "00 2e 01 01 \
01 14 00 a0 00 00 00 00 01 20 00 01 14 00 a1 00 00 00 00 01 00 00 01 14 00 a2 00 00 00 00 00 06 00 \
01 14 00 01 00 00 00 00 00 02 00" 804 43 02 02 00 00 00 00 03 24 00
expect "XA: READ DISC INFORMATION" \
	"00 20 0e 01 01 01 01 00 20 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00 00 00" \
	34 51 00 00 00 00 00 00 00 22 00
expect "XA: READ HEADER" "02 00 00 00 00 00 00 05" 8 44 00 00 00 00 05 00 00 08 00
scsi "XA: READ TRACK INFORMATION" 48 52 01 00 00 00 01 00 00 30 00
read -r -a q <<<"$data"
assert_eq "04 02" "${q[5]} ${q[6]}" "XA: track mode and data mode"
expect_sense "XA: READ TOC format 5 without CD-TEXT" "$INVALID_FIELD" 43 00 05 00 00 00 00 03 24 00
expect "XA: READ SUB-CHANNEL 02h without an MCN" \
	"00 15 00 14 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" 24 42 00 40 02 00 00 00 00 18 00

vcdromctl eject 0 >/dev/null
log "ok"
