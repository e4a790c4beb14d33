#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The desktop (issue 16): udev, the D-Bus system bus, polkitd and udisksd running as on a desktop, and a user in
# the group that owns optical drives (cdrom). A polkit rule for that group stands in for the active local session
# that udisks' own policy asks of a desktop user (the guest has no logind).
# - udisks sees each vcdrom drive as an optical drive: the one with a CD-ROM ISO has optical_cd media, one data
#   track, the image's label and file system; the empty one has no media; both are ejectable and take CDs;
# - the desktop entry's command ("Open with -> Virtual optical drive"), run as the user, inserts an image into
#   the empty drive and returns once udev is done, and udisks shows that disc at once;
# - `udisksctl mount` as the user mounts the disc under /media/USER/LABEL, a file reads back, and unmounts;
# - udisks' Drive.Eject, called by the user, goes through the drive's eject path: `vcdromctl watch` sees a host
#   eject, the drive is empty, and udisks shows no media; an insert after it is seen by udisks again.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd udisksctl gdbus dbus-daemon setpriv xorriso getent pgrep pkill
UDISKSD=/usr/libexec/udisks2/udisksd
POLKITD=/usr/lib/polkit-1/polkitd
[ -x "$UDISKSD" ] || skip "$UDISKSD not installed (udisks2)"
[ -x "$POLKITD" ] || skip "$POLKITD not installed (polkitd)"
getent passwd nobody >/dev/null || skip "no user nobody"
getent group cdrom >/dev/null || skip "no group cdrom"

USER_NAME=nobody
CDROM_GID=$(getent group cdrom | cut -d: -f3)
as_user=(setpriv --reuid="$USER_NAME" --regid=nogroup --groups="$CDROM_GID" --inh-caps=-all --bounding-set=-all
	env HOME=/tmp/vcdrom-udisks-home USER="$USER_NAME")
DESKTOP="$(cd "$(dirname "$0")/.." && pwd)/tools/vcdromctl/vcdromctl.desktop.in"
[ -r "$DESKTOP" ] || fail "no desktop entry at $DESKTOP"

# ---- a desktop's system services, on this guest's read-only root ----
# The user in the cdrom group, where polkit looks for groups (/etc/group), and the rule. Bind mounts: the guest's
# root is the host's, read-only.
sed "s/^\(cdrom:[^:]*:[^:]*:\)\(.*\)\$/\1\2${USER_NAME}/; s/^\(cdrom:[^:]*:[^:]*:[^:]*[^:,]\)${USER_NAME}\$/\1,${USER_NAME}/" \
	/etc/group >"$T/group"
grep -qE "^cdrom:[^:]*:[^:]*:(.*,)?${USER_NAME}\$" "$T/group" || fail "could not add $USER_NAME to cdrom: $(grep ^cdrom "$T/group")"
mount --bind "$T/group" /etc/group || fail "bind mount over /etc/group"
on_exit "umount /etc/group"
mkdir -p "$T/rules"
cat >"$T/rules/50-vcdrom-test.rules" <<'EOF'
polkit.addRule(function(action, subject) {
	if (action.id.indexOf("org.freedesktop.udisks2.") == 0 && subject.isInGroup("cdrom"))
		return polkit.Result.YES;
});
EOF
chmod 755 "$T/rules"
chmod 644 "$T/rules/50-vcdrom-test.rules"
mount --bind "$T/rules" /etc/polkit-1/rules.d || fail "bind mount over /etc/polkit-1/rules.d"
on_exit "umount /etc/polkit-1/rules.d"
mountpoint -q /media || {
	mount -t tmpfs -o mode=755 tmpfs /media || fail "tmpfs on /media"
	on_exit "umount -l /media"
}
mkdir -p /tmp/vcdrom-udisks-home
on_exit "rm -rf /tmp/vcdrom-udisks-home"
chown "$USER_NAME" /tmp/vcdrom-udisks-home

