#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suspend with reads in flight. With readers on /dev/srN (dd of small and large direct reads, so that reads run
# both where they are submitted and on the worker, and READ(10) through sg, whose caller the freezer interrupts
# while its command goes on), `echo STATE > /sys/power/state` with pm_test at freezer and, where the kernel offers
# it, at devices (every device suspended and resumed: the SCSI devices are quiesced), ROUNDS times each (STATE:
# mem, or freeze when mem is not offered); then every read returned the image's bytes. The devices level runs only
# where the guest's root survives it: with tests/kmod's vcdrom_pm_keep loaded (make check builds it: it keeps the
# QEMU guest's virtio devices, its 9p root among them, out of system sleep), or with VCDROM_SUSPEND_DEVICES=1 on
# a machine whose root survives a device suspend.
#
# The image lies, in turn:
# - on tmpfs: every round succeeds;
# - on ext4 over dm-delay (reads 300 ms late) over a RAM disk (brd): nothing under the image is frozen, so reads
#   in flight at the freeze finish: every round succeeds;
# - on ext4 over dm-delay over a loop device, whose worker is frozen with everything else: every freezer round
#   succeeds (vcdrom's worker is not freezable, so it never waits for loop's); at devices, a read still in flight
#   when the freezer is done waits on loop until the thaw, and vcdrom refuses the suspend (EBUSY and "suspend
#   refused" in the log) rather than let the PM core wait for it for ever: each round succeeds or is refused so,
#   none hangs;
# - on ext4 over a dm device that stops answering (dmsetup suspend) with an sg read in flight: the freezer round
#   succeeds; the devices round is refused within VCDROM_PM_WAIT (10 s) plus the freezer's time; after dmsetup
#   resume the read completes and the drive reads right.
# Rounds per store: VCDROM_SUSPEND_ROUNDS at freezer (default 6), VCDROM_SUSPEND_DEVICE_ROUNDS at devices
# (default 3). Under load (four QEMU guests on two cores) a round takes about 4 s, and 20 + 5 did not fit the
# 300 s timeout. pm_test_delay is set to 0 (the test level's wait), and put back.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd sg_raw sg_turs dd cmp
[ -w /sys/power/state ] || skip "no /sys/power/state"
[ -w /sys/power/pm_test ] || skip "no /sys/power/pm_test (CONFIG_PM_DEBUG)"
grep -qw freezer /sys/power/pm_test || skip "pm_test does not offer freezer: $(cat /sys/power/pm_test)"
if grep -qw mem /sys/power/state; then
	state=mem
elif grep -qw freeze /sys/power/state; then
	state=freeze
else
	skip "/sys/power/state offers neither mem nor freeze: $(cat /sys/power/state)"
fi
# The devices level only where the guest's root survives a device suspend: virtio-9p (the QEMU guest's root)
# has no PM callbacks, and virtio resets it on resume, so the guest would lose its root unless vcdrom_pm_keep
# keeps the virtio devices out of system sleep (every other device, vcdrom's included, is suspended).
levels=freezer
pm_keep=$(dirname "$VCDROM_KO")/../tests/kmod/vcdrom_pm_keep.ko
if grep -qw devices /sys/power/pm_test; then
	if [ "${VCDROM_SUSPEND_DEVICES:-0}" = 1 ]; then
		levels="freezer devices"
	elif [ -r "$pm_keep" ] && [ -d /sys/bus/virtio ] && insmod "$pm_keep"; then
		on_exit "rmmod vcdrom_pm_keep"
		levels="freezer devices"
	fi
fi
log "pm_test levels: $levels"

SECTORS=2000
ROUNDS=${VCDROM_SUSPEND_ROUNDS:-6}
# A devices round refused by vcdrom takes its whole wait (10 s): fewer of them.
DEVICE_ROUNDS=${VCDROM_SUSPEND_DEVICE_ROUNDS:-3}
DM=vcdrom-suspend-$$
export DM_DISABLE_UDEV=1	# no udevd in the guest: libdevmapper makes the /dev/mapper nodes itself

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
pm_test0=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/power/pm_test)
on_exit "echo ${pm_test0:-none} >/sys/power/pm_test"
delay_param=/sys/module/suspend/parameters/pm_test_delay
if [ -w "$delay_param" ]; then
	on_exit "echo $(cat "$delay_param") >$delay_param"
	echo 0 >"$delay_param"
fi
head -c $((SECTORS * 2048)) /dev/urandom >"$T/disc.iso"

