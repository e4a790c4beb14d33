#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With systemd-udevd running, udev's own rules see media come and go as on a physical drive:
# - an ISO: cdrom_id says ID_CDROM_MEDIA=1, ID_CDROM_MEDIA_CD=1, one session, one data track; blkid's
#   properties give the label, and /dev/disk/by-label/LABEL appears (the insert's uevent, no polling);
# - cdrom_id locks the medium (--lock-media), so `vcdromctl eject` is an eject request: with the kernel
#   polling the drive, udev hears it and ejects (cdrom_id --eject-media); the link goes;
# - a DVD-sized UDF image: ID_CDROM_MEDIA_DVD=1, one data track, its by-label link; `vcdromctl eject --force`
#   takes it out and the link goes.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso mkudffs udevadm
cdrom_id=/lib/udev/cdrom_id
[ -x "$cdrom_id" ] || skip "$cdrom_id not installed"

ISO_LABEL=VCDROM_UDEV_CD
DVD_LABEL=VCDROM_UDEV_DVD

make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" "$ISO_LABEL"
make_udf "$T/dvd.udf" 420000 "$DVD_LABEL" "$T/tree"

start_udevd
vcdrom_load
udevadm settle --timeout=60 || fail "udevadm settle timed out"
sr=$(vcdrom_srdevs)
srn=${sr#/dev/}

link_to() { [ "$(readlink -f "/dev/disk/by-label/$1")" = "$sr" ]; }
no_link() { [ ! -e "/dev/disk/by-label/$1" ] && [ ! -L "/dev/disk/by-label/$1" ]; }

# media_props KIND LABEL TYPE: cdrom_id and udev's properties describe a KIND (CD or DVD) medium with one data
# track, and a file system TYPE labelled LABEL.
media_props() {
	local other=DVD props
	[ "$1" = CD ] || other=CD
	run_rc rc "$cdrom_id" "$sr"
	echo "cdrom_id $sr: exit $rc"$'\n'"$out"
	assert_eq 0 "$rc" "cdrom_id $sr exit status"
	assert_match '^ID_CDROM_MEDIA=1$' "$out" "cdrom_id $sr ($1)"
	assert_match "^ID_CDROM_MEDIA_$1=1\$" "$out" "cdrom_id $sr ($1)"
	assert_no_match "^ID_CDROM_MEDIA_$other=" "$out" "cdrom_id $sr ($1)"
	assert_match '^ID_CDROM_MEDIA_SESSION_COUNT=1$' "$out" "cdrom_id $sr ($1)"
	assert_match '^ID_CDROM_MEDIA_TRACK_COUNT=1$' "$out" "cdrom_id $sr ($1)"
	assert_match '^ID_CDROM_MEDIA_TRACK_COUNT_DATA=1$' "$out" "cdrom_id $sr ($1)"
	props=$(udevadm info --query=property "$sr")
	assert_match "^ID_CDROM_MEDIA_$1=1\$" "$props" "udev properties of $sr ($1)"
	assert_match "^ID_FS_LABEL=$2\$" "$props" "udev properties of $sr ($1)"
	assert_match "^ID_FS_TYPE=$3\$" "$props" "udev properties of $sr ($1)"
}

# ---- an ISO ----
kmsg "ISO"
no_link "$ISO_LABEL" || fail "/dev/disk/by-label/$ISO_LABEL exists before the insert"
vcdromctl insert "$T/disc.iso" >/dev/null || fail "vcdromctl insert disc.iso"
if ! wait_until 20 link_to "$ISO_LABEL"; then
	ls -l /dev/disk/by-label/ 2>&1 || true
	udevadm info --query=property "$sr" || true
	fail "no /dev/disk/by-label/$ISO_LABEL -> $sr after the insert"
fi
udevadm settle --timeout=60 || fail "udevadm settle timed out"
media_props CD "$ISO_LABEL" iso9660

# ---- an eject request, carried out by udev ----
kmsg "eject request"
if ! wait_until 10 test "$(drive_json 0 .locked)" = true; then
	fail "udev's cdrom_id --lock-media did not lock $sr: $(vcdromctl status 0)"
fi
poll=$(cat "/sys/block/$srn/events_poll_msecs")
on_exit "echo '$poll' >'/sys/block/$srn/events_poll_msecs' 2>/dev/null"
echo 200 >"/sys/block/$srn/events_poll_msecs" || fail "cannot make the kernel poll $sr"
run_split rc vcdromctl eject 0
assert_eq 5 "$rc" "vcdromctl eject 0 while udev holds the medium locked: exit status (busy)"
assert_match '^vcdromctl: eject: 0: Device or resource busy' "$out_stderr" "vcdromctl eject 0 while locked"
if ! wait_until 20 drive_state_is 0 tray-open; then
	udevadm info --query=property "$sr" || true
	fail "udev did not carry out the eject request: $(vcdromctl status 0)"
fi
echo "$poll" >"/sys/block/$srn/events_poll_msecs"
if ! wait_until 20 no_link "$ISO_LABEL"; then
	ls -l /dev/disk/by-label/ 2>&1 || true
	fail "/dev/disk/by-label/$ISO_LABEL still there after the eject"
fi
udevadm settle --timeout=60 || fail "udevadm settle timed out"
run_rc rc "$cdrom_id" "$sr"
assert_no_match '^ID_CDROM_MEDIA=' "$out" "cdrom_id $sr after the eject"

# ---- a DVD ----
kmsg "DVD"
vcdromctl insert "$T/dvd.udf" >/dev/null || fail "vcdromctl insert dvd.udf"
if ! wait_until 20 link_to "$DVD_LABEL"; then
	ls -l /dev/disk/by-label/ 2>&1 || true
	udevadm info --query=property "$sr" || true
	fail "no /dev/disk/by-label/$DVD_LABEL -> $sr after the insert"
fi
udevadm settle --timeout=60 || fail "udevadm settle timed out"
media_props DVD "$DVD_LABEL" udf
no_link "$ISO_LABEL" || fail "/dev/disk/by-label/$ISO_LABEL is back"

vcdromctl eject --force 0 || fail "vcdromctl eject --force 0"
if ! wait_until 20 no_link "$DVD_LABEL"; then
	ls -l /dev/disk/by-label/ 2>&1 || true
	fail "/dev/disk/by-label/$DVD_LABEL still there after the eject"
fi
assert_eq tray-open "$(drive_state 0)" "state after eject --force"
udevadm settle --timeout=60 || fail "udevadm settle timed out"
