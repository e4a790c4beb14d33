#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of `make install`, `make uninstall` and DKMS, without loading anything (.ci/run runs it; as root,
# for dkms). From a copy of the tracked files, for the newest installed kernel with headers (KVER= to choose):
# - make install into a staging DESTDIR puts exactly the module, the tool, its man pages, its bash and zsh
#   completion, vcdrom.service (checked by systemd-analyze verify) and the examples, and
#   runs no depmod there; make uninstall leaves no file;
# - make install into a DESTDIR that holds the kernel's modules (links to them) runs depmod -b there, after
#   which modprobe resolves vcdrom's dependencies; make uninstall takes it out of modules.dep again;
# - make dkms-source, then dkms add and build in private trees (--sourcetree, --dkmstree) for every installed
#   kernel with headers: modinfo of each vcdrom.ko shows the version and the kernel's vermagic; dkms install
#   into a private install tree (--installtree, --no-depmod); dkms remove --all takes both back.
# Prints "ok - ..." per step; exits 1 at the first failure, 4 when it cannot run here.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
source "$(dirname "$0")/../lib.sh"

need_root
need_cmd make gcc depmod modprobe modinfo dkms git
ok() { echo "ok - $*"; }
# $1 with the characters special in an extended regular expression escaped (kernel versions have a +)
# shellcheck disable=SC2001 # a bracket expression, beyond ${var//}
rq() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; }

kernels=()
for b in /lib/modules/*/build/Makefile; do
	[ -e "$b" ] || continue
	b=${b%/build/Makefile}
	kernels+=("${b##*/}")
done
[ "${#kernels[@]}" -gt 0 ] || skip "no kernel with headers under /lib/modules"
mapfile -t kernels < <(printf '%s\n' "${kernels[@]}" | sort -V)
kver=${KVER:-${kernels[-1]}}

# the tracked files (the working tree's state of them), and the version of the tree itself
tree=$T/tree
mkdir -p "$tree"
git -C "$REPO_DIR" ls-files -z | tar -C "$REPO_DIR" --null --no-recursion -T - -cf - | tar -C "$tree" -xf -
ver=$("$REPO_DIR/scripts/version.sh")
echo "$ver" >"$tree/VERSION"
mk() { make -s -C "$tree" KVER="$kver" -j"$(nproc)" "$@"; }

# --- staging DESTDIR: no kernel modules there, so no depmod ---
stage=$T/stage
run_rc rc mk install DESTDIR="$stage" PREFIX=/usr
assert_eq 0 "$rc" "make install DESTDIR=$stage exit status (output: $out)"
assert_match 'no depmod' "$out" "make install into a staging DESTDIR"
files=$(cd "$stage" && find . -type f | sort)
assert_eq "./lib/modules/$kver/updates/vcdrom.ko
./usr/bin/vcdromctl
./usr/lib/systemd/system/vcdrom.service
./usr/share/applications/vcdromctl.desktop
./usr/share/bash-completion/completions/vcdromctl
./usr/share/doc/vcdrom/examples/modprobe.d/vcdrom.conf
./usr/share/doc/vcdrom/examples/modules-load.d/vcdrom.conf
./usr/share/man/man4/vcdrom.4
./usr/share/man/man8/vcdromctl.8
./usr/share/zsh/vendor-completions/_vcdromctl" "$files" "files make install put in a staging DESTDIR"
assert_eq "$ver" "$(modinfo -F version "$stage/lib/modules/$kver/updates/vcdrom.ko")" "the installed module's version"
assert_match "^vcdromctl: +$(rq "$ver")\$" "$("$stage/usr/bin/vcdromctl" --version)" "the installed vcdromctl --version"
# the unit runs the vcdromctl installed beside it; systemd-analyze checks it (with the staged tool and man pages)
unit=$stage/usr/lib/systemd/system/vcdrom.service
assert_match '^ExecStart=/usr/bin/vcdromctl apply$' "$(cat "$unit")" "the installed vcdrom.service"
if command -v systemd-analyze >/dev/null; then
	sed "s|=/usr/bin/vcdromctl|=$stage/usr/bin/vcdromctl|" "$unit" >"$T/vcdrom.service"
	run_rc rc env MANPATH="$stage/usr/share/man" systemd-analyze verify "$T/vcdrom.service"
	assert_eq 0 "$rc" "systemd-analyze verify vcdrom.service (output: $out)"
fi
# the desktop entry ("Open with"): the installed tool by its full path
desktop=$stage/usr/share/applications/vcdromctl.desktop
assert_match '^Exec=/usr/bin/vcdromctl insert --wait %f$' "$(cat "$desktop")" "the installed vcdromctl.desktop"
if command -v desktop-file-validate >/dev/null; then
	run_rc rc desktop-file-validate "$desktop"
	assert_eq "0:" "$rc:$out" "desktop-file-validate vcdromctl.desktop"
