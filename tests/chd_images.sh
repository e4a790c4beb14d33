#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MAME CHD images through a drive (issue 17): the mixed disc of lib_cd.sh (a MODE1 data track, audio with a
# stored pregap, an unstored one, a second index) made into a CHD by chdman (Debian's mame-tools), put in one
# drive, its cue sheet in another. Both drives must give the same track list (numbers, types, starts, the
# lead-out) and the same main channel for every sector of the disc (READ CD F8h), pregaps included; the CHD
# cannot store the MCN, ISRCs, CD-TEXT, flags or indexes past 1, which are not compared. The CHD is extracted
# once into the cache (a second insert takes the entry as it is); `toc` of it says what a CHD cannot store,
# and `status` names the .chd it came from. A DVD CHD (chdman createraw, then addmeta 'DVD ': this chdman has
# no createdvd) is a DVD-ROM whose bytes are the ISO's. A CHD with a flipped byte in a hunk is refused with
# the hunk's number, and nothing changes.
# No kernel version changes any of it: in `make check`, only the newest kernel runs it (lib.sh's once_per_run).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq chdman sg_raw cmp stat timeout
once_per_run chd_images.sh || skip "the CHD is the tool's to expand; the drive serves a plain file"
cache=$T/cache

make_mixed_disc "$T/m"
# chdman 0.251 may spin for ever on input it does not like: bounded
t0=$(date +%s)
timeout 200 chdman createcd -i "$T/m/mixed.cue" -o "$T/mixed.chd" >"$T/chdman.log" 2>&1 ||
	fail "chdman createcd: $(tail -n 3 "$T/chdman.log")"
log "chdman createcd took $(($(date +%s) - t0)) s"

vcdrom_load drives=2
on_exit "vcdromctl eject --force 0 >/dev/null 2>&1; vcdromctl eject --force 1 >/dev/null 2>&1"
sr0=$(vcdromctl --json status 0 | jq -r .device)
sr1=$(vcdromctl --json status 1 | jq -r .device)

run_split rc vcdromctl insert --drive 0 "$T/m/mixed.cue"
assert_eq 0 "$rc" "insert of the cue (stderr: $out_stderr)"
run_split rc vcdromctl --json insert --drive 1 --cache-dir "$cache" "$T/mixed.chd"
assert_eq 0 "$rc" "insert of the CHD (stderr: $out_stderr)"
assert_eq "" "$out_stderr" "insert of the CHD: stderr"
entry=$(jq -r '.cache[0]' <<<"$out_stdout")
assert_match "^$cache/" "$entry" "the CHD's cache entry"
assert_eq "[\"$entry\"] CHD image [\"$T/mixed.chd\"]" "$(drive_json 1 '"\(.images) \(.format) \(.source)"')" \
	"drive 1's images, format and source"
toc=$(vcdromctl toc --cache-dir "$cache" "$T/mixed.chd") || fail "vcdromctl toc of the CHD: $toc"
assert_match '^note: a CHD stores no MCN, ISRCs, CD-TEXT, track flags, indexes past 1 or sessions$' "$toc" \
	"vcdromctl toc of the CHD"
for sg in "$(vcdrom_sg_of "$sr0")" "$(vcdrom_sg_of "$sr1")"; do
	sg_turs "$sg" >/dev/null 2>&1 || true	# the insert's unit attention
done

# --- the same tracks ---
tracks() {
	vcdromctl --json status --toc "$1" |
		jq -c '[(.toc.tracks // .tracks)[] | [.track, .type, .start]] + [(.toc.leadout // .leadout).start]'
}
want=$(tracks 0)
assert_match '^\[\[1,"data",0\],\[2,"audio",' "$want" "the cue's tracks"
assert_eq "$want" "$(tracks 1)" "the CHD's tracks against the cue's"

# --- the same main channel, every sector ---
leadout=$(jq '.[-1]' <<<"$want")
# read_all DEV OUT: READ CD F8h of every sector, 27 a command
read_all() {
	local sg lba n
	sg=$(vcdrom_sg_of "$1")
	: >"$2"
	for ((lba = 0; lba < leadout; lba += 27)); do
		n=$((leadout - lba < 27 ? leadout - lba : 27))
		sg_raw -r $((n * 2352)) -o "$T/chunk" "$sg" be 00 \
			$(printf '%02x %02x %02x %02x' $((lba >> 24 & 255)) $((lba >> 16 & 255)) \
				$((lba >> 8 & 255)) $((lba & 255))) \
			00 00 "$(printf '%02x' "$n")" f8 00 00 >/dev/null 2>&1 ||
			fail "READ CD of $n sectors at $lba from $1"
		cat "$T/chunk" >>"$2"
	done
}
read_all "$sr0" "$T/cue.raw"
read_all "$sr1" "$T/chd.raw"
assert_eq $((leadout * 2352)) "$(stat -c %s "$T/chd.raw")" "bytes read from the CHD's drive"
cmp "$T/cue.raw" "$T/chd.raw" || fail "the CHD's sectors differ from the cue's"

