#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The permission model (README "Permissions"), for users without capabilities:
# - nobody, in no group: list, status, features and watch work; insert and eject fail because it cannot open
#   /dev/srN for writing, raw requests without a device fd get EPERM and the kernel's reason; add, remove and an
#   image it cannot read are refused. Nothing changes.
# - the same user in the group owning /dev/srN and /dev/sgN (mode 660, as udev makes them): insert, replace,
#   eject and status work through vcdromctl, by /dev/srN and by /dev/sgN; a forced eject, add and remove are
#   still refused. Raw requests (tests/vcdrom_nl.py) passing a read-only fd of the drive, drive 1's fd for drive
#   0, an O_PATH fd, a closed fd number, /dev/null, a regular file or a pipe are refused with the kernel's
#   message, changing nothing; the drive's own fd opened for writing works.
# - a mounted drive: the user's eject is refused as busy (an eject request), the disc stays.
# - root needs no device fd.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso setpriv python3 stat chgrp

NOBODY=65534
GROUP=$(getent group cdrom | cut -d: -f3) || true
[ -n "$GROUP" ] || GROUP=24	# Debian's cdrom group; any group nobody is not in will do
# arrays, not functions: `"${as_nobody[@]}" CMD &` must put CMD itself in the background
as_nobody=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --inh-caps=-all --bounding-set=-all)
as_cdrom=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --groups="$GROUP" --inh-caps=-all --bounding-set=-all)
NL="$(cd "$(dirname "$0")" && pwd)/vcdrom_nl.py"

# the user must be able to run the tool at all, and must have no capability left
run_rc rc "${as_nobody[@]}" "$VCDROMCTL" help
[ "$rc" -eq 0 ] || skip "user $NOBODY cannot run $VCDROMCTL: $out"
# shellcheck disable=SC2016 # expanded by the user's shell
ids=$("${as_nobody[@]}" sh -c 'echo "$(id -u) $(id -g) $(id -G) $(sed -n "s/^CapEff:[[:space:]]*//p" /proc/self/status)"')
assert_eq "$NOBODY $NOBODY $NOBODY 0000000000000000" "$ids" "uid, gid, groups and capabilities of the user"
# shellcheck disable=SC2016
ids=$("${as_cdrom[@]}" sh -c 'echo "$(id -u) $(id -G) $(sed -n "s/^CapEff:[[:space:]]*//p" /proc/self/status)"')
assert_eq "$NOBODY $NOBODY $GROUP 0000000000000000" "$ids" "uid, groups and capabilities of the user in group $GROUP"

# images where the user can reach them: one it can read, one it cannot, and a raw layout of the readable one
pub=$(mktemp -d /tmp/vcdrom-nonroot.XXXXXX)
on_exit "rm -rf '$pub'"
chmod 755 "$pub"
make_tree "$T/tree"
make_iso "$T/tree" "$pub/public.iso" VCDROM_PUBLIC
cp "$pub/public.iso" "$pub/secret.iso"
chmod 644 "$pub/public.iso"
chmod 600 "$pub/secret.iso"
sectors=$(sectors_of "$pub/public.iso")
cat >"$pub/public.json" <<EOF
{"files": ["public.iso"],
 "sessions": [{"tracks": [{"number": 1, "mode": "mode1", "start": 0,
   "extents": [{"start": 0, "length": $sectors, "format": "cooked_2048", "file": 0, "offset": 0}]}]}]}
EOF
chmod 644 "$pub/public.json"

vcdrom_load drives=2
mapfile -t srs < <(vcdrom_srdevs)
mapfile -t sgs < <(vcdrom_sgdevs)
assert_eq 2 "${#srs[@]}" "sr nodes of the two drives"
sr=${srs[0]} sr1=${srs[1]} sg=${sgs[0]}
assert_eq "$sg" "$(vcdrom_sg_of "$sr")" "drive 0's sg node"

