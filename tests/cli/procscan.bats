#!/usr/bin/env bats
# procscan.bats: the process scan's fast paths on a live kernel (PROCMAP_QUERY for maps,
# pidfd for uids, namespaces checked only for processes that map our IDs), each in private
# IPC, PID and mount namespaces.

load ipc-lib

PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=$(mktemp -d)
'

@test "who names each attacher with its user, how it maps the segment, and nothing else" {
	run ns "$PRELUDE"'
		id=$($IPCTOOL shm-create 0 8192 666)
		other=$($IPCTOOL shm-create 0 4096 666)
		$IPCTOOL drop-to 4242 4243 -- $IPCTOOL shm-attach $id 60 >$T/a & a=$!
		ready $T/a
		$IPCTOOL shm-attach $id ro 60 >$T/b & b=$! # the last user
		$IPCTOOL drop-to 4244 4244 -- $IPCTOOL shm-attach $other 60 >$T/c & c=$!
		ready $T/b; ready $T/c
		j=$("$IPCADM" who --all-visible -J shm $id)
		want "$(jq -c "[.shm[0].holders[] | [.pid, .user, .how]]" <<<"$j")" \
			"[[$a,\"4242\",\"attached rw\"],[$b,\"root\",\"attached ro, last user\"]]"
		j=$("$IPCADM" who --all-visible -J shm $other)
		want "$(jq -c "[.shm[0].holders[] | [.pid, .user, .how]]" <<<"$j")" \
			"[[$c,\"4244\",\"attached rw, last user\"]]"
		kill $a $b $c'
	ok
}

@test "a mapping of another IPC namespace's segment with the same ID is not a holder" {
	run ns "$PRELUDE"'
		# the inner namespace starts first (a lower PID), and its segment gets ID 0 too
		unshare --ipc sh -c "exec $IPCTOOL shm-attach \$($IPCTOOL shm-create 0 4096 600) 60" \
			>$T/inner & inner=$!
		ready $T/inner
		id=$($IPCTOOL shm-create 0 4096 600)
		want "$id" 0
		$IPCTOOL shm-attach $id 60 >$T/a & a=$!
		ready $T/a
		# a later attacher that exits leaves a dead last PID: every process is then read
		$IPCTOOL shm-attach $id 1 >$T/b
		grep -q "/SYSV00000000" /proc/$inner/maps
		want "$("$IPCADM" who --all-visible -J shm $id | jq -c "[.shm[0].holders[].pid]")" "[$a]"
		want "$("$IPCADM" list --all-visible -J -o ID,HOLDERS shm | jq -r ".shm[0].holders")" "$a(ipctool)"
		kill $a $inner'
	ok
}

@test "semaphore waiters are named while the kernel counts them, and only then" {
	run ns "$PRELUDE"'
		s=$($IPCTOOL sem-create 0 1 600)
		waiting() { "$IPCADM" who --all-visible -J sem $s |
			jq -c "[.sem[0].holders[] | select(.how | contains(\"waiting\")) | .pid]"; }
		$IPCTOOL sem-wait $s 0 60 >$T/w & w=$!
		ready $T/w
		want "$(waiting)" "[$w]"
		kill $w; wait $w || true
		want "$(waiting)" "[]"'
	ok
}
