#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suspend with reads in flight: the I/O worker must not keep the system from freezing. With readers on
# /dev/srN (dd of small and large direct reads, so that reads run both where they are submitted and on the
# worker, and READ(10) through sg), `echo freezer > /sys/power/pm_test; echo STATE > /sys/power/state`
# (STATE: mem, or freeze when mem is not offered) succeeds, several times; then every read returned the image's
# bytes. Once with the image on tmpfs, once on ext4 over dm-delay (every read of the backing store 300 ms late,
# when the kernel has dm-delay), so that reads are in the worker, waiting on the backing store, when the
# freeze begins.

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

SECTORS=2000
ROUNDS=${VCDROM_SUSPEND_ROUNDS:-2}
DM=vcdrom-suspend-$$
export DM_DISABLE_UDEV=1	# no udevd in the guest: libdevmapper makes the /dev/mapper nodes itself

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
pm_test0=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/power/pm_test)
on_exit "echo ${pm_test0:-none} >/sys/power/pm_test"
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
	done >"$T/$name.log"
}

# suspend_rounds WHAT: readers started, ROUNDS freezes with them in flight, readers stopped and checked.
suspend_rounds() {
	local what=$1 pids=() r rc name reads
	rm -f "$T/stop"
	reader small 4 & pids+=($!)
	reader large 256 & pids+=($!)
	reader sg 64 sg & pids+=($!)
	on_exit "touch '$T/stop'; wait ${pids[*]} 2>/dev/null"
	# all three have read at least once
	wait_until 120 eval '[ -s "$T/small.log" ] && [ -s "$T/large.log" ] && [ -s "$T/sg.log" ]' ||
		fail "$what: the readers do not read"
	for r in $(seq "$ROUNDS"); do
		kmsg "$what: suspend round $r ($state, pm_test freezer)"
		echo freezer >/sys/power/pm_test || fail "cannot set pm_test to freezer"
		run_rc rc eval "echo $state >/sys/power/state"
		[ "$rc" -eq 0 ] || fail "$what: round $r: echo $state >/sys/power/state failed ($out):"$'\n'"$(dmesg | tail -n 30)"
		echo none >/sys/power/pm_test
		log "$what: round $r: suspended and resumed"
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


# ---- the image on tmpfs ----
vcdromctl insert --drive 0 "$T/disc.iso" >/dev/null || fail "vcdromctl insert $T/disc.iso"
sg_ready "$sg"
suspend_rounds tmpfs
vcdromctl eject --force 0 || fail "eject after the tmpfs rounds"

# ---- the image on ext4 over dm-delay ----
if ! command -v dmsetup >/dev/null || ! command -v mkfs.ext4 >/dev/null || ! command -v losetup >/dev/null ||
	! modprobe -a loop dm_mod dm_delay 2>/dev/null; then
	log "no dm-delay (dmsetup, mkfs.ext4, losetup, dm_delay): the slow backing store part is left out"
	exit 0
fi
truncate -s 32M "$T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
dmsetup create "$DM" --table "0 65536 linear $loopdev 0" || fail "dmsetup create $DM"
on_exit "dmsetup remove --retry '$DM' >/dev/null 2>&1"
mkfs.ext4 -q -F -b 4096 -O ^has_journal "/dev/mapper/$DM" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4: $(cat "$T/mkfs.log")"
mkdir "$T/mnt"
mount "/dev/mapper/$DM" "$T/mnt" || fail "mount /dev/mapper/$DM"
on_exit "! mountpoint -q '$T/mnt' || umount -l '$T/mnt'"
cp "$T/disc.iso" "$T/mnt/disc.iso"
sync
mount -o remount,ro "$T/mnt" || fail "remount $T/mnt read-only"
# reads 300 ms late; writes (none) on time
printf '0 65536 delay %s 0 300 %s 0 0\n' "$loopdev" "$loopdev" | dmsetup reload "$DM" ||
	fail "dmsetup reload $DM with a delay table"
dmsetup resume "$DM" || fail "dmsetup resume $DM"
vcdromctl insert --drive 0 "$T/mnt/disc.iso" >/dev/null || fail "vcdromctl insert $T/mnt/disc.iso"
sg_ready "$sg"
echo 3 >/proc/sys/vm/drop_caches
suspend_rounds dm-delay
vcdromctl eject --force 0 || fail "eject after the dm-delay rounds"
