#!/usr/bin/env bats
# holders.bats: who holds what, and the verdicts, each scenario in private IPC, PID and
# mount namespaces: attachers, waiters, PID reuse, Apache's leaks, other users.

load ipc-lib

# Shell functions for the scripts run by `ns`.
PRELUDE='
verdict() { "$IPCADM" list --all-visible -J -o ID,VERDICT "$1" | jq -r ".$1[] | select(.id == $2) | .verdict"; }
evidence() { "$IPCADM" list --all-visible -J -o ID,EVIDENCE "$1" | jq -r ".$1[] | select(.id == $2) | .evidence"; }
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
# as_user CMD...: CMD as uid 4242. The scenario shell runs as root and started before every
# object: a possible holder of private arrays and queues of root, as any root shell is.
as_user() { $IPCTOOL drop-to 4242 4242 -- "$@"; }
T=$(mktemp -d)
# became PID COMM: waits (10 s at most) until PID runs COMM (it has dropped its rights or
# left the namespace that its exec follows)
became() { for i in $(seq 200); do [ "$(cat /proc/$1/comm)" = "$2" ] && return 0; sleep 0.05; done; echo "$1 never became $2" >&2; exit 1; }
'

@test "attachers rw and ro are found in maps and named by who" {
	run ns "$PRELUDE"'
		id=$($IPCTOOL shm-create 0 8192 600)
		$IPCTOOL shm-attach $id 60 >$T/a & a=$!
		$IPCTOOL shm-attach $id ro 60 >$T/b & b=$!
		ready $T/a; ready $T/b
		want "$(verdict shm $id)" in-use
		j=$("$IPCADM" who --all-visible -J shm $id)
		[[ "$(jq -r ".shm[0].holders | map(select(.pid == $a))[0].how" <<<"$j")" == "attached rw"* ]]
		[[ "$(jq -r ".shm[0].holders | map(select(.pid == $b))[0].how" <<<"$j")" == "attached ro"* ]]
		want "$(jq -r ".shm[0].holders | map(.command) | unique | .[]" <<<"$j")" ipctool
		h=$("$IPCADM" list --all-visible -J -o ID,HOLDERS shm | jq -r ".shm[0].holders")
		[[ "$h" == *"$a(ipctool)"* && "$h" == *"$b(ipctool)"* ]]
		kill $a $b'
	ok
}

@test "a segment removed while attached (SHM_DEST) is in use and its attacher named" {
	run ns "$PRELUDE"'
		id=$($IPCTOOL shm-create 0x4d2 4096 600)
		$IPCTOOL shm-attach $id 60 >$T/a & a=$!
		ready $T/a
		$IPCTOOL rm shm $id
		want "$("$IPCADM" list --all-visible -J -o ID,KEY,STATUS shm | jq -r ".shm[0].status")" dest
		want "$(verdict shm $id)" in-use
		"$IPCADM" who --all-visible shm $id | grep -q "^ *$a .*attached rw"
		kill $a'
	ok
}

@test "a creator that exited leaves a private segment orphaned and a keyed one idle" {
	run ns "$PRELUDE"'
		p=$($IPCTOOL shm-create 0 4096 600)
		k=$($IPCTOOL shm-create 0x1234 4096 600)
		sleep 4   # past the slack, so nothing started later is mistaken for a holder
		want "$(verdict shm $p)" orphaned
		want "$(verdict shm $k)" idle
		[[ "$(evidence shm $p)" == *"creator"*"exited"* ]]'
	ok
}

@test "waiters on a semaphore array and on a queue make them in use" {
	run ns "$PRELUDE"'
		s=$(as_user $IPCTOOL sem-create 0 2 600)
		q=$(as_user $IPCTOOL msg-create 0 600)
		sleep 4
		$IPCTOOL sem-wait $s 1 60 >$T/s & sp=$!
		$IPCTOOL msg-wait $q 60 >$T/q & qp=$!
		ready $T/s; ready $T/q
		want "$(verdict sem $s)" in-use
		want "$(verdict msg $q)" in-use
		j=$("$IPCADM" who --all-visible -J sem $s)
		want "$(jq -r ".sem[0].holders[] | select(.pid == $sp) | .how" <<<"$j")" waiting "$j"
		j=$("$IPCADM" who --all-visible -J msg $q)
		want "$(jq -r ".msg[0].holders[] | select(.pid == $qp) | .how" <<<"$j")" waiting "$j"
		kill $sp $qp
		wait $sp $qp 2>/dev/null || true
		want "$(verdict sem $s)" orphaned
		want "$(verdict msg $q)" orphaned'
	ok
}

@test "a live last operator makes an array in use, a dead one does not" {
	run ns "$PRELUDE"'
		s=$(as_user $IPCTOOL sem-create 0 1 600)
		as_user $IPCTOOL sem-op $s 0 1
		sleep 4
		want "$(verdict sem $s)" orphaned
		[[ "$(evidence sem $s)" == *"last operator"*"exited"* ]]
		# a process that operates and stays: its SEM_UNDO op records its PID
		bash -c "$IPCTOOL sem-op $s 0 1 undo && exec sleep 60" & op=$!
		sleep 0.3
		"$IPCADM" show --all-visible -J sem $s | jq -e ".sem[0].sems[0].pid" >/dev/null
		kill $op'
	ok
}