start_udevd
# the system bus: this test's own, gone with its files at exit (a second run starts a new one)
bus_up() {
	gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.GetId >/dev/null 2>&1
}
bus_up && fail "a D-Bus system bus is running already (left over by an earlier test?)"
mkdir -p /run/dbus
rm -f /run/dbus/pid /run/dbus/system_bus_socket
run_rc rc dbus-daemon --system --fork --print-pid
[ "$rc" -eq 0 ] || fail "cannot start the D-Bus system bus: $out"
bus_pid=$out
bus_gone() { ! kill -0 "$bus_pid" 2>/dev/null; }
on_exit "kill $bus_pid; wait_until 10 bus_gone || echo 'dbus-daemon $bus_pid still running' >&2; rm -f /run/dbus/pid /run/dbus/system_bus_socket"
# udisksd and polkitd: started by the bus when first called (D-Bus activation), as on a desktop
daemons_gone() { ! pgrep -x udisksd >/dev/null && ! pgrep -x polkitd >/dev/null; }
on_exit "pkill -x udisksd; pkill -x polkitd; wait_until 10 daemons_gone || echo 'udisksd or polkitd still running' >&2"
udisks_up() { udisksctl status >/dev/null 2>&1; }
wait_until "$VCDROM_WAIT" udisks_up || fail "udisksd does not answer (D-Bus activation of org.freedesktop.UDisks2)"

# ---- two drives: a CD in one, the other empty ----
vcdrom_load drives=2
mapfile -t srs < <(vcdrom_srdevs)
[ "${#srs[@]}" -eq 2 ] || fail "expected 2 drives, got: ${srs[*]}"
make_tree "$T/tree"
make_iso "$T/tree" "$T/cd.iso" VCDROM_UDISKS
img=/tmp/vcdrom-udisks-home/second.iso
make_iso "$T/tree" "$img" VCDROM_OPENWITH
chown "$USER_NAME" "$img"
vcdromctl insert --drive 0 --wait "$T/cd.iso" >/dev/null || fail "vcdromctl insert --wait $T/cd.iso"

