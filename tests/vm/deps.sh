#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian 12 package needed to build vcdrom and run its tests (`make deps`). Run as root;
# safe to run again (apt-get installs only what is missing).

set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: must run as root" >&2
	exit 1
fi

packages=(
	# build: the module for both test kernels, the tools, the C tests
	gcc make kmod bc flex bison libelf-dev pkg-config
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	libnl-3-dev libnl-genl-3-dev
	# the QEMU guest: TCG, a busybox initramfs, xz/zstd for compressed modules
	qemu-system-x86 busybox-static cpio xz-utils zstd
	# kselftest_harness.h and checkpatch.pl
	linux-source-6.12
	# programs the tests drive or use as oracles
	sg3-utils eject udev libcdio-utils xorriso genisoimage cdparanoia cdrdao dvd+rw-tools sox fio util-linux
)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}" </dev/null
