# ipcadm.bash: bash completion for ipcadm (bash-completion's conventions). Commands, options
# and columns are read from ipcadm's own --help, objects from ipcadm list: nothing to keep in step.
# ipcs, ipcrm and ipcmk keep util-linux's completions, which bash-completion ships.

# _ipcadm_opts PROG [CMD]: the options that PROG [CMD] --help lists, one a line, each
# followed by " ARG" when it takes an argument.
_ipcadm_opts()
{
	# An option's argument is the word after its names that starts with a capital
	# (-N's: "PID|PATH|ipc:INODE"), before the two spaces that start its description.
	"$@" --help 2>/dev/null | awk '
		/^Options:/ { on = 1; next }
		/^[^ ]/ { on = 0 }
		on && /^ +-/ {
			left = $0
			sub(/^ +/, "", left)
			p = index(left, "  ")
			if (p)
				left = substr(left, 1, p - 1)
			n = split(left, t, " ")
			arg = ""
			for (i = 1; i <= n && t[i] ~ /^-/; i++)
				;
			if (i <= n && t[i] ~ /^[A-Z]/)
				arg = " ARG"
			for (j = 1; j < i; j++) {
				sub(/,$/, "", t[j])
				print t[j] arg
			}
		}'
}

# _ipcadm_section PROG ARGS... -- TITLE: the first word of each line of the help's TITLE
# section ("Commands", "Columns").
_ipcadm_section()
{
	local title=${*: -1}
	"${@:1:$#-2}" --help 2>/dev/null |
		awk -v t="$title:" '$0 == t { on = 1; next } /^[^ ]/ || /^$/ { on = 0 } on { print $1 }'
}

