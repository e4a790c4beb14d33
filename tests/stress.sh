#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bounded stress, then a look for leaks:
# - 50 drives added with `vcdromctl add` (each bound by sr and sg at once) and removed again, by index and by
#   sg path; the module is back to its one drive;
# - 200 inserts and forced ejects of one drive (or as many as fit in VCDROM_STRESS_CYCLE_SECONDS, 60, at
#   least 50: 200 take about 45 s in a guest alone, three times that beside another guest) while a reader
#   loops on /dev/srN (direct reads of 4 sectors at random places). A read that succeeds must return the
#   image's bytes; a read that fails may fail only for the expected reason: no medium (ENOMEDIUM), or EIO
#   from a read caught by the medium change, which the kernel must have logged as NOT READY/medium not
#   present or UNIT ATTENTION/medium changed or removed, and nothing else;
# - afterwards the module's reference count is back where it was, the number of open files and filp objects
#   did not grow (both coarse: per-CPU counters, whole slabs), and, exactly, the image's file system (a tmpfs
#   of its own) frees the image's space when it is deleted and can be unmounted: nothing holds the file.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso dd cmp

DRIVES=50
CYCLES=200
BUDGET=${VCDROM_STRESS_CYCLE_SECONDS:-60}
READ_SECTORS=4

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
refcnt0=$(cat /sys/module/vcdrom/refcnt)
files0=$(cut -f1 /proc/sys/fs/file-nr)
# filp objects, per-CPU slabs flushed first; coarse (whole slabs; on 6.1 filp shares its cache with others)
filp_objects() {
	echo 1 >/sys/kernel/slab/filp/shrink 2>/dev/null || true
	awk '$1 == "filp" { print $2 }' /proc/slabinfo 2>/dev/null || true
}
filp0=$(filp_objects)
log "start: module refcnt $refcnt0, open files $files0, filp objects ${filp0:-?}"

ndrives() { vcdromctl --json list | jq '.drives | length'; }

# ---- add and remove ----
kmsg "add $DRIVES drives"
t0=$SECONDS
added=()
for i in $(seq "$DRIVES"); do
	j=$(vcdromctl --json add) || fail "vcdromctl add #$i: $j"
	# (bash, not jq: a fork less per drive)
	re='^\{"index":([0-9]+),"hctl":"[0-9:]+","device":"(/dev/sr[0-9]+)","sg":"(/dev/sg[0-9]+)","state":"empty",'
	[[ $j =~ $re ]] || fail "vcdromctl --json add #$i printed: $j"
	idx=${BASH_REMATCH[1]} dev=${BASH_REMATCH[2]} sgdev=${BASH_REMATCH[3]}
	[ -b "$dev" ] || fail "added drive $idx: its block device '$dev' is not there ($j)"
	[ -c "$sgdev" ] || fail "added drive $idx: its sg device '$sgdev' is not there ($j)"
	added+=("$idx:$dev:$sgdev")
done
assert_eq $((DRIVES + 1)) "$(ndrives)" "drives after adding $DRIVES"
assert_eq $((DRIVES + 1)) "$(vcdrom_devs | wc -l)" "vcdrom SCSI devices after adding $DRIVES"
distinct=$(printf '%s\n' "${added[@]}" | cut -d: -f1 | sort -u | wc -l)
assert_eq "$DRIVES" "$distinct" "distinct indexes of the added drives"

log "added $DRIVES drives in $((SECONDS - t0)) s"
kmsg "remove $DRIVES drives"
t0=$SECONDS
n=0
for a in "${added[@]}"; do
	IFS=: read -r idx dev sgdev <<<"$a"
	n=$((n + 1))
	if [ $((n % 2)) -eq 0 ]; then
		vcdromctl remove "$sgdev" || fail "vcdromctl remove $sgdev (drive $idx)"
	else
		vcdromctl remove "$idx" || fail "vcdromctl remove $idx"
	fi
	[ ! -e "$dev" ] || wait_until 10 test ! -e "$dev" || fail "$dev still there after removing drive $idx"
done
log "removed $DRIVES drives in $((SECONDS - t0)) s"
assert_eq 1 "$(ndrives)" "drives after removing $DRIVES"
assert_eq "$sr" "$(vcdrom_srdevs)" "the first drive's node after the removals"
assert_eq 1 "$(vcdrom_devs | wc -l)" "vcdrom SCSI devices after removing $DRIVES"

# ---- insert/eject cycles under a reader ----
# The image lives on a tmpfs of its own, so that whether anything still holds it shows at umount.
mkdir "$T/imgfs"
mount -t tmpfs -o size=16m vcdrom-stress "$T/imgfs" || fail "cannot mount a tmpfs on $T/imgfs"
on_exit "! mountpoint -q '$T/imgfs' || umount '$T/imgfs'"
make_tree "$T/tree"
img=$T/imgfs/disc.iso
make_iso "$T/tree" "$img" VCDROM_STRESS
sectors=$(sectors_of "$img")
cp "$img" "$T/disc.copy"	# the oracle, off the tmpfs

# One direct read of READ_SECTORS at a random LBA per line of $T/reader.log: OK, WRONG DATA LBA, or ERROR and
# dd's message. Two processes a read (dd and cmp): every fork is slow under TCG.
reader() {
	local lba bytes=$((READ_SECTORS * 2048)) st
	set +e		# (a background subshell: failing reads are its business)
	while [ ! -e "$T/stop" ]; do
		lba=$((RANDOM % (sectors - READ_SECTORS + 1)))
		dd if="$sr" bs=2048 skip="$lba" count="$READ_SECTORS" iflag=direct status=none 2>"$T/dd.err" |
			cmp -s -n "$bytes" -i $((lba * 2048)):0 "$T/disc.copy" -
		st=("${PIPESTATUS[@]}")
		if [ "${st[0]}" -ne 0 ]; then
			echo "ERROR $(head -n 1 "$T/dd.err")"
		elif [ "${st[1]}" -ne 0 ]; then
			echo "WRONG DATA $lba"	# or short: cmp -n reads exactly $bytes
		else
			echo OK
		fi
	done >"$T/reader.log"
}

