#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An empty drive: TEST UNIT READY says NOT READY, medium not present (02/3A/01, 02/3A/02 with the tray open);
# CDROM_DRIVE_STATUS follows the tray through `eject` and `eject -t`; unknown opcodes and ATA PASS-THROUGH get
# ILLEGAL REQUEST, invalid command operation code (05/20/00).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd sg_turs sg_raw eject
cdrom_status=$(test_bin cdrom_status)

CDS_NO_DISC=1
CDS_TRAY_OPEN=2

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
log "drive at $sr and $sg"

# sg3_utils exit statuses (sg3_utils(8)): 2 not ready, 9 illegal request / invalid opcode
SG_NOT_READY=2
SG_INVALID_OP=9

# sr may have left a unit attention from its probe; eat it so that the checks below see the real state
sg_turs "$sg" >/dev/null 2>&1 || true

# check_tur TRAY: TEST UNIT READY fails with medium not present, tray TRAY (closed/open).
check_tur() {
	run_rc rc sg_turs -v "$sg"
	echo "sg_turs -v $sg: exit $rc"$'\n'"$out"
	assert_eq "$SG_NOT_READY" "$rc" "sg_turs $sg exit status (tray $1)"
	run_rc rc sg_raw "$sg" 00 00 00 00 00 00
	echo "sg_raw TEST UNIT READY: exit $rc"$'\n'"$out"
	assert_eq "$SG_NOT_READY" "$rc" "sg_raw TEST UNIT READY exit status (tray $1)"
	assert_match 'Sense key: Not Ready' "$out" "TEST UNIT READY sense (tray $1)"
	assert_match "Additional sense: Medium not present - tray $1" "$out" "TEST UNIT READY sense (tray $1)"
}

# check_status N: CDROM_DRIVE_STATUS answers N.
check_status() {
	local st
	st=$("$cdrom_status" "$sr") || fail "CDROM_DRIVE_STATUS on $sr failed: $st"
	assert_eq "$1" "$st" "CDROM_DRIVE_STATUS on $sr"
}

# check_invalid_op [OPTS] SG CDB...: the command, sent read-write (sg lets a read-only fd send only
# a few safe opcodes, EPERM for the rest), gets ILLEGAL REQUEST, invalid command operation code.
check_invalid_op() {
	run_rc rc sg_raw "$@"
	echo "sg_raw $*: exit $rc"$'\n'"$out"
	assert_match 'Sense key: Illegal Request' "$out" "sense for sg_raw $*"
	assert_match 'Additional sense: Invalid command operation code' "$out" "sense for sg_raw $*"
	assert_eq "$SG_INVALID_OP" "$rc" "sg_raw $* exit status"
}

check_tur closed
check_status "$CDS_NO_DISC"

eject "$sr" || fail "eject $sr"
check_status "$CDS_TRAY_OPEN"
check_tur open

eject -t "$sr" || fail "eject -t $sr"
check_status "$CDS_NO_DISC"
check_tur closed

# an opcode nobody implements (vendor specific group 7)
check_invalid_op "$sg" ff 00 00 00 00 00
# ATA PASS-THROUGH (12) and (16) of IDENTIFY PACKET DEVICE, as udev's ata_id sends them
check_invalid_op -r 512 "$sg" a1 08 0e 00 01 00 00 00 00 a1 00 00
check_invalid_op -r 512 "$sg" 85 08 0e 00 00 00 01 00 00 00 00 00 00 00 a1 00

# the drive still works after all that
check_tur closed
