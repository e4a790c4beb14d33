#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz`: run each fuzz target named, one after the other (one process, one core), for FUZZ_SECONDS
# (default 60), from corpus/TARGET/ (the committed seeds), regress/TARGET/ and, when ../shared/corpora exists
# (VCDROM_CORPORA overrides it), the third-party images that fit the target. What the fuzzer finds
# new goes to build/fuzz/TARGET/ (not committed; make clean removes it). An input that crashed, leaked or hit undefined behaviour is
# copied into regress/TARGET/, for a person to commit with the fix; then this fails.
# Prints per target the runs made and what was found.
#
# Usage: tools/fuzz/run.sh TARGET...  (after make -C tools/fuzz)
# Environment: FUZZ_SECONDS (default 60), FUZZ_ARGS (more libFuzzer options)

set -u
cd "$(dirname "$0")" || exit 2
seconds=${FUZZ_SECONDS:-60}
corpora=${VCDROM_CORPORA:-../../../shared/corpora}
work=../../build/fuzz
failed=0

# The third-party files that fit @1, in $work/@1-corpora/.
seed_corpora() {
	local dst=$work/$1-corpora f
	rm -rf "$dst"
	mkdir -p "$dst"
	[ -d "$corpora" ] || return 0
	while IFS= read -r -d '' f; do
		case $1:$f in
		fuzz_cue:*.cue | fuzz_load:*.cue | fuzz_load:*.toc | fuzz_cdtextfile:*.cdt)
			cp "$f" "$dst/$(echo "$f" | tr / _)"
			;;
		fuzz_load:*.iso | fuzz_load:*.nrg)
			head -c 36864 "$f" >"$dst/$(echo "$f" | tr / _)"
			;;
		fuzz_iso:*.iso)
			# what follows the system area: the volume descriptors
			tail -c +32769 "$f" | head -c 8192 >"$dst/$(echo "$f" | tr / _)"
			;;
		esac
	done < <(find "$corpora" -type f -size -1M -print0)
}

for t in "$@"; do
	[ -x "$t" ] || { echo "$t: not built (make -C tools/fuzz)" >&2; exit 2; }
	seed_corpora "$t"
	mkdir -p "$work/$t" "$work/$t-crashes" "regress/$t"
	rm -f "$work/$t-crashes"/*
	log=$work/$t.log
	dict=
	case $t in
	fuzz_cue | fuzz_load) dict=-dict=cue.dict ;;
	fuzz_ccd) dict=-dict=ccd.dict ;;
	esac
	# the target's private folders, in memory when it can (a load per run writes a few files): a crash
	# leaves its own behind
	tmp=$(mktemp -d -p /dev/shm vcdrom-fuzz.XXXXXX 2>/dev/null || mktemp -d)
	# -rss_limit_mb: a loader must not need much memory for any input
	# shellcheck disable=SC2086
	TMPDIR=$tmp ./"$t" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=20 \
		-max_len=16384 -print_final_stats=1 -artifact_prefix="$work/$t-crashes/" $dict ${FUZZ_ARGS:-} \
		"$work/$t" "corpus/$t" "regress/$t" "$work/$t-corpora" >"$log" 2>&1
	rc=$?
	rm -rf "$tmp"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crashes=$(find "$work/$t-crashes" -type f | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		failed=1
		cp "$work/$t-crashes"/* "regress/$t/" 2>/dev/null
		echo "$t: FAILED after ${runs:-?} runs (exit $rc): $crashes input(s) copied to tools/fuzz/regress/$t/; see build/fuzz/$t.log"
		grep -m3 -E 'ERROR: |runtime error:|SUMMARY:' "$log" | sed 's/^/    /'
	else
		echo "$t: ok, ${runs:-?} runs in ${seconds} s, corpus $(find "$work/$t" -type f | wc -l) inputs"
	fi
done
exit "$failed"
