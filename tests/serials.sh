#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With drives=3, three drives appear and each reports its own non-empty unit serial number (VPD page 80h).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd sg_vpd

vcdrom_load drives=3
mapfile -t sgs < <(vcdrom_sgdevs)
mapfile -t srs < <(vcdrom_srdevs)
assert_eq 3 "${#sgs[@]}" "number of sg nodes with drives=3"
assert_eq 3 "${#srs[@]}" "number of sr nodes with drives=3"

serials=()
for sg in "${sgs[@]}"; do
	run_rc rc sg_vpd -p sn "$sg"
	assert_eq 0 "$rc" "sg_vpd -p sn $sg exit status ($out)"
	sn=$(sed -n 's/^ *Unit serial number: *//p' <<<"$out" | sed 's/ *$//')
	[ -n "$sn" ] || fail "$sg: empty unit serial number:"$'\n'"$out"
	log "$sg: serial '$sn'"
	serials+=("$sn")
done

distinct=$(printf '%s\n' "${serials[@]}" | sort -u | wc -l)
assert_eq 3 "$distinct" "distinct serials among '${serials[*]}'"