# --- a second insert: the entry as it is ---
before=$(stat -c '%i %Y' "$entry")
run_split rc vcdromctl --json insert --drive 1 --replace --cache-dir "$cache" "$T/mixed.chd"
assert_eq 0 "$rc" "second insert of the CHD (stderr: $out_stderr)"
assert_eq "$entry" "$(jq -r '.cache[0]' <<<"$out_stdout")" "the second insert's cache entry"
assert_eq "$before" "$(stat -c '%i %Y' "$entry")" "the entry's inode and mtime after a second insert"

# --- a DVD CHD: a DVD-ROM, the ISO's bytes ---
mkdir -p "$T/dvdtree"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$T/dvdtree/DATA.BIN"
make_iso "$T/dvdtree" "$T/dvd.iso" CHD_DVD
# whole hunks of 4096 bytes
truncate -s $((($(stat -c %s "$T/dvd.iso") + 4095) / 4096 * 4096)) "$T/dvd.iso"
timeout 200 chdman createraw -i "$T/dvd.iso" -o "$T/dvd0.chd" -hs 4096 -us 2048 -c none >"$T/chdman.log" 2>&1 &&
	timeout 200 chdman addmeta -i "$T/dvd0.chd" --tag 'DVD ' --valuetext '' >>"$T/chdman.log" 2>&1 &&
	timeout 200 chdman copy -i "$T/dvd0.chd" -o "$T/dvd.chd" -c zlib,lzma >>"$T/chdman.log" 2>&1 ||
	fail "chdman createraw, addmeta, copy: $(tail -n 3 "$T/chdman.log")"
run_split rc vcdromctl insert --drive 0 --replace --cache-dir "$cache" "$T/dvd.chd"
assert_eq 0 "$rc" "insert of the DVD CHD (stderr: $out_stderr)"
sg_turs "$(vcdrom_sg_of "$sr0")" >/dev/null 2>&1 || true
assert_eq "DVD-ROM $(($(stat -c %s "$T/dvd.iso") / 2048))" "$(drive_json 0 '"\(.profile) \(.capacity)"')" \
	"the DVD CHD's profile and capacity"
dd if="$sr0" bs=1M iflag=direct status=none >"$T/dvd.read" || fail "dd of $sr0 (the DVD CHD)"
cmp "$T/dvd.iso" "$T/dvd.read" || fail "the DVD CHD's bytes through $sr0 differ from the ISO's"

# --- a flipped byte in a hunk: refused, nothing changes ---
cp "$T/mixed.chd" "$T/bad.chd"
# a byte 4 KiB before the map (the header's big-endian mapoffset at 40): in the last hunks
off=$((16#$(od -An -tx1 -j 40 -N 8 "$T/bad.chd" | tr -d ' \n') - 4096))
byte=$(od -An -tu1 -j "$off" -N1 "$T/bad.chd" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 0x55)))" | dd of="$T/bad.chd" bs=1 seek="$off" conv=notrunc status=none
cmp -s "$T/mixed.chd" "$T/bad.chd" && fail "no byte flipped at $off"
# (not chdman extractcd as a second judge: 0.251 spins for ever on this file)
# a cache of its own: in $cache its header's SHA-1 finds the good CHD's verified entry
state=$(drive_json 1 '[.state, .images]')
run_split rc vcdromctl insert --drive 1 --replace --cache-dir "$T/cache2" "$T/bad.chd"
assert_eq 6 "$rc" "exit status of the corrupt CHD's insert (stdout: $out_stdout)"
assert_match "^vcdromctl: insert: $T/bad.chd: hunk [0-9]+: " "$out_stderr" "the corrupt CHD's error"
assert_eq "$state" "$(drive_json 1 '[.state, .images]')" "drive 1 after the refused insert"
assert_eq "" "$(find "$T/cache2" -name '*.img')" "the cache's entries after the refused insert"
