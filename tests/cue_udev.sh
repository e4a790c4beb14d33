#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With systemd-udevd running, udev's cdrom_id and blkid see the CUE discs as on a physical drive (lib_cd.sh's
# four discs inserted in turn, each taken out with eject --force):
# - mixed: ID_CDROM_MEDIA_TRACK_COUNT=4, _AUDIO=3, _DATA=1, SESSION_COUNT=1, ID_FS_LABEL=VCDROM_MIXED;
# - audio: TRACK_COUNT=4, _AUDIO=4, no _DATA, SESSION_COUNT=1, no file system probed;
# - XA: TRACK_COUNT=2, _DATA=2, no _AUDIO, ID_FS_LABEL=VCDROM_XA;
# - two sessions: TRACK_COUNT=3, _AUDIO=2, _DATA=1, SESSION_COUNT=2, ID_CDROM_MEDIA_SESSION_LAST_OFFSET is
#   session 2's start in bytes, and blkid, told that offset, finds session 2's ISO (ID_FS_LABEL=VCDROM_SESSION2).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

need_root
need_vcdromctl
need_cmd jq xorriso sox udevadm sg_turs
[ -x /lib/udev/cdrom_id ] || skip "/lib/udev/cdrom_id not installed"
test_bin cdsector >/dev/null

make_mixed_disc "$T/mixed"
make_audio_disc "$T/audio"
make_xa_disc "$T/xa"
make_sessions_disc "$T/sessions"
session2=$((DISC_START[3] * 2048))

start_udevd
vcdrom_load
udevadm settle --timeout=60 || fail "udevadm settle timed out"
sr=$(vcdrom_srdevs)

# props: udev's ID_CDROM_MEDIA_* and ID_FS_* properties of the drive, one "NAME=VALUE" a line, sorted.
props() {
	udevadm info --query=property "$sr" | grep -E '^ID_CDROM_MEDIA_(TRACK_COUNT|SESSION)|^ID_FS_(LABEL|TYPE)=' | sort
}

props_are() {
	[ "$(props)" = "$1" ]
}

# disc NAME CUE EXPECTED: insert CUE; udev's properties become EXPECTED; then out with eject --force.
disc() {
	kmsg "$1"
	vcdromctl insert "$2" >/dev/null || fail "vcdromctl insert $2"
	if ! wait_until 30 props_are "$3"; then
		udevadm settle --timeout=60 || true
		[ "$(props)" = "$3" ] || fail "udev properties of $sr holding the $1 disc:"$'\n'"$(props)"$'\n'"expected:"$'\n'"$3"
	fi
	log "$1: $(props | paste -sd ' ')"
	vcdromctl eject --force 0 || fail "vcdromctl eject --force 0"
	wait_until 30 props_are "" || fail "udev properties of $sr after ejecting the $1 disc:"$'\n'"$(props)"
}

disc mixed "$T/mixed/mixed.cue" "ID_CDROM_MEDIA_SESSION_COUNT=1
ID_CDROM_MEDIA_TRACK_COUNT=4
ID_CDROM_MEDIA_TRACK_COUNT_AUDIO=3
ID_CDROM_MEDIA_TRACK_COUNT_DATA=1
ID_FS_LABEL=VCDROM_MIXED
ID_FS_TYPE=iso9660"
disc audio "$T/audio/audio.cue" "ID_CDROM_MEDIA_SESSION_COUNT=1
ID_CDROM_MEDIA_TRACK_COUNT=4
ID_CDROM_MEDIA_TRACK_COUNT_AUDIO=4"
disc xa "$T/xa/xa.cue" "ID_CDROM_MEDIA_SESSION_COUNT=1
ID_CDROM_MEDIA_TRACK_COUNT=2
ID_CDROM_MEDIA_TRACK_COUNT_DATA=2
ID_FS_LABEL=VCDROM_XA
ID_FS_TYPE=iso9660"
disc sessions "$T/sessions/sessions.cue" "ID_CDROM_MEDIA_SESSION_COUNT=2
ID_CDROM_MEDIA_SESSION_LAST_OFFSET=$session2
ID_CDROM_MEDIA_TRACK_COUNT=3
ID_CDROM_MEDIA_TRACK_COUNT_AUDIO=2
ID_CDROM_MEDIA_TRACK_COUNT_DATA=1
ID_FS_LABEL=VCDROM_SESSION2
ID_FS_TYPE=iso9660"
