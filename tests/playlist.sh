#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Playlists of discs (a multi-disc game), without udev:
# - `vcdromctl insert game.m3u` loads disc 1 and keeps all three; `status` lists them and which is in;
# - the system's own eject (eject(1)) then tray close (`eject -t`) loads the next disc, wrapping to the first;
#   each read through /dev/srN is that disc's own volume;
# - `vcdromctl swap` opens the tray for --delay ms (TEST UNIT READY through sg sees NOT READY 02/3A/02 then),
#   closes it on the disc asked for (UNIT ATTENTION, GESN new media); next, prev and N; a bad N and a drive
#   without a playlist are refused with nothing changed;
# - a locked drive refuses swap (EBUSY), --force swaps; a host that closes the tray itself during a swap's
#   delay gets the disc asked for;
# - a playlist with one bad disc is refused whole: the drive keeps what it had;
# - `insert --playlist A B`, a single insert --replace and `vcdromctl eject` end the playlist;
# - swaps beside reads in flight, and an rmmod during a swap's delay;
# - `vcdromctl watch` sees each swap as medium-ejected cause=swapped, then medium-inserted.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sg_turs sg_raw sg_prevent sg_start eject dd

SG_NOT_READY=2
SG_UNIT_ATTENTION=6

mkdir -p "$T/game" "$T/game/cd"
for n in 1 2 3; do
	make_tree "$T/tree$n"
	echo "disc $n" >"$T/tree$n/DISC.TXT"
	make_iso "$T/tree$n" "$T/game/cd/disc$n.iso" "GAME_DISC$n"
done
printf '#EXTM3U\n# a game of three discs\ncd/disc1.iso\r\ncd/DISC2.ISO\n\ncd/disc3.iso\n' >"$T/game/game.m3u"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

start_watch "$T/watch.txt"
watch=$watch_pid
expected=()

# label: the volume of the disc in the drive, read through /dev/srN as any program does (O_DIRECT: from the
# drive, not from the page cache).
label() {
	dd if="$sr" bs=2048 skip=16 count=1 iflag=direct status=none | dd bs=1 skip=40 count=32 status=none |
		tr -d ' '
}

# settle: take the unit attentions a change left, as the system would before reading.
settle() {
	local i
	for i in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && return 0; done
	sg_turs -v "$sg" 2>&1 || fail "the drive is not ready after the change"
}

# in_drive N WHAT: disc N of the game is in, as status and a read through /dev/srN say.
in_drive() {
	settle
	assert_eq "loaded 3 $1" "$(drive_json 0 '"\(.state) \(.playlist | length) \(.disc_number)"')" \
		"state, playlist and disc number $2"
	assert_eq "GAME_DISC$1" "$(label)" "the volume read through $sr $2"
}

# ---- insert an m3u ----
kmsg "insert game.m3u"
node=$(vcdromctl insert "$T/game/game.m3u") || fail "vcdromctl insert game.m3u: $node"
assert_eq "$sr" "$node" "vcdromctl insert game.m3u prints"
expected+=("event=medium-inserted drive=0")
in_drive 1 "after inserting game.m3u"
# DISC2.ISO is found as it is named on disk, but for case
assert_eq "$T/game/cd/disc1.iso|$T/game/cd/disc2.iso|$T/game/cd/disc3.iso" \
	"$(drive_json 0 '.playlist | join("|")')" "status --json's playlist"
assert_eq "[\"$T/game/cd/disc1.iso\"]" "$(drive_json 0 '.source')" "status --json's source"
st=$(vcdromctl status 0) || fail "vcdromctl status 0: $st"
assert_match $'\nplaylist: +'"$T/game/cd/disc1.iso"$'\n +'"$T/game/cd/disc2.iso"$'\n' "$st" "vcdromctl status 0"
assert_match $'\ndisc_number: +1\n' "$st" "vcdromctl status 0"

# ---- the system ejects, then closes the tray: the next disc ----
kmsg "eject and eject -t"
for n in 2 3 1; do
	eject "$sr" || fail "eject $sr"
	expected+=("event=medium-ejected drive=0 cause=host")
	assert_eq "tray-open 3" "$(drive_json 0 '"\(.state) \(.playlist | length)"')" \
		"state and playlist after eject(1)"
	eject -t "$sr" || fail "eject -t $sr"
	expected+=("event=medium-inserted drive=0")
	in_drive "$n" "after eject and eject -t"
done

# ---- swap: the tray open for a moment, then the disc asked for ----
kmsg "swap"
vcdromctl swap --delay 3000 0 3 >"$T/swap.out" 2>&1 &
swap_pid=$!
# the tray is open while the swap waits: only sg talks to the drive now (opening sr would close the tray)
saw_open=no
while kill -0 "$swap_pid" 2>/dev/null; do
	run_rc rc sg_turs -v "$sg"
	if [ "$rc" -eq "$SG_NOT_READY" ] && [ "$(sense_of "$out")" = "Not Ready / Medium not present - tray open" ]
	then
		saw_open=yes
		break
	fi
	sleep 0.02
