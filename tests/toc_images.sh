#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdrdao's own test TOCs (the shared corpora, when present; skipped otherwise), inserted as they are:
# - every cdrdao/*.toc that loads: `cdrdao read-toc` of the drive, shown by `cdrdao show-toc`, has the
#   track modes' kind, starts, pregaps, indexes, ends, ISRC and catalog number that `cdrdao show-toc` of
#   the file has (their parts are SILENCE and ZERO: no file bytes to compare);
# - libcdio's bad-*.toc: refused naming the file and its bad line; the drive stays empty.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_cd.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib_cd.sh"

corpora=$(corpora_dir)
if [ -z "$corpora" ] || [ ! -d "$corpora/cdrdao" ]; then
	skip "no shared corpora (../shared/corpora, /work/shared/corpora)"
fi
need_root
need_vcdromctl
need_cmd cdrdao

# showtoc_core TEXT: show-toc's track list without what read-toc cannot know (copy bit is kept).
showtoc_core() {
	grep -E '^TRACK|^ +(START|END|PREGAP|INDEX|ISRC)|^CATALOG' <<<"$1" | sed -E 's/END\*/END/; s/ +$//' || true
}

vcdrom_load
sr=$(vcdrom_srdevs)

for toc in "$corpora"/cdrdao/*.toc; do
	name=$(basename "$toc")
	if ! vcdromctl toc "$toc" >/dev/null 2>&1; then
		echo "# $name: not loadable here (see vcdromctl toc)"
		continue
	fi
	# cdrdao's own reader is the oracle: a file it refuses (3encodings.toc: ENCODING_* is newer than
	# cdrdao 1.2.4) is only inserted and read back.
	if ! want=$(cd "$(dirname "$toc")" && cdrdao show-toc "$name" 2>/dev/null); then
		echo "# $name: cdrdao show-toc refuses it: inserted and read back only"
		cd_insert "$toc"
		run_rc rc cdrdao read-toc --device "$sr" --datafile "$T/got.bin" "$T/got.toc"
		assert_eq 0 "$rc" "cdrdao read-toc of $sr holding $name"
		vcdromctl eject 0 || fail "vcdromctl eject 0"
		rm -f "$T/got.toc" "$T/got.bin"
		continue
	fi
	kmsg "$name"
	cd_insert "$toc"
	rm -f "$T/got.toc" "$T/got.bin"
	run_rc rc cdrdao read-toc --device "$sr" --datafile "$T/got.bin" "$T/got.toc"
	assert_eq 0 "$rc" "cdrdao read-toc of $sr holding $name"
	got=$(cd "$T" && cdrdao show-toc got.toc 2>&1) || fail "cdrdao show-toc of the drive's read-toc ($name): $got"
	assert_eq "$(showtoc_core "$want")" "$(showtoc_core "$got")" \
		"cdrdao show-toc of the drive holding $name against the file's"
	vcdromctl eject 0 || fail "vcdromctl eject 0"
done

if [ -d "$corpora/libcdio/data" ]; then
	for toc in "$corpora"/libcdio/data/bad-*.toc; do
		kmsg "$(basename "$toc")"
		run_rc rc vcdromctl insert "$toc"
		assert_eq 1 "$rc" "vcdromctl insert $(basename "$toc") fails"
		case $out in
		*"$(basename "$toc")":[0-9]*": "*) ;;
		*) fail "the refusal of $(basename "$toc") names no file and line: $out" ;;
		esac
	done
fi
