#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The two ways of installing vcdrom, as far as the guest's read-only root (the host's) allows.
# - `make install-tools DESTDIR=$T/root PREFIX=/usr` installs exactly the tool, its man page and the examples
#   (the tool built by `make tools` on the host); `make uninstall-tools` takes every file back.
# - DKMS: check.sh ran make dkms-source, dkms add and dkms build for this kernel on the host, in private trees
#   beside VCDROM_KO (a module build under TCG outlasts a test); without them (run_tests.sh on a real
#   machine) this test adds and builds itself. `dkms install --installtree` puts the module into updates/dkms/
#   of a module tree under $T/root (--no-depmod), with links to the kernel's modules it depends on;
#   depmod -b indexes it, `modprobe -d $T/root vcdrom` loads it with its dependencies, and `dkms remove --all`
#   takes it out again.
# modinfo, /sys/module/vcdrom/version and the installed `vcdromctl --version` show one version (the tool's),
# with the module's features; an ISO inserted with the installed vcdromctl reads back byte for byte.
# Not covered: dkms and depmod on the real /lib/modules, the Debian packages' postinst (tests/host/deb.sh
# checks the packages on the host).

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
assert_eq "./usr/bin/vcdromctl
./usr/lib/systemd/system/vcdrom.service
./usr/share/applications/vcdromctl.desktop
./usr/share/bash-completion/completions/vcdromctl
./usr/share/doc/vcdrom/examples/modprobe.d/vcdrom.conf
./usr/share/doc/vcdrom/examples/modules-load.d/vcdrom.conf
./usr/share/man/man4/vcdrom.4
./usr/share/man/man8/vcdromctl.8
./usr/share/zsh/vendor-completions/_vcdromctl" "$installed" "files make install-tools put under DESTDIR"
ctl=$root/usr/bin/vcdromctl
[ -x "$ctl" ] || fail "$ctl is not executable"
ver=$("$ctl" --json --version | jq -r .vcdromctl) || fail "$ctl --json --version failed"
assert_match '^[0-9]+\.[0-9]+\.[0-9]+' "$ver" "the installed vcdromctl's version"
assert_eq null "$("$ctl" --json --version | jq -r .module)" "module version before any module is loaded"
log "vcdromctl $ver installed after ${SECONDS}s"

# --- DKMS: check.sh built the module on the host (a build under TCG outlasts a test) in private trees beside
# VCDROM_KO; elsewhere (tests/run_tests.sh on a real machine) it is added and built here ---
mods=$root/lib/modules/$kver
mkdir -p "$mods"
for f in modules.builtin modules.builtin.modinfo; do
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
	run_rc rc make -s -C "$REPO_DIR" dkms-source DKMS_SRC="$src/vcdrom-$ver" VCDROM_VERSION="$ver"
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
log "dkms install done after ${SECONDS}s"
ko=$(find "$mods/updates/dkms" -name 'vcdrom.ko*' | head -n 1)
[ -n "$ko" ] || fail "no vcdrom.ko under $mods/updates/dkms:"$'\n'"$(find "$root/lib")"
assert_eq "$ver" "$(modinfo -F version "$ko")" "modinfo -F version of the DKMS-built module"
assert_eq "$kver" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "vermagic of the DKMS-built module"
# the kernel's modules vcdrom depends on, linked where they are: depmod of the whole tree takes minutes in TCG
for m in $(modinfo -F depends "$ko" | tr , ' '); do
	modprobe -S "$kver" --show-depends "$m" || fail "modprobe --show-depends $m"
done | awk '$1 == "insmod" { print $2 }' | sort -u >"$T/deps"
: >"$mods/modules.order"
while read -r f; do
	rel=${f#/lib/modules/"$kver"/}
	mkdir -p "$mods/${rel%/*}"
	ln -s "$f" "$mods/$rel"
	echo "${rel%.ko*}.ko" >>"$mods/modules.order"
done <"$T/deps"
depmod -b "$root" "$kver" || fail "depmod -b $root $kver"
# its dependencies: scsi_mod, unless the kernel has it built in (the debug kernel of make check-debug)
if grep -q '/scsi_mod\.ko' "/lib/modules/$kver/modules.builtin" 2>/dev/null; then
	assert_match "^updates/dkms/vcdrom\.ko[^:]*:" "$(cat "$mods/modules.dep")" "vcdrom in $mods/modules.dep"
else
	assert_match "^updates/dkms/vcdrom\.ko[^:]*: .*scsi_mod" "$(cat "$mods/modules.dep")" \
		"vcdrom in $mods/modules.dep"
fi
assert_eq "$ver" "$(modinfo -b "$root" -k "$kver" -F version vcdrom)" "modinfo -b $root vcdrom"

modprobe -a cdrom sr_mod sg || fail "cannot load cdrom, sr_mod and sg"
modprobe -d "$root" vcdrom drives=1 || fail "modprobe -d $root vcdrom"
_vcdrom_loaded=1	# lib.sh unloads it at exit
wait_until "$VCDROM_WAIT" vcdrom_ready 1 || fail "no drive with sr and sg nodes after modprobe -d $root vcdrom"
log "modprobe -d done after ${SECONDS}s"
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
[ -z "$(find "$mods" -name 'vcdrom.ko*')" ] || fail "dkms remove --all left vcdrom.ko in $mods/updates"
