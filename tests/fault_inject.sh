#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation and I/O failures in every control path and in reads (the kernel's fault injection: failslab,
# fail_page_alloc, fail_make_request in debugfs; only in a kernel built with them, `make check-debug`: skips
# elsewhere). For N = 1..VCDROM_FAULT_STEPS (default 40), the Nth allocation (every Nth, at most once) fails
# during: vcdromctl add, insert of an ISO, insert of a CUE/BIN, eject, remove, and reads (failslab and
# fail_page_alloc; fail_make_request on the loop device the image's file system is on). Each time:
# - a failed verb leaves the drives exactly as they were (`vcdromctl --json list`), and one that succeeded is
#   undone and must undo cleanly;
# - a read returns the image's bytes or fails with a SCSI error, never wrong bytes, never hangs;
# and at the end every drive can be removed and the module unloads. Failures are injected only in tasks that
# asked for them (task-filter, /proc/PID/make-it-fail) and, when the kernel can, only with vcdrom's code on the
# stack (require-start/end: the module's text); verbose=0, since the harness fails a run on "Call Trace".

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq sg_raw sg_turs cmp timeout losetup
DBG=/sys/kernel/debug
mountpoint -q "$DBG" || mount -t debugfs none "$DBG" 2>/dev/null || true
for f in failslab fail_page_alloc fail_make_request; do
	[ -d "$DBG/$f" ] || skip "no $DBG/$f: this kernel has no fault injection (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAIL_MAKE_REQUEST)"
done
[ -w /proc/self/make-it-fail ] || skip "no /proc/self/make-it-fail"

STEPS=${VCDROM_FAULT_STEPS:-40}

# fault_off: no failures anywhere.
fault_off() {
	local f
	for f in failslab fail_page_alloc fail_make_request; do
		echo 0 >"$DBG/$f/probability"
		echo 0 >"$DBG/$f/times" 2>/dev/null || true
	done
}
on_exit fault_off

# fault_set KIND N: KIND (failslab, fail_page_alloc or fail_make_request) fails every Nth call that passes its
# filters, once.
fault_set() {
	local d=$DBG/$1
	fault_off
	echo 0 >"$d/verbose"
	echo 0 >"$d/space"
	echo "$2" >"$d/interval"
	echo 1 >"$d/times"
	echo 100 >"$d/probability"
}

# with_fault KIND N CMD...: run CMD (a program) as a process that may fail: make-it-fail set in the subshell
# that execs it. Output in $out, status in $rc.
with_fault() {
	local kind=$1 n=$2
	shift 2
	fault_set "$kind" "$n"
	rc=0
	out=$(
		echo 1 >/proc/self/make-it-fail
		exec timeout 60 "$@" 2>&1
	) || rc=$?
	fault_off
	[ "$rc" -ne 124 ] || fail "$* with $kind every ${n}th: hung"
}

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

for f in failslab fail_page_alloc fail_make_request; do
	echo Y >"$DBG/$f/task-filter"
done
echo N >"$DBG/failslab/ignore-gfp-wait"
echo N >"$DBG/fail_page_alloc/ignore-gfp-wait"
# only with vcdrom's code on the stack, where the kernel can tell (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)
text=$(cat /sys/module/vcdrom/sections/.text 2>/dev/null || true)
size=$(cat /sys/module/vcdrom/coresize 2>/dev/null || true)
if [ -n "$text" ] && [ -n "$size" ] && [ -w "$DBG/failslab/require-start" ]; then
	for f in failslab fail_page_alloc; do
		# (hex: kernel addresses do not fit bash's signed decimal; debugfs takes 0x)
		echo "$text" >"$DBG/$f/require-start"
		printf '0x%x\n' $((text + size)) >"$DBG/$f/require-end"
		echo 32 >"$DBG/$f/stacktrace-depth"
	done
	on_exit "for f in failslab fail_page_alloc; do echo 0 >$DBG/\$f/require-start; echo 0 >$DBG/\$f/require-end; done"
	log "failures only with vcdrom's text ($text + $size) on the stack"
fi

# the images: an ISO and a MODE1/2352 CUE/BIN, on ext4 over a loop device (for fail_make_request)
modprobe loop 2>/dev/null || true
need_cmd mkfs.ext4
truncate -s 16M "$T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
mkfs.ext4 -q -F -b 4096 -O ^has_journal "$loopdev" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4: $(cat "$T/mkfs.log")"
mkdir "$T/mnt"
mount "$loopdev" "$T/mnt" || fail "mount $loopdev"
on_exit "! mountpoint -q '$T/mnt' || umount -l '$T/mnt'"
head -c $((600 * 2048)) /dev/urandom >"$T/disc.iso"
cp "$T/disc.iso" "$T/mnt/disc.iso"
head -c $((200 * 2048)) /dev/urandom >"$T/data.2048"
encode_data 1 0 "$T/data.2048" "$T/mnt/data.bin"
printf 'FILE "data.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n' >"$T/mnt/data.cue"
sync
mount -o remount,ro "$T/mnt" || fail "remount $T/mnt read-only"
iso=$T/mnt/disc.iso
cue=$T/mnt/data.cue

snapshot() { vcdromctl --json list | jq -c '[.drives[] | {index, state, images}]'; }

