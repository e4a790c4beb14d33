#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Medium changes that cross paths, all through the one state machine of kernel/drive.c. The images lie on ext4
# over a loop device, so that the umount at the end proves no image file is still held. A `vcdromctl watch` counts
# the netlink events. For VCDROM_RACE_SECONDS (default 5) each, and on until the paths crossed 3 times (at most
# 60 s):
# 1. the host ejects (START STOP UNIT through sg) while the tool inserts with --replace: every insert that
#    succeeded is one medium-inserted event, and every medium that went in and is not in the drive at the end
#    came out as one medium-ejected event, caused by the host or by the replace;
# 2. the host locks and unlocks the medium (PREVENT ALLOW MEDIUM REMOVAL through sg) while the tool ejects and
#    inserts again: each eject either succeeds (a medium-ejected event, cause tool) or is refused as locked (an
#    eject-requested event); nothing is ever forced;
# 3. a forced eject of a locked drive during audio play: cause forced, the lock is gone, and the next medium
#    starts with no play (READ SUB-CHANNEL audio status 15h).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd sg_raw sg_turs sg_prevent jq mkfs.ext4 losetup
SECS=${VCDROM_RACE_SECONDS:-5}
modprobe loop 2>/dev/null || skip "no loop module"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

truncate -s 64M "$T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
mkfs.ext4 -q -F "$loopdev" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4: $(cat "$T/mkfs.log")"
M=$T/mnt
mkdir "$M"
mount "$loopdev" "$M" || fail "mount $loopdev"
on_exit "! mountpoint -q '$M' || umount -l '$M'"
head -c $((300 * 2048)) /dev/urandom >"$M/a.iso"
head -c $((200 * 2048)) /dev/urandom >"$M/b.iso"
make_audio_disc "$M/audio"

start_watch "$T/events"
# count EVENT [CAUSE]: events of drive 0 so far
count() {
	watch_lines "$T/events" | grep -c "event=$1 drive=0${2:+ cause=$2}\( \|\$\)" || true
}

# ---- 1. host eject against insert --replace ----
kmsg "host eject against insert --replace"
rm -f "$T/stop"
(
	set +e
	while [ ! -e "$T/stop" ]; do
		sg_raw "$sg" 1b 00 00 00 02 00 >/dev/null 2>&1
	done
) &
ejector=$!
on_exit "touch '$T/stop'; wait $ejector 2>/dev/null"
ok=0
end=$((SECONDS + SECS))
cap=$((SECONDS + 60))
i=0
# SECS, and then on until the host has ejected 3 media (at most 60 s): a slow guest still crosses the paths
while [ "$SECONDS" -lt "$end" ] || { [ "$(count medium-ejected host)" -lt 3 ] && [ "$SECONDS" -lt "$cap" ]; }; do
	img=$M/a.iso
	[ $((i % 2)) -eq 0 ] || img=$M/b.iso
	i=$((i + 1))
	if vcdromctl insert --raw --replace --drive 0 "$img" >/dev/null 2>"$T/insert.err"; then
		ok=$((ok + 1))
	else
		fail "insert --replace while the host ejects: $(cat "$T/insert.err")"
	fi
done
touch "$T/stop"
wait "$ejector" || true
loaded=0
[ "$(drive_state 0)" != loaded ] || loaded=1
wait_until 10 eval '[ "$(count medium-inserted)" -eq "$ok" ] && [ "$(count medium-ejected)" -eq $((ok - loaded)) ]' ||
	fail "after $ok inserts ($loaded medium left in): $(count medium-inserted) medium-inserted and $(count medium-ejected) medium-ejected events"
assert_eq "$(count medium-ejected)" $(($(count medium-ejected host) + $(count medium-ejected replaced))) \
	"medium-ejected events caused by the host or a replace"
log "1: $ok inserts, $(count medium-ejected host) ejected by the host, $(count medium-ejected replaced) replaced"
[ "$(count medium-ejected host)" -gt 0 ] || fail "the host never ejected a medium in $SECS s: the race was not run"