# reader NAME BLOCKS [sg]: random reads of BLOCKS sectors until $T/stop, one line each in $T/NAME.log: OK,
# WRONG LBA or ERROR and the message. Direct dd on the block device, or READ(10) through sg.
reader() {
	local name=$1 n=$2 via=${3:-dd} lba st
	set +e
	while [ ! -e "$T/stop" ]; do
		lba=$((RANDOM % (SECTORS - n)))
		if [ "$via" = sg ]; then
			sg_raw -r $((n * 2048)) -o "$T/$name.out" "$sg" 28 00 \
				$(printf '%02x %02x %02x %02x' $((lba >> 24)) $((lba >> 16 & 255)) $((lba >> 8 & 255)) $((lba & 255))) \
				00 $(printf '%02x %02x' $((n >> 8)) $((n & 255))) 00 >"$T/$name.err" 2>&1
		else
			dd if="$sr" of="$T/$name.out" bs=2048 skip="$lba" count="$n" iflag=direct status=none 2>"$T/$name.err"
		fi
		st=$?
		if [ "$st" -ne 0 ] && [ "$via" = sg ]; then
			echo "ERROR $(sense_of "$(cat "$T/$name.err")")"
		elif [ "$st" -ne 0 ]; then
			echo "ERROR $(head -n 3 "$T/$name.err" | paste -sd ' ')"
		elif ! cmp -s -n $((n * 2048)) -i $((lba * 2048)):0 "$T/disc.iso" "$T/$name.out"; then
			echo "WRONG $lba"
		else
			echo OK
		fi
	done >>"$T/$name.log"
}

# suspend_once LEVEL: one `echo $state >/sys/power/state` at pm_test LEVEL, in the background, bounded: a
# suspend that has not returned in 120 s is a hung one. Sets rc (the write's status) and out (its message).
suspend_once() {
	local level=$1 pid i
	echo "$level" >/sys/power/pm_test || fail "cannot set pm_test to $level"
	rm -f "$T/pm.rc"
	(rc=0; echo "$state" >/sys/power/state 2>"$T/pm.err" || rc=$?; echo "$rc" >"$T/pm.rc") &
	pid=$!
	for ((i = 0; i < 1200; i++)); do
		[ -s "$T/pm.rc" ] && break
		sleep 0.1
	done
	[ -s "$T/pm.rc" ] || fail "echo $state >/sys/power/state at pm_test $level has not returned after 120 s (hung):"$'\n'"$(dmesg | tail -n 40)"
	wait "$pid" 2>/dev/null || true
	echo none >/sys/power/pm_test
	rc=$(cat "$T/pm.rc")
	out=$(cat "$T/pm.err")
}

# suspend_rounds WHAT REFUSE: readers started, ROUNDS suspends at each level with them in flight, readers
# stopped and checked. REFUSE: "may" if a devices round may be refused by vcdrom (reads in flight on a frozen
# backing store), "no" if every round must succeed.
suspend_rounds() {
	local what=$1 refuse=$2 pids=() r name reads level ok refused rounds
	rm -f "$T/stop" "$T"/small.log "$T"/large.log "$T"/sg.log
	reader small 4 & pids+=($!)
	reader large 256 & pids+=($!)
	reader sg 64 sg & pids+=($!)
	on_exit "touch '$T/stop'; wait ${pids[*]} 2>/dev/null"
	# all three have read at least once
	wait_until 120 eval '[ -s "$T/small.log" ] && [ -s "$T/large.log" ] && [ -s "$T/sg.log" ]' ||
		fail "$what: the readers do not read"
	for level in $levels; do
		ok=0
		refused=0
		rounds=$ROUNDS
		[ "$level" != devices ] || rounds=$DEVICE_ROUNDS
		for r in $(seq "$rounds"); do
			kmsg "$what: suspend round $r ($state, pm_test $level)"
			dmesg -C
			suspend_once "$level"
			if [ "$rc" -eq 0 ]; then
				ok=$((ok + 1))
			elif [ "$refuse" = may ] && [ "$level" = devices ] && dmesg | grep -q 'vcdrom: suspend refused'; then
				refused=$((refused + 1))
			else
				fail "$what: $level round $r: echo $state >/sys/power/state failed ($out):"$'\n'"$(dmesg | tail -n 30)"
			fi
			# the readers read between rounds
			sleep 0.3
		done
		log "$what: pm_test $level: $ok of $rounds rounds suspended and resumed, $refused refused by vcdrom"
	done
	sleep 1
	touch "$T/stop"
	for r in "${pids[@]}"; do
		wait "$r" || fail "$what: a reader failed"
	done
	for name in small large sg; do
		reads=$(wc -l <"$T/$name.log")
		log "$what: reader $name: $reads reads"
		[ "$reads" -gt 0 ] || fail "$what: reader $name did not read"
		assert_eq "$reads" "$(grep -c '^OK$' "$T/$name.log")" \
			"$what: reads by $name that returned the image's bytes (others: $(grep -v '^OK$' "$T/$name.log" | sort | uniq -c))"
	done
	sg_turs "$sg" >/dev/null 2>&1 || fail "$what: the drive is not ready after the suspends"
}