# unchanged BEFORE WHAT: a failed verb changed nothing.
unchanged() {
	assert_eq "$1" "$(snapshot)" "drives after a failed $2 ($out)"
}

ready() { sg_turs "$sg" >/dev/null 2>&1 || sg_turs "$sg" >/dev/null 2>&1 || true; }

counts=()
for kind in failslab fail_page_alloc; do
	failed=0
	for n in $(seq "$STEPS"); do
		kmsg "$kind every ${n}th"
		# add
		before=$(snapshot)
		with_fault "$kind" "$n" "$VCDROMCTL" --json add
		if [ "$rc" -ne 0 ]; then
			unchanged "$before" "add"
			failed=$((failed + 1))
		else
			idx=$(jq -r .index <<<"$out")
			vcdromctl remove "$idx" || fail "remove drive $idx after a $kind add"
			assert_eq "$before" "$(snapshot)" "drives after add and remove under $kind"
		fi
		# insert ISO, insert CUE
		for img in "$iso" "$cue"; do
			before=$(snapshot)
			raw=()
			[ "$img" != "$iso" ] || raw=(--raw)	# random bytes, not an ISO 9660 image
			with_fault "$kind" "$n" "$VCDROMCTL" insert "${raw[@]}" --drive 0 "$img"
			if [ "$rc" -ne 0 ]; then
				unchanged "$before" "insert of ${img##*/}"
				failed=$((failed + 1))
			else
				vcdromctl eject --force 0 || fail "eject after a $kind insert of $img"
			fi
		done
		# eject
		vcdromctl insert --raw --drive 0 "$iso" >/dev/null || fail "insert $iso (without faults)"
		ready
		before=$(snapshot)
		with_fault "$kind" "$n" "$VCDROMCTL" eject --force 0
		if [ "$rc" -ne 0 ]; then
			unchanged "$before" "eject"
			failed=$((failed + 1))
			vcdromctl eject --force 0 || fail "eject (without faults) after a failed one"
		fi
		# remove
		idx=$(vcdromctl --json add | jq -r .index) || fail "add (without faults)"
		before=$(snapshot)
		with_fault "$kind" "$n" "$VCDROMCTL" remove "$idx"
		if [ "$rc" -ne 0 ]; then
			unchanged "$before" "remove"
			failed=$((failed + 1))
			vcdromctl remove "$idx" || fail "remove drive $idx (without faults) after a failed one"
		fi
		# reads: the bytes or an error, from page cache misses
		vcdromctl insert --raw --drive 0 "$iso" >/dev/null || fail "insert $iso (without faults)"
		ready
		echo 3 >/proc/sys/vm/drop_caches
		lba=$(((n * 37) % 500))
		with_fault "$kind" "$n" sg_raw -r $((64 * 2048)) -o "$T/got" "$sg" 28 00 00 00 \
			$(printf '%02x %02x' $((lba >> 8)) $((lba & 255))) 00 00 40 00
		if [ "$rc" -eq 0 ]; then
			cmp -s -n $((64 * 2048)) -i $((lba * 2048)):0 "$iso" "$T/got" || fail "$kind: read at $lba: wrong bytes"
		else
			# (the failure may be sg_raw's own: exec, open, its buffer)
			assert_match '.' "$out" "$kind: a failed read at $lba says why"
		fi
		vcdromctl eject --force 0 || fail "eject after the $kind read"
	done
	counts+=("$kind: $failed verbs failed")
done

# fail_make_request: the reads of the loop device under the image's file system
echo 1 >"/sys/block/${loopdev##*/}/make-it-fail"
on_exit "echo 0 >/sys/block/${loopdev##*/}/make-it-fail"
echo N >"$DBG/fail_make_request/task-filter"	# the bios are submitted by whoever reads: the worker too
vcdromctl insert --drive 0 "$cue" >/dev/null || fail "insert $cue"
ready
errors=0
for n in $(seq "$STEPS"); do
	echo 3 >/proc/sys/vm/drop_caches
	fault_set fail_make_request "$n"
	lba=$(((n * 13) % 180))
	rc=0
	out=$(timeout 60 sg_raw -r $((16 * 2048)) -o "$T/got" "$sg" 28 00 00 00 00 "$(printf '%02x' "$lba")" 00 00 10 00 2>&1) || rc=$?
	fault_off
	[ "$rc" -ne 124 ] || fail "fail_make_request: read at $lba hung"
	if [ "$rc" -eq 0 ]; then
		cmp -s -n $((16 * 2048)) -i $((lba * 2048)):0 "$T/data.2048" "$T/got" ||
			fail "fail_make_request: read at $lba: wrong bytes"
	else
		assert_eq "Medium Error / Unrecovered read error" "$(sense_of "$out")" "fail_make_request: read at $lba"
		errors=$((errors + 1))
	fi
done
counts+=("fail_make_request: $errors reads failed")
echo 0 >"/sys/block/${loopdev##*/}/make-it-fail"
vcdromctl eject --force 0 || fail "eject after fail_make_request"
log "${counts[*]}"

# everything removable, and the module unloads (the EXIT trap checks that)
for idx in $(vcdromctl --json list | jq -r '.drives[].index'); do
	vcdromctl remove "$idx" || fail "remove drive $idx at the end"
done
