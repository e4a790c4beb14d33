#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest-style runner: run the tests named in tests/Makefile (TEST_PROGS, then TEST_GEN_PROGS, in order; or
# only the names given as arguments), each under the timeout from tests/settings, and print TAP. A test's own
# output is printed after it, each line prefixed with "# ". Exit status 4 is a skip. Exits 1 if any test failed.
#
# Run as root: in the QEMU guest by tests/vm/guest.sh, or by `make check-host` on a real machine. The C tests
# must have been built first (`make -C tests`). VCDROM_KO selects the module (default: kernel/vcdrom.ko);
# VCDROM_TEST_TIMEOUT=SECONDS overrides the per-test timeout (0: none); with VCDROM_DEBUG_KERNEL=1 (make
# check-debug) the timeout from tests/settings is 6 times longer.
#
# When /sys/kernel/debug/kmemleak exists (the debug kernel), leaks found before the first test are cleared,
# and after each test kmemleak scans (twice: an object is reported at its second scan); a report that names
# vcdrom (a backtrace, or the process: vcdromctl) fails the test, and is printed after it. Other reports (boot,
# 9p, udev: not vcdrom's) are only printed, unless VCDROM_KMEMLEAK_STRICT=1.

set -eu

tests_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$tests_dir")
export VCDROM_KO=${VCDROM_KO:-$repo/kernel/vcdrom.ko}
if [ -z "${VCDROM_TEST_BIN:-}" ]; then
	VCDROM_TEST_BIN=$(make -s --no-print-directory -C "$tests_dir" print-output)
fi
export VCDROM_TEST_BIN
export LC_ALL=C

timeout=45	# kselftest's default, when tests/settings has none
if [ -r "$tests_dir/settings" ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$tests_dir/settings")
	timeout=${t:-$timeout}
fi
[ "${VCDROM_DEBUG_KERNEL:-0}" = 0 ] || timeout=$((timeout * 6))
timeout=${VCDROM_TEST_TIMEOUT:-$timeout}	# an override, like run_kselftest.sh's --override-timeout

if [ $# -gt 0 ]; then
	tests=("$@")
else
	list=$(make -s --no-print-directory -C "$tests_dir" list-tests)
	[ -n "$list" ] || { echo "run_tests.sh: no tests listed in $tests_dir/Makefile" >&2; exit 1; }
	mapfile -t tests <<<"$list"
fi

kmsg() {
	if [ -w /dev/kmsg ]; then
		echo "vcdrom-selftest: $*" >/dev/kmsg 2>/dev/null || true
	fi
}

# A test is a shell test in tests/ or a C test in $VCDROM_TEST_BIN.
test_path() {
	if [ -e "$tests_dir/$1" ]; then
		echo "$tests_dir/$1"
	else
		echo "$VCDROM_TEST_BIN/$1"
	fi
}

out=$(mktemp "${TMPDIR:-/tmp}/vcdrom-run.XXXXXX")
trap 'rm -f "$out"' EXIT

kmemleak=/sys/kernel/debug/kmemleak
[ -w "$kmemleak" ] || kmemleak=
# kmemleak_check: scan; print what kmemleak found since the last check and forget it; fail when vcdrom's
kmemleak_check() {
	local report
	echo scan >"$kmemleak" 2>/dev/null || return 0
	echo scan >"$kmemleak" 2>/dev/null || return 0
	report=$(cat "$kmemleak" 2>/dev/null) || return 0
	echo clear >"$kmemleak" 2>/dev/null || true
	[ -n "$report" ] || return 0
	if grep -q vcdrom <<<"$report" || [ "${VCDROM_KMEMLEAK_STRICT:-0}" = 1 ]; then
		echo "vcdrom-kmemleak: $(grep -c '^unreferenced object' <<<"$report") leaks:"
		echo "$report"
		return 1
	fi
	echo "kmemleak, not vcdrom's (no vcdrom in the backtraces):"
	echo "$report"
	return 0
}
if [ -n "$kmemleak" ]; then
	echo scan >"$kmemleak" 2>/dev/null || true
	echo clear >"$kmemleak" 2>/dev/null || true
fi

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0
failed=0
for name in "${tests[@]}"; do
	n=$((n + 1))
	path=$(test_path "$name")
	kmsg "$n/${#tests[@]} $name: start"
	start=$SECONDS
	rc=0
	if [ ! -x "$path" ]; then
		echo "$path: not found or not executable (make -C tests?)" >"$out"
		rc=1
	elif [ "$timeout" -gt 0 ]; then
		# the outer 2>/dev/null silences bash's "Killed" notice when -k had to SIGKILL
		{ (cd "$(dirname "$path")" && exec timeout -k 10 "$timeout" "$path") </dev/null >"$out" 2>&1; } 2>/dev/null ||
			rc=$?
	else
		(cd "$(dirname "$path")" && exec "$path") </dev/null >"$out" 2>&1 || rc=$?
	fi
	secs=$((SECONDS - start))
	leaked=0
	[ -z "$kmemleak" ] || kmemleak_check >>"$out" 2>&1 || leaked=1
	# timeout(1) says 124, or 137 when the test ignored SIGTERM and needed -k's SIGKILL
	if [ "$timeout" -gt 0 ] && [ "$rc" -eq 137 ] && [ "$secs" -ge "$timeout" ]; then
		rc=124
	fi
	sed 's/^/# /' "$out"
	echo "# $name: exit $rc after ${secs}s"
	case $rc in
	0)
		result="ok $n $name"
		;;
	4)
		reason=$(sed -n 's/^SKIP: //p; s/^.*# SKIP //p' "$out" | tail -n 1)
		result="ok $n $name # SKIP ${reason:-skipped}"
		;;
	124)
		result="not ok $n $name # TIMEOUT $timeout seconds"
		failed=$((failed + 1))
		;;
	*)
		result="not ok $n $name # exit=$rc"
		failed=$((failed + 1))
		;;
	esac
	if [ "$leaked" = 1 ] && [[ $result != "not ok"* ]]; then
		result="not ok $n $name # kmemleak"
		failed=$((failed + 1))
	fi
	echo "$result"
	kmsg "$n/${#tests[@]} $name: end: $result (${secs}s)"
done

[ "$failed" -eq 0 ]
