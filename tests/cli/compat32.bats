#!/usr/bin/env bats
# compat32.bats: waiters of another system call ABI: a static i386 program blocked in
# semop and msgrcv, through ipc(2) and through the direct calls, is found and kept.

load ipc-lib

WAITER32="$IPCADM_BUILD/helpers/waiter32"
export WAITER32

PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=$(mktemp -d)
verdict() { "$IPCADM" list --all-visible -J -o ID,VERDICT "$1" | jq -r ".$1[] | select(.id == $2) | .verdict"; }
waiters() { "$IPCADM" who --all-visible -J $1 $2 | jq -c "[.$1[0].holders[] | select(.how == \"waiting\") | .pid]"; }
'

setup() {
	[ -x "$WAITER32" ] || skip "no i386 waiter: the compiler cannot build -m32 -static programs"
}

@test "i386: waiters in ipc(2) and in the direct calls make a private array and queue in use" {
	run ns "$PRELUDE"'
		for how in ipc direct; do
			s=$($IPCTOOL sem-create 0 1 600)
			sleep 1   # not companions: made in another second
			q=$($IPCTOOL msg-create 0 600)
			sleep 4   # the waiters start well after the objects: no possible holders
			$WAITER32 sem $s $how 60 >$T/s & sp=$!
			$WAITER32 msg $q $how 60 >$T/q & qp=$!
			ready $T/s $T/q
			want "$(verdict sem $s)" in-use "($how)"
			want "$(verdict msg $q)" in-use "($how)"
			want "$(waiters sem $s)" "[$sp]" "($how)"
			want "$(waiters msg $q)" "[$qp]" "($how)"
			"$IPCADM" reap --all-visible --yes >$T/out
			want "$(grep -c "^removed" $T/out)" 0 "$(cat $T/out)"
			# the waiters still wait on the very objects: give each what it waits for
			$IPCTOOL sem-op $s 0 1
			$IPCTOOL msg-send $q 7 hello
			wait $sp $qp
			want "$(cat $T/s)" "$(printf "ready\ndone")"
			want "$(cat $T/q)" "$(printf "ready\ngot 7 hello")"
			$IPCTOOL rm sem $s
			$IPCTOOL rm msg $q
		done'
	ok
}

@test "i386: a waiter that begins after the scan keeps its queue from reap" {
	run ns "$PRELUDE"'
		for how in ipc direct; do
			q=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL msg-create 0 600)
			sleep 2   # orphaned: nobody waits, nobody can hold it
			IPCADM_TEST_REAP_DELAY_MS=1500 \
				"$IPCADM" reap --all-visible --yes >$T/out &
			r=$!
			sleep 0.5   # the scan is done
			$WAITER32 msg $q $how 60 >$T/q & qp=$!
			ready $T/q
			wait $r
			grep -q "^skipped: a process began waiting on it msg $q " $T/out ||
				{ echo "($how)"; cat $T/out; exit 1; }
			$IPCTOOL msg-send $q 7 hello
			wait $qp
			want "$(cat $T/q)" "$(printf "ready\ngot 7 hello")" "($how)"
			$IPCTOOL rm msg $q
		done'
	ok
}
