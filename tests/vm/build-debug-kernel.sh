#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel of `make check-debug`: Debian's linux-source-6.12 (/usr/src/linux-source-6.12.tar.xz),
# `make allnoconfig` for x86_64 with tests/vm/debug-config merged over it (scripts/kconfig/merge_config.sh -n),
# `make olddefconfig`, a check that every option the fragment asks for is really set as asked, then bzImage and
# modules. Usage: build-debug-kernel.sh [DIR] (default build/debug-kernel of this tree). DIR gets:
#   src/            the extracted source (kept while the tarball's version is the same)
#   obj/            the O= build tree: vcdrom builds against it with `make -C DIR/obj M=...`
#   bzImage, kver   the kernel and its release (uname -r)
#   modroot/lib/modules/KVER/   `make modules_install` (modules.builtin: modprobe of built-ins succeeds)
#   build.log       the last build's output; key: the cache key of the finished build (written last)
# Cached: nothing is done when DIR/key matches the fragment's hash and the tarball's version. Prints DIR/bzImage.
# DEBUG_KERNEL_SOURCE=FILE uses another linux-source tarball; DEBUG_KERNEL_JOBS=N sets make -j (default nproc).

set -eu

die() {
	echo "build-debug-kernel: $*" >&2
	exit 1
}

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/build/debug-kernel}
tarball=${DEBUG_KERNEL_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
frag=$repo/tests/vm/debug-config
jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}

[ -r "$tarball" ] || die "no kernel source at $tarball (Debian package linux-source-6.12; make deps)"
for c in make gcc flex bison bc tar xz; do
	command -v "$c" >/dev/null || die "$c is missing (make deps)"
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

# the tarball's version: its Debian package's, or its size and time when it is not the package's
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null) || srcver=
[ "$tarball" = /usr/src/linux-source-6.12.tar.xz ] && [ -n "$srcver" ] || srcver=$(stat -L -c '%s %Y' "$tarball")
key=$({ echo "$tarball $srcver"; cat "$frag"; } | sha256sum | cut -d' ' -f1)
if [ -f "$out/bzImage" ] && [ "$(cat "$out/key" 2>/dev/null)" = "$key" ]; then
	echo "$out/bzImage"
	exit 0
fi
rm -f "$out/key"

# the source, extracted again only when the tarball changed
if [ "$(cat "$out/src.key" 2>/dev/null)" != "$tarball $srcver" ]; then
	echo "build-debug-kernel: extracting $tarball into $out/src" >&2
	rm -rf "$out/src" "$out/src.tmp" "$out/src.key" "$out/obj"
	mkdir -p "$out/src.tmp"
	tar -xJf "$tarball" -C "$out/src.tmp" --strip-components=1
	mv "$out/src.tmp" "$out/src"
	echo "$tarball $srcver" >"$out/src.key"
fi

log=$out/build.log
: >"$log"
echo "build-debug-kernel: building in $out/obj (log $log)" >&2
mkdir -p "$out/obj"
kmake() {
	make -C "$out/src" O="$out/obj" ARCH=x86_64 "$@" >>"$log" 2>&1 ||
		die "make $* failed, last lines of $log:"$'\n'"$(tail -n 30 "$log")"
}
(cd "$out/src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$out/obj" "$frag") >>"$log" 2>&1 ||
	die "merge_config.sh failed, see $log"
kmake olddefconfig

# every option of the fragment, as the fragment says
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/obj/.config" && continue
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$out/obj/.config" || continue
		;;
	*) continue ;;
	esac
	opt=${line#\# }
	opt=${opt%%[= ]*}
	echo "build-debug-kernel: $frag asks for '$line', .config has '$(grep -E "^(# )?${opt}[= ]" "$out/obj/.config" |
		head -n 1)' (a dependency missing?)" >&2
	bad=1
done <"$frag"
[ "$bad" = 0 ] || die "Kconfig did not take the fragment as written"

kmake -j"$jobs" bzImage modules
kver=$(make -s -C "$out/src" O="$out/obj" ARCH=x86_64 kernelrelease 2>/dev/null | tail -n 1)
[ -n "$kver" ] || die "cannot get the kernel release"
rm -rf "$out/modroot"
kmake INSTALL_MOD_PATH="$out/modroot" modules_install
[ -f "$out/modroot/lib/modules/$kver/modules.builtin" ] || die "modules_install left no modules.builtin"
cp "$out/obj/arch/x86/boot/bzImage" "$out/bzImage"
echo "$kver" >"$out/kver"
echo "$key" >"$out/key"
echo "$out/bzImage"
