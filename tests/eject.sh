#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inserting and ejecting, as the drive tells it, without udev:
# - after an insert, the first TEST UNIT READY gets UNIT ATTENTION 06/28/00, exactly once, and GET EVENT STATUS
#   NOTIFICATION reports new media exactly once; after an eject, 06/3A/00 once, then NOT READY 02/3A/02;
# - while a mounted file system holds the drive locked, ejects from the system fail and the medium stays: the
#   CDROMEJECT ioctl alone, START STOP UNIT with LoEj through sg (05/53/02), and eject(1) when the file system
#   is busy; `vcdromctl eject` fails with EBUSY and points at --force;
# - after umount, eject(1) opens the tray (`vcdromctl list`: tray-open), `eject -t` closes it;
# - a drive locked through sg (PREVENT) refuses `vcdromctl eject`, and `vcdromctl eject --force` ejects it;
# - a `vcdromctl watch` (text and --json) prints every insert and eject with its cause, and the eject requests.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sg_turs sg_raw sg_start sg_prevent eject
cdrom_status=$(test_bin cdrom_status)
cdrom_ioctl=$(test_bin cdrom_ioctl)

CDS_NO_DISC=1
CDS_TRAY_OPEN=2
CDS_DISC_OK=4
# sg3_utils exit statuses (sg3_utils(8))
SG_NOT_READY=2
SG_UNIT_ATTENTION=6

make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" VCDROM_EJECT
img=$T/disc.iso

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

expected=()	# the watch's lines to come, in order
start_watch "$T/watch.txt"
watch_text=$watch_pid
start_watch "$T/watch.json" --json
watch_json=$watch_pid

insert() {
	local node
	node=$(vcdromctl insert "$img") || fail "vcdromctl insert $img failed"
	assert_eq "$sr" "$node" "vcdromctl insert prints"
	expected+=("event=medium-inserted drive=0")
}

# ---- unit attention and media events: nothing but sg talks to the drive here (no udev, sr not opened) ----
kmsg "unit attention"
check_tur "$sg" "$SG_NOT_READY" "Not Ready / Medium not present - tray closed" "an empty drive"
insert
assert_eq "02 02" "$(gesn "$sg")" "GESN after the insert: new media, medium present"
assert_eq "00 02" "$(gesn "$sg")" "GESN again: no event, medium present"
check_tur "$sg" "$SG_UNIT_ATTENTION" "Unit Attention / Not ready to ready change, medium may have changed" \
	"the first TEST UNIT READY after the insert"
check_tur "$sg" 0 "" "the second TEST UNIT READY after the insert"
check_tur "$sg" 0 "" "the third TEST UNIT READY after the insert"
vcdromctl eject 0 || fail "vcdromctl eject 0"
expected+=("event=medium-ejected drive=0 cause=tool")
assert_eq "03 01" "$(gesn "$sg")" "GESN after the eject: media removal, tray open"
assert_eq "00 01" "$(gesn "$sg")" "GESN again: no event, tray open"
check_tur "$sg" "$SG_UNIT_ATTENTION" "Unit Attention / Medium not present" "the first TEST UNIT READY after the eject"
check_tur "$sg" "$SG_NOT_READY" "Not Ready / Medium not present - tray open" \
	"the second TEST UNIT READY after the eject"
check_tur "$sg" "$SG_NOT_READY" "Not Ready / Medium not present - tray open" \
	"the third TEST UNIT READY after the eject"

# ---- the system's ejects while a mounted file system holds the drive locked ----
kmsg "locked by a mount"
insert
mount_ro "$sr" "$T/mnt"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked while mounted"
assert_eq "$CDS_DISC_OK" "$("$cdrom_status" "$sr")" "CDROM_DRIVE_STATUS while mounted"

run_rc rc "$cdrom_ioctl" "$sr" eject
assert_eq 1 "$rc" "the CDROMEJECT ioctl alone while mounted: $out"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after CDROMEJECT failed"

run_rc rc sg_start -v --eject "$sg"
assert_ne 0 "$rc" "START STOP UNIT (LoEj) through sg while mounted: exit status"
assert_eq "Illegal Request / Medium removal prevented" "$(sense_of "$out")" \
	"sense of START STOP UNIT (LoEj) while locked:"$'\n'"$out"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after START STOP UNIT failed"

# eject(1) unmounts first; with a file open on the file system it cannot
exec {busy}<"$T/mnt/README"
run_rc rc eject "$sr"
exec {busy}<&-
assert_ne 0 "$rc" "eject $sr while its file system is busy: exit status ($out)"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after eject(1) failed"
mountpoint -q "$T/mnt" || fail "eject $sr unmounted $T/mnt"