# ---- 2. host lock against tool eject ----
kmsg "host lock against tool eject"
base_tool=$(count medium-ejected tool)
base_req=$(count eject-requested)
vcdromctl insert --raw --replace --drive 0 "$M/a.iso" >/dev/null || fail "insert before the lock race"
sg_turs "$sg" >/dev/null 2>&1 || true
rm -f "$T/stop"
(
	set +e
	while [ ! -e "$T/stop" ]; do
		sg_prevent --prevent=1 "$sg" >/dev/null 2>&1
		sg_prevent --prevent=0 "$sg" >/dev/null 2>&1
	done
) &
locker=$!
on_exit "touch '$T/stop'; wait $locker 2>/dev/null"
ejected=0
refused=0
end=$((SECONDS + SECS))
cap=$((SECONDS + 60))
while [ "$SECONDS" -lt "$end" ] || { { [ "$ejected" -lt 3 ] || [ "$refused" -lt 3 ]; } && [ "$SECONDS" -lt "$cap" ]; }; do
	if vcdromctl eject 0 2>"$T/eject.err"; then
		ejected=$((ejected + 1))
		vcdromctl insert --raw --drive 0 "$M/a.iso" >/dev/null 2>"$T/insert.err" ||
			fail "insert after an eject during the lock race: $(cat "$T/insert.err")"
	elif grep -q 'locked' "$T/eject.err"; then
		refused=$((refused + 1))
	else
		fail "eject during the lock race: $(cat "$T/eject.err")"
	fi
done
touch "$T/stop"
wait "$locker" || true
sg_prevent --prevent=0 "$sg" || fail "sg_prevent --prevent=0"
wait_until 10 eval '[ $(($(count medium-ejected tool) - base_tool)) -eq "$ejected" ] && [ $(($(count eject-requested) - base_req)) -eq "$refused" ]' ||
	fail "$ejected ejects and $refused refused: $(($(count medium-ejected tool) - base_tool)) medium-ejected (tool) and $(($(count eject-requested) - base_req)) eject-requested events"
assert_eq 0 "$(count medium-ejected forced)" "forced ejects"
log "2: $ejected ejects, $refused refused as locked"
[ "$ejected" -gt 0 ] && [ "$refused" -gt 0 ] || fail "the lock race did not cross: $ejected ejects, $refused refused"

# ---- 3. a forced eject of a locked drive during audio play ----
kmsg "forced eject during audio play"
vcdromctl insert --replace --drive 0 "$DISC_CUE" >/dev/null || fail "insert $DISC_CUE"
sg_turs "$sg" >/dev/null 2>&1 || true
sg_turs "$sg" >/dev/null 2>&1 || true
subq_status() {
	rm -f "$T/subq"
	sg_raw -r 16 -o "$T/subq" "$sg" 42 00 40 01 00 00 00 00 10 00 >/dev/null 2>&1 || { echo error; return; }
	od -An -tx1 -j1 -N1 "$T/subq" | tr -d ' '
}
sg_prevent --prevent=1 "$sg" || fail "sg_prevent --prevent=1"
sg_raw "$sg" 45 00 00 00 00 00 00 04 00 00 >/dev/null 2>&1 || fail "PLAY AUDIO(10)"
assert_eq 11 "$(subq_status)" "audio status while playing"
vcdromctl eject --force 0 || fail "eject --force during play"
wait_until 10 eval '[ "$(count medium-ejected forced)" -eq 1 ]' || fail "no medium-ejected event with cause forced"
assert_eq false "$(drive_json 0 .locked)" "the lock after a forced eject"
vcdromctl insert --drive 0 "$DISC_CUE" >/dev/null || fail "insert $DISC_CUE again"
sg_turs "$sg" >/dev/null 2>&1 || true
sg_turs "$sg" >/dev/null 2>&1 || true
assert_eq 15 "$(subq_status)" "audio status of the next medium"

# ---- nothing held ----
vcdromctl eject --force 0 || fail "the last eject"
umount "$M" || fail "umount: an image file is still held: $(ls -l /proc/*/fd 2>/dev/null | grep "$M" | head -n 3)"
