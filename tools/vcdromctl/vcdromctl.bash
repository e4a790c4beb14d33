# SPDX-License-Identifier: GPL-2.0
# bash completion for vcdromctl: commands, their options, the drives the tool itself lists, and the image
# files it can read (by extension).

# the drives there are, as indexes and device nodes (none when the module is not loaded)
_vcdromctl_drives() {
	vcdromctl --json list 2>/dev/null | grep -oE '"(index":[0-9]+|device":"/dev/[a-z0-9]+)' |
		sed -E 's/^"(index":|device":")//'
}

_vcdromctl() {
	local cur prev cmd i
	local commands="list status insert toc swap eject add wait remove apply save watch features help"

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	if [ -z "$cmd" ]; then
		case $cur in
		-*) mapfile -t COMPREPLY < <(compgen -W "--json --help --version" -- "$cur") ;;
		*) mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
		esac
		return 0
	fi

	case $prev in
	--drive | -d)
		mapfile -t COMPREPLY < <(compgen -W "$(_vcdromctl_drives)" -- "$cur")
		return 0
		;;
	--sector-size | -b)
		mapfile -t COMPREPLY < <(compgen -W "2048 2352" -- "$cur")
		return 0
		;;
	--medium | -m)
		mapfile -t COMPREPLY < <(compgen -W "cd dvd bd" -- "$cur")
		return 0
		;;
	--cache-dir | -c)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return 0
		;;
	--parent | -a)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -X '!*.[cC][hH][dD]' -- "$cur")
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
		return 0
		;;
	--vendor | --product | --revision | --serial | --timeout | --cache-max | --delay | -v | -p | -R | -s | -T | \
		-M | -D)
		return 0
		;;
	esac

	local opts
	case $cmd in
	list | watch | features) opts="--json --help" ;;
	status) opts="--toc --json --help" ;;
	insert)
		opts="--drive --replace --playlist --raw --sector-size --medium --cache-dir --no-cache --cache-max"
		opts+=" --parent --wait --timeout --json --help"
		;;
	toc)
		opts="--raw --sector-size --medium --cache-dir --no-cache --cache-max --parent"
		opts+=" --json --help"
		;;
	swap) opts="--delay --force --json --help" ;;
	eject) opts="--force --json --help" ;;
	add) opts="--vendor --product --revision --serial --wait --timeout --json --help" ;;
	wait) opts="--timeout --json --help" ;;
	apply) opts="--cache-dir --no-cache --cache-max --help" ;;
	save) opts="--help" ;;
	remove) opts="--json --help" ;;
	help)
		mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
		return 0
		;;
	*) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	case $cmd in
	status | eject | remove | wait)
		mapfile -t COMPREPLY < <(compgen -W "$(_vcdromctl_drives)" -- "$cur")
		;;
	swap)
		# the drive, then which disc of its playlist
		local n=0
		for ((i = i + 1; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == -* || ${COMP_WORDS[i - 1]} == --delay || ${COMP_WORDS[i - 1]} == -D ]] ||
				n=$((n + 1))
		done
		if [ "$n" -eq 0 ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_vcdromctl_drives)" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "next prev" -- "$cur")
		fi
		;;
	apply | save)
		# a configuration file, or - for standard input or output
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	insert | toc)
		# image files by extension (any case), and directories to go into
		local IFS=$'\n' f
		for f in $(compgen -f -- "$cur"); do
			if [ -d "$f" ]; then
				COMPREPLY+=("$f/")
				continue
			fi
			case ${f,,} in
			*.iso | *.cue | *.toc | *.nrg | *.ccd | *.mds | *.img | *.bin | *.udf | *.chd) COMPREPLY+=("$f") ;;
			# playlists of discs
			*.m3u | *.m3u8) [ "$cmd" = insert ] && COMPREPLY+=("$f") ;;
			# compressed: expanded first
			*.gz | *.xz | *.zst | *.bz2 | *.ecm) COMPREPLY+=("$f") ;;
			esac
		done
		# a directory alone: no space after it, to go on into it
		[ "${#COMPREPLY[@]}" -eq 1 ] && [[ ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
		;;
	esac
	return 0
}
complete -F _vcdromctl vcdromctl
