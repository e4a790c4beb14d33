#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CDB fuzzing through SG_IO (fuzz_cdb.c: every opcode with every CDB length, mutations of valid CDBs, random
# lengths, directions and buffers; per-command invariants on resid, the data-in tail and the sense) against
# one drive holding, in turn: nothing; a DVD-sized image (sparse, random bytes at both ends); a CD of a data
# track and audio tracks with pregaps and indexes (make_mixed_disc); a two-session CD (make_sessions_disc).
# While the fuzzer runs on a loaded drive, dd reads /dev/srN at random places (failures are expected: the
# fuzzer ejects and locks), and a second fuzzer (-k: per-command checks only) shares the drive. A fuzzed
# eject is undone by the first fuzzer re-inserting the image (-r).
#
# Environment: VCDROM_FUZZ_CDB_COUNT (commands over all discs, default 20000), VCDROM_FUZZ_SEED (a seed to
# replay; each disc's run uses SEED + its number; default: from the clock, printed).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sox dd
fuzz=$(test_bin fuzz_cdb)
test_bin cdsector >/dev/null

count=${VCDROM_FUZZ_CDB_COUNT:-20000}
seed=${VCDROM_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
log "seed $seed, $count commands"

# Direct I/O lets the fuzzer see exactly what the driver wrote into its buffer (fuzz_cdb.c check_tail).
modprobe sg || fail "cannot load sg"
dio=/sys/module/sg/parameters/allow_dio
old_dio=$(cat "$dio")
echo 1 >"$dio"
on_exit "echo $old_dio >$dio"

vcdrom_load
sr=$(vcdrom_srdevs)
sg=$(vcdrom_sgdevs)

# DVD-sized (420000 sectors), sparse, random bytes in its first and last 64 KiB
dvd=$T/dvd.img
truncate -s $((420000 * 2048)) "$dvd"
head -c 65536 /dev/urandom | dd of="$dvd" conv=notrunc status=none
head -c 65536 /dev/urandom | dd of="$dvd" bs=2048 seek=$((420000 - 32)) conv=notrunc status=none
head -c 2048 "$dvd" >"$T/dvd.lba0"
make_mixed_disc "$T/mixed"
mixed_cue=$DISC_CUE
make_sessions_disc "$T/sessions"
sessions_cue=$DISC_CUE
sessions_lba=${DISC_START[3]}

churn_pid=
# no kill: a vcdromctl it started would outlive it and replace the next disc
stop_churn() {
	[ -n "$churn_pid" ] || return 0
	rm -f "$T/churn"
	wait "$churn_pid" 2>/dev/null || true
	churn_pid=
}
on_exit stop_churn

reader_pid=
stop_reader() {
	[ -n "$reader_pid" ] || return 0
	kill "$reader_pid" 2>/dev/null || true
	wait "$reader_pid" 2>/dev/null || true
	reader_pid=
}
on_exit stop_reader

# reader SECTORS: dd of 64 sectors at random places below SECTORS, until killed.
reader() {
	while :; do
		dd if="$sr" of=/dev/null bs=2048 count=64 skip=$((RANDOM * 32768 % $1)) iflag=direct \
			status=none 2>/dev/null || sleep 0.05
	done
}

# fuzz_disc NUMBER NAME COUNT [IMAGE SECTORS CHECK [churn]]: put IMAGE in the drive (none: empty it) and fuzz;
# with churn, churn() runs meanwhile.
fuzz_disc() {
	local n=$1 name=$2 cnt=$3 img=${4:-} sectors=${5:-} check=${6:-} churn=${7:-} args=() t0 rc=0 side side_rc=0
	local raw=
	[ "$img" != "$dvd" ] || raw=--raw	# random bytes, not an ISO 9660 image
	vcdromctl eject --force 0 >/dev/null 2>&1 || true
	if [ -n "$img" ]; then
		vcdromctl insert $raw --drive 0 "$img" >/dev/null || fail "vcdromctl insert $img"
		args=(-m -r "'$VCDROMCTL' insert $raw --drive 0 --replace '$img' >/dev/null${churn:+ 2>&1 || true}" -c "$check")
		reader "$sectors" &
		reader_pid=$!
	fi
	if [ -n "$churn" ]; then
		touch "$T/churn"
		churn &
		churn_pid=$!
	fi
	kmsg "$name: $cnt commands, seed $((seed + n))"
	t0=${EPOCHREALTIME/./}
	# a third of the commands from a second fuzzer beside the first, on a fd of its own
	"$fuzz" -k -q -n $((cnt / 3)) -s $((seed + 100 + n)) ${img:+-m} "$sg" >"$T/side.log" 2>&1 &
	side=$!
	"$fuzz" -n $((cnt - cnt / 3)) -s $((seed + n)) "${args[@]}" "$sg" || rc=$?
	wait "$side" || side_rc=$?
	cat "$T/side.log"
	stop_reader
	stop_churn
	[ "$rc" -eq 0 ] || fail "$name: fuzz_cdb failed (replay: VCDROM_FUZZ_SEED=$seed, or fuzz_cdb -s $((seed + n)))"
	[ "$side_rc" -eq 0 ] || fail "$name: fuzz_cdb -k failed (replay: VCDROM_FUZZ_SEED=$seed, or fuzz_cdb -k -s $((seed + 100 + n)))"
	log "$name: $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
}

fuzz_disc 0 "empty drive" $((count / 10))
# In the DVD run the medium is also ejected by force and inserted again twice a second: a disc goes away
# under commands in flight. The fuzzer's own re-insert may race with it: either wins.
churn() {
	while [ -e "$T/churn" ]; do
		"$VCDROMCTL" eject --force 0 >/dev/null 2>&1 || true
		"$VCDROMCTL" insert --raw --drive 0 "$dvd" >/dev/null 2>&1 || true
		sleep 0.5
	done
}
fuzz_disc 1 "DVD image" $((count * 3 / 10)) "$dvd" 420000 "0:$T/dvd.lba0" churn
fuzz_disc 2 "mixed-mode CD" $((count * 3 / 10)) "$mixed_cue" 1000 "0:$T/mixed/data.iso"
fuzz_disc 3 "two-session CD" $((count * 3 / 10)) "$sessions_cue" 600 "$sessions_lba:$T/sessions/data.iso"

# the drive is still sane for the tool, and the module unloads (lib.sh's exit)
vcdromctl eject --force 0 >/dev/null 2>&1 || true
assert_ne loaded "$(drive_state 0)" "state after the last eject"
log "ok"
