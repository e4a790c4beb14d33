#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A data ISO (xorriso, Rock Ridge + Joliet) from a generated tree, put in with `vcdromctl insert`: the tool
# prints the drive's node; the drive reads back the image byte for byte (sha256sum), and its end: the last
# sector, then LOGICAL BLOCK ADDRESS OUT OF RANGE (05/21/00) past it; blkid, cd-info and sg_readcap, reading
# the drive, agree with the image; the file system mounts and its files (Rock Ridge, then Joliet names) equal
# the tree's; `vcdromctl status`/`list` (text and JSON) describe the medium. Then a file whose size is not a
# multiple of 2048: the tool says so, and the drive reads it as the file padded with zeros.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso blkid sg_readcap sg_raw cd-info sha256sum

LABEL=VCDROM_TEST_ISO

make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" "$LABEL"
size=$(stat -c %s "$T/disc.iso")
assert_eq 0 $((size % 2048)) "size of the ISO image modulo 2048"
sectors=$((size / 2048))
log "image: $size bytes, $sectors sectors"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

run_split rc vcdromctl insert "$T/disc.iso"
assert_eq 0 "$rc" "vcdromctl insert exit status (stderr: $out_stderr)"
assert_eq "$sr" "$out_stdout" "what vcdromctl insert prints"
assert_eq "" "$out_stderr" "vcdromctl insert's stderr for a whole number of sectors"

# --- the drive and the tool describe the medium ---
assert_eq "loaded CD-ROM $sectors false" "$(drive_json 0 '"\(.state) \(.profile) \(.capacity) \(.locked)"')" \
	"state, profile, capacity, locked from vcdromctl --json status 0"
assert_eq "[\"$T/disc.iso\"]" "$(drive_json 0 .images)" "images from vcdromctl --json status 0"
assert_eq "0 $sr $sg" "$(drive_json 0 '"\(.index) \(.device) \(.sg)"')" "index, device, sg from status --json"
list=$(vcdromctl --json list) || fail "vcdromctl --json list: $list"
assert_eq 1 "$(jq '.drives | length' <<<"$list")" "number of drives in vcdromctl --json list"
assert_eq "$(drive_json 0)" "$(jq -c '.drives[0]' <<<"$list")" "list --json's drive 0 against status --json 0"
list=$(vcdromctl list) || fail "vcdromctl list: $list"
echo "$list"
assert_match "^0 +$sr +$sg +loaded +no +CD-ROM +$sectors +$T/disc.iso\$" "$list" "vcdromctl list"
status=$(vcdromctl status "$sr") || fail "vcdromctl status $sr: $status"
assert_match "^state: +loaded\$" "$status" "vcdromctl status $sr"
assert_match "^capacity: +$sectors\$" "$status" "vcdromctl status $sr"
assert_match "^images: +$T/disc.iso\$" "$status" "vcdromctl status $sr"

# --- the bytes ---
want=$(sha256sum <"$T/disc.iso")
got=$(sha256sum <"$sr") || fail "cannot read $sr"
assert_eq "$want" "$got" "sha256 of $sr against the image"
assert_eq "$size" "$(blockdev --getsize64 "$sr")" "blockdev --getsize64 $sr"

# READ(10) of the last sector through sg, then one past it
lba_hex() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
# shellcheck disable=SC2046 # the CDB bytes are words
run_rc rc sg_raw -r 2048 -o "$T/last.bin" "$sg" 28 00 $(lba_hex $((sectors - 1))) 00 00 01 00
assert_eq 0 "$rc" "READ(10) of the last sector $((sectors - 1)): $out"
dd if="$T/disc.iso" of="$T/last.want" bs=2048 skip=$((sectors - 1)) count=1 status=none
cmp "$T/last.want" "$T/last.bin" || fail "READ(10) of LBA $((sectors - 1)) differs from the image's last sector"
# shellcheck disable=SC2046
run_rc rc sg_raw -r 2048 "$sg" 28 00 $(lba_hex "$sectors") 00 00 01 00
assert_ne 0 "$rc" "READ(10) at LBA $sectors (the capacity) exit status"
assert_eq "Illegal Request / Logical block address out of range" "$(sense_of "$out")" \
	"sense of READ(10) at LBA $sectors:"$'\n'"$out"

