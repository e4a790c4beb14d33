#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An image that lies on a disc: inner.iso inside outer.iso. With outer.iso in drive 0 and mounted, inner.iso
# goes into drive 1 and reads right through both drives; into drive 0 itself it is refused (the drive would
# read from itself), naming the reason, and drive 0 keeps its disc and its mount.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd xorriso mount umount cmp

vcdrom_load drives=2
mapfile -t srs < <(vcdrom_srdevs)
mkdir -p "$T/inner" "$T/outer" "$T/mnt"
head -c 300000 /dev/urandom >"$T/inner/data.bin"
make_iso "$T/inner" "$T/outer/inner.iso" INNER
make_iso "$T/outer" "$T/outer.iso" OUTER

vcdromctl insert --drive 0 "$T/outer.iso" >/dev/null || fail "insert outer.iso into drive 0"
sg_ready "$(vcdrom_sg_of "${srs[0]}")"
mount -o ro "${srs[0]}" "$T/mnt" || fail "mount ${srs[0]}"
on_exit "! mountpoint -q '$T/mnt' || umount -l '$T/mnt'"

run_rc rc "$VCDROMCTL" insert --replace --drive 0 "$T/mnt/inner.iso"
[ "$rc" -ne 0 ] || fail "an image on drive 0's own disc was inserted into drive 0"
assert_match "lies on the drive it is inserted into" "$out" "the refusal"
assert_eq "$T/outer.iso" "$(drive_json 0 '.images[0]')" "drive 0's image after the refusal"
cmp -s "$T/outer/inner.iso" "$T/mnt/inner.iso" || fail "drive 0's mount after the refusal"

vcdromctl insert --drive 1 "$T/mnt/inner.iso" >/dev/null || fail "insert inner.iso (on drive 0) into drive 1"
sg_ready "$(vcdrom_sg_of "${srs[1]}")"
mkdir "$T/mnt1"
mount -o ro "${srs[1]}" "$T/mnt1" || fail "mount ${srs[1]}"
on_exit "! mountpoint -q '$T/mnt1' || umount -l '$T/mnt1'"
cmp "$T/inner/data.bin" "$T/mnt1/data.bin" || fail "data.bin through drive 1, read from drive 0"
umount "$T/mnt1" || fail "umount $T/mnt1"
vcdromctl eject --force 1 || fail "eject drive 1"
# drive 1 no longer holds inner.iso: drive 0's file system is free
umount "$T/mnt" || fail "umount $T/mnt after drive 1's eject"
vcdromctl eject --force 0 || fail "eject drive 0"