@test "PID reuse: a new process on a dead creator PID keeps its segment alive only if it could use it" {
	run ns "$PRELUDE"'
		id=$($IPCTOOL shm-create 0 4096 600)
		cpid=$("$IPCADM" list --all-visible -J -o ID,CPID shm | jq -r ".shm[0].cpid")
		sleep 4
		# on_cpid CMD...: CMD, a sleep, started in the background on the dead creator PID
		on_cpid() {
			echo $((cpid - 1)) > /proc/sys/kernel/ns_last_pid
			"$@" & new=$!
			want "$new" "$cpid" "(the new process did not get the old PID)"
			became $new sleep
		}
		# a process of another user, with no permission on the 0600 segment: proven reuse
		on_cpid $IPCTOOL drop-to 65534 65534 -- sleep 60
		want "$(verdict shm $id)" orphaned
		[[ "$(evidence shm $id)" == *"creator $cpid exited (PID now reused by sleep, which started after it and has no permission to use it)"* ]]
		kill $new; wait $new || true
		# a process in another IPC namespace: proven reuse too
		on_cpid unshare --ipc sleep 60
		want "$(verdict shm $id)" orphaned
		[[ "$(evidence shm $id)" == *"creator $cpid exited (PID now reused by sleep, which started after it and runs in another IPC namespace)"* ]]
		kill $new; wait $new || true
		# root could use it: only the clocks say it is younger, which a step explains
		on_cpid sleep 60
		want "$(verdict shm $id)" maybe-in-use
		[[ "$(evidence shm $id)" == *"creator $cpid is alive (sleep) but started "*" s after its recorded use by the clocks; a clock step cannot be ruled out"* ]]
		kill $new'
	ok
}

@test "companions: a keyed queue made with an in-use array in the same second is maybe-in-use" {
	run ns "$PRELUDE"'
		# the two must be made in the same second: retry across a second boundary
		for try in 1 2 3 4 5; do
			s=$($IPCTOOL sem-create 0x77 1 600); q=$($IPCTOOL msg-create 0x78 600)
			[ "$("$IPCADM" list --all-visible -J -o CTIME sem msg | jq "[.sem[0].ctime, .msg[0].ctime] | unique | length")" = 1 ] && break
			$IPCTOOL rm sem $s; $IPCTOOL rm msg $q
		done
		$IPCTOOL sem-wait $s 0 60 >$T/s & w=$!
		ready $T/s
		want "$(verdict sem $s)" in-use
		want "$(verdict msg $q)" maybe-in-use "$("$IPCADM" list --all-visible -o ID,CTIME,VERDICT,EVIDENCE --time-format iso sem msg)"
		[[ "$(evidence msg $q)" == *"same second as sem $s"* ]]
		kill $w'
	ok
}

