#!/usr/bin/env bats
# completion.bats: what Tab offers in bash (completions/ipcadm.bash, driven through
# COMP_WORDS) and zsh (completions/_ipcadm, driven on a pseudo-terminal).

load helpers

setup() {
	COMPLETE_BASH="$BATS_TEST_DIRNAME/complete.bash"
	COMPLETE_ZSH="$BATS_TEST_DIRNAME/complete.zsh"
	export COMPLETE_BASH COMPLETE_ZSH
}

# offers LINE: what bash offers after LINE, one a line
offers() {
	bash -c 'source "$COMPLETE_BASH"; drive "$1"' _ "$1"
}

# zoffers LINE: what zsh offers after LINE (ipcadm is the build's, first on PATH)
zoffers() {
	zsh -f "$COMPLETE_ZSH" "$1"
}

# offered LINE WANT, zoffered LINE WANT: bash (zsh) offers exactly WANT after LINE
offered() {
	same_offer bash "$1" "$2" "$(offers "$1")"
}
zoffered() {
	same_offer zsh "$1" "$2" "$(zoffers "$1")"
}
same_offer() {
	[ "$4" = "$3" ] && return 0
	printf '%s after [%s]:\nwant [%s]\ngot  [%s]\n' "$1" "$2" "$3" "$4" >&2
	return 1
}

