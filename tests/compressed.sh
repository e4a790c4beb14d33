#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compressed images through a drive (issue 17): an ISO compressed by gzip, xz, zstd and bzip2 (each by its own
# command), put in with `vcdromctl insert --cache-dir`: the drive reads the ISO byte for byte from the cache
# entry `insert --json` names, and status lists that entry; the same file again takes the entry as it is (no
# expansion: its mtime and inode unchanged, nothing on stderr); --no-cache puts in a memfd, nothing in the
# cache. ECM: the cue names m1.bin and m2.bin, present only as .ecm (made by the tests' encoder), and the drive
# answers READ(10) with the ISO's bytes and READ CD with the BINs' whole sectors. The cache's cap never evicts
# an entry a drive holds. A cache on a full file system: the error names the file and the reason, the drive
# and the folder stay as they were.
# No kernel version changes any of it: in `make check`, only the newest kernel runs it (lib.sh's once_per_run).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso gzip xz zstd bzip2 sg_raw cmp stat mount
once_per_run compressed.sh || skip "the image is the tool's to expand; the drive serves a plain file"

cdsector=$(test_bin cdsector)
make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" VCDROM_PACKED
size=$(stat -c %s "$T/disc.iso")
sectors=$((size / 2048))
cache=$T/cache

vcdrom_load drives=2
on_exit "vcdromctl eject --force 0 >/dev/null 2>&1; vcdromctl eject --force 1 >/dev/null 2>&1"
sr=$(vcdromctl --json status 0 | jq -r .device)
sr1=$(vcdromctl --json status 1 | jq -r .device)

# insert_ok DRIVE ARGS...: vcdromctl --json insert --drive DRIVE --replace ARGS; its JSON in $ins.
insert_ok() {
	local d=$1 rc
	shift
	run_split rc vcdromctl --json insert --drive "$d" --replace "$@"
	assert_eq 0 "$rc" "vcdromctl insert $* exit status (stderr: $out_stderr)"
	assert_eq "" "$out_stderr" "vcdromctl insert $*: stderr"
	ins=$out_stdout
}