# refused WHO WHAT MESSAGE CMD...: CMD, run as WHO (an array's name), exits with MESSAGE (an extended regex
# matching all of stderr), and the drives are as they were; vcdromctl with 4 (not permitted) or 5 (busy) as
# vcdromctl(8) says, vcdrom_nl.py with 1. The drives as the last refusal left them are kept in $known (one
# listing less per refusal, in a slow guest): whatever changes them must empty it.
known=
refused() {
	local -n who=$1
	local name=$1 what=$2 msg=$3 before=$known after status=1
	shift 3
	if [ "$1" = "$VCDROMCTL" ]; then
		status=4
		[[ $msg != *"Device or resource busy"* ]] || status=5
	fi
	[ -n "$before" ] || before=$(vcdromctl --json list) || fail "vcdromctl --json list: $before"
	run_split rc "${who[@]}" "$@"
	echo "$* (as $name): exit $rc: $out_stderr"
	assert_eq "$status" "$rc" "exit status of $* ($what)"
	[[ $out_stderr =~ ^$msg$ ]] || fail "message of $* ($what): '$out_stderr' does not match '$msg'"
	after=$(vcdromctl --json list) || fail "vcdromctl --json list: $after"
	assert_eq "$before" "$after" "drives after $* ($what)"
	known=$after
}

# works WHO WHAT CMD...: CMD, run as WHO, exits 0; its stdout in $out_stdout.
works() {
	local -n who=$1
	local name=$1 what=$2
	shift 2
	known=
	run_split rc "${who[@]}" "$@"
	echo "$* (as $name): exit $rc: $out_stdout $out_stderr"
	assert_eq 0 "$rc" "exit status of $* ($what): $out_stderr"
}

NEEDS_FD="changing drives needs CAP_SYS_ADMIN or an fd of the drive opened for writing"
NEEDS_ADMIN="Operation not permitted \(adding and removing drives needs CAP_SYS_ADMIN\)"
NO_OPEN="cannot open $sr for writing: Permission denied \(needed without CAP_SYS_ADMIN\)"
P=$pub

# ---- nobody, in no group: an empty drive ----
works as_nobody "list" "$VCDROMCTL" list
assert_match "^0 +$sr +$sg +empty +no " "$out_stdout" "vcdromctl list as $NOBODY"
works as_nobody "features" "$VCDROMCTL" features
refused as_nobody "insert, empty drive" "vcdromctl: insert: $P/public.iso: $NO_OPEN" \
	"$VCDROMCTL" insert "$pub/public.iso"
refused as_nobody "insert of an unreadable file" "vcdromctl: insert: $P/secret.iso: Permission denied" \
	"$VCDROMCTL" insert "$pub/secret.iso"
refused as_nobody "raw insert without a device fd" "vcdrom_nl: insert: EPERM: $NEEDS_FD" \
	python3 "$NL" insert 0 "$pub/public.json"
refused as_nobody "raw insert, drive not openable" "vcdrom_nl: insert: EACCES: Permission denied" \
	python3 "$NL" insert 0 "$pub/public.json" --device "rw:$sr"
refused as_nobody "add" "vcdromctl: add: $NEEDS_ADMIN" "$VCDROMCTL" add
refused as_nobody "remove" "vcdromctl: remove: 0: $NEEDS_ADMIN" "$VCDROMCTL" remove 0

# ---- nobody: a loaded drive, and a watch of the user's ----
start_watch "$T/watch.txt"	# as root: it syncs by adding a drive
watch_root=$watch_pid
"${as_nobody[@]}" "$VCDROMCTL" watch >"$T/watch.nobody" 2>&1 &
watch_nobody=$!
on_exit "kill $watch_nobody 2>/dev/null"
# the user's watch has no way to say it has subscribed: insert until it shows an event (each insert
# replaces the last; root's watch sees them all). Root needs no device fd.
known=
tries=20
until [ -s "$T/watch.nobody" ]; do
	vcdromctl insert --replace --drive 0 "$pub/public.iso" >/dev/null ||
		fail "vcdromctl insert --replace (as root)"
	sleep 0.5
	tries=$((tries - 1))
	[ "$tries" -gt 0 ] || fail "$NOBODY's vcdromctl watch printed nothing:"$'\n'"$(cat "$T/watch.nobody")"
done
assert_match '^event=medium-(inserted|ejected) drive=0' "$(head -n 1 "$T/watch.nobody")" "$NOBODY's watch"
kill -0 "$watch_nobody" || fail "$NOBODY's watch exited"

works as_nobody "status" "$VCDROMCTL" --json status 0
assert_eq "loaded [\"$pub/public.iso\"]" "$(jq -cr '"\(.state) \(.images)"' <<<"$out_stdout")" \
	"status as $NOBODY"
