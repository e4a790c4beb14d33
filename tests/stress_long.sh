#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything at once for VCDROM_STRESS_SECONDS (default 30; `make check-debug` sets 300), on 4 drives:
# - readers: buffered dd, O_DIRECT dd, READ(10) through SG_IO (sg_raw), on drives 0, 1 and 3;
# - a mount/umount loop on drive 2 (ISO 9660, files compared with the tree);
# - changers from several processes: insert, insert --replace, eject, eject --force, on drives 0-3;
# - drives added, given a disc, read and removed;
# - rmmod attempts while an sg node is held open: each must fail with "in use" and change nothing.
# A read that succeeds must return the image's bytes; a failure must be one of the expected ones (no medium,
# I/O error from a medium change, busy, a drive removed under the verb). The kernel may log only NOT READY and
# UNIT ATTENTION senses. Afterwards: the module's reference count is back, filp and unreclaimable slab are
# back near their starting values (coarse), the images' tmpfs frees their space and unmounts (nothing holds
# them), and rmmod succeeds once everything is closed.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso dd cmp sg_raw sg_turs timeout

SECONDS_RUN=${VCDROM_STRESS_SECONDS:-30}
DRIVES=4

vcdrom_load drives=$DRIVES
mapfile -t srs < <(vcdrom_srdevs)
mapfile -t sgs < <(vcdrom_sgdevs)
[ "${#srs[@]}" -eq "$DRIVES" ] || fail "expected $DRIVES sr nodes, got ${srs[*]}"
modprobe isofs 2>/dev/null || true

filp_objects() {
	echo 1 >/sys/kernel/slab/filp/shrink 2>/dev/null || true
	awk '$1 == "filp" { print $2 }' /proc/slabinfo 2>/dev/null || true
}
sunreclaim() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
refcnt0=$(cat /sys/module/vcdrom/refcnt)
filp0=$(filp_objects)
slab0=$(sunreclaim)

mkdir "$T/imgfs"
mount -t tmpfs -o size=32m vcdrom-stress-long "$T/imgfs" || fail "cannot mount a tmpfs on $T/imgfs"
on_exit "! mountpoint -q '$T/imgfs' || umount -l '$T/imgfs'"
make_tree "$T/tree"
make_iso "$T/tree" "$T/imgfs/a.iso" VCDROM_STRESS
cp "$T/imgfs/a.iso" "$T/imgfs/b.iso"	# another file, the same bytes: any read has one right answer
cp "$T/imgfs/a.iso" "$T/disc.copy"
sectors=$(sectors_of "$T/disc.copy")
for i in $(seq 0 $((DRIVES - 1))); do
	vcdromctl insert --drive "$i" "$T/imgfs/a.iso" >/dev/null || fail "insert into drive $i"
done

mkdir "$T/logs"
deadline=$((SECONDS + SECONDS_RUN))
export deadline
running() { [ "$SECONDS" -lt "$deadline" ] && [ ! -e "$T/stop" ]; }

# result NAME RC ERRFILE [WRONG]: one line in $T/NAME.log
result() {
	if [ -n "${4:-}" ]; then
		echo "WRONG $4"
	elif [ "$2" -eq 0 ]; then
		echo OK
	else
		echo "ERROR $(head -n 2 "$3" | paste -sd ' ')"
	fi >>"$T/logs/$1.log"
}

reader_dd() {	# NAME DEV FLAG
	local name=$1 dev=$2 flag=$3 lba rc
	set +e
	while running; do
		lba=$((RANDOM % (sectors - 16)))
		dd if="$dev" of="$T/$name.out" bs=2048 skip="$lba" count=16 ${flag:+iflag=$flag} status=none 2>"$T/$name.err"
		rc=$?
		if [ "$rc" -eq 0 ] && ! cmp -s -n $((16 * 2048)) -i $((lba * 2048)):0 "$T/disc.copy" "$T/$name.out"; then
			result "$name" 0 "" "$dev $lba"
		else
			result "$name" "$rc" "$T/$name.err"
		fi
	done
}

