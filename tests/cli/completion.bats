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

@test "bash: the commands, as ipcadm --help lists them" {
	run offers "$IPCADM "
	[ "$status" -eq 0 ]
	expected=$("$IPCADM" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
	[ "$output" = "$expected" ]
	[[ "$output" == *metrics* ]]
	run offers "$IPCADM re"
	[ "$output" = $'reap\nrestore' ]
}

@test "bash: global options and their arguments" {
	run offers "$IPCADM --"
	[ "$output" = $'--root\n--source\n--help\n--version' ]
	run offers "$IPCADM --source "
	[ "$output" = $'auto\nproc\nsyscall' ]
	run offers "$IPCADM --source=s"
	[ "$output" = syscall ]
}

@test "bash: each command's options, and only those" {
	run offers "$IPCADM reap --"
	grep -qx -- --yes <<<"$output"
	grep -qx -- --backup <<<"$output"
	grep -qx -- --all-visible <<<"$output"
	[[ "$output" != *--output* ]]
	run offers "$IPCADM list -"
	grep -qx -- -o <<<"$output"
	grep -qx -- --output <<<"$output"
	grep -qx -- --time-format <<<"$output"
	run offers "$IPCADM check --"
	[ "$output" = $'--json\n--help' ]
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
	run offers "$IPCADM list -o K"
	[ "$output" = KEY ]
	run offers "$IPCADM list --output=NAT"
	[ "$output" = NATTCH ]
	run offers "$IPCADM list -o +KEY,I"
	[ "$output" = "+KEY,ID" ]
	# case as typed is accepted; a column already in the list is not offered again
	run offers "$IPCADM list -o key,k"
	[ "$output" = "" ]
	run offers "$IPCADM list -o ID,verd"
	[ "$output" = "ID,VERDICT" ]
	# every column of list --help, and nothing else
	run offers "$IPCADM list -o "
	expected=$("$IPCADM" list --help | awk '/^Columns:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
	[ "$output" = "$expected" ]
}

@test "bash: kinds, time formats and the kinds each --kind takes" {
	run offers "$IPCADM list "
	[ "$output" = $'shm\nsem\nmsg\npshm\npsem\npmq' ]
	run offers "$IPCADM list shm p"
	[ "$output" = $'pshm\npsem\npmq' ]
	run offers "$IPCADM show --time-format "
	[ "$output" = $'short\nfull\niso' ]
	run offers "$IPCADM reap --kind shm,p"
	[ "$output" = $'shm,pshm\nshm,psem\nshm,pmq' ]
	# rm --kind takes System V kinds only (its help says so)
	run offers "$IPCADM rm -k "
	[ "$output" = $'shm\nsem\nmsg' ]
	run offers "$IPCADM check "
	[ "$output" = $'shm\nsem\nmsg' ]
	# an option's argument is not an operand: the kind is still the first operand
	run offers "$IPCADM show -N 1 --time-format iso "
	[ "$output" = $'shm\nsem\nmsg\npshm\npsem\npmq' ]
	# nothing for an argument no list can give
	run offers "$IPCADM reap --older-than "
	[ "$output" = "" ]
}

@test "bash: directories for --backup, --root, --textfile and restore; PIDs for -N" {
	d=$(mktemp -d)
	mkdir "$d/dir1"
	: >"$d/file1"
	for line in "reap --backup $d/" "--root $d/" "metrics --textfile $d/" "restore $d/"; do
		run offers "$IPCADM $line"
		[ "$output" = "$d/dir1" ]
	done
	run offers "$IPCADM reap --log $d/"
	[ "$output" = "$d/dir1"$'\n'"$d/file1" ]
	rm -rf "$d"
	run ns 'sleep 30 & s=$!; . "$COMPLETE_BASH"; drive "$IPCADM list -N "; echo "sleep=$s"; kill $s'
	[ "$status" -eq 0 ]
	[[ "$output" == 1$'\n'* ]]
	s=${output##*sleep=}
	grep -qx "$s" <<<"$output"
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
	grep -qx "show-sem=$sems" <<<"$output"
	grep -qx "rm-more=$sems" <<<"$output"
	grep -qx "who-shm=$shm" <<<"$output"
	grep -qx "rm-msg=$msg" <<<"$output"
	# a bare ID: each ID once, though several kinds have it
	grep -qx "bare=$shm" <<<"$output"
	grep -qx "pshm=odd name,seg," <<<"$output"
	grep -qx "psem=lock" <<<"$output"
	grep -qx "slash=/jobs,/lock,/odd name,/seg," <<<"$output"
	grep -qx "ns=jobs" <<<"$output"
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
	run zoffers "ipcadm re"
	[ "$output" = $'reap\nrestore' ]
	run zoffers "ipcadm list -o K"
	[ "$output" = KEY ]
	run zoffers "ipcadm list -o +KEY,I"
	[ "$output" = ID ]
	run zoffers "ipcadm list --time-format "
	[ "$output" = $'full\niso\nshort' ]
	run zoffers "ipcadm doctor --no"
	[ "$output" = $'--no-verdicts\n--now' ]
	run zoffers "ipcadm check "
	[ "$output" = $'msg\nsem\nshm' ]
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
	grep -qx "show-sem=$sems" <<<"$output"
	grep -qx "pmq=jobs" <<<"$output"
	grep -qx "ns=$sems" <<<"$output" || { echo "$output"; false; }
}
