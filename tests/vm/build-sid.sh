#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vcdrom for Debian sid's kernel inside the sid chroot (its headers need sid's compiler), then
# copy the module to OUTDIR/kernel/vcdrom.ko and the compiler's output to OUTDIR/build.log. Run as root.
#
#   build-sid.sh OUTDIR [DIR]    DIR is the chroot made by sid-chroot.sh (default build/sid-chroot)
#
# Exits 3 with a one-line reason on stderr if the chroot is not prepared, 1 if the build fails (with
# the compiler's output). The compiler's output is also shown when it has warnings.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 OUTDIR [DIR]" >&2
	exit 2
fi
outdir=$1
root=$(realpath -m -- "${2:-$top/build/sid-chroot}")

kver=$("$top/tests/vm/sid-chroot.sh" --kver "$root")

# A private copy of the module's sources (no build products) inside the chroot; removed on exit.
mkdir -p "$root/build"
src=$(mktemp -d "$root/build/vcdrom.XXXXXX")
trap 'rm -rf --one-file-system "$src"' EXIT
cp "$top/Kbuild" "$src/"
(cd "$top" && find kernel tests/kmod -type f \( -name '*.[chS]' -o -name Kbuild -o -name Makefile \) \
	! -name '*.mod.c' -exec cp --parents -t "$src" {} +)

out=$src.out
trap 'rm -rf --one-file-system "$src" "$out"' EXIT
status=0
"$top/tests/vm/sid-chroot.sh" --run "$root" \
	make -C "/lib/modules/$kver/build" M="/build/${src##*/}" VCDROM_TEST_KMOD=m \
	VCDROM_VERSION="$("$top/scripts/version.sh")" modules >"$out" 2>&1 || status=$?
mkdir -p "$outdir"
cp "$out" "$outdir/build.log"

if [ "$status" -ne 0 ] || [ ! -f "$src/kernel/vcdrom.ko" ]; then
	cat "$out" >&2
	echo "vcdrom: build for $kver failed" >&2
	exit 1
fi
if grep -qi 'warning' "$out"; then
	cat "$out" >&2
fi

mkdir -p "$outdir/kernel"
cp "$src/kernel/vcdrom.ko" "$outdir/kernel/vcdrom.ko"
mkdir -p "$outdir/tests/kmod"
cp "$src"/tests/kmod/*.ko "$outdir/tests/kmod/"
echo "$outdir/kernel/vcdrom.ko"
