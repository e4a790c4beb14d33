#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `vcdromctl apply` and `save`: drives and discs from a configuration file, as at boot.
# - apply adds the [drive]s no drive is (with the identity they give), inserts their images, matches the
#   module's own drive by its identity, and says each change on a line; an image that is missing is said with
#   FILE:LINE, leaves that drive empty and does not stop the others (exit status 6);
# - applied again it changes nothing: every line says "already in" and `vcdromctl watch` sees no event;
# - a file with a bad line is refused with FILE:LINE and the reason, and the drives are as they were;
# - save writes what apply reads back: after an unload and a load with no drive, applying the saved file
#   gives the same drives (serial, vendor, product, revision) holding the same discs (images, profile),
#   a CUE sheet's disc by its sheet (the source the kernel keeps with the disc);
# - a sheet that no longer names the files the drive holds (edited since) is not written as the disc's image:
#   save writes a comment naming the held files instead (apply would insert something else);
# - an .m3u as a drive's image goes in as a playlist; save writes its discs with "playlist = yes", and
#   applying that gives the playlist back;
# - a [cache] section: a drive's .iso.gz is expanded into its dir (the drive reads the ISO's bytes), save
#   into the file keeps the section, and applying that again changes nothing.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_vcdromctl
need_cmd jq xorriso

make_tree "$T/tree"
mkdir -p "$T/etc/discs"
make_iso "$T/tree" "$T/etc/discs/a.iso" VCDROM_CONF_A
make_iso "$T/tree/docs" "$T/b.iso" VCDROM_CONF_B
cp "$T/etc/discs/a.iso" "$T/c.bin"
printf 'FILE "c.bin" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n' >"$T/c.cue"

vcdrom_load drives=1

# what apply and save are about, drive by drive: identity, state, medium, images
drives_json() {
	vcdromctl --json list | jq -c '[.drives[] | {serial, vendor, product, revision, state, profile, images}]'
}

cat >"$T/etc/vcdrom.conf" <<EOF
# the module's own drive, by what it is: a CD
[drive]
image = discs/a.iso

[drive]
serial = VCDCONF2
vendor = ACME
product = Config DVD
revision = 2.0
image = $T/b.iso
medium = dvd

[drive]
serial = VCDCONF3
image = $T/missing.iso
EOF

# ---- apply ----
run_split rc vcdromctl apply "$T/etc/vcdrom.conf"
echo "apply: exit $rc"$'\n'"$out_stdout"$'\n'"$out_stderr"
assert_eq 6 "$rc" "apply with a missing image: exit status"
assert_eq "drive 0: $T/etc/discs/a.iso: inserted
drive 1: added
drive 1: $T/b.iso: inserted
drive 2: added" "$out_stdout" "apply's lines"
assert_eq "vcdromctl: apply: $T/missing.iso: No such file or directory
vcdromctl: apply: $T/etc/vcdrom.conf:15: drive 2 left empty" "$out_stderr" "apply's messages"
j=$(vcdromctl --json list)
assert_eq "loaded CD-ROM $T/etc/discs/a.iso" "$(jq -r '.drives[0] | "\(.state) \(.profile) \(.images[0])"' <<<"$j")" \
	"drive 0 after apply"
assert_eq "VCDCONF2|ACME|Config DVD|2.0|loaded|DVD-ROM|$T/b.iso" \
	"$(jq -r '.drives[1] | [.serial, .vendor, .product, .revision, .state, .profile, .images[0]] | join("|")' \
		<<<"$j")" "drive 1 after apply"
assert_eq "VCDCONF3 empty" "$(jq -r '.drives[2] | "\(.serial) \(.state)"' <<<"$j")" "drive 2 after apply"
log "apply: two drives added, two discs in, the missing image said with its line"