# --- programs that read the drive ---
assert_eq "iso9660 $LABEL" "$(blkid -o value -s TYPE "$sr") $(blkid -o value -s LABEL "$sr")" "blkid $sr"

run_rc rc sg_readcap "$sr"
assert_eq 0 "$rc" "sg_readcap $sr: $out"
assert_match "Last LBA=$((sectors - 1)) .*Number of logical blocks=$sectors\$" "$out" "sg_readcap $sr"
assert_match "Logical block length=2048 bytes" "$out" "sg_readcap $sr"
run_rc rc sg_readcap -16 "$sr"
assert_eq 0 "$rc" "sg_readcap -16 $sr: $out"
assert_match "Number of logical blocks=$sectors\$" "$out" "sg_readcap -16 $sr"

run_rc rc cd-info -C "$sr" --no-header
echo "$out" | sed -n '/^Disc mode/,$p'
assert_eq 0 "$rc" "cd-info -C $sr exit status"
assert_match '^Disc mode is listed as: CD-DATA \(Mode 1\)' "$out" "cd-info -C $sr"
assert_match '^CD-ROM Track List \(1 - 1\)' "$out" "cd-info -C $sr: one track"
assert_match '^ +1: 00:02:00 +000000 data ' "$out" "cd-info -C $sr: track 1, data at LSN 0"
assert_match "^170: [0-9:]+ +0*$sectors leadout" "$out" "cd-info -C $sr: lead-out at LSN $sectors"
assert_no_match '^ +2: ' "$out" "cd-info -C $sr: no second track"
assert_match "ISO 9660: $sectors blocks, label \`$LABEL" "$out" "cd-info -C $sr: file system"

# --- the file system: Rock Ridge names, then Joliet's ---
mount_ro "$sr" "$T/mnt"
diff -r "$T/tree" "$T/mnt" || fail "the files on $sr (Rock Ridge) differ from the tree"
umount "$T/mnt"
mount_ro "$sr" "$T/mnt" norock,iocharset=utf8
diff -r "$T/tree" "$T/mnt" || fail "the files on $sr (Joliet) differ from the tree"
umount "$T/mnt"

# --- a file that is not a whole number of sectors ---
odd_size=$((37 * 2048 + 1000))
head -c "$odd_size" /dev/urandom >"$T/odd.img"
run_split rc vcdromctl insert --raw --replace "$T/odd.img"
assert_eq 0 "$rc" "vcdromctl insert --replace odd.img exit status (stderr: $out_stderr)"
assert_eq "$sr" "$out_stdout" "what vcdromctl insert --replace prints"
assert_eq "vcdromctl: insert: $T/odd.img: size $odd_size is not a multiple of 2048; the last sector is zero-filled" \
	"$out_stderr" "vcdromctl's note about a partial last sector"
assert_eq "loaded 38 [\"$T/odd.img\"]" "$(drive_json 0 '"\(.state) \(.capacity) \(.images)"')" \
	"state, capacity and images after inserting odd.img"
cp "$T/odd.img" "$T/odd.padded"
truncate -s $((38 * 2048)) "$T/odd.padded"
assert_eq "$(sha256sum <"$T/odd.padded")" "$(sha256sum <"$sr")" "sha256 of $sr against odd.img padded with zeros"
run_rc rc sg_readcap "$sr"
assert_match "Number of logical blocks=38\$" "$out" "sg_readcap $sr with odd.img"

vcdromctl eject 0 || fail "vcdromctl eject 0"
assert_eq "tray-open null []" "$(drive_json 0 '"\(.state) \(.capacity) \(.images)"')" "drive 0 after the eject"
