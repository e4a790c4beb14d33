#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults in the backing store. The images live on ext4 over dm (loop device over a file in the test's temp dir):
# - a known range of an image's blocks switched to dm's `error` target, caches dropped: READ(10) and READ CD of
#   sectors there fail with MEDIUM ERROR / UNRECOVERED READ ERROR and the first bad LBA in the information field;
#   reads around them return the image's bytes; dd through /dev/srN gets ENODATA (or EIO) for the bad part only and nothing
#   hangs. For an ISO (the page-cache fast path) and a MODE1/2352 CUE/BIN (the sector-by-sector path);
# - the same range on dm-flakey, always down, and the whole image on dm-flakey going up and down: every read
#   either returns the right bytes or fails with MEDIUM ERROR;
# - small O_DIRECT reads of an ISO half in the page cache return its bytes (6.12+: inline from the cache);
# - an image truncated while inserted: reads past its new end fail with MEDIUM ERROR, reads before it work, and
#   eject works;
# - the image's file system lazily unmounted while inserted: reads go on from the open file; after the eject
#   nothing holds the file system: the dm and loop devices under it can be removed.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd dmsetup losetup mkfs.ext4 filefrag sg_raw sg_turs dd cmp timeout
modprobe -a loop dm_mod 2>/dev/null || skip "no loop or dm_mod module"
modprobe dm_flakey 2>/dev/null || true

# (sr shrinks the disk to a medium error in its last 75 sectors: the errors here stay far from the end)
ISO_SECTORS=1000
BIN_SECTORS=300
FS_MB=32
DM=vcdrom-media-errors-$$
# no udevd in the guest: libdevmapper makes the /dev/mapper nodes itself
export DM_DISABLE_UDEV=1

# what dd says of a MEDIUM ERROR: the block layer's BLK_STS_MEDIUM is ENODATA (EIO on older kernels)
DD_MEDIUM_ERROR='Input/output error|No data available'

