#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian sid chroot in which vcdrom is built for sid's kernel (7.2.x today), and whose /boot and
# /lib/modules the QEMU guest boots. Run as root.
#
#   sid-chroot.sh [DIR]                prepare DIR (default build/sid-chroot) or reuse it when complete;
#                                      the last stdout line is the sid kernel's version (KVER)
#   sid-chroot.sh --kver [DIR]         print KVER of a complete chroot, change nothing
#   sid-chroot.sh --run DIR CMD [ARG]  run CMD inside the complete chroot with /proc, /sys, /dev mounted;
#                                      exits with CMD's status
#   sid-chroot.sh --umount [DIR]       remove any mount left under DIR (do this before booting a guest)
#
# Nothing stays mounted under DIR once this script exits, whatever happened. If the chroot cannot be
# prepared (no network, packages missing) it exits 3 with a one-line reason on stderr, so the caller
# can report the kernel as skipped; the full output is in DIR.log.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
mirror=${SID_MIRROR:-http://deb.debian.org/debian}	# SID_MIRROR: another Debian mirror
packages=(gcc make kmod xz-utils zstd linux-headers-amd64 linux-image-amd64)
ready_marker=.vcdrom-sid-ready	# holds KVER once the chroot is complete

fail() {
	echo "$*" >&2
	exit 3
}

usage() {
	echo "usage: $0 [--kver | --umount] [DIR] | --run DIR CMD [ARG...]" >&2
	exit 2
}

mode=prepare
case "${1-}" in
--kver) mode=kver; shift ;;
--run) mode=run; shift; [ $# -ge 2 ] || usage ;;
--umount) mode=umount; shift ;;
-*) usage ;;
esac
if [ "$mode" = run ]; then
	dir=$1
	shift
else
	[ $# -le 1 ] || usage
	dir=${1:-$top/build/sid-chroot}
fi

# mountinfo is matched on the canonical path; keep it free of characters mountinfo escapes.
root=$(realpath -m -- "$dir")
case "$root" in
/ | *[!A-Za-z0-9._/+-]*) fail "unusable directory '$dir'" ;;
esac
log=$root.log

