#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian 12 package needed to build vcdrom and run its tests (`make deps`), then prepare the
# Debian sid chroot whose kernel is the newest in the test matrix (tests/vm/sid-chroot.sh: build/sid-chroot,
# reused when complete). Run as root; safe to run again (apt-get installs only what is missing).
#
# The sid chroot needs Debian sid's archive; when it cannot be prepared, make deps still succeeds but writes
# the reason to build/sid-chroot.skip, and `make check` reports the sid kernel as skipped with it.
# SID_CHROOT_TIMEOUT=SECONDS bounds its preparation (default 900; it takes about 45 s, and no time when reused).

set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: must run as root" >&2
	exit 1
fi

packages=(
	# build: the module for both test kernels, the tools, the C tests; flex, bison, bc and libelf-dev
	# (objtool) also build the debug kernel of make check-debug, from linux-source-6.12 below
	gcc make kmod bc flex bison libelf-dev pkg-config
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	libnl-3-dev libnl-genl-3-dev
	# vcdromctl's expansion of compressed images (issue 17): gzip, xz, zstd, bzip2; SHA-256
	zlib1g-dev liblzma-dev libzstd-dev libbz2-dev nettle-dev
	# the CHD decoder (issue 17): FLAC for its codecs; chdman (mame-tools), its tests' oracle
	libflac-dev mame-tools
	# make fuzz: libFuzzer and the sanitizers (clang); gcc's for make -C tools check's replay
	clang-14 libclang-rt-14-dev libasan8 libubsan1
	# the QEMU guest: TCG, a busybox initramfs, xz/zstd for compressed modules
	qemu-system-x86 busybox-static cpio xz-utils zstd
	# the Debian sid chroot for the newest kernel (tests/vm/sid-chroot.sh)
	debootstrap
	# kselftest_harness.h and checkpatch.pl; make lint
	linux-source-6.12 sparse cppcheck
	# programs the tests drive or use as oracles
	sg3-utils eject udev libcdio-utils cd-discid xorriso genisoimage cdparanoia cdrdao dvd+rw-tools sox fio util-linux
	# CloneCD and Alcohol images turned into ISOs by others' converters: the data oracles of ccd_images.sh
	ccd2iso mdf2iso iat
	# backing-store faults (media_errors, suspend, fault_inject): dm error, flakey and delay, ext4, filefrag
	dmsetup e2fsprogs
	# the issue-3 tests: JSON from vcdromctl (gojq starts in a fifth of jq 1.6's time: tests/lib.sh), DVD-sized
	# UDF images
	jq gojq udftools
	# checks the netlink spec against the uapi header
	python3 python3-yaml
	# installing (issue 16): DKMS builds (install_dkms.sh in the guest, tests/host/), the Debian packages
	# (tests/host/deb.sh: dpkg-buildpackage, dh_dkms, lintian)
	dkms dpkg-dev debhelper dh-dkms fakeroot lintian
	# the zsh completion's test (tests/host/completion.sh)
	zsh
	# the desktop (tests/udisks.sh): a system bus, polkit and udisks; gdbus; the desktop entry's check
	dbus polkitd udisks2 libglib2.0-bin desktop-file-utils
)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}" </dev/null

# The Debian sid chroot. Whatever happens there, make deps goes on: the reason is left for make check.
top=$(cd "$(dirname "$0")/../.." && pwd)
skip_file=$top/build/sid-chroot.skip
mkdir -p "$top/build"
rm -f "$skip_file"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
echo "deps: preparing the Debian sid chroot in $top/build/sid-chroot (log: $top/build/sid-chroot.log)"
start=$SECONDS
rc=0
out=$(timeout -k 30 "${SID_CHROOT_TIMEOUT:-900}" "$top/tests/vm/sid-chroot.sh" 2>"$err") || rc=$?
if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
	echo "deps: Debian sid chroot ready in $((SECONDS - start)) s: kernel ${out##*$'\n'}"
else
	case $rc in
	124 | 137) reason="preparing the Debian sid chroot took over ${SID_CHROOT_TIMEOUT:-900} s (see $top/build/sid-chroot.log)" ;;
	*) reason=$(grep -v '^$' "$err" | paste -sd ';' | sed 's/;/; /g') ;;
	esac
	echo "${reason:-tests/vm/sid-chroot.sh failed with status $rc (see $top/build/sid-chroot.log)}" >"$skip_file"
	echo "deps: no Debian sid kernel, make check will skip it: $(cat "$skip_file")" >&2
	# leave no mount behind, even after a timeout
	"$top/tests/vm/sid-chroot.sh" --umount >/dev/null 2>&1 || true
fi
