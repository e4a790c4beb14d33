#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The two ways of installing vcdrom, as far as a read-only root allows (the guest shares the host's): DKMS
# builds the module for the running kernel from the sources `make dkms-source` lays out, in private source and
# DKMS trees under $T (dkms --sourcetree/--dkmstree); `make install-tools DESTDIR=$T/root PREFIX=/usr` installs
# the tool, its man page and the examples. The DKMS-built module goes where `dkms install` puts it
# (updates/dkms/) in a module tree under $T/root that links the kernel's own modules, depmod -b indexes it, and
# `modprobe -d $T/root vcdrom` loads it with its dependencies. modinfo, sysfs and the installed
# `vcdromctl --version` show one version; an ISO inserted with the installed vcdromctl reads back byte for
# byte. `make uninstall-tools` removes every file install-tools put. Not covered here: `dkms install` itself
# and depmod on the real /lib/modules (both write to the read-only root).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_root
need_cmd dkms make gcc depmod modprobe modinfo xorriso sha256sum jq
kver=$(uname -r)
[ -e "/lib/modules/$kver/build/Makefile" ] || skip "no build tree for $kver (linux-headers-$kver)"
[ ! -e /sys/module/vcdrom ] || fail "vcdrom is loaded already (left over by an earlier test?)"

# --- the tool, installed from the tree (make tools ran on the host); -o: do not rebuild it here ---
root=$T/root
run_rc rc make -s -C "$REPO_DIR" -o tools install-tools DESTDIR="$root" PREFIX=/usr
assert_eq 0 "$rc" "make install-tools exit status (output: $out)"
installed=$(cd "$root" && find . -type f | sort)
echo "$installed"
assert_eq "./usr/sbin/vcdromctl
./usr/share/doc/vcdrom/examples/modprobe.d/vcdrom.conf
./usr/share/doc/vcdrom/examples/modules-load.d/vcdrom.conf
./usr/share/man/man8/vcdromctl.8" "$installed" "files make install-tools put under DESTDIR"
ctl=$root/usr/sbin/vcdromctl
[ -x "$ctl" ] || fail "$ctl is not executable"
ver=$("$ctl" --json --version | jq -r .vcdromctl) || fail "$ctl --json --version failed"
assert_match '^[0-9]+\.[0-9]+\.[0-9]+' "$ver" "the installed vcdromctl's version"
assert_eq null "$("$ctl" --json --version | jq -r .module)" "module version before any module is loaded"
log "vcdromctl $ver"

# --- DKMS: check.sh built the module on the host (a build under TCG outlasts a test) in private trees beside
# VCDROM_KO; elsewhere (tests/run_tests.sh on a real machine) it is added and built here ---
mods=$root/lib/modules/$kver
mkdir -p "$mods"
ln -s "/lib/modules/$kver/kernel" "$mods/kernel"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -e "/lib/modules/$kver/$f" ] || cp "/lib/modules/$kver/$f" "$mods/"
done
dkmstree=$T/dkms
pre=${VCDROM_DKMS_DIR:-$(dirname "$(dirname "$VCDROM_KO")")/dkms}
# $1 with the characters special in an extended regular expression escaped (kernel versions have a +)
# shellcheck disable=SC2001 # a bracket expression, beyond ${var//}
rq() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; }
if [ -d "$pre/tree/vcdrom/$ver/$kver" ]; then
	log "the module DKMS built on the host: $pre"
	src=$pre/src
	cp -a "$pre/tree" "$dkmstree"	# dkms install writes its state there
	dkms_do() { dkms --sourcetree "$src" --dkmstree "$dkmstree" --installtree "$root/lib/modules" "$@"; }
else
	src=$T/usr-src
	mkdir -p "$dkmstree"
	dkms_do() { dkms --sourcetree "$src" --dkmstree "$dkmstree" --installtree "$root/lib/modules" "$@"; }
	run_rc rc make -s -C "$REPO_DIR" dkms-source DKMS_SRC="$src/vcdrom-$ver" VERSION="$ver"
	assert_eq 0 "$rc" "make dkms-source exit status (output: $out)"
	run_rc rc dkms_do add "vcdrom/$ver"
	assert_eq 0 "$rc" "dkms add exit status (output: $out)"
	log "dkms build for $kver"
	run_rc rc dkms_do build "vcdrom/$ver" -k "$kver"
	echo "$out"
	assert_eq 0 "$rc" "dkms build -k $kver exit status"