# Mount points under $root, deepest first.
mounts_under() {
	awk -v r="$root/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Unmount everything under $root, lazily if a plain umount fails; false if anything is left.
umount_all() {
	local m

	for m in $(mounts_under); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	[ -z "$(mounts_under)" ]
}

# Bind /proc, /sys, /dev and /dev/pts (no other submounts) into the chroot; the EXIT trap takes them away.
mount_all() {
	local d

	trap 'umount_all || echo "could not unmount under $root" >&2' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	for d in proc sys dev dev/pts; do
		if [ "$d" = dev/pts ] && [ ! -d /dev/pts ]; then
			continue
		fi
		mount --bind "/$d" "$root/$d" || fail "cannot bind-mount /$d into $root"
	done
}

# Run a command inside the chroot with a clean environment.
in_chroot() {
	chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive INITRD=No "$@"
}

# KVER of a complete chroot, or nothing.
ready_kver() {
	local kver

	[ -f "$root/$ready_marker" ] || return 0
	kver=$(cat "$root/$ready_marker")
	if [ -n "$kver" ] && [ -f "$root/boot/vmlinuz-$kver" ] &&
	   [ -f "$root/usr/src/linux-headers-$kver/Makefile" ] &&
	   [ -f "$root/lib/modules/$kver/modules.dep" ]; then
		echo "$kver"
	fi
}

# Serialise everything that mounts or changes the chroot (preparing, building, unmounting).
take_lock() {
	mkdir -p "$(dirname "$root")"
	exec 9>"$root.lock"
	flock 9
}

# Timed step: its output goes to the log, its duration too.
step() {
	local what=$1 start=$SECONDS

	shift
	echo "== $what" >>"$log"
	if ! "$@" >>"$log" 2>&1 </dev/null; then
		echo "== $what failed after $((SECONDS - start)) s" >>"$log"
		return 1
	fi
	echo "== $what took $((SECONDS - start)) s" >>"$log"
}

# Install a package on this machine, waiting for another apt run to let go of its lock.
host_apt_install() {
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)

	"${apt[@]}" install -y --no-install-recommends "$@" ||
		{ "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "$@"; }
}

# The installed sid kernel: the newest one with both an image and headers.
installed_kver() {
	local v

	for v in "$root"/boot/vmlinuz-*; do
		v=${v##*/vmlinuz-}
		[ -f "$root/usr/src/linux-headers-$v/Makefile" ] && echo "$v"
	done | sort -V | tail -n 1
}

prepare() {
	local kver

	kver=$(ready_kver)
	if [ -n "$kver" ]; then
		echo "$kver"
		return
	fi
	: >"$log"

	# A debootstrap that did not finish leaves DIR/debootstrap behind: start that one over.
	if [ -f "$root/debootstrap/debootstrap.log" ]; then
		rm -rf --one-file-system "$root"
	elif [ -d "$root" ] && [ -n "$(ls -A "$root")" ] && [ ! -x "$root/usr/bin/apt-get" ]; then
		fail "$root exists and is not a debootstrap chroot"
	fi

	if [ ! -x "$root/usr/bin/apt-get" ]; then
		if ! command -v debootstrap >/dev/null; then
			step "apt-get install debootstrap" host_apt_install debootstrap ||
				fail "cannot install debootstrap (see $log)"
		fi
		step "debootstrap" debootstrap --variant=minbase sid "$root" "$mirror" ||
			fail "debootstrap of Debian sid from $mirror failed (see $log)"
	fi

	# sid's Release file may be past its Valid-Until; no service may start inside the chroot.
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99vcdrom-no-valid-until"
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	[ -s "$root/etc/resolv.conf" ] || cp /etc/resolv.conf "$root/etc/resolv.conf"

	mount_all
	# An earlier run may have been stopped in the middle of dpkg.
	step "dpkg --configure -a" in_chroot dpkg --configure -a ||
		fail "dpkg --configure -a in the sid chroot failed (see $log)"
	step "apt-get update" in_chroot apt-get update ||
		fail "apt-get update in the sid chroot failed (see $log)"
	step "apt-get install ${packages[*]}" in_chroot apt-get install -y --no-install-recommends "${packages[@]}" ||
		fail "installing ${packages[*]} in the sid chroot failed (see $log)"
	in_chroot apt-get clean >>"$log" 2>&1 </dev/null || true
	umount_all || fail "could not unmount under $root"
	trap - EXIT

	kver=$(installed_kver)
	[ -n "$kver" ] || fail "no kernel with headers installed in $root (see $log)"
	[ -f "$root/lib/modules/$kver/modules.dep" ] || fail "$root/lib/modules/$kver has no modules.dep"
	echo "$kver" >"$root/$ready_marker"
	echo "== ready: $kver ($(du -sxh "$root" | cut -f1))" >>"$log"
	echo "$kver"
}

[ "$mode" = kver ] || [ "$(id -u)" -eq 0 ] || fail "must run as root"

case $mode in
kver)
	kver=$(ready_kver)
	[ -n "$kver" ] || fail "$root is not prepared (run tests/vm/sid-chroot.sh)"
	echo "$kver"
	;;
umount)
	take_lock
	umount_all || fail "could not unmount under $root"
	;;
run)
	take_lock
	[ -n "$(ready_kver)" ] || fail "$root is not prepared (run tests/vm/sid-chroot.sh)"
	umount_all || fail "could not unmount under $root"
	mount_all
	# Not exec: the EXIT trap must run once CMD is done; its status is ours.
	status=0
	in_chroot "$@" || status=$?
	exit "$status"
	;;
prepare)
	take_lock
	umount_all || fail "could not unmount under $root"
	prepare
	;;
esac