# info_of KIND NAME KEY: a property as `udisksctl info` prints it (KIND: -b a block device, -d a drive).
info_of() {
	udisksctl info "$1" "$2" | sed -n "s/^ *$3: *//p" | head -n 1
}
drive_of() {
	local d
	d=$(info_of -b "$1" Drive)
	d=${d//\'/}
	echo "${d##*/}"
}
# media_of SR: MediaAvailable of SR's drive, once udisks has one for it.
media_of() {
	local d
	d=$(drive_of "$1")
	[ -n "$d" ] && [ "$d" != / ] || return 0
	info_of -d "$d" MediaAvailable
}
media_is() { [ "$(media_of "$1")" = "$2" ]; }

for i in 0 1; do
	sr=${srs[$i]}
	want=true
	[ "$i" -eq 1 ] && want=false
	# udisks takes the udev database as it is after the event that vcdromctl --wait waited for
	wait_until 10 media_is "$sr" "$want" || fail "udisks: $sr MediaAvailable is '$(media_of "$sr")', not $want"
	d=$(drive_of "$sr")
	# Optical: the media is an optical disc (udisks says false for an empty drive, as for a real one)
	assert_eq "$want" "$(info_of -d "$d" Optical)" "udisks: $sr Optical"
	assert_eq true "$(info_of -d "$d" Ejectable)" "udisks: $sr Ejectable"
	assert_eq true "$(info_of -d "$d" MediaRemovable)" "udisks: $sr MediaRemovable"
	assert_eq "$(drive_json "$i" .serial)" "$(info_of -d "$d" Serial)" "udisks: $sr Serial"
	assert_match optical_cd "$(udisksctl info -d "$d")" "udisks: $sr MediaCompatibility"
done
d0=$(drive_of "${srs[0]}")
assert_eq optical_cd "$(info_of -d "$d0" Media)" "udisks: ${srs[0]} Media"
assert_eq 1 "$(info_of -d "$d0" OpticalNumDataTracks)" "udisks: ${srs[0]} OpticalNumDataTracks"
assert_eq 0 "$(info_of -d "$d0" OpticalNumAudioTracks)" "udisks: ${srs[0]} OpticalNumAudioTracks"
assert_eq VCDROM_UDISKS "$(info_of -b "${srs[0]}" IdLabel)" "udisks: ${srs[0]} IdLabel"
assert_eq iso9660 "$(info_of -b "${srs[0]}" IdType)" "udisks: ${srs[0]} IdType"

# ---- "Open with -> Virtual optical drive": the desktop entry's command, as the user ----
exec_line=$(sed -n 's/^Exec=//p' "$DESKTOP")
assert_match '%f$' "$exec_line" "the desktop entry's Exec"
read -ra cmd <<<"${exec_line% %f}"
assert_eq @BINDIR@/vcdromctl "${cmd[0]}" "the desktop entry's program (make install puts its folder in)"
cmd[0]=$VCDROMCTL	# this tree's
run_rc rc "${as_user[@]}" "${cmd[@]}" "$img"
assert_eq 0 "$rc" "the desktop entry's command as $USER_NAME: $out"
assert_eq "${srs[1]}" "$out" "the desktop entry's command prints the drive it used"
# --wait returned after udev: udisks has the disc by now, or within its own handling of that event
wait_until 10 media_is "${srs[1]}" true || fail "udisks: ${srs[1]} has no media after the desktop entry's insert"
wait_until 10 test "$(info_of -b "${srs[1]}" IdLabel)" = VCDROM_OPENWITH ||
	fail "udisks: ${srs[1]} IdLabel '$(info_of -b "${srs[1]}" IdLabel)', not VCDROM_OPENWITH"

# ---- udisksctl mount and unmount, as the user ----
run_rc rc "${as_user[@]}" udisksctl mount --no-user-interaction -b "${srs[0]}"
assert_eq 0 "$rc" "udisksctl mount -b ${srs[0]} as $USER_NAME: $out"
mnt=/media/$USER_NAME/VCDROM_UDISKS
assert_match "^Mounted ${srs[0]} at $mnt" "$out" "udisksctl mount"
assert_eq "$mnt" "$(findmnt -n -o TARGET "${srs[0]}")" "mount point of ${srs[0]}"
cp "$T/tree/data/level1/middle.bin" /tmp/vcdrom-udisks-home/
run_rc rc "${as_user[@]}" cmp /tmp/vcdrom-udisks-home/middle.bin "$mnt/data/level1/middle.bin"
assert_eq 0 "$rc" "a file read as $USER_NAME through udisks' mount: $out"
run_rc rc "${as_user[@]}" udisksctl unmount --no-user-interaction -b "${srs[0]}"
assert_eq 0 "$rc" "udisksctl unmount -b ${srs[0]} as $USER_NAME: $out"
findmnt -n "${srs[0]}" >/dev/null && fail "${srs[0]} still mounted after udisksctl unmount"

# ---- an eject from udisks ----
start_watch "$T/watch.txt"
run_rc rc "${as_user[@]}" gdbus call --system --dest org.freedesktop.UDisks2 \
	--object-path "/org/freedesktop/UDisks2/drives/$d0" --method org.freedesktop.UDisks2.Drive.Eject '{}'
assert_eq 0 "$rc" "udisks Drive.Eject of ${srs[0]} as $USER_NAME: $out"
wait_until 10 test "$(drive_state 0)" = tray-open || fail "drive 0 is '$(drive_state 0)' after udisks' eject"
wait_until 5 grep -q 'event=medium-ejected drive=0' "$T/watch.txt" || true
assert_match '^event=medium-ejected drive=0 cause=host$' "$(watch_lines "$T/watch.txt")" "vcdromctl watch after udisks' eject"
wait_until 10 media_is "${srs[0]}" false || fail "udisks: ${srs[0]} still has media after its eject"

# and a disc inserted after it is seen again
vcdromctl insert --drive 0 --wait "$T/cd.iso" >/dev/null || fail "vcdromctl insert --wait after udisks' eject"
wait_until 10 media_is "${srs[0]}" true || fail "udisks: ${srs[0]} has no media after the insert"
stop_watch "$watch_pid"
log "udisks: ${#srs[@]} drives, Open with, mount, unmount, eject, insert"
