# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Common code for vcdrom's shell selftests: `source "$(dirname "$0")/lib.sh"` first thing.
#
# A test exits 0 (pass), 1 (fail, through fail()) or 4 (skip, through skip()). Everything a test sets up is
# undone by one EXIT trap: callbacks registered with on_exit (newest first), then the module if vcdrom_load
# loaded it, then a udevd we started, then the per-test temp dir $T.
#
# Environment: VCDROM_KO (the module to load, default kernel/vcdrom.ko in this tree), VCDROM_TEST_BIN (where
# `make -C tests` put the C helpers, default build/tests), VCDROM_WAIT (seconds to wait for devices, default 30).

ksft_skip=4

TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$TESTS_DIR")
: "${VCDROM_KO:=$REPO_DIR/kernel/vcdrom.ko}"
: "${VCDROM_TEST_BIN:=$REPO_DIR/build/tests}"
: "${VCDROM_WAIT:=30}"
export LC_ALL=C

_vcdrom_loaded=0	# 1 while the module loaded by vcdrom_load is in
_udevd_used=0		# 1 once start_udevd ran: settle before looking at devices
_udevd_started=0	# 1 if start_udevd started a udevd (not one that was running already)
_on_exit=()		# commands for the EXIT trap, run newest first

log() { echo "$TEST_NAME: $*"; }

# The runner turns `SKIP: reason` into the TAP skip reason.
skip() {
	echo "SKIP: $*" >&2
	exit "$ksft_skip"
}

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "must run as root"
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

# A C helper built by `make -C tests`: its path, or a failure if it was not built.
test_bin() {
	[ -x "$VCDROM_TEST_BIN/$1" ] || fail "helper $VCDROM_TEST_BIN/$1 not built (make -C tests)"
	echo "$VCDROM_TEST_BIN/$1"
}

on_exit() {
	_on_exit+=("$*")
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_ne() {
	[ "$1" != "$2" ] || fail "${3:-value}: expected anything but '$1'"
}

# assert_match REGEX TEXT MSG: TEXT (may be several lines) has a line matching the extended REGEX.
assert_match() {
	grep -qE -- "$1" <<<"$2" || fail "${3:-output} does not match /$1/:"$'\n'"$2"
}

assert_no_match() {
	! grep -qE -- "$1" <<<"$2" || fail "${3:-output} matches /$1/:"$'\n'"$2"
}

# run_rc VAR CMD...: run CMD with its output (stdout and stderr) in $out and its exit status in VAR,
# without tripping set -e.
out=
run_rc() {
	local __var=$1
	shift
	local __rc=0
	# shellcheck disable=SC2034 # for the caller
	out=$("$@" 2>&1) || __rc=$?
	printf -v "$__var" '%s' "$__rc"
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fail the wait (status 1) after SECONDS.
wait_until() {
	local tries=$(($1 * 10))
	shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

kmsg() {
	if [ -w /dev/kmsg ]; then
		echo "vcdrom-selftest: $TEST_NAME: $*" >/dev/kmsg 2>/dev/null || true
	fi
}

# Our drives are the SCSI devices whose INQUIRY vendor is "vcdrom": print their sysfs dirs, in H:C:T:L order.
# (Builtins only where it is cheap: every fork costs in a TCG guest.)
vcdrom_devs() {
	local d v
	for d in /sys/bus/scsi/devices/*:*:*:*; do
		[ -r "$d/vendor" ] || continue
		read -r v <"$d/vendor" || continue
		[ "$v" = vcdrom ] && echo "$d"
	done | sort -t/ -k6V
}

_vcdrom_nodes() {
	local d n
	for d in $(vcdrom_devs); do
		for n in "$d/$1"/*; do
			[ -e "$n" ] && echo "/dev/${n##*/}"
		done
	done
}

vcdrom_srdevs() { _vcdrom_nodes block; }
vcdrom_sgdevs() { _vcdrom_nodes scsi_generic; }

# The sg node of the drive whose sr node is $1.
vcdrom_sg_of() {
	local n
	for n in "/sys/block/${1##*/}/device/scsi_generic"/*; do
		[ -e "$n" ] && echo "/dev/${n##*/}" && return 0
	done
	return 1
}

# True when exactly $1 drives are there and each has a block and a generic device node.
vcdrom_ready() {
	local want=$1 d n v got=0 sr sg
	for d in /sys/bus/scsi/devices/*:*:*:*; do
		[ -r "$d/vendor" ] || continue
		read -r v <"$d/vendor" || continue
		[ "$v" = vcdrom ] || continue
		got=$((got + 1))
		sr='' sg=''
		for n in "$d"/block/sr*; do [ -b "/dev/${n##*/}" ] && sr=1; done
		for n in "$d"/scsi_generic/sg*; do [ -c "/dev/${n##*/}" ] && sg=1; done
		[ -n "$sr" ] && [ -n "$sg" ] || return 1
	done
	[ "$got" -eq "$want" ]
}

