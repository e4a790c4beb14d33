#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tests' sector encoder (cdsector.c), the oracle for the kernel's made-up sectors, checked on its own
# (no module, no root): its selftest (every single-bit corruption noticed); encode then verify for mode 1, mode 2
# form 1 and form 2 at a given LBA; a flipped byte or a wrong LBA makes verify fail naming the sector. Where the
# shared corpora are present, against sectors written by other software: libcdio's isofs-m1.bin (MODE1/2352)
# verifies, and re-encoding its user data gives it back byte for byte; the first 1000 sectors of videocd.nrg
# (mode 2 stored as 2336 bytes, XA form 1 and form 2) verify once given a sync and header.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

bin=$(test_bin cdsector)

run_rc rc "$bin" selftest
echo "$out"
assert_eq 0 "$rc" "cdsector selftest"

head -c $((2048 * 40 + 100)) /dev/urandom >"$T/user.2048"
head -c $((2324 * 20)) /dev/urandom >"$T/user.2324"
cp "$T/user.2048" "$T/user.padded"
truncate -s $((2048 * 41)) "$T/user.padded"	# the last partial sector is zero-filled
for mode in 1 2form1 2form2; do
	in=$T/user.2048 n=41
	[ "$mode" != 2form2 ] || in=$T/user.2324 n=20
	"$bin" encode --mode "$mode" --lba 1234 "$in" "$T/$mode.bin" || fail "encode --mode $mode"
	assert_eq $((n * 2352)) "$(stat -c %s "$T/$mode.bin")" "size of the mode $mode encoding"
	run_rc rc "$bin" verify --lba 1234 "$T/$mode.bin"
	assert_eq 0 "$rc" "verify --lba 1234 of mode $mode: $out"
	run_rc rc "$bin" verify "$T/$mode.bin"
	assert_eq 0 "$rc" "verify of mode $mode without --lba: $out"
	run_rc rc "$bin" verify --lba 1235 "$T/$mode.bin"
	assert_eq 1 "$rc" "verify --lba 1235 of mode $mode (one off)"
	assert_match "sector 0 \(LBA 1235\): header address 00:18:34 is LBA 1234, not 1235" "$out" "verify at the wrong LBA"
	cp "$T/$mode.bin" "$T/bad.bin"
	# flip every bit of one byte (a fixed value would match a random byte one time in 256)
	byte=$(od -An -tu1 -j $((2352 * 7 + 1000)) -N1 "$T/bad.bin")
	printf "\\x$(printf %02x $((byte ^ 0xff)))" |
		dd of="$T/bad.bin" bs=1 seek=$((2352 * 7 + 1000)) conv=notrunc status=none
	cmp -s "$T/$mode.bin" "$T/bad.bin" && fail "the corrupted copy of mode $mode is unchanged"
	run_rc rc "$bin" verify --lba 1234 "$T/bad.bin"
	assert_eq 1 "$rc" "verify of mode $mode with a byte of sector 7 changed"
	assert_match "^cdsector: $T/bad.bin: sector 7 \(LBA 1241\): .*(EDC|ECC)" "$out" "verify of a corrupt sector"
	if [ "$mode" != 2form2 ]; then
		"$bin" cook "$T/$mode.bin" "$T/$mode.cooked" || fail "cook mode $mode"
		cmp "$T/user.padded" "$T/$mode.cooked" || fail "cook of mode $mode does not give the user data back"
	fi
done
"$bin" encode --mode 1 --lba 16 --sectors 3 - "$T/zero.bin" || fail "encode --sectors 3 -"
run_rc rc "$bin" verify --lba 16 "$T/zero.bin"
assert_eq 0 "$rc" "verify of zeroed sectors: $out"

corpora=$(corpora_dir)
if [ -z "$corpora" ] || [ ! -r "$corpora/libcdio/data/isofs-m1.bin" ]; then
	log "no shared corpora: encoder checked against itself only"
	exit 0
fi
m1=$corpora/libcdio/data/isofs-m1.bin
run_rc rc "$bin" verify --lba 0 "$m1"
assert_eq 0 "$rc" "verify --lba 0 of libcdio's isofs-m1.bin: $out"
"$bin" cook "$m1" "$T/m1.iso" || fail "cook $m1"
"$bin" encode --mode 1 --lba 0 "$T/m1.iso" "$T/m1.bin" || fail "encode of isofs-m1's user data"
cmp "$m1" "$T/m1.bin" || fail "re-encoding isofs-m1.bin's user data does not give isofs-m1.bin"
head -c $((2336 * 1000)) "$corpora/libcdio/data/videocd.nrg" >"$T/vcd.2336"
"$bin" wrap "$T/vcd.2336" "$T/vcd.bin" || fail "wrap videocd.nrg's sectors"
run_rc rc "$bin" verify --lba 0 "$T/vcd.bin"
assert_eq 0 "$rc" "verify of videocd.nrg's first 1000 mode 2 sectors: $out"
log "libcdio's MODE1/2352 and XA sectors verify; isofs-m1.bin re-encodes byte for byte"