reader_sg() {	# NAME SG
	local name=$1 dev=$2 lba rc err
	set +e
	while running; do
		lba=$((RANDOM % (sectors - 16)))
		sg_raw -r $((16 * 2048)) -o "$T/$name.out" "$dev" 28 00 00 00 \
			$(printf '%02x %02x' $((lba >> 8)) $((lba & 255))) 00 00 10 00 >"$T/$name.err" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ]; then
			err=$(cat "$T/$name.err")
			sense_of "$err" >"$T/$name.err"
		fi
		if [ "$rc" -eq 0 ] && ! cmp -s -n $((16 * 2048)) -i $((lba * 2048)):0 "$T/disc.copy" "$T/$name.out"; then
			result "$name" 0 "" "$dev $lba"
		else
			result "$name" "$rc" "$T/$name.err"
		fi
	done
}

mounter() {	# NAME DEV
	local name=$1 dev=$2 mnt=$T/mnt-$1 rc
	set +e
	mkdir -p "$mnt"
	while running; do
		if mount -t iso9660 -o ro "$dev" "$mnt" 2>"$T/$name.err"; then
			cmp "$T/tree/data/level1/middle.bin" "$mnt/data/level1/middle.bin" >/dev/null 2>"$T/$name.err"
			rc=$?
			# 1: differ; 2: trouble (an I/O error after a medium change)
			if [ "$rc" -eq 1 ]; then
				result "$name" 0 "" "$dev middle.bin"
			else
				result "$name" "$rc" "$T/$name.err"
			fi
			umount "$mnt" 2>>"$T/$name.err" || umount -l "$mnt"
		else
			result "$name" 1 "$T/$name.err"
		fi
	done
}

changer() {	# NAME DRIVES...
	local name=$1 d rc
	shift
	set +e
	while running; do
		d=${*:$((RANDOM % $# + 1)):1}
		case $((RANDOM % 5)) in
		0) "$VCDROMCTL" insert --drive "$d" "$T/imgfs/a.iso" >/dev/null 2>"$T/$name.err" ;;
		1) "$VCDROMCTL" insert --replace --drive "$d" "$T/imgfs/b.iso" >/dev/null 2>"$T/$name.err" ;;
		2) "$VCDROMCTL" eject "$d" 2>"$T/$name.err" ;;
		3) "$VCDROMCTL" eject --force "$d" 2>"$T/$name.err" ;;
		4) "$VCDROMCTL" insert --replace --drive "$d" "$T/imgfs/a.iso" >/dev/null 2>"$T/$name.err" ;;
		esac
		result "$name" $? "$T/$name.err"
	done
}

adder() {	# NAME
	local name=$1 j idx dev rc
	set +e
	while running; do
		j=$("$VCDROMCTL" --json add 2>"$T/$name.err")
		rc=$?
		result "$name" "$rc" "$T/$name.err"
		[ "$rc" -eq 0 ] || continue
		idx=$(jq -r .index <<<"$j") dev=$(jq -r .device <<<"$j")
		if "$VCDROMCTL" insert --drive "$idx" "$T/imgfs/a.iso" >/dev/null 2>"$T/$name.err"; then
			sg_turs "$(jq -r .sg <<<"$j")" >/dev/null 2>&1
			dd if="$dev" of="$T/$name.out" bs=2048 count=16 iflag=direct status=none 2>"$T/$name.err"
			rc=$?
			if [ "$rc" -eq 0 ] && ! cmp -s -n $((16 * 2048)) "$T/disc.copy" "$T/$name.out"; then
				result "$name" 0 "" "$dev 0"
			else
				result "$name" "$rc" "$T/$name.err"
			fi
		else
			result "$name" 1 "$T/$name.err"
		fi
		"$VCDROMCTL" remove "$idx" 2>"$T/$name.err"
		result "$name" $? "$T/$name.err"
	done
}

rmmoder() {	# NAME: while an sg node is held open, rmmod must fail with "in use"
	local name=$1
	set +e
	exec 9<>"${sgs[3]}"
	while running; do
		if rmmod vcdrom 2>"$T/$name.err"; then
			echo "WRONG rmmod succeeded with ${sgs[3]} open" >>"$T/logs/$name.log"
			return
		fi
		if grep -q 'in use' "$T/$name.err"; then
			echo OK >>"$T/logs/$name.log"
		else
			result "$name" 1 "$T/$name.err"
		fi
		sleep 1
	done
	exec 9<&-
}

