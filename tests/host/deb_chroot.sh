#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Opt-in host test (not in .ci/run: it downloads about 100 MB and takes 2-3 minutes): the Debian packages
# installed for real, in a Debian 12 chroot made with debootstrap, never on this machine's root. Builds the
# packages (tests/host/deb.sh), installs them with the headers of KVER (default: Debian 12's 6.1 kernel that
# is installed here) and checks that vcdrom-dkms's postinst had DKMS build and install the module for it
# (dkms status, modinfo of updates/dkms/vcdrom.ko), that vcdromctl runs, and that purging both takes the
# module and the sources away again. Needs root, debootstrap and Debian's archive.
# Usage: tests/host/deb_chroot.sh [CHROOT_DIR]  (default: a directory under build/, removed at the end)

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
source "$(dirname "$0")/../lib.sh"

need_root
need_cmd debootstrap chroot mount umount
ok() { echo "ok - $*"; }

kver=${KVER:-}
if [ -z "$kver" ]; then
	for b in /lib/modules/6.1.*/build; do
		[ -e "$b" ] && kver=$(basename "$(dirname "$b")")
	done
fi
[ -n "$kver" ] || skip "no Debian 6.1 kernel installed here (set KVER=)"
root=${1:-$REPO_DIR/build/deb-chroot}
keep=${1:+1}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

umount_proc() { ! mountpoint -q "$root/proc" || umount "$root/proc"; }
# run newest first: unmount, then remove
[ -n "$keep" ] || on_exit "rm -rf --one-file-system '$root'"
on_exit umount_proc

mkdir -p "$T/debs"
DEB_OUT=$T/debs "$REPO_DIR/tests/host/deb.sh" >"$T/deb.log" 2>&1 ||
	fail "tests/host/deb.sh failed:"$'\n'"$(tail -n 30 "$T/deb.log")"
ok "packages built"

if [ ! -x "$root/usr/bin/apt-get" ]; then
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$T/debootstrap.log" 2>&1 ||
		fail "debootstrap failed:"$'\n'"$(tail -n 20 "$T/debootstrap.log")"
fi
# the same archive as this machine's (the headers of its kernels may come from bookworm-security)
if [ -d /etc/apt/sources.list.d ]; then
	cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
fi
mkdir -p "$root/tmp/debs"
cp "$T/debs"/vcdrom-dkms_*_all.deb "$T/debs"/vcdromctl_*.deb "$root/tmp/debs/"
ok "bookworm chroot at $root"

mount -t proc proc "$root/proc"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C sh -c "$1" </dev/null; }
run_rc rc in_root "apt-get update -q && apt-get install -y -q --no-install-recommends linux-headers-$kver \
	/tmp/debs/vcdrom-dkms_*_all.deb /tmp/debs/vcdromctl_*.deb"
echo "$out" >"$T/install.log"
assert_eq 0 "$rc" "apt-get install in the chroot (log: $(tail -n 20 "$T/install.log"))"
ver=$(in_root "dpkg-query -W -f '\${Version}' vcdrom-dkms")
run_rc rc in_root "dkms status vcdrom"
kre=${kver//./\\.}
assert_match "^vcdrom/$ver, ${kre//+/\\+}, [^:]*: installed" "$out" "dkms status in the chroot"
assert_eq "$ver" "$(in_root "modinfo -F version /lib/modules/$kver/updates/dkms/vcdrom.ko*")" \
	"modinfo of the module the postinst installed"
assert_match "^vcdromctl: +$ver\$" "$(in_root "vcdromctl --version")" "vcdromctl --version in the chroot"
ok "apt-get install: DKMS built and installed vcdrom $ver for $kver; vcdromctl runs"

run_rc rc in_root "apt-get purge -y -q vcdrom-dkms vcdromctl"
assert_eq 0 "$rc" "apt-get purge in the chroot (output: $out)"
assert_eq "" "$(in_root "ls /lib/modules/$kver/updates/dkms 2>/dev/null; ls -d /usr/src/vcdrom-* /var/lib/dkms/vcdrom \
	/usr/bin/vcdromctl 2>/dev/null" || true)" "what the purge left"
ok "apt-get purge: module, sources and tool gone"
