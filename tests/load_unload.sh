#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 20 load/unload cycles with drives=2: the nodes appear and vanish each time, and nothing of vcdrom is left
# afterwards (SCSI devices, SCSI hosts, the module).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root

CYCLES=20

count_hosts() {
	local n=0 h
	for h in /sys/class/scsi_host/*; do
		[ -e "$h" ] && n=$((n + 1))
	done
	echo "$n"
}

# Nothing of vcdrom anywhere, and the number of SCSI hosts back to what it was.
check_clean() {
	[ ! -e /sys/module/vcdrom ] || fail "$1: /sys/module/vcdrom exists"
	! grep -q '^vcdrom ' /proc/modules || fail "$1: vcdrom in /proc/modules"
	[ -z "$(vcdrom_devs)" ] || fail "$1: vcdrom SCSI devices left: $(vcdrom_devs)"
	assert_eq "$hosts_before" "$(count_hosts)" "$1: number of SCSI hosts"
}

gone() {
	local n
	for n in "$@"; do
		[ ! -e "$n" ] || return 1
	done
}

modprobe -a cdrom sr_mod sg || fail "cannot load cdrom, sr_mod and sg"
hosts_before=$(count_hosts)
check_clean "before the first load"

for i in $(seq "$CYCLES"); do
	kmsg "cycle $i"
	vcdrom_load drives=2
	mapfile -t nodes < <(vcdrom_srdevs; vcdrom_sgdevs)
	assert_eq 4 "${#nodes[@]}" "cycle $i: number of sr and sg nodes (${nodes[*]})"
	assert_eq $((hosts_before + 1)) "$(count_hosts)" "cycle $i: number of SCSI hosts while loaded"
	vcdrom_unload
	wait_until 10 gone "${nodes[@]}" || fail "cycle $i: nodes left after rmmod: $(ls -l "${nodes[@]}" 2>&1)"
	check_clean "after cycle $i"
done
log "$CYCLES cycles"