@test "not root: objects of other users are never called orphaned" {
	run ns "$PRELUDE"'
		chmod 755 $T
		s=$($IPCTOOL sem-create 0 1 600)            # root-only values
		q=$($IPCTOOL msg-create 0 600)
		m=$($IPCTOOL shm-create 0 4096 600)
		$IPCTOOL shm-attach $m 60 >$T/a & a=$!
		ready $T/a
		sleep 4
		j=$($IPCTOOL drop-to 65534 65534 -- "$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE)
		want "$(jq -r ".sem[0].verdict" <<<"$j")" unknown "$j"
		want "$(jq -r ".msg[0].verdict" <<<"$j")" unknown "$j"
		want "$(jq -r ".shm[0].verdict" <<<"$j")" in-use "$j"
		! jq -e ".. | .verdict? | select(. == \"orphaned\")" <<<"$j" >/dev/null
		kill $a'
	ok
}

@test "who: a bad ID, a missing object and an unknown kind are errors" {
	run "$IPCADM" who --all-visible 12x
	[ "$status" -eq 2 ]
	run "$IPCADM" who --all-visible frob 1
	[ "$status" -eq 2 ]
	run ns '"$IPCADM" who --all-visible 5'
	[ "$status" -eq 1 ]
	[[ "$output" == *"no shared memory segment, semaphore array or message queue with ID 5"* ]]
}

@test "600 attachers: the process scan shared out among the cores finds what one thread finds" {
	run ns '
		"$IPCTOOL" fill shm 200 > /dev/null
		"$IPCADM" list --all-visible -r --noheadings -o ID shm > /dev/shm/t/ids
		"$IPCADM_BUILD/helpers/attach" 600 1 120 < /dev/shm/t/ids > /dev/shm/t/pids
		one=$(IPCADM_THREADS=1 "$IPCADM" list --all-visible -r --noheadings -o ID,NATTCH,HOLDERS shm)
		two=$(IPCADM_THREADS=2 "$IPCADM" list --all-visible -r --noheadings -o ID,NATTCH,HOLDERS shm)
		[ "$one" = "$two" ] || { diff <(echo "$one") <(echo "$two") >&2; exit 1; }
		# every attachment the kernel counts is found, each by its own process
		awk "{ h = NF > 2 ? split(\$3, x, \",\") : 0
		       if (h != \$2) { print \"segment \" \$1 \": nattch \" \$2 \", holders \" h; bad = 1 }
		       t += h } END { if (t != 600) bad = 1; exit bad }" <<<"$two" >&2
		# verdicts load every process (a semaphore array: possible holders)
		"$IPCTOOL" sem-create 0 1 600 > /dev/null
		one=$(IPCADM_THREADS=1 "$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE,HOLDERS)
		two=$(IPCADM_THREADS=2 "$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE,HOLDERS)
		[ "$one" = "$two" ] || { diff <(echo "$one") <(echo "$two") >&2; exit 1; }
		[ "$(jq -r ".sem[0].verdict" <<<"$two")" = maybe-in-use ]
		kill $(cat /dev/shm/t/pids)'
	ok
}

@test "a live last user that detached is no proof of use: maybe-in-use, counted apart by the doctor" {
	run ns "$PRELUDE"'
		# a client (uid 4242) makes a private segment and is killed; the server, alive,
		# had attached it and detached it when the client went away (X and MIT-SHM)
		id=$(as_user $IPCTOOL shm-create 0 12288 600)
		$IPCTOOL shm-visit $id 120 >$T/x & x=$!
		ready $T/x
		want "$(verdict shm $id)" maybe-in-use
		ev=$(evidence shm $id)
		[[ "$ev" == *"creator "*" exited; last detached by $x (ipctool), which no longer maps it"* ]] || { echo "$ev"; exit 1; }
		"$IPCADM" reap --all-visible --yes >$T/out || true
		want "$("$IPCADM" list --all-visible -J -o ID shm | jq -r ".shm[].id")" $id "$(cat $T/out)"
		"$IPCADM" doctor --all-visible >$T/doc || true
		grep -q "1 orphaned segment\|no orphaned segments" $T/doc
		grep -q "1 segment, 12K, detached by a live process: probably left by killed clients of $x (ipctool)" $T/doc || { cat $T/doc; exit 1; }
		# once the server is gone too, nothing can come back for it
		stop $x
		want "$(verdict shm $id)" orphaned
		echo done'
	ok
	[ "${lines[-1]}" = done ]
}

@test "hidepid: a live root daemon that /proc hides from the owner is no dead creator" {
	run ns "$PRELUDE"'
		# a PID namespace whose PID 1 runs as the judging user (4242), so /proc shows
		# PID 1 to that user; its /proc is mounted hidepid=2
		unshare --pid --fork --mount-proc setpriv --reuid 4242 --regid 4242 --clear-groups sleep 300 & u=$!
		for i in $(seq 100); do init=$(cat /proc/$u/task/$u/children 2>/dev/null); [ -n "$init" ] && break; sleep 0.05; done
		became $init sleep
		inside() { nsenter -t $init -p -m -- "$@"; }
		inside mount -o remount,hidepid=2 /proc
		# a root daemon there: its private objects, handed to 4242 with IPC_SET
		inside $IPCTOOL use-private > $T/d & d=$!
		ready $T/d
		for k in shm sem msg; do $IPCTOOL set-owner $k $(sed -n "s/^$k //p" $T/d) 4242 4242 600; done
		# and an array whose last operator (a root process there) exited: a hidden
		# process may hold it all the same
		s2=$($IPCTOOL sem-create 0 1 600)
		inside $IPCTOOL sem-op $s2 0 1
		$IPCTOOL set-owner sem $s2 4242 4242 600
		judge() { inside setpriv --reuid 4242 --regid 4242 --clear-groups "$IPCADM" "$@"; }
		j=$(judge list --all-visible -J -o ID,VERDICT,EVIDENCE)
		for k in shm sem msg; do
			want "$(jq -r ".$k[0].verdict" <<<"$j")" unknown "$j"
			[[ "$(jq -r ".$k[0].evidence" <<<"$j")" == *"is alive but /proc hides it from us (hidepid)"* ]] || { echo "$j" >&2; exit 1; }
		done
		want "$(jq -r ".sem[] | select(.id == $s2) | .verdict" <<<"$j")" unknown "$j"
		[[ "$(jq -r ".sem[] | select(.id == $s2) | .evidence" <<<"$j")" == *"hides other users"* ]] || { echo "$j" >&2; exit 1; }
		judge reap --all-visible --yes > $T/out 2>&1
		want "$("$IPCADM" list --all-visible -J | jq -r "[.shm, .sem, .msg] | map(length) | join(\" \")")" "1 2 1" "$(cat $T/out)"
		kill $d $u'
	ok
}

@test "who --all-visible judges a System V object by absence, as list does" {
	run ns "$PRELUDE"'
		id=$($IPCTOOL shm-create 0 4096 600)
		want "$(verdict shm $id)" orphaned
		"$IPCADM" who --all-visible shm $id | grep -q "^Shared memory segment $id: orphaned: "
		"$IPCADM" who shm $id | grep -q "^Shared memory segment $id: unknown: "'
	ok
}
