#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make lint`: the static checks, each of which must be clean:
# - checkpatch.pl --strict (from Debian's linux-source-6.12 tarball, extracted into build/checkpatch/) on
#   the C files of kernel/ that git tracks. Ignored everywhere: CAMELCASE (the kernel's own Scsi_Host). Ignored in kernel/compat.h only, where
#   they are the point of the file: LINUX_VERSION_CODE and the comparisons with it, typedefs of return types
#   that changed, macros that expand to a designator or a qualifier, and the fallbacks for NL_SET_ERR_MSG_*,
#   which copy the kernel's own macros (flow control, an argument one branch does not use).
# - sparse (make C=2) on the module, for every installed Debian kernel with a build tree;
# - tools/ and its tests built with -Werror (on top of its -Wall -Wextra), and cppcheck on tools/;
# - the man pages (vcdromctl.8, vcdrom.4): man --warnings prints nothing.
# Prints one line per check and exits 1 if any failed.

set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
tarball=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
cp_dir=$repo/build/checkpatch
failed=0

result() {
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		failed=1
	fi
}

# checkpatch.pl and the files it reads beside itself
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$cp_dir"
	tar -xJf "$tarball" -C "$cp_dir" --strip-components=1 --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' || {
		echo "lint: cannot extract checkpatch.pl from $tarball (make deps)" >&2
		exit 1
	}
fi
checkpatch() {
	"$cp_dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types --ignore CAMELCASE -f "$@" |
		grep -v '^total: ' | grep .
	return $((!$?))
}
# What git tracks, so that a build's generated files (vcdrom.mod.c) are never linted; outside a checkout, the
# sources by name
files=$(git ls-files 'kernel/*.c' 'kernel/*.h' 2>/dev/null) || files=
[ -n "$files" ] || files=$(ls kernel/*.c kernel/*.h kernel/uapi/linux/*.h | grep -v '\.mod\.c$')
files=$(grep -v '^kernel/compat\.h$' <<<"$files")
# shellcheck disable=SC2086 # a list of paths without spaces
out=$(checkpatch $files)
rc=$?
[ -z "$out" ] || echo "$out"
result "checkpatch --strict kernel/ (but compat.h)" $rc
out=$(checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,NEW_TYPEDEFS,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL,MACRO_ARG_UNUSED \
	kernel/compat.h)
rc=$?
[ -z "$out" ] || echo "$out"
result "checkpatch --strict kernel/compat.h" $rc

# sparse, in a copy of the sources so that the tree stays clean
for build in /lib/modules/*/build; do
	[ -e "$build/Makefile" ] || continue
	kver=$(basename "$(dirname "$build")")
	tmp=$(mktemp -d)
	cp -r Kbuild kernel "$tmp/"
	out=$(make -s -C "$build" M="$tmp" C=2 modules 2>&1)
	rc=$?
	rm -rf "$tmp"
	bad=$(grep -E 'warning:|error:' <<<"$out")
	[ -z "$bad" ] || echo "$bad"
	[ -z "$bad" ] || rc=1
	result "sparse (make C=2), $kver" $rc
done

# tools/: -Werror, then cppcheck
tmp=$(mktemp -d)
cp -r tools kernel "$tmp/"
mkdir "$tmp/tests" && cp tests/cdsector.c "$tmp/tests/"
out=$(make -s -C "$tmp/tools" clean all test-progs CFLAGS="-O2 -g -Werror" 2>&1)
rc=$?
rm -rf "$tmp"
[ "$rc" -eq 0 ] || echo "$out"
result "tools/ with -Wall -Wextra -Werror" $rc
out=$(cppcheck -q --error-exitcode=1 --enable=warning,portability,performance --inline-suppr \
	--suppress=missingIncludeSystem -I kernel/uapi -I tools/lib -I tools/loaders -I tools/vcdromctl \
	tools/ 2>&1)
rc=$?
[ -z "$out" ] || echo "$out"
result "cppcheck tools/" $rc
out=$(for page in tools/vcdromctl/vcdromctl.8 tools/vcdromctl/vcdrom.4; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null | sed "s|^|$page: |"
done)
[ -z "$out" ] && rc=0 || rc=1
[ -z "$out" ] || echo "$out"
result "man --warnings on the man pages" $rc

exit "$failed"