# _ipcadm_list_words CHOICES: completes a comma list (and a leading + for -o) of CHOICES,
# case-insensitively, without repeating a choice already in the list.
_ipcadm_list_words()
{
	local choices=$1 prefix="" word=$cur c
	if [[ $word == *,* ]]; then
		prefix=${word%,*},
		word=${word##*,}
	elif [[ $word == +* ]]; then
		prefix=+
		word=${word#+}
	fi
	local -A used=()
	local IFS=,
	for c in ${prefix#+}; do
		[[ $c ]] && used[${c^^}]=1
	done
	IFS=$' \t\n'
	COMPREPLY=()
	for c in $choices; do
		[[ ${used[${c^^}]-} ]] && continue
		[[ ${c^^} == "${word^^}"* ]] && COMPREPLY+=("$prefix$c")
	done
	compopt -o nospace 2>/dev/null
}

# _ipcadm_objects KIND: the IDs (System V) or names (POSIX, and /NAME for kind "/") of the
# objects that exist, read with ipcadm list itself, in the namespaces the line selects.
_ipcadm_objects()
{
	local kind=$1 col=ID lead="" line w
	local -A seen=()
	case $kind in
	shm | sem | msg) ;;
	pshm | psem | pmq) col=NAME ;;
	/) col=NAME lead=/ kind="pshm psem pmq" ;;
	*) kind="shm sem msg" ;;
	esac
	# shellcheck disable=SC2086
	while IFS= read -r line; do
		# with -A or -N: a namespaces table first, then NAMESPACE before each value
		# (raw output has no space inside a value)
		if ((${#ns_args[@]})); then
			[[ $line == +([0-9])" "+([! ]) ]] || continue
			line=${line#* }
		fi
		[[ $line && $line != - ]] || continue
		# raw output escapes spaces, backslashes and control characters as \xNN: a name
		# with more than spaces and backslashes (a control character, invalid UTF-8)
		# is not offered, for the terminal would get it raw
		w=${line//\\x20/}
		[[ ${w//\\x5c/} != *\\x* ]] || continue
		printf -v line '%b' "$lead$line"
		# IDs of different kinds can be equal: each once
		[[ $line == "$cur"* && ! ${seen[$line]-} ]] || continue
		seen[$line]=1
		COMPREPLY+=("$line")
	done < <("${list_cmd[@]}" list "${ns_args[@]}" -r -n -o "$col" $kind 2>/dev/null)
	[[ $col == NAME ]] && compopt -o filenames 2>/dev/null
}

_ipcadm()
{
	local cur prev words cword split
	_init_completion -s || return

	local prog=${words[0]} i w cmd="" ci=0
	[[ $prog == "~"* ]] && prog=${prog/#\~/$HOME}
	# The command: the first word that is not a global option or its argument.
	local -a list_cmd=("$prog")
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-R | --root | --source)
			list_cmd+=("$w" "${words[i + 1]}")
			((i++))
			;;
		--root=* | --source=* | -R?*) list_cmd+=("$w") ;;
		-*) ;;
		*)
			cmd=$w ci=$i
			break
			;;
		esac
	done

	local opts
	if [[ ! $cmd ]]; then
		opts=$(_ipcadm_opts "$prog")
		case $prev in
		-R | --root)
			_filedir -d
			return
			;;
		--source)
			mapfile -t COMPREPLY < <(compgen -W 'auto proc syscall' -- "$cur")
			return
			;;
		esac
		$split && return
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(cut -d' ' -f1 <<<"$opts")" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_ipcadm_section "$prog" -- Commands)" -- "$cur")
		fi
		return
	fi

	opts=$(_ipcadm_opts "$prog" "$cmd")
	local -a args=() ns_args=()
	local takes_arg
	takes_arg=" $(awk '$2 == "ARG" { printf "%s ", $1 }' <<<"$opts")"
	# The operands so far, past the options and their arguments; -A/-N are kept so that
	# objects are read in the namespaces the command will look in.
	for ((i = ci + 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -A || $w == --all-namespaces ]]; then
			ns_args+=("$w")
		elif [[ $w == -N || $w == --namespace ]]; then
			ns_args+=("$w" "${words[i + 1]}")
			((i++))
		elif [[ $w == --namespace=* ]]; then
			ns_args+=("$w")
		elif [[ $w == -* && $w != *=* && $takes_arg == *" $w "* ]]; then
			((i++))
		elif [[ $w != -* ]]; then
			args+=("$w")
		fi
	done

	case $prev in
	-o | --output)
		_ipcadm_list_words "$(_ipcadm_section "${list_cmd[@]}" list -- Columns)"
		return
		;;
	-k | --kind)
		# the kinds this command's --kind takes, from its help: "shm,sem,msg,pshm,..."
		local kinds
		kinds=$(grep -E -- '--kind ' <<<"$("$prog" "$cmd" --help 2>/dev/null)" |
			grep -oE '[a-z]+(,[a-z]+)+' | tr , ' ')
		_ipcadm_list_words "${kinds:-shm sem msg pshm psem pmq}"
		return
		;;
	--time-format)
		mapfile -t COMPREPLY < <(compgen -W 'short full iso' -- "$cur")
		return
		;;
	-N | --namespace)
		if [[ $cur == */* ]]; then
			_filedir
		else
			_pids
		fi
		return
		;;
	--backup | --textfile)
		_filedir -d
		return
		;;
	--log)
		_filedir
		return
		;;
	-u | --owner)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return
		;;
	esac
	# another option that takes an argument: nothing to offer
	[[ $prev == -* && $takes_arg == *" $prev "* ]] && return
	$split && return

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(cut -d' ' -f1 <<<"$opts")" -- "$cur")
		return
	fi

	local sysv="shm sem msg" all="shm sem msg pshm psem pmq"
	case $cmd in
	list)
		mapfile -t COMPREPLY < <(compgen -W "$all" -- "$cur")
		;;
	show | who | rm)
		if ((${#args[@]} == 0)); then
			if [[ $cur == /* ]]; then
				_ipcadm_objects /
			elif [[ $cur == [0-9]* ]]; then
				_ipcadm_objects ""
			else
				mapfile -t COMPREPLY < <(compgen -W "$all" -- "$cur")
			fi
		elif [[ $cmd == rm || ${#args[@]} == 1 ]]; then
			case ${args[0]} in
			shm | sem | msg | pshm | psem | pmq) _ipcadm_objects "${args[0]}" ;;
			esac
		fi
		;;
	mk)
		((${#args[@]} == 0)) && mapfile -t COMPREPLY < <(compgen -W "$all" -- "$cur")
		;;
	check)
		((${#args[@]} == 0)) && mapfile -t COMPREPLY < <(compgen -W "$sysv" -- "$cur")
		;;
	restore)
		((${#args[@]} == 0)) && _filedir -d
		;;
	esac
} &&
	complete -F _ipcadm ipcadm
