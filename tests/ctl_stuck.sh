#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A backing store that stops answering never stops the control interface. The image of drive 0 lies on ext4 over
# a dm device that is then suspended (dmsetup suspend) with a READ(10) through sg in flight:
# - `vcdromctl eject --force 0` returns at once, and drive 0 takes another image;
# - `vcdromctl remove 0` now waits for the stuck read (the SCSI device cannot go while it is in flight), holding
#   the control lock; meanwhile `vcdromctl list` and `status` answer at once (queries take no lock), and
#   an insert into drive 1, which waits for the lock, dies at once on kill -9;
# - after `dmsetup resume` the read completes with the image's bytes, the remove finishes, drive 1 takes a disc;
# - with the store stopped again, reads that outlive their timeout fail: two SG_IO READs (40 sectors and 1) with
#   a 3 s timeout and a dd of /dev/srN whose device timeout is 3 s end in MEDIUM ERROR (ENODATA for dd), the log
#   names the timeout, and `vcdromctl remove` of that drive returns at once, before the store answers;
# - after the second resume the file system unmounts and the module unloads (nothing is held).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd sg_raw dmsetup mkfs.ext4 losetup timeout
modprobe -a loop dm_mod 2>/dev/null || skip "no loop or dm_mod"
DM=vcdrom-stuck-$$
# What "at once" means: these commands take 100-200 ms in an idle TCG guest (mostly starting vcdromctl), up to
# 2 s on a loaded one; one that waits on the stuck store never returns. Margin: 5 s.
MARGIN_MS=5000
export DM_DISABLE_UDEV=1	# no udevd in the guest: libdevmapper makes the /dev/mapper nodes itself

vcdrom_load drives=2
mapfile -t sgs < <(vcdrom_sgdevs)
head -c $((64 * 2048)) /dev/urandom >"$T/disc.iso"
head -c $((32 * 2048)) /dev/urandom >"$T/other.iso"

truncate -s 16M "$T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
dmsetup create "$DM" --table "0 32768 linear $loopdev 0" || fail "dmsetup create $DM"
on_exit "dmsetup remove --retry '$DM' >/dev/null 2>&1"
mkfs.ext4 -q -F -b 4096 -O ^has_journal "/dev/mapper/$DM" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4: $(cat "$T/mkfs.log")"
mkdir "$T/mnt"
mount "/dev/mapper/$DM" "$T/mnt" || fail "mount /dev/mapper/$DM"
on_exit "! mountpoint -q '$T/mnt' || umount -l '$T/mnt'"
cp "$T/disc.iso" "$T/mnt/disc.iso"
sync
mount -o remount,ro "$T/mnt" || fail "remount ro"
vcdromctl insert --raw --drive 0 "$T/mnt/disc.iso" >/dev/null || fail "insert into drive 0"
sg_ready "${sgs[0]}"
echo 3 >/proc/sys/vm/drop_caches

# ---- the store stops answering, with a read in flight ----
dmsetup suspend --nolockfs --noflush "$DM" || fail "dmsetup suspend $DM"
on_exit "dmsetup resume '$DM' >/dev/null 2>&1"
# A timeout far past this phase: this read waits for the resume.
sg_raw -t 600 -r 2048 -o "$T/stuck.out" "${sgs[0]}" 28 00 00 00 00 20 00 00 01 00 >"$T/stuck.err" 2>&1 &
stuck=$!
sleep 1
kill -0 "$stuck" 2>/dev/null || fail "the read of a suspended dm device did not wait: $(cat "$T/stuck.err")"

start=$(date +%s%N)
run_rc rc timeout 10 "$VCDROMCTL" eject --force 0
assert_eq 0 "$rc" "eject --force of a drive whose read is stuck: $out"
ms=$((($(date +%s%N) - start) / 1000000))
log "eject --force with a read stuck: ${ms} ms"
[ "$ms" -lt "$MARGIN_MS" ] || fail "eject --force took $ms ms (more than $MARGIN_MS) with a read stuck"
run_rc rc timeout 10 "$VCDROMCTL" insert --raw --drive 0 "$T/other.iso"
assert_eq 0 "$rc" "insert into drive 0 after the forced eject: $out"
assert_eq loaded "$(drive_state 0)" "drive 0 after the new insert"

vcdromctl remove 0 >"$T/remove.out" 2>&1 &
remover=$!
sleep 1
kill -0 "$remover" 2>/dev/null ||
	fail "remove of a drive with a stuck read did not wait (so this test shows nothing): $(cat "$T/remove.out")"

# Queries do not wait behind it.
for q in list "status 1" "--json list"; do
	start=$(date +%s%N)
	# shellcheck disable=SC2086 # the query's words
	run_rc rc timeout 10 "$VCDROMCTL" $q
	ms=$((($(date +%s%N) - start) / 1000000))
	assert_eq 0 "$rc" "vcdromctl $q while a remove waits on I/O: $out"
	[ "$ms" -lt "$MARGIN_MS" ] || fail "vcdromctl $q took $ms ms while a remove waits on I/O"
	log "vcdromctl $q while a remove waits: ${ms} ms"
done

# A verb that waits for the control lock dies on kill -9.
"$VCDROMCTL" insert --raw --drive 1 "$T/other.iso" >"$T/blocked.out" 2>&1 &
blocked=$!
# in the kernel, waiting for the lock: /proc/PID/wchan names the handler (it skips the mutex's own functions)
wait_until 10 grep -q vcdrom_nl_insert "/proc/$blocked/wchan" ||
	fail "an insert did not wait for the control lock behind the remove (wchan: $(cat "/proc/$blocked/wchan" 2>&1); $(cat "$T/blocked.out"))"