# ---- again: nothing changes ----
start_watch "$T/watch.log"
run_split rc vcdromctl apply "$T/etc/vcdrom.conf"
assert_eq 6 "$rc" "apply again: exit status"
assert_eq "drive 0: $T/etc/discs/a.iso: already in
drive 1: $T/b.iso: already in" "$out_stdout" "apply again: lines"
cp "$T/etc/discs/a.iso" "$T/missing.iso"
run_split rc vcdromctl apply "$T/etc/vcdrom.conf"
assert_eq 0 "$rc" "apply once the image is there: $out_stderr"
assert_eq "drive 0: $T/etc/discs/a.iso: already in
drive 1: $T/b.iso: already in
drive 2: $T/missing.iso: inserted" "$out_stdout" "apply once the image is there: lines"
# every event is sent before the command that caused it returns; give the watch a moment to print it
wait_until 5 test "$(watch_lines "$T/watch.log" | wc -l)" -ge 1 || true
stop_watch "$watch_pid"
assert_eq "event=medium-inserted drive=2" "$(watch_lines "$T/watch.log")" "events of the three applies"
log "apply again: nothing changed but the disc that was missing"

# ---- a bad file changes nothing ----
before=$(drives_json)
printf '[drive]\nserial = VCDCONF4\nlable = X\n' >"$T/bad.conf"
run_split rc vcdromctl apply "$T/bad.conf"
assert_eq 1 "$rc" "apply of a bad file: exit status"
assert_eq "" "$out_stdout" "apply of a bad file: output"
assert_eq "vcdromctl: apply: $T/bad.conf:3: unknown key \"lable\" (serial, vendor, product, revision, image, medium, sector-size, playlist)" \
	"$out_stderr" "apply of a bad file: message"
assert_eq "$before" "$(drives_json)" "drives after a bad file"
log "a bad line: FILE:LINE and the reason, nothing changed"

# ---- save, and apply it after a reload ----
vcdromctl insert --replace --drive 2 "$T/c.cue" >/dev/null || fail "vcdromctl insert c.cue"
run_split rc vcdromctl save "$T/saved.conf"
assert_eq 0 "$rc" "save: $out_stderr"
cat "$T/saved.conf"
assert_match "^image = $T/c.cue\$" "$(cat "$T/saved.conf")" "the CUE sheet's disc in the saved file"
before=$(drives_json)
vcdrom_unload
vcdrom_load drives=0
run_split rc vcdromctl apply "$T/saved.conf"
assert_eq 0 "$rc" "apply of the saved file: $out_stderr"
assert_eq "drive 0: added
drive 0: $T/etc/discs/a.iso: inserted
drive 1: added
drive 1: $T/b.iso: inserted
drive 2: added
drive 2: $T/c.cue: inserted" "$out_stdout" "apply of the saved file: lines"
assert_eq "$before" "$(drives_json)" "drives after save, reload and apply"
run_split rc vcdromctl save -
assert_eq 0 "$rc" "save -: $out_stderr"
assert_eq "$(grep -v '^#' "$T/saved.conf")" "$(grep -v '^#' <<<"$out_stdout")" "save - after apply"
log "save, reload, apply: the same drives with the same discs"

# ---- a sheet edited since its disc went in: not the disc's image any more ----
cp "$T/etc/discs/a.iso" "$T/d.bin"
printf 'FILE "d.bin" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n' >"$T/c.cue"
run_split rc vcdromctl save -
assert_eq 0 "$rc" "save after the sheet changed: $out_stderr"
assert_no_match "^image = $T/c.cue\$" "$out_stdout" "save after the sheet changed"
assert_match "^#   $T/c.bin\$" "$out_stdout" "save after the sheet changed: the held file, as a comment"
log "a sheet that names other files now: a comment with the held files"