kmsg "start: $SECONDS_RUN s"
dmesg_from=$(wc -l < <(dmesg))
pids=()
reader_dd dd0 "${srs[0]}" "" & pids+=($!)
reader_dd direct1 "${srs[1]}" direct & pids+=($!)
reader_dd direct3 "${srs[3]}" direct & pids+=($!)
reader_sg sg0 "${sgs[0]}" & pids+=($!)
reader_sg sg3 "${sgs[3]}" & pids+=($!)
mounter mount2 "${srs[2]}" & pids+=($!)
changer changeA 0 1 2 & pids+=($!)
changer changeB 0 1 3 & pids+=($!)
changer changeC 2 3 & pids+=($!)
adder add & pids+=($!)
rmmoder rmmod & pids+=($!)
on_exit "touch '$T/stop'; wait ${pids[*]} 2>/dev/null"
for p in "${pids[@]}"; do
	wait "$p" || fail "a stress process failed"
done
kmsg "end"
log "ran $SECONDS_RUN s"

# ---- what they saw ----
# no medium; an I/O error from a medium change under a read; a verb refused by the drive's state
expected='^(OK|ERROR .*(No medium found|no medium found|Input/output error|No data available|can.t read superblock|wrong fs type|already holds a medium|is locked by the host|holds no medium|Medium not present|medium may have changed|Not ready|not ready))'
bad=0
for f in "$T"/logs/*.log; do
	name=${f##*/}
	name=${name%.log}
	echo "$name: $(sed -e 's/^WRONG .*/WRONG/' -e 's/^ERROR \(.\{0,70\}\).*/ERROR \1/' "$f" | sort | uniq -c | sort -rn | paste -sd ';')"
	if grep -qvE "$expected" "$f"; then
		echo "$name: unexpected:"$'\n'"$(grep -vE "$expected" "$f" | sort | uniq -c | head -n 10)"
		bad=1
	fi
done
for name in dd0 direct1 direct3 sg0 sg3 mount2 changeA add rmmod; do
	grep -q '^OK$' "$T/logs/$name.log" || fail "$name never succeeded"
done
[ "$bad" -eq 0 ] || fail "unexpected results (above)"

senses=$(dmesg | tail -n +$((dmesg_from + 1)) | sed -n 's/.*\(Sense Key : .*\)$/\1/p' |
	sed 's/ *\[current\] *$//; s/ *$//' | sort | uniq -c)
echo "kernel sense keys:"$'\n'"$senses"
assert_no_match 'Sense Key' "$(grep -vE 'Sense Key : (Not Ready|Unit Attention)$' <<<"$senses" || true)" \
	"sense keys logged during the run"

# ---- back to the start ----
for m in "$T"/mnt-*; do
	! mountpoint -q "$m" || umount "$m" || fail "umount $m at the end"
done
for idx in $(vcdromctl --json list | jq -r '.drives[].index'); do
	if [ "$idx" -ge "$DRIVES" ]; then
		vcdromctl remove "$idx" || fail "remove drive $idx at the end"
	elif [ "$(drive_state "$idx")" = loaded ]; then
		vcdromctl eject --force "$idx" || fail "eject drive $idx at the end"
	fi
done
assert_eq "$DRIVES" "$(vcdromctl --json list | jq '.drives | length')" "drives at the end"
refcnt_back() { [ "$(cat /sys/module/vcdrom/refcnt)" = "$refcnt0" ]; }
wait_until 20 refcnt_back || fail "module refcnt $(cat /sys/module/vcdrom/refcnt), was $refcnt0 before"
rm "$T/imgfs/a.iso" "$T/imgfs/b.iso"
wait_until 10 eval '[ "$(df --output=used -B1 "$T/imgfs" | tail -n 1)" -eq 0 ]' ||
	fail "$T/imgfs still uses $(df --output=used -B1 "$T/imgfs" | tail -n 1) bytes after the images were deleted"
umount "$T/imgfs" || fail "cannot unmount the images' tmpfs: something holds an image"
echo 3 >/proc/sys/vm/drop_caches
if [ -n "$filp0" ]; then
	filp1=$(filp_objects)
	log "filp objects: $filp0 before, $filp1 after"
	[ "$filp1" -le $((filp0 + 200)) ] || fail "filp objects grew from $filp0 to $filp1"
fi
slab1=$(sunreclaim)
log "unreclaimable slab: $slab0 kB before, $slab1 kB after"
[ "$slab1" -le $((slab0 + 8192)) ] || fail "unreclaimable slab grew from $slab0 kB to $slab1 kB"
# all closed: rmmod must succeed now
vcdrom_unload
log "ok"
