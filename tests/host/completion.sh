#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of vcdromctl's bash and zsh completion (tools/vcdromctl/vcdromctl.bash, vcdromctl.zsh), loading
# nothing; each of these for both shells (zsh driven through a pseudo-terminal by zsh_capture.zsh):
# - the commands, and each command's options, are exactly those `vcdromctl COMMAND --help` lists (the tool
#   is the oracle: an option added, renamed or dropped there fails here);
# - option values (--medium, --sector-size), and the drives `vcdromctl --json list` gives (a stand-in
#   vcdromctl earlier in PATH answers with two drives), for --drive and for the commands that take a DRIVE;
# - for insert and toc, image files by their extension in any case (compressed ones too: x.iso.gz, x.bin.ecm),
#   and directories, but no other files
#   (zsh: unless none matches, when _files offers every file, as zsh does for every command).

set -eu
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
source "$(dirname "$0")/../lib.sh"

tool=$REPO_DIR/tools/vcdromctl/vcdromctl
[ -x "$tool" ] || make -s -C "$REPO_DIR/tools" >/dev/null
# shellcheck source=tools/vcdromctl/vcdromctl.bash source-path=SCRIPTDIR/../..
source "$REPO_DIR/tools/vcdromctl/vcdromctl.bash"
ok() { echo "ok - $*"; }

# comp WORD...: what completing the last WORD of "vcdromctl WORD..." offers, sorted, on one line
comp() {
	COMP_WORDS=(vcdromctl "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_vcdromctl 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# the long options `vcdromctl [COMMAND] --help` lists at the start of a line ("  -x, --opt")
help_opts() {
	"$tool" "$@" --help | grep -oE -- '^ +-[a-zA-Z], --[a-z-]+' | grep -oE -- '--[a-z-]+' | sort | tr '\n' ' ' |
		sed 's/ $//'
}

commands=$("$tool" --help | sed -n '/^Commands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ' | sort | tr '\n' ' ' |
	sed 's/ $//')
assert_eq "add apply eject features help insert list remove save status swap toc wait watch" "$commands" "the commands vcdromctl --help lists"
assert_eq "$commands" "$(comp '')" "completion of a command"
assert_eq "insert" "$(comp in)" "completion of \"in\""
assert_eq "status" "$(comp --json st)" "completion of a command after --json"
assert_eq "--help --json --version" "$(comp --)" "completion of the global options"
for c in $commands; do
	[ "$c" = help ] && continue
	assert_eq "$(help_opts "$c")" "$(comp "$c" --)" "the options of $c"
done
assert_eq "insert" "$(comp help ins)" "completion after help"
ok "commands and options are the tool's own"

assert_eq "bd cd dvd" "$(comp insert --medium '')" "values of --medium"
assert_eq "2048 2352" "$(comp toc --sector-size '')" "values of --sector-size"
assert_eq "" "$(comp add --vendor '')" "no values offered for --vendor"

# a stand-in vcdromctl for the drives
mkdir -p "$T/bin"
cat >"$T/bin/vcdromctl" <<'EOF'
#!/bin/sh
[ "$*" = "--json list" ] || exit 1
echo '{"drives":[{"index":0,"device":"/dev/sr0","sg":"/dev/sg1"},{"index":3,"device":"/dev/sr2","sg":null}]}'
EOF
chmod +x "$T/bin/vcdromctl"
unset -f vcdromctl	# lib.sh's, which runs the tool of this tree
PATH=$T/bin:$PATH
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(comp insert --drive '')" "drives for --drive"
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(comp eject '')" "drives for eject"
assert_eq "/dev/sr0 /dev/sr2" "$(comp status /dev/)" "drives for status, from /dev/"
assert_eq "3" "$(comp remove 3)" "drives for remove"
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(comp wait '')" "drives for wait"
assert_eq "" "$(comp wait --timeout '')" "no values offered for --timeout"
ok "option values and drives"

mkdir -p "$T/files/sub"
touch "$T/files/"{a.iso,B.CUE,c.Toc,d.nrg,e.ccd,f.mds,g.img,h.bin,i.udf,notes.txt,j.mdf,k.sub,noext,l.iso.GZ,m.bin.ecm,n.tar}
cd "$T/files"
assert_eq "B.CUE a.iso c.Toc d.nrg e.ccd f.mds g.img h.bin i.udf l.iso.GZ m.bin.ecm sub/" "$(comp insert '')" \
	"image files for insert"
assert_eq "sub" "$(comp insert --cache-dir '')" "directories for --cache-dir"
assert_eq "a.iso" "$(comp toc --medium dvd a)" "image files for toc"
assert_eq "sub/" "$(comp insert su)" "a directory for insert"
assert_eq "" "$(comp insert no)" "a file of no image format"
ok "image files by extension, and directories"

# ---- zsh ----
if ! command -v zsh >/dev/null; then
	echo "# zsh not installed: its completion not tested"
	exit 0
fi
zdir=$T/zsh
mkdir -p "$zdir"
cp "$REPO_DIR/tools/vcdromctl/vcdromctl.zsh" "$zdir/_vcdromctl"
zsh -n "$zdir/_vcdromctl" || fail "zsh -n _vcdromctl"
# zcomp WORD...: what zsh offers for the last WORD of "vcdromctl WORD...", sorted, on one line
zcomp() {
	local got
	got=$(timeout 30 zsh -f "$REPO_DIR/tests/host/zsh_capture.zsh" "$zdir" vcdromctl "$@") ||
		fail "zsh completion of 'vcdromctl $*' did not finish"
	tr -d '\r' <<<"$got" | sort | tr '\n' ' ' | sed 's/ $//'
}
assert_eq "$commands" "$(zcomp '')" "zsh: completion of a command"
assert_eq "insert" "$(zcomp in)" "zsh: completion of \"in\""
assert_eq "--help --json --version" "$(zcomp --)" "zsh: completion of the global options"
for c in $commands; do
	[ "$c" = help ] && continue
	assert_eq "$(help_opts "$c")" "$(zcomp "$c" --)" "zsh: the options of $c"
done
assert_eq "insert" "$(zcomp help ins)" "zsh: completion after help"
ok "zsh: commands and options are the tool's own"

assert_eq "bd cd dvd" "$(zcomp insert --medium '')" "zsh: values of --medium"
assert_eq "2048 2352" "$(zcomp toc --sector-size '')" "zsh: values of --sector-size"
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(zcomp insert --drive '')" "zsh: drives for --drive"
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(zcomp eject '')" "zsh: drives for eject"
assert_eq "/dev/sr0 /dev/sr2 0 3" "$(zcomp wait '')" "zsh: drives for wait"
assert_eq "3" "$(zcomp remove 3)" "zsh: drives for remove"
ok "zsh: option values and drives"

cd "$T/files"
assert_eq "B.CUE a.iso c.Toc d.nrg e.ccd f.mds g.img h.bin i.udf l.iso.GZ m.bin.ecm sub" "$(zcomp insert '')" \
	"zsh: image files for insert"
assert_eq "a.iso" "$(zcomp toc --medium dvd a)" "zsh: image files for toc"
assert_eq "sub" "$(zcomp insert su)" "zsh: a directory for insert"
ok "zsh: image files by extension, and directories"
