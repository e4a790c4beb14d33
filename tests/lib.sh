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
# `make -C tests` put the C helpers, default build/tests), VCDROM_WAIT (seconds to wait for devices, default 30),
# VCDROMCTL (the tool, default tools/vcdromctl/vcdromctl in this tree).

ksft_skip=4

TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$TESTS_DIR")
: "${VCDROM_KO:=$REPO_DIR/kernel/vcdrom.ko}"
: "${VCDROM_TEST_BIN:=$REPO_DIR/build/tests}"
: "${VCDROM_WAIT:=30}"
: "${VCDROMCTL:=$REPO_DIR/tools/vcdromctl/vcdromctl}"
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

# once_per_run WHAT: whether WHAT, a test or part of one that no kernel version changes (what it checks is the
# tool's, or the module's own answers through sg) and that is slow in a TCG guest, is to run here: not where
# tests/vm/check.sh says VCDROM_ONCE=0, on every kernel of a run but its newest. Says so when not.
once_per_run() {
	[ "${VCDROM_ONCE:-1}" = 0 ] || return 0
	echo "# $1: kernel-independent, run on the newest kernel of this run only (VCDROM_ONCE=1: here too)"
	return 1
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

# jq: Debian 12's jq 1.6 compiles its builtins at every start, about half a second in a TCG guest; gojq
# starts in a fifth of that, and tests run jq hundreds of times. gojq always prints an object's keys sorted,
# as jq -S does (and has no -S): compare objects as jq prints them on both sides, or with -S.
if command -v gojq >/dev/null 2>&1; then
	jq() {
		local a args=()
		for a in "$@"; do
			[[ $a =~ ^-[a-zA-Z]*S[a-zA-Z]*$ ]] && a=${a//S/}
			[ "$a" = - ] || args+=("$a")
		done
		gojq "${args[@]}"
	}
fi

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

# sg_ready SG: after an insert, TEST UNIT READY until the unit attentions of the change (eject, insert; a drive
# may hold two) are taken, so that readers see none.
sg_ready() {
	local i
	for i in 1 2 3 4; do
		sg_turs "$1" >/dev/null 2>&1 && return 0
	done
	fail "$1 not ready after an insert"
}

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

# ---- vcdromctl, images, events ----

need_vcdromctl() {
	[ -x "$VCDROMCTL" ] || fail "no vcdromctl at $VCDROMCTL (make tools)"
}

# The tree's vcdromctl (VCDROMCTL).
vcdromctl() {
	"$VCDROMCTL" "$@"
}

# drive_json INDEX [FILTER]: jq FILTER (default: the whole object) applied to `vcdromctl --json status INDEX`.
drive_json() {
	local j
	j=$(vcdromctl --json status "$1") || fail "vcdromctl --json status $1 failed: $j"
	jq -cr "${2:-.}" <<<"$j"
}

# The drive's state: empty, loaded or tray-open.
drive_state() {
	drive_json "$1" .state
}

# drive_state_is INDEX STATE: for wait_until.
drive_state_is() {
	[ "$(vcdromctl --json status "$1" 2>/dev/null | jq -r .state 2>/dev/null)" = "$2" ]
}

# run_split RC_VAR CMD...: run CMD with its stdout in $out_stdout and its stderr in $out_stderr.
out_stdout=
out_stderr=
run_split() {
	local __var=$1 __rc=0
	shift
	# shellcheck disable=SC2034 # for the caller
	out_stdout=$("$@" 2>"$T/.stderr") || __rc=$?
	# shellcheck disable=SC2034
	out_stderr=$(cat "$T/.stderr")
	printf -v "$__var" '%s' "$__rc"
}

# make_tree DIR: a tree of files to build images from: nested directories, random contents (about 450 KB in
# all), names with spaces and non-ASCII letters, an empty file, files not a multiple of 2048 bytes.
make_tree() {
	local d=$1
	mkdir -p "$d/docs" "$d/data/level1/level2/level3" "$d/Mixed Case Dir" "$d/empty dir" ||
		fail "mkdir in $d"
	head -c 300000 /dev/urandom >"$d/data/level1/level2/level3/deep.bin"
	head -c 100000 /dev/urandom >"$d/data/level1/middle.bin"
	head -c 4096 /dev/urandom >"$d/data/exactly-two-sectors.bin"
	head -c 2049 /dev/urandom >"$d/data/one-sector-and-a-byte.bin"
	seq 1 5000 >"$d/docs/numbers.txt"
	printf 'vcdrom test tree\n' >"$d/README"
	printf 'caf\xc3\xa9 na\xc3\xafve \xe2\x82\xac\n' >"$d/Mixed Case Dir/$(printf 'na\xc3\xafve caf\xc3\xa9').txt"
	: >"$d/docs/empty.txt"
}

# make_iso TREE IMAGE LABEL: an ISO 9660 image of TREE with Rock Ridge and Joliet, volume label LABEL.
make_iso() {
	need_cmd xorriso
	xorriso -as mkisofs -input-charset UTF-8 -R -J -V "$3" -o "$2" "$1" >"$T/xorriso.log" 2>&1 ||
		fail "xorriso could not build $2 from $1:"$'\n'"$(cat "$T/xorriso.log")"
}

# make_udf IMAGE SECTORS LABEL [TREE]: a sparse UDF image of SECTORS 2048-byte sectors labelled LABEL, with
# TREE's files copied in through a loop mount.
make_udf() {
	local img=$1 sectors=$2 label=$3 tree=${4:-} mnt=$T/.udf-mnt
	need_cmd mkudffs truncate
	truncate -s $((sectors * 2048)) "$img" || fail "truncate $img"
	mkudffs --media-type=hd --blocksize=2048 --label="$label" "$img" >"$T/mkudffs.log" 2>&1 ||
		fail "mkudffs $img:"$'\n'"$(cat "$T/mkudffs.log")"
	[ -n "$tree" ] || return 0
	# mount(8) cannot set up a loop device before the loop module is in (no udev to load it)
	modprobe -a loop udf || fail "cannot load loop and udf"
	mkdir -p "$mnt"
	mount -o loop -t udf "$img" "$mnt" || fail "cannot mount $img (udf, loop)"
	on_exit "! mountpoint -q '$mnt' || umount '$mnt'"
	cp -a "$tree/." "$mnt/" || fail "cannot copy $tree into $img"
	umount "$mnt" || fail "cannot unmount $img"
}

# sectors_of FILE: its size in 2048-byte sectors, a last partial one counted.
sectors_of() {
	local size
	size=$(stat -c %s "$1") || fail "stat $1"
	echo $(((size + 2047) / 2048))
}

# mount_ro DEV DIR [OPTS]: mount DEV read-only on DIR (made if needed), unmounted at exit.
mount_ro() {
	mkdir -p "$2"
	mount -o "ro${3:+,$3}" "$1" "$2" || fail "mount -o ro${3:+,$3} $1 $2"
	on_exit "! mountpoint -q '$2' || umount '$2'"
}

# sense_of TEXT: "KEY / ADDITIONAL SENSE" from sg3_utils' "Sense key: ..." and "Additional sense: ..." lines.
sense_of() {
	local key asc
	key=$(sed -n 's/.*Sense key: \([A-Za-z ]*[a-z]\).*/\1/p' <<<"$1" | head -n 1)
	asc=$(sed -n 's/.*Additional sense: \(.*[^ ]\) *$/\1/p' <<<"$1" | head -n 1)
	echo "$key / $asc"
}

# sg_data TEXT: the bytes of sg_raw's hex dump, as lower-case hex pairs separated by spaces.
sg_data() {
	sed -n 's/^ *[0-9a-f]\{2,\}  *\(\([0-9a-f][0-9a-f] \{1,2\}\)*[0-9a-f][0-9a-f]\).*/\1/p' <<<"$1" | tr -s ' ' '\n' |
		grep -E '^[0-9a-f]{2}$' | paste -sd ' '
}

# check_tur SG EXIT SENSE WHAT: one TEST UNIT READY through SG, its sg_turs exit status and sense.
check_tur() {
	run_rc rc sg_turs -v "$1"
	assert_eq "$2" "$rc" "sg_turs exit status, $4:"$'\n'"$out"
	[ "$2" -eq 0 ] || assert_eq "$3" "$(sense_of "$out")" "TEST UNIT READY sense, $4"
}

# gesn SG: the media event and media status bytes of a polled GET EVENT STATUS NOTIFICATION (media class).
gesn() {
	local data
	run_rc rc sg_raw -r 8 "$1" 4a 01 00 00 10 00 00 00 08 00
	assert_eq 0 "$rc" "GET EVENT STATUS NOTIFICATION:"$'\n'"$out"
	data=$(sg_data "$out")
	assert_match '^00 06 04 10 ' "$data" "GESN header (media class)"
	cut -d' ' -f5-6 <<<"$data"
}

# start_watch FILE [--json]: a `vcdromctl watch` in the background, its output in FILE, stopped at exit.
# Returns once the watch is known to be subscribed: a drive added and removed for the purpose shows in FILE.
# Sets watch_pid; watch_lines FILE prints what came after those two events.
watch_pid=
declare -A _watch_skip
start_watch() {
	local file=$1 sync tries=10
	shift
	# the program itself in the background, not a shell function: $! must be the watch, for SIGINT
	"$VCDROMCTL" "$@" watch >"$file" 2>&1 &
	watch_pid=$!
	on_exit "kill $watch_pid 2>/dev/null; wait $watch_pid 2>/dev/null"
	# no sign tells when the watch has subscribed: add and remove a drive until it reports that
	while :; do
		sync=$(vcdromctl --json add | jq -r .index) || fail "vcdromctl add (to sync with the watch) failed"
		vcdromctl remove "$sync" || fail "vcdromctl remove $sync failed"
		wait_until 2 grep -q "drive-removed.*drive\"\{0,1\}[=:]$sync\b" "$file" && break
		kill -0 "$watch_pid" 2>/dev/null || fail "vcdromctl $* watch died:"$'\n'"$(cat "$file")"
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "vcdromctl $* watch reports no drive-removed event:"$'\n'"$(cat "$file")"
	done
	_watch_skip[$file]=$(wc -l <"$file")
}

# watch_lines FILE: what the watch printed after start_watch returned.
watch_lines() {
	tail -n +$((${_watch_skip[$1]:-0} + 1)) "$1"
}

# stop_watch PID: SIGINT, then the exit status must be 0 (vcdromctl(8)).
stop_watch() {
	local rc=0
	kill -INT "$1" || fail "watch $1 is not running"
	wait "$1" || rc=$?
	assert_eq 0 "$rc" "exit status of vcdromctl watch after SIGINT"
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
