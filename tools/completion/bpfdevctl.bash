# SPDX-License-Identifier: GPL-2.0
# bash completion for bpfdevctl(8)
_bpfdevctl_profiles()
{
	local d
	for d in /sys/kernel/config/bpfdev/*/; do
		d=${d%/}
		d=${d##*/}
		case $d in bpfdevctl-check-*|'*') ;; *) printf '%s\n' "$d" ;; esac
	done
}

_bpfdevctl()
{
	local cur prev words cword
	_init_completion || return
	local i cmd= n=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) [ -z "$cmd" ] && cmd=${words[i]}; n=$((n + 1)) ;;
		esac
	done
	if [ "$prev" = --user ]; then
		COMPREPLY=($(compgen -u -- "$cur"))
		return
	fi
	case $cmd in
	'')
		COMPREPLY=($(compgen -W '-j -p status profile reload stats files revoke unrevoke explain' -- "$cur")) ;;
	profile)
		if [ $n -eq 1 ]; then
			COMPREPLY=($(compgen -W 'list show' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_bpfdevctl_profiles)" -- "$cur"))
		fi ;;
	reload)
		COMPREPLY=($(compgen -W '--check' -- "$cur")) ;;
	stats|files|revoke|unrevoke|explain)
		COMPREPLY=($(compgen -W "--user $(_bpfdevctl_profiles)" -- "$cur")) ;;
	esac
} &&
complete -F _bpfdevctl bpfdevctl