refused as_nobody "insert --replace, loaded drive" "vcdromctl: insert: $P/public.iso: $NO_OPEN" \
	"$VCDROMCTL" insert --drive 0 --replace "$pub/public.iso"
refused as_nobody "eject" "vcdromctl: eject: 0: $NO_OPEN" "$VCDROMCTL" eject 0
refused as_nobody "eject --force" "vcdromctl: eject: $sr: $NO_OPEN" "$VCDROMCTL" eject --force "$sr"
refused as_nobody "raw eject without a device fd" "vcdrom_nl: eject: EPERM: $NEEDS_FD" \
	python3 "$NL" eject 0
assert_eq loaded "$(drive_state 0)" "state after the user's attempts"

# root's watch saw no eject: nothing the user did reached the drive
stop_watch "$watch_root"
assert_no_match 'eject-requested|cause=(tool|forced|host)' "$(watch_lines "$T/watch.txt")" "root's watch"
stop_watch "$watch_nobody"
vcdromctl eject 0 >/dev/null || fail "vcdromctl eject 0 (as root)"
known=

# ---- the user in the group owning the drives' nodes (as udev's cdrom group) ----
nodes=("${srs[@]}" "${sgs[@]}")
for n in "${nodes[@]}"; do
	on_exit "chown '$(stat -c %u:%g "$n")' '$n'; chmod '$(stat -c %a "$n")' '$n'"
done
chgrp "$GROUP" "${nodes[@]}"
chmod 660 "${nodes[@]}"

works as_cdrom "insert" "$VCDROMCTL" insert "$pub/public.iso"
assert_eq "$sr" "$out_stdout" "insert as a member of group $GROUP prints the drive"
assert_eq "loaded [\"$pub/public.iso\"]" "$(drive_json 0 '"\(.state) \(.images)"')" "drive 0 after the insert"
works as_cdrom "status" "$VCDROMCTL" --json status 0
assert_eq loaded "$(jq -r .state <<<"$out_stdout")" "status as a member of group $GROUP"
refused as_cdrom "insert into a loaded drive" \
	"vcdromctl: insert: $P/public.iso: Device or resource busy \(drive 0 already holds a medium; use replace\)" \
	"$VCDROMCTL" insert --drive 0 "$pub/public.iso"
works as_cdrom "insert --replace" "$VCDROMCTL" insert --drive 0 --replace "$pub/public.iso"
assert_eq loaded "$(drive_state 0)" "drive 0 after the replace"
works as_cdrom "insert --playlist" "$VCDROMCTL" insert --drive 0 --replace --playlist "$pub/public.iso" \
	"$pub/public.iso"
works as_cdrom "swap" "$VCDROMCTL" swap --delay 0 0 2
assert_eq "loaded 2" "$(drive_json 0 '"\(.state) \(.disc_number)"')" "drive 0 after the swap"
refused as_cdrom "swap --force" \
	"vcdromctl: swap: 0: Operation not permitted \(a forced swap needs CAP_SYS_ADMIN\)" \
	"$VCDROMCTL" swap --force --delay 0 0 1
refused as_cdrom "eject --force" \
	"vcdromctl: eject: 0: Operation not permitted \(a forced eject needs CAP_SYS_ADMIN\)" \
	"$VCDROMCTL" eject --force 0
refused as_cdrom "add" "vcdromctl: add: $NEEDS_ADMIN" "$VCDROMCTL" add
refused as_cdrom "remove" "vcdromctl: remove: 1: $NEEDS_ADMIN" "$VCDROMCTL" remove 1
refused as_cdrom "insert of an unreadable file" "vcdromctl: insert: $P/secret.iso: Permission denied" \
	"$VCDROMCTL" insert --drive 1 "$pub/secret.iso"
works as_cdrom "eject" "$VCDROMCTL" eject 0
assert_eq tray-open "$(drive_state 0)" "drive 0 after the eject"
# by its sg node: the tool then opens /dev/sgN
works as_cdrom "insert by the sg node" "$VCDROMCTL" insert --drive "$sg" "$pub/public.iso"
assert_eq loaded "$(drive_state 0)" "drive 0 after the insert by $sg"
chmod 600 "$sr"		# only the sg node left to the group
works as_cdrom "eject by the sg node" "$VCDROMCTL" eject "$sg"
assert_eq tray-open "$(drive_state 0)" "drive 0 after the eject by $sg"
refused as_cdrom "insert, sr node closed to the group" "vcdromctl: insert: $P/public.iso: $NO_OPEN" \
	"$VCDROMCTL" insert --drive 0 "$pub/public.iso"
