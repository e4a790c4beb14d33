#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With systemd-udevd running, udev's own rules recognise the drives: each gets a /dev/disk/by-id link
# (built from scsi_id's answer to the VPD pages) and is a CD-ROM to cdrom_id.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd udevadm
cdrom_id=/lib/udev/cdrom_id
[ -x "$cdrom_id" ] || skip "$cdrom_id not installed"

start_udevd
vcdrom_load drives=2
udevadm settle --timeout=60 || fail "udevadm settle timed out"
mapfile -t srs < <(vcdrom_srdevs)
assert_eq 2 "${#srs[@]}" "number of sr nodes with drives=2"

# by_id_link SR: a /dev/disk/by-id link that resolves to SR.
by_id_link() {
	local l
	for l in /dev/disk/by-id/*; do
		if [ -L "$l" ] && [ "$(readlink -f "$l")" = "$1" ]; then
			echo "$l"
			return 0
		fi
	done
	return 1
}

for sr in "${srs[@]}"; do
	if ! wait_until 10 by_id_link "$sr" >/dev/null; then
		ls -l /dev/disk/by-id/ 2>&1 || true
		udevadm info --query=property "$sr" || true
		fail "no /dev/disk/by-id link to $sr"
	fi
	log "$sr: $(by_id_link "$sr")"

	run_rc rc "$cdrom_id" "$sr"
	echo "cdrom_id $sr: exit $rc"$'\n'"$out"
	assert_eq 0 "$rc" "cdrom_id $sr exit status"
	assert_match '^ID_CDROM=1$' "$out" "cdrom_id $sr"

	props=$(udevadm info --query=property "$sr")
	assert_match '^ID_CDROM=1$' "$props" "udev properties of $sr"
	assert_match '^ID_BUS=scsi$' "$props" "udev properties of $sr"
	assert_match '^ID_SERIAL=.' "$props" "udev properties of $sr"
done