kmsg "$CYCLES cycles: start"
dmesg_from=$(wc -l < <(dmesg))
t0=$SECONDS
reader &
reader_pid=$!
on_exit "touch '$T/stop'; wait $reader_pid 2>/dev/null"
fails=0
done_cycles=0
for i in $(seq "$CYCLES"); do
	if [ "$i" -gt 50 ] && [ $((SECONDS - t0)) -ge "$BUDGET" ]; then
		log "the time budget ($BUDGET s) is spent after $done_cycles cycles"
		break
	fi
	[ $((i % 50)) -ne 0 ] || log "cycle $i at $((SECONDS - t0)) s, $(wc -l <"$T/reader.log") reads"
	if ! out=$(vcdromctl insert --drive 0 "$img" 2>&1); then
		echo "cycle $i: insert: $out"
		fails=$((fails + 1))
	fi
	# the reader may hold the drive open (and so locked): force
	if ! out=$(vcdromctl eject --force 0 2>&1); then
		echo "cycle $i: eject: $out"
		fails=$((fails + 1))
	fi
	done_cycles=$i
done
touch "$T/stop"
wait "$reader_pid" || fail "the reader failed"
kmsg "$done_cycles cycles: end"
log "$done_cycles cycles in $((SECONDS - t0)) s"
assert_eq 0 "$fails" "failed inserts and ejects in $done_cycles cycles"

echo "reader results:"
sed 's/^WRONG DATA .*/WRONG DATA/' "$T/reader.log" | sort | uniq -c
reads=$(wc -l <"$T/reader.log")
ok=$(grep -c '^OK$' "$T/reader.log" || true)
expected_err=$(grep -cE "^ERROR dd: (failed to open|error reading) '$sr': (No medium found|Input/output error)\$" \
	"$T/reader.log" || true)
[ "$reads" -ge 20 ] || fail "the reader read only $reads times in $done_cycles cycles"
[ "$ok" -gt 0 ] || fail "no read succeeded in $done_cycles cycles"
assert_eq 0 $((reads - ok - expected_err)) "reads neither correct nor failed for an expected reason"

# what the kernel logged for the failed reads: only not ready, medium not present or medium changed
senses=$(dmesg | tail -n +$((dmesg_from + 1)) | sed -n 's/.*\(Sense Key : .*\|Add\. Sense: .*\)$/\1/p' |
	sed 's/ *\[current\] *$//; s/ *$//' | sort | uniq -c)
echo "kernel sense lines during the cycles:"$'\n'"$senses"
assert_no_match 'Sense Key' "$(grep -vE 'Sense Key : (Not Ready|Unit Attention)$' <<<"$senses" || true)" \
	"sense keys logged during the cycles"
ok_asc='Medium not present( - tray (open|closed))?|Not ready to ready change, medium may have changed'
assert_no_match 'Add. Sense' "$(grep -vE "Add\. Sense: ($ok_asc)\$" <<<"$senses" || true)" \
	"additional sense logged during the cycles"

# ---- leaks ----
kmsg "leaks"
# (empty or tray-open: the reader's last open may have closed the tray, as cdrom does on open)
assert_match '^(empty|tray-open) \[\]$' "$(drive_json 0 '"\(.state) \(.images)"')" "drive 0 after the cycles"
refcnt_back() { [ "$(cat /sys/module/vcdrom/refcnt)" = "$refcnt0" ]; }
wait_until 10 refcnt_back || fail "module refcnt $(cat /sys/module/vcdrom/refcnt), was $refcnt0 before"
files1=$(cut -f1 /proc/sys/fs/file-nr)
log "open files: $files0 before, $files1 after"
# file-nr reads a per-CPU counter without summing it: off by up to 32 (its batch) per CPU
# (a file leaked per cycle shows here only past 80 cycles; the image's tmpfs below catches it at any count)
[ "$files1" -le $((files0 + 80)) ] || fail "open files grew from $files0 to $files1 over $done_cycles cycles"
if [ -n "$filp0" ]; then
	filp1=$(filp_objects)
	log "filp objects: $filp0 before, $filp1 after"
	# a file leaked per cycle would be +$done_cycles (at least 50); a new slab adds up to 32
	slack=$((done_cycles / 2 > 40 ? done_cycles / 2 : 40))
	[ "$filp1" -le $((filp0 + slack)) ] ||
		fail "filp objects grew from $filp0 to $filp1 over $done_cycles cycles"
fi
rm "$img"
used=$(df --output=used -B1 "$T/imgfs" | tail -n 1)
[ "$used" -eq 0 ] || fail "$T/imgfs still uses $used bytes after the image was deleted"
umount "$T/imgfs" || fail "cannot unmount the image's tmpfs: something holds the image"

# the drive still works
node=$(vcdromctl insert --drive 0 "$T/disc.copy") || fail "vcdromctl insert after the cycles"
assert_eq "$sr" "$node" "vcdromctl insert after the cycles prints"
cmp "$T/disc.copy" "$sr" || fail "$sr does not read as the image after the cycles"
vcdromctl eject 0 || fail "vcdromctl eject 0 after the cycles"
sg_turs "$sg" >/dev/null 2>&1 || true