done
wait "$swap_pid" || fail "vcdromctl swap --delay 3000 0 3: $(cat "$T/swap.out")"
assert_eq yes "$saw_open" "TEST UNIT READY saw the tray open during a swap of 3 s (polled until it ended)"
assert_eq "$sr" "$(cat "$T/swap.out")" "vcdromctl swap prints"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
assert_eq "02 02" "$(gesn "$sg")" "GESN after the swap: new media, medium present"
check_tur "$sg" "$SG_UNIT_ATTENTION" "Unit Attention / Not ready to ready change, medium may have changed" \
	"the first TEST UNIT READY after the swap"
check_tur "$sg" 0 "" "the next TEST UNIT READY after the swap"
in_drive 3 "after swap 0 3"

vcdromctl swap --delay 0 0 next >/dev/null || fail "vcdromctl swap 0 next"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
in_drive 1 "after swap next from disc 3"
vcdromctl swap --delay 0 0 prev >/dev/null || fail "vcdromctl swap 0 prev"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
in_drive 3 "after swap prev from disc 1"
vcdromctl swap --delay 0 0 >/dev/null || fail "vcdromctl swap 0"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
in_drive 1 "after swap (next) from disc 3"

for bad in 0 4 x 1x; do
	run_split rc vcdromctl swap 0 "$bad"
	assert_eq 2 "$rc" "vcdromctl swap 0 $bad: exit status"
	assert_eq "vcdromctl: swap: 0: '$bad': not a disc of its playlist (1-3, next or prev)" "$out_stderr" \
		"vcdromctl swap 0 $bad"
done
run_split rc vcdromctl swap --delay 10001 0 2
assert_eq 2 "$rc" "vcdromctl swap --delay 10001: exit status"
in_drive 1 "after the refused swaps"

# ---- locked by the system: refused, then --force ----
kmsg "swap a locked drive"
sg_prevent --prevent=1 "$sg" || fail "sg_prevent --prevent=1"
run_split rc vcdromctl swap --delay 0 0 2
assert_eq 5 "$rc" "vcdromctl swap of a locked drive: exit status ($out_stderr)"
assert_match 'locked by the host' "$out_stderr" "vcdromctl swap of a locked drive"
assert_match '--force' "$out_stderr" "vcdromctl swap of a locked drive"
in_drive 1 "after the refused swap of a locked drive"
vcdromctl swap --force --delay 0 0 2 >/dev/null || fail "vcdromctl swap --force 0 2"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
in_drive 2 "after swap --force"
assert_eq false "$(drive_json 0 .locked)" "locked after swap --force"

