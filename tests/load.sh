#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module loads, sr and sg bind its drive, and the drive's INQUIRY says: CD/DVD, removable, vendor vcdrom.
# Unloading removes the drive and its nodes.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd sg_inq

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)
assert_match '^/dev/sr[0-9]+$' "$sr" "sr node of the one default drive"
assert_match '^/dev/sg[0-9]+$' "$sg" "sg node of the one default drive"
[ -b "$sr" ] || fail "$sr is not a block device"
[ -c "$sg" ] || fail "$sg is not a character device"
log "drive at $sr and $sg"

srn=$(basename "$sr")
assert_eq 5 "$(cat "/sys/block/$srn/device/type")" "/sys/block/$srn/device/type"
assert_eq 1 "$(cat "/sys/block/$srn/removable")" "/sys/block/$srn/removable"
assert_eq vcdrom "$(tr -d ' ' <"/sys/block/$srn/device/vendor")" "/sys/block/$srn/device/vendor"
assert_eq "$sg" "$(vcdrom_sg_of "$sr")" "sg node of $sr"

run_rc rc sg_inq "$sr"
echo "$out"
assert_eq 0 "$rc" "sg_inq $sr exit status"
assert_match 'PDT=5 ' "$out" "sg_inq $sr"
assert_match 'Peripheral device type: cd/dvd' "$out" "sg_inq $sr"
assert_match '^ *PQual=0 +PDT=5 +RMB=1 ' "$out" "sg_inq $sr"
assert_match '^ *Vendor identification: vcdrom *$' "$out" "sg_inq $sr"
assert_match '^ *Product identification: [^ ]' "$out" "sg_inq $sr"
assert_match '^ *Product revision level: [^ ]' "$out" "sg_inq $sr"

vcdrom_unload
[ ! -e "$sr" ] || fail "$sr still there after rmmod"
[ ! -e "$sg" ] || fail "$sg still there after rmmod"
[ ! -e "/sys/block/$srn" ] || fail "/sys/block/$srn still there after rmmod"
