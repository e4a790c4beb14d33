#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the version of vcdrom (module and tool alike): `git describe --tags --dirty` in a git checkout of
# the project that has tags; in one without tags, VERSION followed by -g<short commit hash> (and -dirty when
# tracked files changed); outside git (a release tarball, the DKMS copy in /usr/src), VERSION as it is.
# Usage: scripts/version.sh [TOP] (default: the directory above this script)

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
base=$(cat "$top/VERSION" 2>/dev/null) || base=
[ -n "$base" ] || base=unknown

# only this project's own checkout, not a repository that happens to hold the tree (a packaging one, say)
if command -v git >/dev/null 2>&1 &&
	gtop=$(git -C "$top" rev-parse --show-toplevel 2>/dev/null) &&
	[ "$(cd "$gtop" && pwd -P)" = "$(cd "$top" && pwd -P)" ]; then
	if v=$(git -C "$top" describe --tags --dirty 2>/dev/null); then
		echo "${v#v}"
		exit 0
	fi
	if hash=$(git -C "$top" rev-parse --short HEAD 2>/dev/null); then
		dirty=
		git -C "$top" update-index -q --refresh >/dev/null 2>&1 || :
		git -C "$top" diff-index --quiet HEAD -- 2>/dev/null || dirty=-dirty
		echo "$base-g$hash$dirty"
		exit 0
	fi
fi
echo "$base"
