#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control requests against module load and unload: while vcdrom is loaded and unloaded CYCLES times (50, or as
# many as fit in VCDROM_RACE_SECONDS, 60, at least 5: about 25 cycles in a guest beside another on 2 CPUs;
# 50 take about 100 s in a guest alone), loops send `vcdromctl add`, `insert` (into drive 0 and into the newest
# drive), `insert --playlist` and `swap` (drive 0) and `list`/`remove` as fast as they can. Each kernel runs
# it, and the debug kernel too. The netlink family is registered only once the host and drives exist and
# unregistered before they go (kernel/main.c), so no request may find a host being set up or torn down: the
# kernel log has no WARNING, BUG or refcount report; every request either succeeds or fails with one of the
# messages a user can act on; and after each unload nothing of vcdrom is left.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl

CYCLES=${VCDROM_RACE_CYCLES:-50}
BUDGET=${VCDROM_RACE_SECONDS:-60}	# a loaded host slows each cycle 3x and more: fewer, not a timeout

modprobe -a cdrom sr_mod sg || fail "cannot load cdrom, sr_mod and sg"
mkdir -p "$T/tree" && echo hello >"$T/tree/a.txt"
make_iso "$T/tree" "$T/disc.iso" RACE
dmesg -C

# ctl_loop NAME CMD...: run vcdromctl CMD until $T/stop, appending "ok" or its error line to $T/NAME.log.
ctl_loop() {
	local name=$1 err
	shift
	set +e
	while [ ! -e "$T/stop" ]; do
		if err=$(vcdromctl "$@" 2>&1 >/dev/null); then
			echo ok
		else
			echo "${err:-exit status without a message}" | head -n 1
		fi
	done >>"$T/$name.log"
}

# newest drive's number, or 0
newest() {
	vcdromctl --json list 2>/dev/null | jq -r '[.drives[].index] | max // 0' 2>/dev/null || echo 0
}

rm -f "$T/stop"
pids=()
ctl_loop add add & pids+=($!)
ctl_loop insert0 insert --replace --drive 0 "$T/disc.iso" & pids+=($!)
ctl_loop list list & pids+=($!)
# one loop for both, taking turns: a process more per request costs the guest what the other loops need
(
	set +e
	while [ ! -e "$T/stop" ]; do
		for what in playlist swap; do
			if [ "$what" = playlist ]; then
				set -- insert --replace --drive 0 --playlist "$T/disc.iso" "$T/disc.iso"
			else
				set -- swap --delay 20 0
			fi
			if err=$(vcdromctl "$@" 2>&1 >/dev/null); then
				echo ok
			else
				echo "${err:-exit status without a message}" | head -n 1
			fi >>"$T/$what.log"
		done
	done
) & pids+=($!)
(
	set +e
	while [ ! -e "$T/stop" ]; do
		n=$(newest)
		[ -n "$n" ] || n=0	# jq prints nothing when list fails (no module)
		if err=$(vcdromctl insert --replace --drive "$n" "$T/disc.iso" 2>&1 >/dev/null); then
			echo ok >>"$T/insertn.log"
		else
			echo "$err" | head -n 1 >>"$T/insertn.log"
		fi
		if err=$(vcdromctl remove "$n" 2>&1 >/dev/null); then
			echo ok >>"$T/remove.log"
		else
			echo "$err" | head -n 1 >>"$T/remove.log"
		fi
	done
) & pids+=($!)
on_exit "touch '$T/stop'; wait ${pids[*]} 2>/dev/null"

done_cycles=0
for i in $(seq "$CYCLES"); do
	if [ "$i" -gt 5 ] && [ "$SECONDS" -ge "$BUDGET" ]; then
		log "the time budget ($BUDGET s) is spent after $done_cycles cycles"
		break
	fi
	kmsg "cycle $i"
	insmod "$VCDROM_KO" drives=1 || fail "cycle $i: insmod"
	sleep 0.$((RANDOM % 3))
	tries=100
	until rmmod vcdrom 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "cycle $i: rmmod vcdrom failed for 10 s: $(rmmod vcdrom 2>&1)"
		sleep 0.1
	done
	[ ! -e /sys/module/vcdrom ] || fail "cycle $i: /sys/module/vcdrom after rmmod"
	wait_until 10 eval '[ -z "$(vcdrom_devs)" ]' || fail "cycle $i: vcdrom SCSI devices left: $(vcdrom_devs)"
	if dmesg | grep -E 'WARNING:|BUG:|refcount_t|use-after-free|Oops|Call Trace' >"$T/bad"; then
		fail "cycle $i: the kernel log has:"$'\n'"$(head -n 20 "$T/bad")"
	fi
	done_cycles=$i
done
touch "$T/stop"
wait "${pids[@]}" 2>/dev/null || true

# What each request may say: done, or a reason a user can act on.
allowed='^ok$|the vcdrom module is not loaded|the vcdrom module is being unloaded|no drive [0-9]+|all [0-9]+ drives exist|drive [0-9]+ is locked|No such device|Object not found|holds no playlist'
for name in add insert0 list playlist swap insertn remove; do
	[ -e "$T/$name.log" ] || continue
	if { grep -Ev "$allowed" "$T/$name.log"; grep 'cannot create the drive' "$T/$name.log"; } |
		sort | uniq -c >"$T/other"; [ -s "$T/other" ]; then
		fail "vcdromctl $name said what it should not:"$'\n'"$(head -n 10 "$T/other")"
	fi
	log "$name: $(grep -c '^ok$' "$T/$name.log" || true) ok, $(grep -vc '^ok$' "$T/$name.log" || true) refused:" \
		"$(grep -v '^ok$' "$T/$name.log" | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | paste -sd ';')"
done
[ "$(grep -c '^ok$' "$T/add.log")" -gt 0 ] || fail "no vcdromctl add succeeded in $done_cycles cycles"
[ "$(grep -c '^ok$' "$T/insert0.log")" -gt 0 ] || fail "no vcdromctl insert succeeded in $done_cycles cycles"
log "$done_cycles cycles"
