#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of the Debian packages (.ci/run runs it; installs nothing): from a copy of the tracked files,
# dpkg-buildpackage -us -uc -b builds vcdrom-dkms and vcdromctl; lintian finds no error in them (its warnings
# are printed); dpkg-deb -c shows vcdrom-dkms's module source with dkms.conf under /usr/src/vcdrom-VERSION
# (VERSION: debian/changelog's upstream version) and vcdromctl's tool and man page; the packaged dkms.conf
# and VERSION carry that version, and the packaged vcdromctl --version says it.
# Prints "ok - ..." per step; exits 1 at the first failure, 4 when the tools are missing. DEB_OUT=DIR keeps
# the packages and the build log in DIR.

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
source "$(dirname "$0")/../lib.sh"

need_cmd dpkg-buildpackage dpkg-parsechangelog dpkg-deb dh dh_dkms lintian git
ok() { echo "ok - $*"; }

ver=$(dpkg-parsechangelog -l "$REPO_DIR/debian/changelog" -S Version)
upstream=${ver%-*}
src=$T/vcdrom-$upstream
mkdir -p "$src"
git -C "$REPO_DIR" ls-files -z | tar -C "$REPO_DIR" --null --no-recursion -T - -cf - | tar -C "$src" -xf -

run_rc rc bash -c "cd '$src' && dpkg-buildpackage -us -uc -b"
out_dir=${DEB_OUT:-$T}
mkdir -p "$out_dir"
echo "$out" >"$out_dir/build.log"
[ "$rc" -eq 0 ] || fail "dpkg-buildpackage -us -uc -b failed (status $rc):"$'\n'"$(tail -n 40 <<<"$out")"
arch=$(dpkg --print-architecture)
dkms_deb=$T/vcdrom-dkms_${ver}_all.deb
ctl_deb=$T/vcdromctl_${ver}_$arch.deb
{ [ -f "$dkms_deb" ] && [ -f "$ctl_deb" ]; } || fail "dpkg-buildpackage made no $dkms_deb and $ctl_deb:"$'\n'"$(ls "$T")"
ok "dpkg-buildpackage -us -uc -b: vcdrom-dkms and vcdromctl $ver"
[ -z "${DEB_OUT:-}" ] || cp "$T"/*.deb "$T"/*.changes "$T"/*.buildinfo "$DEB_OUT/"

# lintian: errors fail, warnings are shown
changes=$T/vcdrom_${ver}_$arch.changes
run_rc rc lintian --tag-display-limit 0 "$changes"
[ -z "$out" ] || printf '# %s\n' "${out//$'\n'/$'\n'# }"
assert_no_match '^E: ' "$out" "lintian $changes"
ok "lintian: no errors ($(grep -c '^W: ' <<<"$out" || true) warnings)"

# the contents
c=$(dpkg-deb -c "$dkms_deb" | awk '{ print $6 }')
for f in dkms.conf VERSION Kbuild kernel/Kbuild kernel/main.c kernel/vcdrom.h kernel/uapi/linux/vcdrom.h \
	scripts/version.sh; do
	assert_match "^\./usr/src/vcdrom-$upstream/$f\$" "$c" "dpkg-deb -c vcdrom-dkms"
done
assert_match '^\./usr/share/doc/vcdrom-dkms/examples/modprobe\.d/vcdrom\.conf$' "$c" "dpkg-deb -c vcdrom-dkms"
assert_match '^\./usr/share/doc/vcdrom-dkms/examples/modules-load\.d/vcdrom\.conf$' "$c" "dpkg-deb -c vcdrom-dkms"
assert_no_match '\.(o|ko|cmd|mod)$' "$c" "build products in vcdrom-dkms"
assert_match '^dkms' "$(dpkg-deb -f "$dkms_deb" Depends)" "vcdrom-dkms's Depends"
x=$T/x-dkms
dpkg-deb -x "$dkms_deb" "$x"
assert_match "^PACKAGE_VERSION=\"?$upstream\"?\$" "$(cat "$x/usr/src/vcdrom-$upstream/dkms.conf")" "packaged dkms.conf"
assert_eq "$upstream" "$(cat "$x/usr/src/vcdrom-$upstream/VERSION")" "packaged VERSION"
dpkg-deb -e "$dkms_deb" "$T/control"
assert_match 'dkms' "$(cat "$T/control/postinst")" "vcdrom-dkms's postinst"
ok "vcdrom-dkms: /usr/src/vcdrom-$upstream with dkms.conf, the examples; depends on dkms"

c=$(dpkg-deb -c "$ctl_deb" | awk '{ print $6 }')
assert_match '^\./usr/bin/vcdromctl$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./usr/share/man/man8/vcdromctl\.8\.gz$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./usr/share/man/man4/vcdrom\.4\.gz$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./usr/share/bash-completion/completions/vcdromctl$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./lib/systemd/system/vcdrom\.service$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./usr/share/zsh/vendor-completions/_vcdromctl$' "$c" "dpkg-deb -c vcdromctl"
assert_match '^\./usr/share/applications/vcdromctl\.desktop$' "$c" "dpkg-deb -c vcdromctl"
x=$T/x-ctl
dpkg-deb -x "$ctl_deb" "$x"
assert_match "^vcdromctl: +$upstream\$" "$("$x/usr/bin/vcdromctl" --version)" "the packaged vcdromctl --version"
assert_match 'libnl-genl-3' "$(dpkg-deb -f "$ctl_deb" Depends)" "vcdromctl's Depends"
assert_match '^ExecStart=/usr/bin/vcdromctl apply$' "$(cat "$x/lib/systemd/system/vcdrom.service")" \
	"the packaged vcdrom.service"
assert_match '^Exec=/usr/bin/vcdromctl insert --wait %f$' "$(cat "$x/usr/share/applications/vcdromctl.desktop")" \
	"the packaged vcdromctl.desktop"
ok "vcdromctl: /usr/bin/vcdromctl $upstream, its man pages (vcdromctl.8, vcdrom.4), bash and zsh completion, vcdrom.service, the desktop entry"