# on_ext4 WHAT DEV: ext4 on the block device DEV under a dm device $DM (linear, then delayed reads), the image on
# it, inserted; MNT and the dm device are cleaned up by stop_ext4.
on_ext4() {
	local what=$1 dev=$2
	dmsetup create "$DM" --table "0 65536 linear $dev 0" || fail "$what: dmsetup create $DM"
	mkfs.ext4 -q -F -b 4096 -O ^has_journal "/dev/mapper/$DM" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4: $(cat "$T/mkfs.log")"
	mkdir -p "$T/mnt"
	mount "/dev/mapper/$DM" "$T/mnt" || fail "$what: mount /dev/mapper/$DM"
	cp "$T/disc.iso" "$T/mnt/disc.iso"
	sync
	mount -o remount,ro "$T/mnt" || fail "$what: remount $T/mnt read-only"
	# reads 300 ms late; writes (none) on time
	printf '0 65536 delay %s 0 300 %s 0 0\n' "$dev" "$dev" | dmsetup reload "$DM" ||
		fail "$what: dmsetup reload $DM with a delay table"
	dmsetup resume "$DM" || fail "$what: dmsetup resume $DM"
	vcdromctl insert --raw --drive 0 "$T/mnt/disc.iso" >/dev/null || fail "$what: vcdromctl insert $T/mnt/disc.iso"
	sg_ready "$sg"
	echo 3 >/proc/sys/vm/drop_caches
}

stop_ext4() {
	vcdromctl eject --force 0 || fail "$1: eject"
	umount "$T/mnt" || fail "$1: umount $T/mnt"
	dmsetup remove --retry "$DM" >/dev/null || fail "$1: dmsetup remove $DM"
}

on_exit "! mountpoint -q '$T/mnt' || umount -l '$T/mnt'; dmsetup resume '$DM' >/dev/null 2>&1; dmsetup remove --retry '$DM' >/dev/null 2>&1"

# ---- the image on tmpfs ----
vcdromctl insert --raw --drive 0 "$T/disc.iso" >/dev/null || fail "vcdromctl insert $T/disc.iso"
sg_ready "$sg"
suspend_rounds tmpfs no
vcdromctl eject --force 0 || fail "eject after the tmpfs rounds"

if ! command -v dmsetup >/dev/null || ! command -v mkfs.ext4 >/dev/null || ! command -v losetup >/dev/null ||
	! modprobe -a loop dm_mod dm_delay 2>/dev/null; then
	log "no dm-delay (dmsetup, mkfs.ext4, losetup, dm_delay): the stacked backing store parts are left out"
	exit 0
fi

# ---- ext4 over dm-delay over a RAM disk ----
if modprobe brd rd_nr=1 rd_size=32768 2>/dev/null && [ -b /dev/ram0 ]; then
	on_exit "rmmod brd 2>/dev/null"
	on_ext4 brd /dev/ram0
	suspend_rounds "dm-delay over brd" no
	stop_ext4 brd
	rmmod brd || fail "rmmod brd"
else
	log "no brd: the RAM disk part is left out"
fi

# ---- ext4 over dm-delay over a loop device ----
truncate -s 32M "$T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
on_ext4 loop "$loopdev"
suspend_rounds "dm-delay over loop" may

# ---- a backing store that stops answering, with an sg read in flight ----
echo 3 >/proc/sys/vm/drop_caches
dmsetup suspend --nolockfs --noflush "$DM" || fail "dmsetup suspend $DM"
# A timeout past this phase: at its timeout vcdrom would fail the read (ctl_stuck.sh), here it waits for the resume.
sg_raw -t 600 -r 2048 -o "$T/hung.out" "$sg" 28 00 00 00 00 10 00 00 01 00 >"$T/hung.err" 2>&1 &
hung=$!
on_exit "dmsetup resume '$DM' >/dev/null 2>&1; wait $hung 2>/dev/null"
sleep 1
kill -0 "$hung" 2>/dev/null || fail "the read of a suspended dm device did not wait: $(cat "$T/hung.err")"
dmesg -C
suspend_once freezer
assert_eq "$rc" 0 "a freezer round with a read stuck on its backing store (vcdrom's worker is not freezable): $out"
if [[ " $levels " == *" devices "* ]]; then
	dmesg -C
	start=$SECONDS
	suspend_once devices
	[ "$rc" -ne 0 ] || fail "a devices round with a read stuck on a suspended dm device succeeded"
	dmesg | grep -qE "vcdrom: suspend refused: [0-9]+ reads? still waits? for the image's backing store" ||
		fail "a refused devices round does not say why:"$'\n'"$(dmesg | tail -n 20)"
	log "stuck store: devices round refused after $((SECONDS - start)) s: $(dmesg | grep 'vcdrom: suspend refused')"
fi
dmsetup resume "$DM" || fail "dmsetup resume $DM"
wait "$hung" || fail "the stuck read failed after dmsetup resume: $(cat "$T/hung.err")"
cmp -s -n 2048 -i $((16 * 2048)):0 "$T/disc.iso" "$T/hung.out" || fail "the stuck read returned other bytes"
sg_turs "$sg" >/dev/null 2>&1 || fail "the drive is not ready after the stuck store"
stop_ext4 loop
