#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# As an ordinary user (nobody, no capabilities): list, status, features and watch work; insert, eject (also
# --force), add and remove fail with "Operation not permitted" and the CAP_SYS_ADMIN hint, changing nothing;
# an image the user cannot read is refused by the tool itself ("Permission denied"), before the kernel.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso setpriv

NOBODY=65534
# an array, not a function: `"${as_nobody[@]}" CMD &` must put CMD itself in the background
as_nobody=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --inh-caps=-all --bounding-set=-all)

# the user must be able to run the tool at all, and must have no capability left
run_rc rc "${as_nobody[@]}" "$VCDROMCTL" help
[ "$rc" -eq 0 ] || skip "user $NOBODY cannot run $VCDROMCTL: $out"
# shellcheck disable=SC2016 # expanded by the user's shell
ids=$("${as_nobody[@]}" sh -c 'echo "$(id -u) $(id -g) $(sed -n "s/^CapEff:[[:space:]]*//p" /proc/self/status)"')
assert_eq "$NOBODY $NOBODY 0000000000000000" "$ids" "uid, gid and effective capabilities of the user"

# images where the user can reach them: one it can read, one it cannot
pub=$(mktemp -d /tmp/vcdrom-nonroot.XXXXXX)
on_exit "rm -rf '$pub'"
chmod 755 "$pub"
make_tree "$T/tree"
make_iso "$T/tree" "$pub/public.iso" VCDROM_PUBLIC
cp "$pub/public.iso" "$pub/secret.iso"
chmod 644 "$pub/public.iso"
chmod 600 "$pub/secret.iso"

vcdrom_load
sr=$(vcdrom_srdevs)

# refused WHAT MESSAGE CMD...: CMD, run as the user, exits 1 with exactly MESSAGE on stderr, and the drives
# are as they were.
refused() {
	local what=$1 msg=$2 before after
	shift 2
	before=$(vcdromctl --json list) || fail "vcdromctl --json list: $before"
	run_split rc "${as_nobody[@]}" "$@"
	echo "$* (as $NOBODY): exit $rc: $out_stderr"
	assert_eq 1 "$rc" "exit status of $* ($what)"
	assert_eq "$msg" "$out_stderr" "message of $* ($what)"
	after=$(vcdromctl --json list) || fail "vcdromctl --json list: $after"
	assert_eq "$before" "$after" "drives after $* ($what)"
}

EPERM_MSG="Operation not permitted (changing drives needs CAP_SYS_ADMIN)"

# ---- an empty drive ----
run_rc rc "${as_nobody[@]}" "$VCDROMCTL" list
assert_eq 0 "$rc" "vcdromctl list as $NOBODY: $out"
assert_match "^0 +$sr +/dev/sg[0-9]+ +empty +no " "$out" "vcdromctl list as $NOBODY"
run_rc rc "${as_nobody[@]}" "$VCDROMCTL" features
assert_eq 0 "$rc" "vcdromctl features as $NOBODY: $out"
refused "insert, empty drive" "vcdromctl: insert: $pub/public.iso: $EPERM_MSG" \
	"$VCDROMCTL" insert "$pub/public.iso"
refused "insert of an unreadable file" "vcdromctl: insert: $pub/secret.iso: Permission denied" \
	"$VCDROMCTL" insert "$pub/secret.iso"
refused "add" "vcdromctl: add: $EPERM_MSG" "$VCDROMCTL" add
refused "remove" "vcdromctl: remove: 0: $EPERM_MSG" "$VCDROMCTL" remove 0

# ---- a loaded drive, and a watch of the user's ----
start_watch "$T/watch.txt"	# as root: it syncs by adding a drive
watch_root=$watch_pid
"${as_nobody[@]}" "$VCDROMCTL" watch >"$T/watch.nobody" 2>&1 &
watch_nobody=$!
on_exit "kill $watch_nobody 2>/dev/null"
# the user's watch has no way to say it has subscribed: insert until it shows an event (each insert
# replaces the last; root's watch sees them all)
tries=20
until [ -s "$T/watch.nobody" ]; do
	vcdromctl insert --replace "$pub/public.iso" >/dev/null || fail "vcdromctl insert --replace (as root)"
	sleep 0.5
	tries=$((tries - 1))
	[ "$tries" -gt 0 ] || fail "$NOBODY's vcdromctl watch printed nothing:"$'\n'"$(cat "$T/watch.nobody")"
done
assert_match '^event=medium-(inserted|ejected) drive=0' "$(head -n 1 "$T/watch.nobody")" "$NOBODY's watch"
kill -0 "$watch_nobody" || fail "$NOBODY's watch exited"

run_rc rc "${as_nobody[@]}" "$VCDROMCTL" --json status 0
assert_eq 0 "$rc" "vcdromctl --json status 0 as $NOBODY: $out"
assert_eq "loaded [\"$pub/public.iso\"]" "$(jq -cr '"\(.state) \(.images)"' <<<"$out")" "status as $NOBODY"

refused "insert --replace, loaded drive" "vcdromctl: insert: $pub/public.iso: $EPERM_MSG" \
	"$VCDROMCTL" insert --drive 0 --replace "$pub/public.iso"
refused "eject" "vcdromctl: eject: 0: $EPERM_MSG" "$VCDROMCTL" eject 0
refused "eject --force" "vcdromctl: eject: $sr: $EPERM_MSG" "$VCDROMCTL" eject --force "$sr"
assert_eq loaded "$(drive_state 0)" "state after the user's attempts"

# root's watch saw no eject: nothing the user did reached the drive
stop_watch "$watch_root"
assert_no_match 'eject-requested|cause=(tool|forced|host)' "$(watch_lines "$T/watch.txt")" "root's watch"
stop_watch "$watch_nobody"
