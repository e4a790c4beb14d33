#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing (fuzz_netlink.c: random commands, attribute types, lengths and nests, mutated INSERTs with
# fds of every kind, odd flags): every message is answered with an ack or a negative errno.
# - As an unprivileged user (nobody, no capabilities, no fd of a drive) with a disc in drive 0: no request
#   that changes state succeeds, and the drive list (state, disc, lock, identities) is the same afterwards.
# - As root (with the image, the drive's /dev/srN among the fds): anything may change; afterwards every
#   drive still ejects and every added drive is removed, and the module unloads.
#
# Environment: VCDROM_FUZZ_NL_COUNT (messages over both runs, default 20000), VCDROM_FUZZ_SEED (a seed to
# replay; the runs use SEED and SEED + 1; default: from the clock, printed).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq setpriv
fuzz=$(test_bin fuzz_netlink)

count=${VCDROM_FUZZ_NL_COUNT:-20000}
seed=${VCDROM_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
log "seed $seed, $count messages"

NOBODY=65534
as_nobody=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --inh-caps=-all --bounding-set=-all)

# an image the user can read (a file of 2048-byte sectors)
pub=$(mktemp -d /tmp/vcdrom-fuzz-nl.XXXXXX)
on_exit "rm -rf '$pub'"
chmod 755 "$pub"
head -c $((64 * 2048)) /dev/urandom >"$pub/disc.img"
chmod 644 "$pub/disc.img"

vcdrom_load drives=2
sr=$(vcdrom_srdevs | head -n 1)
vcdromctl insert --raw --drive 0 "$pub/disc.img" >/dev/null || fail "vcdromctl insert"

kmsg "unprivileged: $((count / 2)) messages, seed $seed"
before=$(vcdromctl --json list) || fail "vcdromctl --json list: $before"
t0=${EPOCHREALTIME/./}
run_rc rc "${as_nobody[@]}" "$fuzz" -u -n $((count / 2)) -s "$seed" -i "$pub/disc.img" -d "$sr"
echo "$out"
[ "$rc" -eq 0 ] || fail "fuzz_netlink as user $NOBODY failed (replay: fuzz_netlink -u -s $seed)"
log "unprivileged: $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
after=$(vcdromctl --json list) || fail "vcdromctl --json list: $after"
assert_eq "$before" "$after" "the drive list before and after the unprivileged run"

kmsg "root: $((count / 2)) messages, seed $((seed + 1))"
t0=${EPOCHREALTIME/./}
run_rc rc "$fuzz" -n $((count / 2)) -s $((seed + 1)) -i "$pub/disc.img" -d "$sr"
echo "$out"
[ "$rc" -eq 0 ] || fail "fuzz_netlink as root failed (replay: fuzz_netlink -s $((seed + 1)))"
log "root: $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"

# cleanup: every drive ejects (forced: a fuzzed message may have left it locked... by nobody, as nothing
# holds it open now) and every drive but the first two is removed
list=$(vcdromctl --json list) || fail "vcdromctl --json list: $list"
for i in $(jq -r '.drives[].index' <<<"$list"); do
	vcdromctl eject --force "$i" >/dev/null 2>&1 || true
	assert_ne loaded "$(drive_state "$i")" "drive $i after eject --force"
	if [ "$i" -ge 2 ]; then
		vcdromctl remove "$i" || fail "vcdromctl remove $i"
	fi
done
vcdrom_unload
log "ok"
