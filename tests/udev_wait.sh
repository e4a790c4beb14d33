#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vcdromctl's --wait and `wait`, with systemd-udevd running: when they return udev has finished, so a script
# goes straight on, with no sleep and no `udevadm settle` (none is run between a wait and its checks here):
# - `insert --wait` prints /dev/srN, and at once /dev/disk/by-label/LABEL points to it and udev's properties
#   have ID_CDROM_MEDIA=1 and the disc's label; then 10 rounds between two discs, by `eject --force` (not
#   waited for) and `insert --wait`, or by ALLOW MEDIUM REMOVAL (cdrom_id locks the disc in) and `insert
#   --replace --wait`: each time the new disc's link is there and the other's is gone;
# - `add --wait` prints the new drive's /dev/srN, whose node exists and which cdrom_id has seen (ID_CDROM=1);
# - `wait` on a loaded drive prints its node; on an empty drive it returns once another process inserts a
#   disc, with the link there; with nothing inserted it gives up after --timeout: exit status 8;
# - with udevd stopped, `insert --wait` has only the disc to wait for and returns 0 (not 8 after --timeout).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso udevadm sg_prevent
[ -x /lib/udev/cdrom_id ] || skip "/lib/udev/cdrom_id not installed"

make_tree "$T/tree"
make_iso "$T/tree" "$T/a.iso" VCDROM_WAIT_A
make_iso "$T/tree/docs" "$T/b.iso" VCDROM_WAIT_B

start_udevd
vcdrom_load
udevadm settle --timeout=60 || fail "udevadm settle timed out"
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

link_to() { [ "$(readlink -f "/dev/disk/by-label/$1")" = "$2" ]; }
no_link() { [ ! -e "/dev/disk/by-label/$1" ] && [ ! -L "/dev/disk/by-label/$1" ]; }

# disc_seen LABEL OTHER WHAT: right now, udev has made LABEL's link to $sr, OTHER's is gone, and udev's
# properties of $sr are those of the disc labelled LABEL.
disc_seen() {
	local props
	props=$(udevadm info --query=property "$sr")
	if ! link_to "$1" "$sr"; then
		ls -l /dev/disk/by-label/ 2>&1 || true
		echo "$props"
		fail "$3: no /dev/disk/by-label/$1 -> $sr when it returned"
	fi
	no_link "$2" || fail "$3: /dev/disk/by-label/$2 still there when it returned"
	assert_match '^ID_CDROM_MEDIA=1$' "$props" "$3: udev's properties of $sr"
	assert_match "^ID_FS_LABEL=$1\$" "$props" "$3: udev's properties of $sr"
}

# ---- insert --wait ----
run_split rc vcdromctl insert --wait "$T/a.iso"
assert_eq 0 "$rc" "insert --wait a.iso: $out_stderr"
assert_eq "$sr" "$out_stdout" "insert --wait prints"
disc_seen VCDROM_WAIT_A VCDROM_WAIT_B "insert --wait a.iso"
for round in 1 2 3 4 5 6 7 8 9 10; do
	if [ $((round % 2)) -eq 1 ]; then
		new=b other=A
	else
		new=a other=B
	fi
	if [ $((round % 4)) -lt 2 ]; then
		# cdrom_id --lock-media has locked the disc in: a script ejects it, and does not wait for that
		how="eject --force, insert --wait"
		vcdromctl eject --force 0 || fail "round $round: vcdromctl eject --force 0"
		run_split rc vcdromctl insert --wait --drive 0 "$T/$new.iso"
	else
		# or lets it go (ALLOW MEDIUM REMOVAL), and replaces it. Events of the eject before the last
		# insert can still be running cdrom_id --lock-media, which would lock it again: settle first.
		how="insert --replace --wait"
		udevadm settle --timeout=60 || fail "udevadm settle timed out"
		sg_prevent --allow "$sg" || fail "round $round: sg_prevent --allow $sg"
		run_split rc vcdromctl insert --replace --wait --drive 0 "$T/$new.iso"
	fi
	assert_eq 0 "$rc" "round $round: $how $new.iso: $out_stderr"
	assert_eq "$sr" "$out_stdout" "round $round: $how $new.iso prints"
	disc_seen "VCDROM_WAIT_${new^^}" "VCDROM_WAIT_$other" "round $round: $how $new.iso"
done
log "insert --wait: udev's links and properties are the new disc's when it returns (11 inserts)"

# ---- add --wait ----
run_split rc vcdromctl --json add --wait
assert_eq 0 "$rc" "add --wait: $out_stderr"
sr2=$(jq -r .device <<<"$out_stdout")
index2=$(jq -r .index <<<"$out_stdout")
assert_match '^/dev/sr[0-9]+$' "$sr2" "add --wait: the new drive's device"
[ -b "$sr2" ] || fail "add --wait: $sr2 is not a block device when it returned"
assert_match '^ID_CDROM=1$' "$(udevadm info --query=property "$sr2")" "add --wait: udev's properties of $sr2"
vcdromctl remove "$index2" || fail "vcdromctl remove $index2"
log "add --wait: $sr2 exists and udev has seen it when it returns"

# ---- wait ----
run_split rc vcdromctl wait 0
assert_eq 0 "$rc" "wait on a loaded drive: $out_stderr"
assert_eq "$sr" "$out_stdout" "wait on a loaded drive prints"

vcdromctl eject --force 0 || fail "vcdromctl eject --force 0"
udevadm settle --timeout=60 || fail "udevadm settle timed out"
run_split rc vcdromctl wait --timeout 2 0
assert_eq 8 "$rc" "wait on an empty drive, nothing inserted: exit status"
assert_eq "vcdromctl: wait: 0: no medium after 2 s" "$out_stderr" "wait on an empty drive, nothing inserted"

# Another process inserts while `wait` waits. The sleep only makes that order likely (a wait that starts after
# the insert is also right); nothing depends on its length.
(
	wrc=0
	vcdromctl wait --timeout 60 0 >"$T/wait.out" 2>&1 || wrc=$?
	echo "$wrc" >"$T/wait.rc"
) &
wpid=$!
sleep 1
vcdromctl insert --drive 0 "$T/b.iso" >/dev/null || fail "vcdromctl insert b.iso"
wait "$wpid"
assert_eq 0 "$(cat "$T/wait.rc")" "wait while another process inserts: $(cat "$T/wait.out")"
assert_eq "$sr" "$(cat "$T/wait.out")" "wait while another process inserts prints"
disc_seen VCDROM_WAIT_B VCDROM_WAIT_A "wait while another process inserts"
log "wait: a loaded drive at once, an empty one until a disc goes in, and exit status 8 after --timeout"

# ---- no udev (only when this test started udevd: the system's own is left running) ----
if [ "$_udevd_started" -eq 1 ]; then
	vcdromctl eject --force 0 || fail "vcdromctl eject --force 0"
	stop_udevd
	_udevd_used=0
	run_split rc vcdromctl insert --wait --timeout 20 "$T/a.iso"
	assert_eq 0 "$rc" "insert --wait without udevd: $out_stderr"
	assert_eq "$sr" "$out_stdout" "insert --wait without udevd prints"
	log "insert --wait without udevd returns with the disc in"
else
	echo "# the system's udevd runs: insert --wait without udevd not tried"
fi
