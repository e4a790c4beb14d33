# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# CD images for the CUE/BIN tests, made from Debian tools (sox, xorriso) and the tests' own sector encoder
# (cdsector.c): source it after lib.sh. Every maker writes into a directory of its own and records the disc it
# made as the layout it implies, for the tests' oracles:
#   DISC_CUE			the cue sheet
#   DISC_TRACKS			track numbers, in order
#   DISC_MODE[n]		AUDIO, MODE1/2352 or MODE2/2352
#   DISC_START[n]		LBA of index 1
#   DISC_INDEX0[n]		LBA of index 0 (= DISC_START[n] without a pregap)
#   DISC_SESSION[n]		session number
#   DISC_LEADOUT[s]		LBA of session s's lead-out (where its last track ends)
#   DISC_SESSIONS		number of sessions
#   DISC_ISRC[n], DISC_MCN	as in the sheet (empty when none)
#   DISC_EXTENTS		"LBA COUNT FILE OFFSET" lines: where each stored run of sectors is
# The layout rules are the loader's: LBA 0 is the first sector of the first FILE's first track; PREGAP adds
# unstored sectors before a track's stored ones; after a session there is a gap of 11250 unstored sectors
# (its lead-out and the next lead-in) before the next session's first sector.

SESSION_GAP=11250

# The shared corpora of third-party images, when this checkout has them beside it: its path, or nothing.
corpora_dir() {
	local d
	for d in "$REPO_DIR/../shared/corpora" /work/shared/corpora; do
		[ -d "$d" ] && { (cd "$d" && pwd); return 0; }
	done
	return 0
}

cdsector() {
	"$(test_bin cdsector)" "$@"
}