fi
ok "make install DESTDIR=staging PREFIX=/usr ($kver, $ver)"
run_rc rc mk uninstall DESTDIR="$stage" PREFIX=/usr
assert_eq 0 "$rc" "make uninstall exit status (output: $out)"
assert_eq "" "$(cd "$stage" && find . -type f -o -path '*/doc/vcdrom*')" "what make uninstall left"
ok "make uninstall DESTDIR=staging PREFIX=/usr"

# --- a DESTDIR with the kernel's modules: depmod -b runs, and the dependencies resolve ---
sys=$T/sys
mods=$sys/lib/modules/$kver
mkdir -p "$mods"
ln -s "/lib/modules/$kver/kernel" "$mods/kernel"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -e "/lib/modules/$kver/$f" ] || cp "/lib/modules/$kver/$f" "$mods/"
done
run_rc rc mk install-module DESTDIR="$sys"
assert_eq 0 "$rc" "make install-module DESTDIR=$sys exit status (output: $out)"
assert_match "^depmod -b $(rq "$sys $kver")\$" "$out" "make install-module into a module tree"
deps=$(modprobe -d "$sys" -S "$kver" --show-depends vcdrom) || fail "modprobe --show-depends vcdrom: $deps"
assert_match "scsi_mod" "$deps" "modprobe -d $sys --show-depends vcdrom"
assert_match "insmod $(rq "$mods/updates/vcdrom.ko")" "$deps" "modprobe -d $sys --show-depends vcdrom"
ok "make install-module into a module tree runs depmod -b; modprobe finds vcdrom and its dependencies"
run_rc rc mk uninstall-module DESTDIR="$sys"
assert_eq 0 "$rc" "make uninstall-module exit status (output: $out)"
assert_no_match vcdrom "$(cat "$mods/modules.dep")" "modules.dep after make uninstall-module"
ok "make uninstall-module takes vcdrom out of modules.dep"

# --- DKMS, in private trees, for every kernel with headers ---
src=$T/usr-src
dkmstree=$T/dkms
dkms_do() { dkms --sourcetree "$src" --dkmstree "$dkmstree" "$@"; }
run_rc rc mk dkms-source DKMS_SRC="$src/vcdrom-$ver"
assert_eq 0 "$rc" "make dkms-source exit status (output: $out)"
assert_match "^PACKAGE_VERSION=\"$(rq "$ver")\"\$" "$(cat "$src/vcdrom-$ver/dkms.conf")" "dkms.conf of make dkms-source"
assert_eq "$ver" "$(cat "$src/vcdrom-$ver/VERSION")" "VERSION of make dkms-source"
mkdir -p "$dkmstree"
run_rc rc dkms_do add "vcdrom/$ver"
assert_eq 0 "$rc" "dkms add exit status (output: $out)"
for k in "${kernels[@]}"; do
	run_rc rc dkms_do build "vcdrom/$ver" -k "$k"
	[ "$rc" -eq 0 ] || fail "dkms build -k $k failed:"$'\n'"$out"$'\n'"$(cat "$dkmstree/vcdrom/$ver/build/make.log" 2>/dev/null)"
	ko=$(find "$dkmstree/vcdrom/$ver/$k" -name 'vcdrom.ko*' | head -n 1)
	[ -n "$ko" ] || fail "no vcdrom.ko under $dkmstree/vcdrom/$ver/$k"
	assert_eq "$ver" "$(modinfo -F version "$ko")" "version of the module DKMS built for $k"
	assert_eq "$k" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "vermagic of the module DKMS built for $k"
	ok "dkms build -k $k: vcdrom.ko $ver"
	# dkms install into a private install tree, without depmod (it would index the system's)
	mkdir -p "$T/installtree/$k"	# dkms installs only for a kernel whose tree is there
	run_rc rc dkms_do --installtree "$T/installtree" install --no-depmod "vcdrom/$ver" -k "$k"
	assert_eq 0 "$rc" "dkms install --no-depmod -k $k exit status (output: $out)"
	[ -n "$(find "$T/installtree/$k/updates/dkms" -name 'vcdrom.ko*')" ] ||
		fail "dkms install -k $k: no vcdrom.ko in $T/installtree/$k/updates/dkms"
	ok "dkms install -k $k: into updates/dkms/ of the install tree"
done
run_rc rc dkms_do --installtree "$T/installtree" remove --no-depmod "vcdrom/$ver" --all
assert_eq 0 "$rc" "dkms remove --all exit status (output: $out)"
[ ! -e "$dkmstree/vcdrom" ] || fail "dkms remove --all left $dkmstree/vcdrom"
[ -z "$(find "$T/installtree" -name 'vcdrom.ko*')" ] || fail "dkms remove --all left a vcdrom.ko in the install tree"
ok "dkms remove vcdrom/$ver --all"