# ---- a playlist: an .m3u applied, saved as its discs, applied back ----
printf 'discs/a.iso\n../b.iso\n' >"$T/etc/game.m3u"
printf '[drive]\nserial = VCDLIST\nimage = game.m3u\n' >"$T/etc/list.conf"
run_split rc vcdromctl apply "$T/etc/list.conf"
assert_eq 0 "$rc" "apply of an .m3u: $out_stderr"
assert_eq "drive 3: added
drive 3: $T/etc/game.m3u: inserted" "$out_stdout" "apply of an .m3u: lines"
assert_eq "2 1" "$(drive_json 3 '"\(.playlist | length) \(.disc_number)"')" "drive 3's playlist after apply"
run_split rc vcdromctl apply "$T/etc/list.conf"
assert_eq "drive 3: $T/etc/game.m3u: already in" "$out_stdout" "apply of the .m3u again"
run_split rc vcdromctl save -
assert_eq 0 "$rc" "save of a playlist: $out_stderr"
section=$(sed -n '/^serial = VCDLIST$/,/^$/p' <<<"$out_stdout")
assert_match "^image = $T/etc/discs/a.iso\$" "$section" "the saved playlist's first disc"
assert_match "^image = $T/b.iso\$" "$section" "the saved playlist's second disc"
assert_match '^playlist = yes$' "$section" "the saved playlist"
printf '%s\n' "$out_stdout" >"$T/list-saved.conf"
vcdromctl eject 3 || fail "vcdromctl eject 3"
run_split rc vcdromctl apply "$T/list-saved.conf"
assert_eq 0 "$rc" "apply of the saved playlist: $out_stderr"
assert_match "^drive 3: $T/etc/discs/a.iso: inserted\$" "$out_stdout" "apply of the saved playlist"
assert_eq "2 1 [\"$T/etc/discs/a.iso\"]" "$(drive_json 3 '"\(.playlist | length) \(.disc_number) \(.source)"')" \
	"drive 3 after applying the saved playlist"
log "a playlist: applied from an .m3u, saved as its discs, applied back"

# ---- [cache]: where apply expands a compressed image; save keeps the section ----
gzip -c "$T/b.iso" >"$T/e.iso.gz"
mkdir -p "$T/cfgcache"
printf '[cache]\n# expansions\ndir = %s\nmax = 64M\n\n[drive]\nserial = VCDGZ\nimage = %s\n' "$T/cfgcache" \
	"$T/e.iso.gz" >"$T/etc/gz.conf"
run_split rc vcdromctl apply "$T/etc/gz.conf"
assert_eq 0 "$rc" "apply with a [cache]: $out_stderr"
assert_match "^drive [0-9]+: $T/e.iso.gz: inserted\$" "$out_stdout" "apply with a [cache]: lines"
n=$(sed -n 's/^drive \([0-9]*\): added$/\1/p' <<<"$out_stdout")
[ -n "$n" ] || fail "apply with a [cache] added no drive: $out_stdout"
assert_eq "1" "$(find "$T/cfgcache" -type f | wc -l)" "files in the [cache] dir after apply"
cmp "$(find "$T/cfgcache" -type f)" "$T/b.iso" || fail "the [cache] dir's entry is not the expanded ISO"
assert_eq "[\"$T/e.iso.gz\"]" "$(drive_json "$n" .source)" "drive $n's source after apply with a [cache]"
sr=$(drive_json "$n" .device)
wait_until 10 test -b "$sr" || fail "drive $n has no block device ($sr)"
sg_ready "$(drive_json "$n" .sg)"
dd if="$sr" bs=2048 count=16 iflag=direct status=none | cmp - <(head -c 32768 "$T/b.iso") ||
	fail "$sr does not read the ISO's bytes"
run_split rc vcdromctl save "$T/etc/gz.conf"
assert_eq 0 "$rc" "save over the file with a [cache]: $out_stderr"
assert_eq "[cache]
# expansions
dir = $T/cfgcache
max = 64M" "$(sed -n '/^\[cache\]$/,/^max/p' "$T/etc/gz.conf")" "the [cache] section after save"
run_split rc vcdromctl apply "$T/etc/gz.conf"
assert_eq 0 "$rc" "apply of the saved file with a [cache]: $out_stderr"
assert_match "^drive $n: $T/e.iso.gz: already in\$" "$out_stdout" "apply of the saved file with a [cache]"
assert_eq "1" "$(find "$T/cfgcache" -type f | wc -l)" "files in the [cache] dir after the second apply"
log "[cache]: apply expands into its dir, save keeps it"