# --- each compressor, by its own command ---
for c in "gzip -9:gz" "xz -6:xz" "zstd -q -19:zst" "bzip2 -9:bz2"; do
	cmd=${c%:*}
	ext=${c##*:}
	img=$T/disc.iso.$ext
	$cmd -c "$T/disc.iso" >"$img" || fail "$cmd"
	insert_ok 0 --cache-dir "$cache" "$img"
	entry=$(jq -r '.cache[0]' <<<"$ins")
	assert_eq 1 "$(jq '.cache | length' <<<"$ins")" "cache entries of the $ext insert: $ins"
	assert_match "^$cache/" "$entry" "the $ext cache entry's folder"
	assert_eq "$size" "$(stat -c %s "$entry")" "size of the $ext cache entry"
	assert_eq "[\"$entry\"]" "$(drive_json 0 .images)" "status' images after the $ext insert"
	assert_eq "loaded $sectors" "$(drive_json 0 '"\(.state) \(.capacity)"')" "state after the $ext insert"
	cmp "$T/disc.iso" "$sr" || fail "$sr differs from the ISO put in as .$ext"
	eval "entry_$ext=\$entry"
done

# --- the same file again: the entry as it is ---
before=$(stat -c '%i %Y' "$entry_gz")
insert_ok 0 --cache-dir "$cache" "$T/disc.iso.gz"
assert_eq "$entry_gz" "$(jq -r '.cache[0]' <<<"$ins")" "the cache entry of the second gz insert"
assert_eq "$before" "$(stat -c '%i %Y' "$entry_gz")" "the gz entry's inode and mtime after a second insert"
cmp "$T/disc.iso" "$sr" || fail "$sr differs from the ISO after the second gz insert"

# --- no cache: a memfd ---
entries=$(find "$cache" -type f | sort)
insert_ok 0 --no-cache "$T/disc.iso.xz"
assert_eq 0 "$(jq '.cache | length' <<<"$ins")" "cache entries with --no-cache: $ins"
assert_match '^/memfd:vcdrom:' "$(drive_json 0 '.images[0]')" "status' image with --no-cache"
cmp "$T/disc.iso" "$sr" || fail "$sr differs from the ISO put in with --no-cache"
assert_eq "$entries" "$(find "$cache" -type f | sort)" "the cache's files after --no-cache"

# --- ECM: the cue's BINs only as .ecm ---
"$cdsector" encode --mode 1 "$T/disc.iso" "$T/m1.bin" || fail "cdsector encode --mode 1"
"$cdsector" encode --mode 2form1 "$T/disc.iso" "$T/m2.bin" || fail "cdsector encode --mode 2form1"
for m in 1 2; do
	"$cdsector" ecm "$T/m$m.bin" "$T/m$m.bin.ecm" || fail "cdsector ecm m$m.bin"
	mv "$T/m$m.bin" "$T/m$m.want"
	printf 'FILE "m%s.bin" BINARY\n  TRACK 01 MODE%s/2352\n    INDEX 01 00:00:00\n' "$m" "$m" >"$T/m$m.cue"
done
insert_ok 0 --cache-dir "$cache" "$T/m1.cue"
insert_ok 1 --cache-dir "$cache" "$T/m2.cue"
for m in 1 2; do
	dev=$([ "$m" = 1 ] && echo "$sr" || echo "$sr1")
	cmp "$T/disc.iso" "$dev" || fail "$dev (m$m.bin.ecm) does not read as the ISO"
	# READ CD F8h of 4 whole sectors at 16 against the BIN's own
	out=$(sg_raw -r 9408 -o "$T/rcd" "$(vcdrom_sg_of "$dev")" be 00 00 00 00 10 00 00 04 f8 00 00 2>&1) ||
		fail "READ CD of $dev: $out"
	dd if="$T/m$m.want" of="$T/rcd.want" bs=2352 skip=16 count=4 status=none
	cmp "$T/rcd.want" "$T/rcd" || fail "READ CD of $dev differs from m$m.bin's sectors 16-19"
done

# --- the cap never evicts an entry a drive holds ---
held=$(drive_json 1 '.images[0]')
assert_match "^$cache/" "$held" "drive 1's image (m2.bin.ecm expanded)"
gzip -1 -c "$T/m1.want" >"$T/other.bin.gz"
printf 'FILE "other.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n' >"$T/other.cue"
insert_ok 0 --cache-dir "$cache" --cache-max 1 "$T/other.cue"
[ -f "$held" ] || fail "$held, in drive 1, was evicted by a cap of 1 byte"
cmp "$T/disc.iso" "$sr1" || fail "$sr1 does not read as the ISO after the eviction"
cmp "$T/disc.iso" "$sr" || fail "$sr (other.bin.gz) does not read as the ISO"
[ ! -e "$entry_bz2" ] || fail "$entry_bz2, in no drive, outlived a cap of 1 byte"

# --- a full cache folder: refused, nothing changes ---
mkdir -p "$T/small"
mount -t tmpfs -o size=1m tmpfs "$T/small" || fail "mount a 1 MiB tmpfs"
on_exit "umount '$T/small'"
mkdir -p "$T/big"
head -c $((2 * 1024 * 1024)) /dev/urandom >"$T/big/two-mib.bin"
make_iso "$T/big" "$T/big.iso" VCDROM_BIG
zstd -q -c "$T/big.iso" >"$T/big.iso.zst" || fail "zstd big.iso"
state=$(drive_json 0 '[.state, .images]')
run_split rc vcdromctl insert --drive 0 --replace --cache-dir "$T/small" "$T/big.iso.zst"
assert_eq 6 "$rc" "exit status of an insert into a full cache (stdout: $out_stdout)"
assert_match "^vcdromctl: insert: $T/big.iso.zst: .*No space left on device\$" "$out_stderr" \
	"the error of an insert into a full cache"
assert_eq "" "$(find "$T/small" -mindepth 1)" "the full cache folder's files after the failure"
assert_eq "$state" "$(drive_json 0 '[.state, .images]')" "drive 0 after the refused insert"