kill -9 "$blocked"
wait_until 2 eval "! kill -0 $blocked 2>/dev/null" || fail "kill -9 of an insert waiting for the control lock did not end it"
wait "$blocked" 2>/dev/null || true
assert_eq empty "$(drive_state 1)" "drive 1 after its killed insert"

# ---- the store answers again ----
dmsetup resume "$DM" || fail "dmsetup resume $DM"
wait "$remover" || fail "vcdromctl remove 0 after the resume: $(cat "$T/remove.out")"
wait "$stuck" || log "the stuck read ended with: $(cat "$T/stuck.err")"
if cmp -s -n 2048 -i $((32 * 2048)):0 "$T/disc.iso" "$T/stuck.out"; then
	log "the stuck read returned the image's bytes"
fi
run_rc rc "$VCDROMCTL" --json list
assert_eq 0 "$rc" "list after the resume: $out"
assert_eq 1 "$(jq '.drives | length' <<<"$out")" "drives after the remove"
run_rc rc "$VCDROMCTL" insert --raw --drive 1 "$T/other.iso"
assert_eq 0 "$rc" "insert into drive 1 after the resume: $out"
vcdromctl eject --force 1 || fail "eject drive 1"

# ---- reads that outlive their timeout fail, and the drive goes at once ----
# The block layer checks timeouts once a second: a command with a 3 s timeout fails 3-4 s after it started, plus
# the test's own slowness. Margin: 10 s (5 s seen), 30 s in the debug kernel, where KASAN under TCG runs about
# four times slower (17 s seen); both far below the wait for ever it would be without the abort.
TIMEOUT_S=3
LIMIT_S=$((TIMEOUT_S + (${VCDROM_DEBUG_KERNEL:-0} == 0 ? 10 : 30)))
vcdromctl insert --raw --drive 1 "$T/mnt/disc.iso" >/dev/null || fail "insert the image on ext4 into drive 1"
sg_ready "${sgs[1]}"
mapfile -t srs < <(vcdrom_srdevs)
sr=${srs[0]}
echo "$TIMEOUT_S" >"/sys/block/${sr#/dev/}/device/timeout" || fail "set the timeout of $sr"
# Open it once while the store answers: sr takes the disc change (and reads the partition table) now.
dd if="$sr" of=/dev/null bs=2048 count=1 iflag=direct 2>/dev/null || fail "read $sr before the store stops"
dmesg -c >/dev/null 2>&1 || true
echo 3 >/proc/sys/vm/drop_caches
dmsetup suspend --nolockfs --noflush "$DM" || fail "dmsetup suspend $DM (again)"
start=$(date +%s)
# 40 sectors, and 1: a large read goes to the reader at once; a small one is tried in the caller's task first
# (6.12+), from the page cache only, and goes to the reader when that misses.
sg_raw -t "$TIMEOUT_S" -r 81920 "${sgs[1]}" 28 00 00 00 00 00 00 00 28 00 >"$T/abort1.err" 2>&1 &
r1=$!
sg_raw -t "$TIMEOUT_S" -r 2048 "${sgs[1]}" 28 00 00 00 00 30 00 00 01 00 >"$T/abort2.err" 2>&1 &
r2=$!
dd if="$sr" of=/dev/null bs=2048 skip=40 count=1 iflag=direct >"$T/abort3.err" 2>&1 &
r3=$!
for r in "$r1:abort1" "$r2:abort2"; do
	rc=0
	wait "${r%%:*}" || rc=$?
	assert_ne 0 "$rc" "SG_IO READ with a ${TIMEOUT_S} s timeout on a stopped store succeeded: $(cat "$T/${r#*:}.err")"
	assert_eq "Medium Error / Unrecovered read error" "$(sense_of "$(cat "$T/${r#*:}.err")")" \
		"the sense of a read that timed out ($(cat "$T/${r#*:}.err"))"
done
rc=0
wait "$r3" || rc=$?
assert_ne 0 "$rc" "dd of $sr (device timeout ${TIMEOUT_S} s) on a stopped store succeeded: $(cat "$T/abort3.err")"
# MEDIUM ERROR reaches dd as ENODATA (the block layer's BLK_STS_MEDIUM) or EIO, as in media_errors.sh.
assert_match "Input/output error|No data available" "$(cat "$T/abort3.err")" "dd of $sr after its timeout"
secs=$(($(date +%s) - start))
log "three reads of a stopped store failed after ${secs} s (timeout ${TIMEOUT_S} s)"
[ "$secs" -le "$LIMIT_S" ] || fail "the reads that timed out took ${secs} s to fail (more than $LIMIT_S)"
assert_match "timed out waiting for the image's backing store" "$(dmesg)" "the log of an aborted read"
start=$(date +%s%N)
run_rc rc timeout 10 "$VCDROMCTL" remove 1
ms=$((($(date +%s%N) - start) / 1000000))
assert_eq 0 "$rc" "remove of drive 1 after its reads timed out, the store still stopped: $out"
[ "$ms" -lt "$MARGIN_MS" ] || fail "remove took $ms ms after the reads timed out"
log "remove with the store still stopped: ${ms} ms"

dmsetup resume "$DM" || fail "dmsetup resume $DM (again)"
umount "$T/mnt" || fail "umount $T/mnt: something still holds the image"
vcdrom_unload
