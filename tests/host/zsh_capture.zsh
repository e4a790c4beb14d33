#!/bin/zsh -f
# SPDX-License-Identifier: GPL-2.0
#
# zsh_capture.zsh FPATH_DIR WORDS...: the candidates zsh's completion offers for the last of WORDS, one per
# line, with the completion functions of FPATH_DIR first in fpath. An interactive zsh in a pseudo-terminal
# (zsh/zpty) is given the words and a TAB; a compadd wrapper prints each candidate as it is added, between
# two NUL lines. (The technique of zsh-capture-completion, written anew.)
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
local line
setopt rcquotes
() {
	zpty -w z source $1
	repeat 4; do
		zpty -r z line
		[[ $line == ok* ]] && return
	done
	echo 'error initializing.' >&2
	exit 2
} =( <<< '
PROMPT=
fpath=('$1' $fpath)
autoload -U compinit
compinit -u -D
zstyle '':completion:*'' list-grouped false
zstyle '':completion:*'' insert-tab false
zstyle '':completion:*'' list-separator ''''
compadd () {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return $?
	fi
	typeset -a __hits
	builtin compadd -A __hits "$@"
	builtin compadd "$@"
	setopt localoptions norcexpandparam extendedglob
	typeset -A apre hpre hsuf asuf
	zparseopts -E P:=apre p:=hpre S:=asuf s:=hsuf
	[[ -n $__hits ]] || return
	for i in {1..$#__hits}; do
		echo -E - $IPREFIX$apre$hpre$__hits[$i]$hsuf$asuf
	done
}
bindkey ''^M'' undefined
bindkey ''^J'' undefined
bindkey ''^I'' complete-word
null-line () { echo -E - $''\0'' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
echo ok
')
shift
zpty -w -n z "$*"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
	if [[ $line == *$'\0\r' ]]; then
		(( tog++ )) && return 0 || continue
	fi
	(( tog )) && echo -E - $line
done
return 2