run_split rc vcdromctl eject 0
assert_eq 5 "$rc" "vcdromctl eject 0 while mounted: exit status (busy)"
assert_match '^vcdromctl: eject: 0: Device or resource busy \(.*locked.*\)$' "$out_stderr" \
	"vcdromctl eject 0 while mounted"
assert_match '--force' "$out_stderr" "vcdromctl eject 0 while mounted"
expected+=("event=eject-requested drive=0")
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after vcdromctl eject failed"
cmp -s "$T/tree/README" "$T/mnt/README" || fail "the mounted file system no longer reads right"

umount "$T/mnt"
assert_eq "loaded false" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after umount"

# ---- the tray, through eject(1) ----
kmsg "eject(1)"
eject "$sr" || fail "eject $sr after umount"
expected+=("event=medium-ejected drive=0 cause=host")
list=$(vcdromctl list) || fail "vcdromctl list: $list"
assert_match "^0 +$sr +$sg +tray-open +no +- +- +-\$" "$list" "vcdromctl list after eject $sr"
assert_eq "tray-open null null []" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity) \(.images)"')" \
	"drive 0 after eject $sr"
assert_eq "$CDS_TRAY_OPEN" "$("$cdrom_status" "$sr")" "CDROM_DRIVE_STATUS after eject"
eject -t "$sr" || fail "eject -t $sr"
assert_eq empty "$(drive_state 0)" "state after eject -t"
assert_eq "$CDS_NO_DISC" "$("$cdrom_status" "$sr")" "CDROM_DRIVE_STATUS after eject -t"

# ---- a drive locked through sg: vcdromctl eject, then --force ----
kmsg "locked through sg"
insert
sg_turs "$sg" >/dev/null 2>&1 || true		# the insert's unit attention
sg_prevent --prevent=1 "$sg" || fail "sg_prevent --prevent=1 $sg"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "state and locked after PREVENT"
run_split rc vcdromctl eject 0
assert_eq 5 "$rc" "vcdromctl eject 0 when locked: exit status (busy)"
assert_match '^vcdromctl: eject: 0: Device or resource busy \(' "$out_stderr" "vcdromctl eject 0 when locked"
assert_match '--force' "$out_stderr" "vcdromctl eject 0 when locked"
expected+=("event=eject-requested drive=0")
# the eject request is for the system to see once, through GESN, as from a drive's button
assert_eq "01 02" "$(gesn "$sg")" "GESN after the refused eject: eject request, medium present"
assert_eq "00 02" "$(gesn "$sg")" "GESN again: no event"
assert_eq loaded "$(drive_state 0)" "state after the refused eject"
run_split rc vcdromctl eject --force 0
assert_eq 0 "$rc" "vcdromctl eject --force 0 exit status ($out_stderr)"
expected+=("event=medium-ejected drive=0 cause=forced")
assert_eq "tray-open false []" "$(drive_json 0 '"\(.state) \(.locked) \(.images)"')" "drive 0 after eject --force"
check_tur "$sg" "$SG_UNIT_ATTENTION" "Unit Attention / Medium not present" "after eject --force"

# ---- replacing ----
insert
vcdromctl insert --replace "$img" >/dev/null || fail "vcdromctl insert --replace"
expected+=("event=medium-ejected drive=0 cause=replaced" "event=medium-inserted drive=0")
vcdromctl eject "$sg" || fail "vcdromctl eject $sg"
expected+=("event=medium-ejected drive=0 cause=tool")

# ---- what the watches saw ----
want=$(printf '%s\n' "${expected[@]}")
# every event is sent before the command that caused it returns; give the watches a moment to print it
wait_until 5 test "$(watch_lines "$T/watch.txt" | grep -vc '^event=drive-')" -ge "${#expected[@]}" || true
wait_until 5 test "$(watch_lines "$T/watch.json" | wc -l)" -ge "${#expected[@]}" || true
stop_watch "$watch_text"
stop_watch "$watch_json"
# (the text watch also saw the drive the second watch added and removed to sync with; drives come and go
# nowhere else here)
assert_eq "$want" "$(watch_lines "$T/watch.txt" | grep -v '^event=drive-\(added\|removed\) ')" \
	"vcdromctl watch's lines"
got=$(watch_lines "$T/watch.json" |
	jq -r '"event=\(.event) drive=\(.drive)" + (if .cause then " cause=\(.cause)" else "" end)') ||
	fail "vcdromctl --json watch printed something that is not JSON:"$'\n'"$(cat "$T/watch.json")"
assert_eq "$want" "$got" "vcdromctl --json watch's events"