@test "bash: the commands, as ipcadm --help lists them" {
	run offers "$IPCADM "
	[ "$status" -eq 0 ]
	expected=$("$IPCADM" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
	[ "$output" = "$expected" ]
	[[ "$output" == *metrics* ]]
	offered "$IPCADM re" $'reap\nrestore'
}

@test "bash: global options and their arguments" {
	offered "$IPCADM --" $'--root\n--source\n--help\n--version'
	offered "$IPCADM --source " $'auto\nproc\nsyscall'
	offered "$IPCADM --source=s" syscall
}

@test "bash: each command's options, and only those" {
	run offers "$IPCADM reap --"
	has_lines "$output" --yes --backup --all-visible
	[[ "$output" != *--output* ]]
	run offers "$IPCADM list -"
	has_lines "$output" -o --output --time-format
	offered "$IPCADM check --" $'--json\n--help'
}

@test "every option offered is one the command accepts" {
	for cmd in "" $("$IPCADM" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'); do
		for opt in $(offers "$IPCADM $cmd -"); do
			# an argument where one is taken (never an action: --help comes next)
			run ns "cd /dev/shm/t; \"\$IPCADM\" $cmd $opt x --help"
			if [[ "$output" == *"unrecognized option"* || "$output" == *"invalid option"* ]]; then
				echo "$cmd $opt: $output"
				return 1
			fi
		done
	done
}

@test "bash: columns after -o, with +LIST and comma lists" {
	offered "$IPCADM list -o K" KEY
	offered "$IPCADM list --output=NAT" NATTCH
	offered "$IPCADM list -o +KEY,I" "+KEY,ID"
	# case as typed is accepted; a column already in the list is not offered again
	offered "$IPCADM list -o key,k" ""
	offered "$IPCADM list -o ID,verd" "ID,VERDICT"
	# every column of list --help, and nothing else
	run offers "$IPCADM list -o "
	expected=$("$IPCADM" list --help | awk '/^Columns:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
	[ "$output" = "$expected" ]
}

@test "bash: kinds, time formats and the kinds each --kind takes" {
	offered "$IPCADM list " $'shm\nsem\nmsg\npshm\npsem\npmq'
	offered "$IPCADM list shm p" $'pshm\npsem\npmq'
	offered "$IPCADM show --time-format " $'short\nfull\niso'
	offered "$IPCADM reap --kind shm,p" $'shm,pshm\nshm,psem\nshm,pmq'
	# rm --kind takes System V kinds only (its help says so)
	offered "$IPCADM rm -k " $'shm\nsem\nmsg'
	offered "$IPCADM check " $'shm\nsem\nmsg'
	# an option's argument is not an operand: the kind is still the first operand
	offered "$IPCADM show -N 1 --time-format iso " $'shm\nsem\nmsg\npshm\npsem\npmq'
	# nothing for an argument no list can give
	offered "$IPCADM reap --older-than " ""
}

@test "bash: directories for --backup, --root, --textfile and restore; PIDs for -N" {
	d=$(mktemp -d)
	mkdir "$d/dir1"
	: >"$d/file1"
	for line in "reap --backup $d/" "--root $d/" "metrics --textfile $d/" "restore $d/"; do
		offered "$IPCADM $line" "$d/dir1"
	done
	offered "$IPCADM reap --log $d/" "$d/dir1"$'\n'"$d/file1"
	rm -rf "$d"
	run ns 'sleep 30 & s=$!; . "$COMPLETE_BASH"; drive "$IPCADM list -N "; echo "sleep=$s"; kill $s'
	[ "$status" -eq 0 ]
	[[ "$output" == 1$'\n'* ]]
	s=${output##*sleep=}
	has_lines "$output" "$s"
}

@test "bash: IDs of existing objects after show, who and rm KIND; POSIX names" {
	run ns 'a=$(ipcmk -S 2 | tr -dc 0-9); b=$(ipcmk -S 1 | tr -dc 0-9)
		m=$(ipcmk -M 4096 | tr -dc 0-9); q=$(ipcmk -Q | tr -dc 0-9)
		P="$IPCADM_BUILD/helpers/posixtool"
		"$P" shm-create seg 4096; "$P" shm-create "odd name" 4096
		"$P" sem-create lock 1 600; "$P" mq-create jobs 10 128 600
		. "$COMPLETE_BASH"
		echo "sems=$(printf "%s\n" $a $b | sort -n | xargs) shm=$m msg=$q"
		echo "show-sem=$(drive "$IPCADM show sem " | sort -n | xargs)"
		echo "rm-more=$(drive "$IPCADM rm sem $a " | sort -n | xargs)"
		echo "who-shm=$(drive "$IPCADM who shm " | xargs)"
		echo "rm-msg=$(drive "$IPCADM rm msg " | xargs)"
		echo "bare=$(drive "$IPCADM show -J $m" | xargs)"
		echo "pshm=$(drive "$IPCADM show pshm " | sort | tr "\n" ,)"
		echo "psem=$(drive "$IPCADM who psem " | xargs)"
		echo "slash=$(drive "$IPCADM show /" | sort | tr "\n" ,)"
		echo "ns=$(drive "$IPCADM show -N $$ pmq " | xargs)"'
	[ "$status" -eq 0 ]
	echo "$output"
	sems=${output#*sems=}
	sems=${sems%% shm=*}
	shm=$(sed -n 's/.* shm=\([0-9]*\) .*/\1/p' <<<"$output")
	msg=$(sed -n 's/.* msg=\([0-9]*\)$/\1/p' <<<"$output")
	[[ "$sems" == [0-9]*" "[0-9]* && -n "$shm" && -n "$msg" ]]
	# bare: each ID once, though several kinds have it
	has_lines "$output" "show-sem=$sems" "rm-more=$sems" "who-shm=$shm" "rm-msg=$msg" \
		"bare=$shm" "pshm=odd name,seg," "psem=lock" "slash=/jobs,/lock,/odd name,/seg," \
		"ns=jobs"
}

@test "bash: only ipcadm is completed here; ipcs, ipcrm, ipcmk keep util-linux's" {
	run bash -c 'source "$COMPLETE_BASH"; complete -p | grep -w _ipcadm'
	[ "$output" = "complete -F _ipcadm ipcadm" ]
	grep -q 'complete -F _ipcadm ipcadm$' "$BATS_TEST_DIRNAME/../../completions/ipcadm.bash"
	[ "$(head -1 "$BATS_TEST_DIRNAME/../../completions/_ipcadm")" = "#compdef ipcadm" ]
}

@test "zsh: the file loads with compinit and is the completion of ipcadm" {
	run zsh -f -c 'fpath=($1 $fpath); autoload -U compinit; compinit -u -D
		print -r -- "$_comps[ipcadm]"; print -r -- "${_comps[ipcs]:-none}"' _ \
		"$BATS_TEST_DIRNAME/../../completions"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = _ipcadm ]
	[ "${lines[1]}" != _ipcadm ]
}

@test "zsh: commands, options, columns, formats" {
	zoffered "ipcadm re" $'reap\nrestore'
	zoffered "ipcadm list -o K" KEY
	zoffered "ipcadm list -o +KEY,I" ID
	zoffered "ipcadm list --time-format " $'full\niso\nshort'
	zoffered "ipcadm doctor --no" $'--no-verdicts\n--now'
	zoffered "ipcadm check " $'msg\nsem\nshm'
}

@test "zsh: IDs of existing objects after show KIND, names after pmq" {
	run ns 'a=$(ipcmk -S 2 | tr -dc 0-9); b=$(ipcmk -S 1 | tr -dc 0-9)
		"$IPCADM_BUILD/helpers/posixtool" mq-create jobs 10 128 600
		echo "sems=$(printf "%s\n" $a $b | sort | xargs)"
		echo "show-sem=$(zsh -f "$COMPLETE_ZSH" "ipcadm show sem " | xargs)"
		echo "pmq=$(zsh -f "$COMPLETE_ZSH" "ipcadm who pmq " | xargs)"
		echo "ns=$(zsh -f "$COMPLETE_ZSH" "ipcadm show -N $$ sem " | xargs)"'
	[ "$status" -eq 0 ]
	sems=$(sed -n 's/^sems=//p' <<<"$output")
	[[ "$sems" == [0-9]*" "[0-9]* ]]
	has_lines "$output" "show-sem=$sems" "pmq=jobs" "ns=$sems"
}
