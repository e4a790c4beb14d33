#compdef vcdromctl
# SPDX-License-Identifier: GPL-2.0
# zsh completion for vcdromctl: commands, their options, the drives the tool itself lists, and the image
# files it can read (by extension). Installed as _vcdromctl.

# the drives there are, as indexes and device nodes (none when the module is not loaded)
_vcdromctl_drives() {
	local -a drives
	drives=(${(f)"$(vcdromctl --json list 2>/dev/null |
		grep -oE '"(index":[0-9]+|device":"/dev/[a-z0-9]+)' | sed -E 's/^"(index":|device":")//')"})
	compadd -a drives
}

# image files by extension, any case, and directories to go into
_vcdromctl_images() {
	_files -g '*.(#i)(iso|cue|toc|nrg|ccd|mds|img|bin|udf|chd|gz|xz|zst|bz2|ecm|m3u|m3u8)(-.)'
}

_vcdromctl() {
	local curcontext=$curcontext state line ret=1
	local -a commands sector cache parent wait json
	commands=(
		'list:list the drives'
		'status:show a drive'
		'insert:put an image in a drive'
		'toc:show the TOC an image would have, without a drive'
		'swap:change to another disc of a drive'"'"'s playlist'
		'eject:take the medium out of a drive'
		'add:add a drive'
		'wait:wait until a disc is ready'
		'remove:remove a drive'
		'apply:make the drives what a configuration file says'
		'save:write the drives and their discs as a configuration file'
		'watch:print events as they happen'
		'features:show what the loaded module supports'
		'help:show help'
	)
	json=('(-j --json)'{-j,--json}'[print JSON]' '(-)'{-h,--help}'[show help]')
	sector=(
		'(-w --raw -b --sector-size)'{-w,--raw}'[plain 2048-byte data sectors]'
		'(-w --raw -b --sector-size)'{-b+,--sector-size=}'[sectors of N bytes]:size:(2048 2352)'
		'(-m --medium)'{-m+,--medium=}'[make the disc a CD, DVD or BD]:medium:(cd dvd bd)'
	)
	cache=(
		'(-c --cache-dir -n --no-cache)'{-c+,--cache-dir=}'[expand compressed images into this cache]:directory:_files -/'
		'(-c --cache-dir -n --no-cache)'{-n,--no-cache}'[expand compressed images into memory]'
		'(-M --cache-max)'{-M+,--cache-max=}'[the cache'"'"'s cap]:size: '
	)
	parent=(
		'*'{-a+,--parent=}'[a CHD child'"'"'s parent CHD]:parent CHD:_files -g "*.(#i)chd(-.)"'
	)
	wait=(
		'(-W --wait)'{-W,--wait}'[return once udev has finished]'
		'(-T --timeout)'{-T+,--timeout=}'[give up waiting after S seconds]:seconds: '
	)

	_arguments -C \
		'(-j --json)'{-j,--json}'[print JSON]' \
		'(- *)'{-h,--help}'[show help]' \
		'(- *)'{-V,--version}'[show the versions of vcdromctl and of the module]' \
		'1:command:->command' \
		'*::argument:->argument' && ret=0

	case $state in
	command)
		_describe -t commands 'vcdromctl command' commands && ret=0
		;;
	argument)
		curcontext=${curcontext%:*:*}:vcdromctl-$words[1]:
		case $words[1] in
		list | watch | features)
			_arguments $json && ret=0
			;;
		status)
			_arguments $json '(-t --toc)'{-t,--toc}'[the table of contents]' \
				'1:drive:_vcdromctl_drives' && ret=0
			;;
		insert)
			_arguments $json $sector $cache $parent $wait \
				'(-d --drive)'{-d+,--drive=}'[this drive]:drive:_vcdromctl_drives' \
				'(-r --replace)'{-r,--replace}'[replace a medium already in it]' \
				'(-P --playlist)'{-P,--playlist}'[each image a disc of a multi-disc set]' \
				'*:image:_vcdromctl_images' && ret=0
			;;
		toc)
			_arguments $json $sector $cache $parent '*:image:_vcdromctl_images' && ret=0
			;;
		swap)
			_arguments $json '(-f --force)'{-f,--force}'[swap even when the drive is locked]' \
				'(-D --delay)'{-D+,--delay=}'[how long the tray stays open]:ms: ' \
				'1:drive:_vcdromctl_drives' '2:disc:(next prev)' && ret=0
			;;
		eject)
			_arguments $json '(-f --force)'{-f,--force}'[eject even a locked drive]' \
				'1:drive:_vcdromctl_drives' && ret=0
			;;
		add)
			_arguments $json $wait \
				'(-v --vendor)'{-v+,--vendor=}'[INQUIRY vendor]:vendor: ' \
				'(-p --product)'{-p+,--product=}'[INQUIRY product]:product: ' \
				'(-R --revision)'{-R+,--revision=}'[INQUIRY revision]:revision: ' \
				'(-s --serial)'{-s+,--serial=}'[unit serial number]:serial: ' && ret=0
			;;
		wait)
			_arguments $json \
				'(-T --timeout)'{-T+,--timeout=}'[give up after S seconds]:seconds: ' \
				'1:drive:_vcdromctl_drives' && ret=0
			;;
		remove)
			_arguments $json '1:drive:_vcdromctl_drives' && ret=0
			;;
		apply)
			_arguments '(-)'{-h,--help}'[show help]' $cache '1:file:_files' && ret=0
			;;
		save)
			_arguments '(-)'{-h,--help}'[show help]' '1:file:_files' && ret=0
			;;
		help)
			_arguments '1:command:(${commands%%:*})' && ret=0
			;;
		esac
		;;
	esac
	return ret
}

_vcdromctl "$@"
