#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test guest, started by the initramfs (tests/vm/init) on the host's root shared read-only over
# 9p. Sets up a minimal system, runs tests/run_tests.sh (or tests/bench.sh with vcdrom_mode=bench) with its
# output on the writable 9p share "results", and powers off. Kernel command line: vcdrom_repo= (this tree),
# vcdrom_ko= (the module built for this kernel), vcdrom_mode= (check or bench), vcdrom_modules= (optional: a
# directory with a `uname -r` subdirectory, bind-mounted over /lib/modules when the host root has no modules for
# this kernel, as for Debian sid's, whose are in build/sid-chroot, or the debug kernel's; then modprobe works
# unchanged), vcdrom_env= (optional: NAME=VALUE,... of the host's VCDROM_* variables, exported for the tests).
#
# Files left in the results share: tap.txt (the runner's output), status (its exit status, written last).

set -u	# no -e: PID 1 must reach the poweroff whatever fails

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LC_ALL=C TERM=dumb

say() { echo "vcdrom-guest: $*"; }

poweroff_now() {
	sync
	echo o >/proc/sysrq-trigger
	# The power goes off in a moment. PID 1 must not exit before (the kernel would panic, and check.sh would
	# count its "Call Trace"), even when /usr/bin/sleep can no longer be run: the 9p root goes first.
	while :; do
		sleep 1 2>/dev/null || :
	done
}

mounted() { mountpoint -q "$1"; }

mounted /proc || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev

repo='' ko='' mode=check modules='' tests=''
read -ra cmdline </proc/cmdline
for arg in "${cmdline[@]}"; do
	case $arg in
	vcdrom_repo=*) repo=${arg#*=} ;;
	vcdrom_ko=*) ko=${arg#*=} ;;
	vcdrom_mode=*) mode=${arg#*=} ;;
	vcdrom_modules=*) modules=${arg#*=} ;;
	vcdrom_tests=*) tests=${arg#*=} ;;
	vcdrom_env=*)
		IFS=, read -ra vars <<<"${arg#*=}"
		for var in "${vars[@]}"; do
			case $var in
			VCDROM_*=*) export "${var?}" ;;
			esac
		done
		;;
	esac
done

# This kernel's modules, when the host root has none (before the tmpfs on /tmp could hide the directory).
kver=$(uname -r)
if [ ! -d "/lib/modules/$kver" ] && [ -n "$modules" ]; then
	if [ ! -d "$modules/$kver" ]; then
		say "no modules for $kver in /lib/modules or in $modules"
	elif ! mount --bind "$modules" /lib/modules; then
		say "cannot bind $modules over /lib/modules"
	fi
fi

# a tree under /tmp or /run would be hidden by the tmpfs mounted there: carry it over with a bind mount
case $repo in
/tmp/* | /run/*) mount --bind "$repo" /mnt || say "cannot bind $repo" ;;
esac
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
case $repo in
/tmp/* | /run/*) mkdir -p "$repo" && mount --move /mnt "$repo" ;;
esac
mkdir -p /dev/pts /dev/shm
ln -sfn /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /tmp/results
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /tmp/results; then
	say "cannot mount the results share"
	poweroff_now
fi
hostname vcdrom-guest 2>/dev/null

if [ -z "$repo" ] || [ ! -d "$repo/tests" ]; then
	say "no tree at vcdrom_repo='$repo'"
	poweroff_now
fi
export VCDROM_KO=$ko
cd "$repo" || poweroff_now
say "kernel $(uname -r), $mode, module $VCDROM_KO"

rc=0
case $mode in
bench)
	if [ -x tests/bench.sh ]; then
		tests/bench.sh </dev/null >/tmp/results/tap.txt 2>&1 || rc=$?
	else
		printf 'TAP version 13\n1..1\nok 1 bench # SKIP tests/bench.sh not present\n' >/tmp/results/tap.txt
	fi
	;;
*)
	tests/run_tests.sh ${tests//,/ } </dev/null >/tmp/results/tap.txt 2>&1 || rc=$?
	;;
esac
echo "$rc" >/tmp/results/status
say "done, exit status $rc"
umount /tmp/results
poweroff_now