fi
assert_match "^PACKAGE_VERSION=\"$(rq "$ver")\"\$" "$(cat "$src/vcdrom-$ver/dkms.conf")" "dkms.conf of dkms-source"

# dkms install into the module tree (--no-depmod: depmod -b below)
run_rc rc dkms_do install --no-depmod "vcdrom/$ver" -k "$kver"
echo "$out"
assert_eq 0 "$rc" "dkms install --no-depmod -k $kver exit status"
run_rc rc dkms_do status vcdrom
assert_match "^$(rq "vcdrom/$ver, $kver"), [^:]*: installed\$" "$out" "dkms status"
ko=$(find "$mods/updates/dkms" -name 'vcdrom.ko*' | head -n 1)
[ -n "$ko" ] || fail "no vcdrom.ko under $mods/updates/dkms:"$'\n'"$(find "$root/lib")"
assert_eq "$ver" "$(modinfo -F version "$ko")" "modinfo -F version of the DKMS-built module"
assert_eq "$kver" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "vermagic of the DKMS-built module"
depmod -b "$root" "$kver" || fail "depmod -b $root $kver"
assert_match "^updates/dkms/vcdrom\.ko[^:]*: .*scsi_mod" "$(cat "$mods/modules.dep")" "vcdrom in $mods/modules.dep"
assert_eq "$ver" "$(modinfo -b "$root" -k "$kver" -F version vcdrom)" "modinfo -b $root vcdrom"

modprobe -a cdrom sr_mod sg || fail "cannot load cdrom, sr_mod and sg"
modprobe -d "$root" vcdrom drives=1 || fail "modprobe -d $root vcdrom"
_vcdrom_loaded=1	# lib.sh unloads it at exit
wait_until "$VCDROM_WAIT" vcdrom_ready 1 || fail "no drive with sr and sg nodes after modprobe -d $root vcdrom"
assert_eq "$ver" "$(cat /sys/module/vcdrom/version)" "/sys/module/vcdrom/version"
v=$("$ctl" --json --version) || fail "$ctl --json --version: $v"
echo "$v"
assert_eq "$ver $ver" "$(jq -r '"\(.vcdromctl) \(.module)"' <<<"$v")" "tool and module versions from vcdromctl --version"
assert_eq insert "$(jq -r '.features[]' <<<"$v" | grep -x insert)" "features from vcdromctl --version"
assert_match "^module: +$(rq "$ver")\$" "$("$ctl" --version)" "vcdromctl --version"

# --- the installed tool puts an ISO in the drive; it reads back ---
make_tree "$T/tree"
make_iso "$T/tree" "$T/disc.iso" VCDROM_DKMS
sr=$(vcdrom_srdevs)
run_split rc "$ctl" insert "$T/disc.iso"
assert_eq 0 "$rc" "installed vcdromctl insert exit status (stderr: $out_stderr)"
assert_eq "$sr" "$out_stdout" "what vcdromctl insert prints"
assert_eq "$(sha256sum <"$T/disc.iso")" "$(sha256sum <"$sr")" "sha256 of $sr against the image"
"$ctl" eject 0 || fail "installed vcdromctl eject 0"
vcdrom_unload

# --- uninstall-tools takes back exactly what install-tools put ---
run_rc rc make -s -C "$REPO_DIR" uninstall-tools DESTDIR="$root" PREFIX=/usr
assert_eq 0 "$rc" "make uninstall-tools exit status (output: $out)"
left=$(cd "$root" && find ./usr -type f -o -type d -path './usr/share/doc/vcdrom*')
assert_eq "" "$left" "files and doc directories left under $root/usr by uninstall-tools"

run_rc rc dkms_do remove --no-depmod "vcdrom/$ver" --all
assert_eq 0 "$rc" "dkms remove --all exit status (output: $out)"
[ ! -e "$dkmstree/vcdrom" ] || fail "dkms remove --all left $dkmstree/vcdrom"
[ -z "$(find "$mods/updates" -name 'vcdrom.ko*')" ] || fail "dkms remove --all left vcdrom.ko in $mods/updates"