chmod 660 "$sr"

# raw requests: only the drive's own node opened for writing counts (netlink_api covers each case for eject too)
fdno='[0-9]+'
req=(insert 0 "$pub/public.json")
refused as_cdrom "raw insert, read-only sr fd" "vcdrom_nl: insert: EPERM: fd $fdno is not open for writing" \
	python3 "$NL" "${req[@]}" --device "ro:$sr"
refused as_cdrom "raw insert, read-only sg fd" "vcdrom_nl: insert: EPERM: fd $fdno is not open for writing" \
	python3 "$NL" "${req[@]}" --device "ro:$sg"
refused as_cdrom "raw insert, drive 1's fd" "vcdrom_nl: insert: EPERM: fd $fdno is drive 1, not drive 0" \
	python3 "$NL" "${req[@]}" --device "rw:$sr1"
refused as_cdrom "raw insert, O_PATH fd" "vcdrom_nl: insert: EBADF: fd $fdno is not open" \
	python3 "$NL" "${req[@]}" --device "opath:$sr"
refused as_cdrom "raw insert, closed fd" "vcdrom_nl: insert: EBADF: fd 999 is not open" \
	python3 "$NL" "${req[@]}" --device "fd:999"
refused as_cdrom "raw insert, /dev/null" "vcdrom_nl: insert: EPERM: fd $fdno is not a vcdrom drive" \
	python3 "$NL" "${req[@]}" --device "rw:/dev/null"
refused as_cdrom "raw insert, a regular file" "vcdrom_nl: insert: EPERM: fd $fdno is not a vcdrom drive" \
	python3 "$NL" "${req[@]}" --device "ro:$pub/public.iso"
refused as_cdrom "raw insert, a pipe" "vcdrom_nl: insert: EPERM: fd $fdno is not a vcdrom drive" \
	python3 "$NL" "${req[@]}" --device pipe
python3 "$NL" insert 0 "$pub/public.json" || fail "raw insert as root, without a device fd"
known=
assert_eq loaded "$(drive_state 0)" "drive 0 after root's raw insert"
refused as_cdrom "raw eject, read-only sr fd" "vcdrom_nl: eject: EPERM: fd $fdno is not open for writing" \
	python3 "$NL" eject 0 --device "ro:$sr"
refused as_cdrom "raw eject, drive 1's fd" "vcdrom_nl: eject: EPERM: fd $fdno is drive 1, not drive 0" \
	python3 "$NL" eject 0 --device "rw:$sr1"
refused as_cdrom "raw forced eject" "vcdrom_nl: eject: EPERM: a forced eject needs CAP_SYS_ADMIN" \
	python3 "$NL" eject 0 --force --device "rw:$sr"
works as_cdrom "raw eject, the drive's sr fd" python3 "$NL" eject 0 --device "rw:$sr"
assert_eq tray-open "$(drive_state 0)" "drive 0 after the raw eject"
works as_cdrom "raw insert, the drive's sr fd" python3 "$NL" insert 0 "$pub/public.json" --device "rw:$sr"
assert_eq loaded "$(drive_state 0)" "drive 0 after the raw insert"
assert_eq empty "$(drive_state 1)" "drive 1, never touched"

# a drive the system has locked (mounted): the user's eject only asks, and the disc stays
mkdir "$T/mnt"
mount -o ro "$sr" "$T/mnt" || fail "mount $sr"
on_exit "umount '$T/mnt' 2>/dev/null"
assert_eq true "$(drive_json 0 .locked)" "drive 0 locked while mounted"
run_split rc "${as_cdrom[@]}" "$VCDROMCTL" eject 0
echo "eject 0 of a mounted drive (as as_cdrom): exit $rc: $out_stderr"
assert_eq 5 "$rc" "exit status of the user's eject of a mounted drive (busy)"
assert_match "^vcdromctl: eject: 0: Device or resource busy \(drive 0 is locked by the host; eject requested" \
	"$out_stderr" "the user's eject of a mounted drive"
assert_eq "loaded true" "$(drive_json 0 '"\(.state) \(.locked)"')" "drive 0 after the user's eject request"
umount "$T/mnt" || fail "umount $T/mnt"