# reader_switches: the context switches of vcdrom's reader threads (kthreads vcdromN.Q) so far.
reader_switches() {
	local p c line total=0
	for p in /proc/[0-9]*; do
		read -r c 2>/dev/null <"$p/comm" || continue
		if [[ "$c" != vcdrom[0-9]*.[0-9]* ]]; then
			continue
		fi
		while read -r line; do
			if [[ "$line" == voluntary_ctxt_switches:* ]]; then
				total=$((total + ${line##*[[:space:]]}))
			fi
		done <"$p/status"
	done
	echo "$total"
}

# kernel_at_least MAJOR MINOR: yes if the running kernel is that release or later.
kernel_at_least() {
	local r
	r=$(uname -r)
	r=${r%%-*}
	local major=${r%%.*} minor
	minor=${r#*.}
	minor=${minor%%.*}
	if [ "$major" -gt "$1" ] || { [ "$major" -eq "$1" ] && [ "$minor" -ge "$2" ]; }; then echo yes; else echo no; fi
}

lba_hex() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)


# ---- the backing store: a file -> loop -> dm-linear -> ext4 ----
truncate -s "${FS_MB}M" "$T/backing" || fail "truncate $T/backing"
loopdev=$(losetup -f --show "$T/backing") || fail "losetup $T/backing"
on_exit "losetup -d '$loopdev' 2>/dev/null"
dev_sectors=$((FS_MB * 2048))
dmsetup create "$DM" --table "0 $dev_sectors linear $loopdev 0" || fail "dmsetup create $DM"
on_exit "dmsetup remove --retry '$DM' >/dev/null 2>&1"
dmdev=/dev/mapper/$DM
wait_until 10 test -b "$dmdev" || fail "$dmdev did not appear"
# no journal: nothing is written once the images are in
mkfs.ext4 -q -F -b 4096 -O ^has_journal "$dmdev" >"$T/mkfs.log" 2>&1 || fail "mkfs.ext4 $dmdev: $(cat "$T/mkfs.log")"
mnt=$T/mnt
mkdir "$mnt"
mount "$dmdev" "$mnt" || fail "mount $dmdev"
on_exit "! mountpoint -q '$mnt' || umount -l '$mnt'"

head -c $((ISO_SECTORS * 2048)) /dev/urandom >"$T/disc.iso"
cp "$T/disc.iso" "$mnt/disc.iso"
head -c $((BIN_SECTORS * 2048)) /dev/urandom >"$T/data.2048"
encode_data 1 0 "$T/data.2048" "$T/data.bin"
cp "$T/data.bin" "$mnt/data.bin"
printf 'FILE "data.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n' >"$mnt/data.cue"
cp "$T/disc.iso" "$mnt/lazy.iso"
sync
mount -o remount,ro "$mnt" || fail "remount $mnt read-only"

# phys_block FILE BLOCK: the file system block (4096 bytes) that holds the file's block BLOCK.
phys_block() {
	filefrag -v "$1" | sed 's/\.\./ /g; s/:/ /g' | awk -v b="$2" '
		$1 ~ /^[0-9]+$/ && NF >= 5 && b >= $2 && b <= $3 { print $4 + b - $2; found = 1; exit }
		END { if (!found) exit 1 }' || fail "filefrag: no block $2 in $1:"$'\n'"$(filefrag -v "$1")"
}

# dm_table [START COUNT TARGET]: the dm device as the plain linear map, or with COUNT 512-byte sectors from
# START mapped to TARGET ("error", or "flakey UP DOWN") instead. Caches dropped, so that reads reach it.
dm_table() {
	local table="0 $dev_sectors linear $loopdev 0"
	if [ $# -gt 0 ]; then
		local start=$1 count=$2 target=$3 end
		end=$((start + count))
		table=
		[ "$start" -eq 0 ] || table="0 $start linear $loopdev 0"$'\n'
		case $target in
		error) table+="$start $count error" ;;
		flakey*) table+="$start $count flakey $loopdev $start ${target#flakey }" ;;
		esac
		[ "$end" -eq "$dev_sectors" ] || table+=$'\n'"$end $((dev_sectors - end)) linear $loopdev $end"
	fi
	dmsetup reload "$DM" <<<"$table" || fail "dmsetup reload $DM:"$'\n'"$table"
	dmsetup resume "$DM" || fail "dmsetup resume $DM"
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# bad_range FILE BLOCK COUNT: print the dm sectors of the file's blocks BLOCK..BLOCK+COUNT-1 ("START COUNT"),
# which must be contiguous on the device.
bad_range() {
	local p0 p1
	p0=$(phys_block "$1" "$2")
	p1=$(phys_block "$1" $(($2 + $3 - 1)))
	[ "$p1" -eq $((p0 + $3 - 1)) ] || skip "$1's blocks $2..$(($2 + $3 - 1)) are not contiguous on $dmdev"
	echo "$((p0 * 8)) $(($3 * 8))"
}

# read10 LBA COUNT: READ(10) through sg; rc in $rc, sg_raw's output in $out, the data in $T/got.
read10() {
	rm -f "$T/got"
	run_rc rc timeout 60 sg_raw -r $(($2 * 2048)) -o "$T/got" "$sg" 28 00 $(lba_hex "$1") 00 $(lba_hex "$2" | cut -c7-) 00
}

# readcd LBA COUNT: READ CD of whole sectors (sync, header, user data, EDC/ECC: 2352 bytes each).
readcd() {
	rm -f "$T/got"
	run_rc rc timeout 60 sg_raw -r $(($2 * 2352)) -o "$T/got" "$sg" be 00 $(lba_hex "$1") $(lba_hex "$2" | cut -c4-) f8 00 00
}

# expect_medium_error LBA WHAT: the last read failed with MEDIUM ERROR / UNRECOVERED READ ERROR at LBA.
expect_medium_error() {
	[ "$rc" -ne 0 ] || fail "$2: succeeded, expected MEDIUM ERROR at LBA $1"
	[ "$rc" -ne 124 ] || fail "$2: hung (timeout)"
	assert_eq "Medium Error / Unrecovered read error" "$(sense_of "$out")" "$2: sense"
	assert_match "Info fld=0x0*$(printf '%x' "$1") \[$1\]" "$out" "$2: information field (the first bad LBA, $1)"
}

# expect_bytes ORACLE OFFSET WHAT: the last read succeeded and returned ORACLE's bytes from OFFSET.
expect_bytes() {
	assert_eq 0 "$rc" "$3: exit status ($out)"
	cmp -s -n "$(stat -c %s "$T/got")" -i "$2:0" "$1" "$T/got" || fail "$3: wrong bytes"
}

# ---- an ISO: the page cache fast path ----
# file blocks 40..43 = LBAs 80..87
kmsg "ISO over dm-error"
range=$(bad_range "$mnt/disc.iso" 40 4)
read -r bstart bcount <<<"$range"
vcdromctl insert --raw --drive 0 "$mnt/disc.iso" >/dev/null || fail "vcdromctl insert $mnt/disc.iso"
sg_ready "$sg"
for target in error "flakey 0 1"; do
	log "ISO, LBAs 80..87 on dm $target"
	dm_table "$bstart" "$bcount" "$target"
	read10 76 8
	expect_medium_error 80 "ISO on $target: READ(10) of LBAs 76..83"
	read10 85 2
	expect_medium_error 85 "ISO on $target: READ(10) of LBAs 85..86"
	read10 0 80
	expect_bytes "$T/disc.iso" 0 "ISO on $target: READ(10) of LBAs 0..79"
	read10 88 64
	expect_bytes "$T/disc.iso" $((88 * 2048)) "ISO on $target: READ(10) of LBAs 88..151"
	run_rc rc timeout 60 dd if="$sr" of="$T/dd.out" bs=2048 skip=82 count=1 iflag=direct status=none
	[ "$rc" -ne 124 ] || fail "dd of LBA 82 on $target hung"
	assert_match "$DD_MEDIUM_ERROR" "$out" "ISO on $target: dd of LBA 82 (exit status $rc)"
	run_rc rc timeout 120 dd if="$sr" of="$T/dd.out" bs=2048 skip=88 iflag=direct status=none
	assert_eq 0 "$rc" "ISO on $target: dd of LBAs 88.. ($out)"
	cmp -s -i $((88 * 2048)):0 "$T/disc.iso" "$T/dd.out" || fail "ISO on $target: dd of LBAs 88.. read wrong bytes"
	run_rc rc timeout 120 dd if="$sr" of="$T/dd.out" bs=64k status=none
	[ "$rc" -ne 124 ] || fail "buffered dd of all of $sr on $target hung"
	assert_match "$DD_MEDIUM_ERROR" "$out" "ISO on $target: buffered dd of the whole disc (exit status $rc)"
	got=$(stat -c %s "$T/dd.out")
	[ "$got" -le $((80 * 2048)) ] || fail "buffered dd on $target read $got bytes, past the bad LBA 80"
	cmp -s -n "$got" "$T/disc.iso" "$T/dd.out" || fail "buffered dd on $target: wrong bytes before the error"
done
dm_table
cmp "$T/disc.iso" "$sr" || fail "the ISO does not read whole once the dm table is linear again"
vcdromctl eject 0 || fail "eject the ISO"

# ---- small reads of a partly cached ISO ----
# On 6.12+ a small read is served in queuecommand, inside submit_bio, from what the page cache holds, and
# handed to the reader thread on a miss (on 6.1 the reader does all): every 2 KiB O_DIRECT read of the disc,
# with every other 64 KiB of the file cached, returns the image's bytes, and none hangs.
kmsg "ISO partly cached"
vcdromctl insert --raw --drive 0 "$mnt/disc.iso" >/dev/null || fail "vcdromctl insert $mnt/disc.iso"
sg_ready "$sg"
sync
echo 3 >/proc/sys/vm/drop_caches
for ((chunk = 0; chunk < ISO_SECTORS / 32; chunk += 2)); do
	dd if="$mnt/disc.iso" of=/dev/null bs=64k skip="$chunk" count=1 status=none || fail "dd chunk $chunk of the ISO"
done
woken=$(reader_switches)
run_rc rc timeout 120 dd if="$sr" of="$T/dd.out" bs=2048 iflag=direct status=none
assert_eq 0 "$rc" "2 KiB O_DIRECT reads of the partly cached ISO ($out)"
cmp "$T/disc.iso" "$T/dd.out" || fail "2 KiB O_DIRECT reads of the partly cached ISO: wrong bytes"
woken=$(($(reader_switches) - woken))
log "$ISO_SECTORS reads of 2 KiB, half of them cached: the reader threads woke $woken times"
# 6.12+: the cached half never reaches a reader (the reader's own readahead caches more of the rest).
if [ "$(kernel_at_least 6 12)" = yes ] && [ "$woken" -gt $((ISO_SECTORS * 3 / 4)) ]; then
	fail "the reader threads woke $woken times for $ISO_SECTORS reads, half of them cached: none was served inline"
fi
vcdromctl eject 0 || fail "eject the ISO"

# ---- a CUE/BIN of MODE1/2352 sectors: READ(10) sector by sector, READ CD whole sectors ----
# file blocks 100..103 = bytes 409600..425983 = sectors 174..181 (sector 174's user data ends at byte 411312)
kmsg "CUE/BIN over dm-error"
range=$(bad_range "$mnt/data.bin" 100 4)
read -r bstart bcount <<<"$range"
bad=174
last_bad=$(((104 * 4096 - 1) / 2352))
cd_insert --drive 0 "$mnt/data.cue"
sg_ready "$sg"
for target in error "flakey 0 1"; do
	log "CUE/BIN, bytes 409600..425983 on dm $target"
	dm_table "$bstart" "$bcount" "$target"
	read10 170 8
	expect_medium_error "$bad" "BIN on $target: READ(10) of LBAs 170..177"
	readcd 172 4
	expect_medium_error "$bad" "BIN on $target: READ CD of LBAs 172..175"
	read10 0 "$bad"
	expect_bytes "$T/data.2048" 0 "BIN on $target: READ(10) of LBAs 0..$((bad - 1))"
	readcd $((last_bad + 1)) 20
	expect_bytes "$T/data.bin" $(((last_bad + 1) * 2352)) "BIN on $target: READ CD of LBAs $((last_bad + 1)).."
	read10 $((last_bad + 1)) 20
	expect_bytes "$T/data.2048" $(((last_bad + 1) * 2048)) "BIN on $target: READ(10) of LBAs $((last_bad + 1)).."
done
dm_table
read10 0 "$BIN_SECTORS"
expect_bytes "$T/data.2048" 0 "BIN: READ(10) of the whole disc once the dm table is linear again"
vcdromctl eject 0 || fail "eject the CUE/BIN"

# ---- the whole ISO on dm-flakey going up and down ----
kmsg "ISO over flakey, up 1 s, down 1 s"
vcdromctl insert --raw --drive 0 "$mnt/disc.iso" >/dev/null || fail "vcdromctl insert $mnt/disc.iso"
sg_ready "$sg"
dm_table 0 "$dev_sectors" "flakey 1 1"
good=0 bad=0
for i in $(seq 8); do
	lba=$((RANDOM % (ISO_SECTORS / 2)))
	echo 1 >/proc/sys/vm/drop_caches
	read10 "$lba" 8
	[ "$rc" -ne 124 ] || fail "flakey: READ(10) at $lba hung"
	if [ "$rc" -eq 0 ]; then
		expect_bytes "$T/disc.iso" $((lba * 2048)) "flakey: READ(10) of LBAs $lba..$((lba + 7))"
		good=$((good + 1))
	else
		assert_eq "Medium Error / Unrecovered read error" "$(sense_of "$out")" "flakey: READ(10) at $lba: sense"
		bad=$((bad + 1))
	fi
done
log "flakey: $good reads good, $bad failed"
dm_table
cmp "$T/disc.iso" "$sr" || fail "the ISO does not read whole after the flakey run"
vcdromctl eject 0 || fail "eject after the flakey run"

# ---- truncated while inserted ----
kmsg "truncated while inserted"
cp "$T/disc.iso" "$T/trunc.iso"
vcdromctl insert --raw --drive 0 "$T/trunc.iso" >/dev/null || fail "vcdromctl insert $T/trunc.iso"
sg_ready "$sg"
truncate -s $((100 * 2048)) "$T/trunc.iso"
read10 96 8
expect_medium_error 100 "truncated at LBA 100: READ(10) of LBAs 96..103"
read10 300 1
expect_medium_error 300 "truncated at LBA 100: READ(10) of LBA 300"
read10 0 100
expect_bytes "$T/disc.iso" 0 "truncated at LBA 100: READ(10) of LBAs 0..99"
run_rc rc timeout 60 dd if="$sr" of="$T/dd.out" bs=2048 skip=200 count=4 iflag=direct status=none
assert_match "$DD_MEDIUM_ERROR" "$out" "truncated: dd of LBAs 200..203 (exit status $rc)"
vcdromctl eject 0 || fail "eject the truncated image"
assert_match '^(empty|tray-open)$' "$(drive_state 0)" "drive 0 after ejecting the truncated image"
vcdromctl insert --raw --drive 0 "$T/disc.iso" >/dev/null || fail "insert after the truncated image"
cmp "$T/disc.iso" "$sr" || fail "the drive does not read an image whole after the truncated one"
vcdromctl eject 0 || fail "eject after the truncated image"

# ---- the image's file system lazily unmounted while inserted ----
kmsg "lazy umount while inserted"
vcdromctl insert --raw --drive 0 "$mnt/lazy.iso" >/dev/null || fail "vcdromctl insert $mnt/lazy.iso"
sg_ready "$sg"
umount -l "$mnt" || fail "umount -l $mnt"
mountpoint -q "$mnt" && fail "$mnt still a mount point after umount -l"
echo 3 >/proc/sys/vm/drop_caches
cmp "$T/disc.iso" "$sr" || fail "the image does not read whole after its file system was lazily unmounted"
run_rc rc dmsetup remove "$DM"
[ "$rc" -ne 0 ] || fail "dmsetup remove $DM succeeded while the inserted image's file system is on it"
vcdromctl eject 0 || fail "eject the image of the lazily unmounted file system"
# the file system goes away with its last file: then nothing holds the dm device
wait_until 10 dmsetup remove "$DM" 2>/dev/null || fail "dmsetup remove $DM after the eject: $(dmsetup remove "$DM" 2>&1)"
losetup -d "$loopdev" || fail "losetup -d $loopdev"
log "ok"