# wait_tray_open PID: until drive 0's tray is open, or the swap PID has ended (too late to see it).
wait_tray_open() {
	local i
	for i in $(seq 400); do
		[ "$(drive_state 0)" != tray-open ] || return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# ---- the system closes the tray itself during a swap's delay: the disc asked for goes in, the swap ends ----
kmsg "tray closed during a swap"
start=$SECONDS
vcdromctl swap --delay 10000 0 3 >"$T/swap.out" 2>&1 &
swap_pid=$!
wait_tray_open "$swap_pid" || fail "the swap's tray was not seen open"
sg_turs "$sg" >/dev/null 2>&1 || true		# the removal's unit attention
sg_start --load "$sg" || fail "sg_start --load during the swap"
wait "$swap_pid" || fail "vcdromctl swap 0 3 with the tray closed meanwhile: $(cat "$T/swap.out")"
# the swap ends when the tray closes, not at its 10 s (seeing the tray open and closing it take well under that)
[ $((SECONDS - start)) -lt 10 ] || fail "the swap waited its 10 s though the system closed the tray"
expected+=("event=medium-ejected drive=0 cause=swapped" "event=medium-inserted drive=0")
in_drive 3 "after the system closed the tray during a swap"

# ---- a playlist with a bad disc is refused whole ----
kmsg "bad playlists"
printf 'garbage, not an image\n' >"$T/game/cd/bad.iso"
printf 'cd/disc1.iso\ncd/bad.iso\n' >"$T/game/bad.m3u"
run_split rc vcdromctl insert --replace "$T/game/bad.m3u"
assert_eq 6 "$rc" "a playlist with a bad disc: exit status ($out_stderr)"
assert_match "^vcdromctl: insert: $T/game/cd/bad.iso: " "$out_stderr" "a playlist with a bad disc"
printf 'cd/disc1.iso\ncd/none.iso\n' >"$T/game/missing.m3u"
run_split rc vcdromctl insert --replace "$T/game/missing.m3u"
assert_eq 6 "$rc" "a playlist with a missing disc: exit status ($out_stderr)"
assert_eq "vcdromctl: insert: $T/game/missing.m3u:2: cd/none.iso: no such file" "$out_stderr" \
	"a playlist with a missing disc"
in_drive 3 "after the refused playlists"

# ---- insert --playlist, and what ends a playlist ----
kmsg "insert --playlist"
vcdromctl insert --replace --playlist "$T/game/cd/disc2.iso" "$T/game/cd/disc1.iso" >/dev/null ||
	fail "vcdromctl insert --replace --playlist"
expected+=("event=medium-ejected drive=0 cause=replaced" "event=medium-inserted drive=0")
settle
assert_eq "GAME_DISC2 2 1" "$(label) $(drive_json 0 '"\(.playlist | length) \(.disc_number)"')" \
	"insert --playlist disc2 disc1: disc, playlist length, disc number"
eject "$sr" || fail "eject $sr"
expected+=("event=medium-ejected drive=0 cause=host")
vcdromctl eject 0 || fail "vcdromctl eject 0 between discs of a playlist"
assert_eq "tray-open 0" "$(drive_json 0 '"\(.state) \(.playlist | length)"')" "after vcdromctl eject between discs"
eject -t "$sr" || fail "eject -t $sr"
assert_eq empty "$(drive_state 0)" "eject -t after the playlist ended: the drive stays empty"

vcdromctl insert "$T/game/game.m3u" >/dev/null || fail "vcdromctl insert game.m3u again"
expected+=("event=medium-inserted drive=0")
vcdromctl insert --replace "$T/game/cd/disc2.iso" >/dev/null || fail "vcdromctl insert --replace disc2.iso"
expected+=("event=medium-ejected drive=0 cause=replaced" "event=medium-inserted drive=0")
assert_eq "0 null" "$(drive_json 0 '"\(.playlist | length) \(.disc_number)"')" "a single insert ends the playlist"
run_split rc vcdromctl swap 0 next
assert_eq 6 "$rc" "vcdromctl swap without a playlist: exit status"
assert_eq "vcdromctl: swap: 0: holds no playlist (insert an .m3u, or insert --playlist)" "$out_stderr" \
	"vcdromctl swap without a playlist"
vcdromctl insert --replace "$T/game/game.m3u" >/dev/null || fail "vcdromctl insert --replace game.m3u"
expected+=("event=medium-ejected drive=0 cause=replaced" "event=medium-inserted drive=0")
vcdromctl eject 0 || fail "vcdromctl eject 0 of a playlist"
expected+=("event=medium-ejected drive=0 cause=tool")
assert_eq "tray-open 0" "$(drive_json 0 '"\(.state) \(.playlist | length)"')" "vcdromctl eject ends the playlist"

# ---- the watch saw each change ----
want=$(printf '%s\n' "${expected[@]}")
wait_until 5 test "$(watch_lines "$T/watch.txt" | grep -vc '^event=drive-')" -ge "${#expected[@]}" || true
stop_watch "$watch"
assert_eq "$want" "$(watch_lines "$T/watch.txt" | grep -v '^event=drive-\(added\|removed\) ')" \
	"vcdromctl watch's lines"

# ---- swaps beside reads in flight: every read either gets a disc's bytes or fails cleanly ----
kmsg "swaps beside reads"
vcdromctl insert "$T/game/game.m3u" >/dev/null || fail "vcdromctl insert game.m3u for the reads"
settle
for n in 1 2 3; do
	dd if="$T/game/cd/disc$n.iso" bs=2048 skip=16 count=1 status=none >"$T/pvd$n"
done
(
	end=$((SECONDS + 8))
	while [ "$SECONDS" -lt "$end" ]; do
		sg_raw -r 2048 -o "$T/read" "$sg" 28 00 00 00 00 10 00 00 01 00 >/dev/null 2>&1 || continue
		cmp -s "$T/read" "$T/pvd1" || cmp -s "$T/read" "$T/pvd2" || cmp -s "$T/read" "$T/pvd3" ||
			{ echo "a read got bytes of no disc" >"$T/reader.err"; exit 1; }
	done
) &
reader=$!
for n in 2 3 1 2 3 1; do
	vcdromctl swap --delay 200 0 "$n" >/dev/null || fail "vcdromctl swap 0 $n beside reads"
done
wait "$reader" || fail "$(cat "$T/reader.err" 2>/dev/null || echo "the reader failed")"
in_drive 1 "after the swaps beside reads"

# ---- rmmod during a swap's delay: it waits for the swap, then unloads ----
kmsg "rmmod during a swap"
vcdromctl swap --delay 3000 0 2 >/dev/null 2>&1 &
swap_pid=$!
# (on a guest too slow to see the tray open, the unload comes after the swap: still one that must work)
wait_tray_open "$swap_pid" || log "the swap ended before its open tray was seen"
vcdrom_unload
rc=0
wait "$swap_pid" || rc=$?
assert_eq 0 "$rc" "vcdromctl swap during rmmod: exit status"
[ ! -e /sys/module/vcdrom ] || fail "vcdrom still loaded after rmmod during a swap"