# vcdrom_load [PARAM=VALUE...]: load sr, sg, cdrom and vcdrom with PARAMs; wait until every drive
# (drives=N, default 1) is bound by sr and sg and has its /dev nodes.
# shellcheck disable=SC2120 # the parameters are optional
vcdrom_load() {
	local p drives=1
	need_root
	[ -r "$VCDROM_KO" ] || fail "no module at $VCDROM_KO (set VCDROM_KO)"
	[ ! -e /sys/module/vcdrom ] || fail "vcdrom is loaded already (left over by an earlier test?)"
	for p in "$@"; do
		case $p in drives=*) drives=${p#drives=} ;; esac
	done
	modprobe -a cdrom sr_mod sg || fail "cannot load cdrom, sr_mod and sg"
	insmod "$VCDROM_KO" "$@" || fail "insmod $VCDROM_KO $*"
	_vcdrom_loaded=1
	[ "$_udevd_used" -eq 0 ] || udevadm settle --timeout="$VCDROM_WAIT" || true
	wait_until "$VCDROM_WAIT" vcdrom_ready "$drives" ||
		fail "after insmod $*: expected $drives drive(s) with sr and sg nodes, found:"$'\n'"$(vcdrom_devs) $(vcdrom_srdevs) $(vcdrom_sgdevs)"
}

# Remove the module and check that it and its drives are gone. rmmod is retried for a few seconds: udev
# workers (cdrom_id, blkid) may still hold a drive open.
vcdrom_unload() {
	local tries=50
	[ "$_udevd_used" -eq 0 ] || udevadm settle --timeout="$VCDROM_WAIT" || true
	until rmmod vcdrom 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { rmmod vcdrom; fail "rmmod vcdrom failed"; }
		sleep 0.1
	done
	_vcdrom_loaded=0
	[ ! -e /sys/module/vcdrom ] || fail "/sys/module/vcdrom still there after rmmod"
	[ -z "$(vcdrom_devs)" ] || fail "vcdrom SCSI devices left after rmmod: $(vcdrom_devs)"
}

# A udevd for the test (the system's own, if one answers): devices triggered and settled. Needs the real root
# (switch_root, not chroot) and a writable /run.
start_udevd() {
	local udevd=/lib/systemd/systemd-udevd
	need_root
	need_cmd udevadm
	if ! udevadm control --ping >/dev/null 2>&1; then
		[ -x "$udevd" ] || skip "$udevd not installed"
		"$udevd" --daemon </dev/null >/dev/null 2>&1 || fail "cannot start $udevd"
		_udevd_started=1
		wait_until "$VCDROM_WAIT" udevadm control --ping >/dev/null 2>&1 || fail "udevd does not answer"
	fi
	_udevd_used=1
	udevadm trigger --action=add || fail "udevadm trigger"
	udevadm settle --timeout=120 || fail "udevadm settle timed out"
}

_udevd_gone() { ! udevadm control --ping >/dev/null 2>&1; }

stop_udevd() {
	[ "$_udevd_started" -eq 1 ] || return 0
	udevadm settle --timeout="$VCDROM_WAIT" || true
	udevadm control --exit || true
	wait_until "$VCDROM_WAIT" _udevd_gone || echo "$TEST_NAME: udevd did not exit"
	_udevd_started=0
}

_lib_cleanup() {
	local rc=$? i
	set +e
	trap - EXIT
	for ((i = ${#_on_exit[@]} - 1; i >= 0; i--)); do
		eval "${_on_exit[i]}"
	done
	if [ "$_vcdrom_loaded" -eq 1 ]; then
		(vcdrom_unload) || rc=1
	fi
	stop_udevd
	rm -rf "$T"
	exit "$rc"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/vcdrom-$TEST_NAME.XXXXXX")
trap _lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
