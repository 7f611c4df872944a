#!/usr/bin/env bats
# containers.bats: ipcadm run inside a container-like PID namespace, where PID 1 is the
# application and PID 2 an ordinary process: neither is left out of the holders.

load ipc-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"
export POSIXTOOL

# The scenario runs as the script $T/app.sh, started as PID 1 of a PID namespace of its own
# (`unshare --pid --fork` runs bash itself as that PID 1), in the test's IPC namespace.
PRELUDE='
T=$(mktemp -d)
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
export -f want
export T
app() { unshare --pid --fork --mount-proc bash -e $T/app.sh; }
'

@test "containers: the application as PID 1 holds its private array and queue" {
	run ns "$PRELUDE"'
		cat >$T/app.sh <<"EOF"
want "$$" 1 "(the application is not PID 1)"
s=$($IPCTOOL sem-create 0 1 600)
q=$($IPCTOOL msg-create 0 600)
# workers did the last semop and msgsnd, and exited
$IPCTOOL sem-op $s 0 1
$IPCTOOL msg-send $q 1 job
sleep 3
for k in sem msg; do
	id=$s; [ $k = sem ] || id=$q
	j=$("$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE $k)
	want "$(jq -r ".$k[] | select(.id == $id) | .verdict" <<<"$j")" maybe-in-use "$j"
	j=$("$IPCADM" who --all-visible -J $k $id)
	want "$(jq -c "[.$k[0].holders[] | [.pid, .how]]" <<<"$j")" "[[1,\"may hold it\"]]" "$j"
done
"$IPCADM" reap --all-visible --yes --log $T/log >$T/out
want "$(grep -c "^removed" $T/out)" 0 "$(cat $T/out)"
$IPCTOOL sem-op $s 0 1
$IPCTOOL msg-send $q 1 job
EOF
		app'
	ok
}

@test "containers: PID 2 is an ordinary process: its waits, its attachments, its children" {
	run ns "$PRELUDE"'
		cat >$T/app.sh <<"EOF"
# as_pid2 FILE CMD...: runs CMD as PID 2 in the background, its output in FILE; $P2 is it
as_pid2() {
	local f=$1
	shift
	echo 1 >/proc/sys/kernel/ns_last_pid
	"$@" >$f &
	P2=$!
	want "$P2" 2 "(the command did not get PID 2)"
}
q=$($IPCTOOL msg-create 0 600)
id=$($IPCTOOL shm-create 0 4096 600)
"$POSIXTOOL" shm-create app-seg 4096
"$POSIXTOOL" mq-create app-queue 4 64
sleep 3
# PID 2 blocked in msgrcv on its private queue
as_pid2 $T/q $IPCTOOL msg-wait $q 60
ready $T/q
j=$("$IPCADM" who --all-visible -J msg $q)
want "$(jq -c "[.msg[0].holders[] | [.pid, .how]]" <<<"$j")" "[[2,\"waiting\"]]" "$j"
"$IPCADM" reap --all-visible --yes --log $T/log >$T/out
want "$(grep -c "^removed" $T/out)" 0 "$(cat $T/out)"
$IPCTOOL msg-send $q 1 job
wait $P2
want "$(cat $T/q)" "$(printf "ready\ngot 1 job")"
# PID 2 attached to a segment
as_pid2 $T/a $IPCTOOL shm-attach $id 60
ready $T/a
j=$("$IPCADM" who --all-visible -J shm $id)
want "$(jq -c "[.shm[0].holders[] | [.pid, .how]]" <<<"$j")" "[[2,\"attached rw, last user\"]]" "$j"
j=$("$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE shm)
want "$(jq -r ".shm[] | select(.id == $id) | .verdict" <<<"$j")" in-use "$j"
[[ "$j" != *"not seen"* ]] || { echo "$j" >&2; exit 1; }
kill $P2; wait $P2 || true
# the children of PID 2 hold POSIX objects
as_pid2 $T/p bash -c "\"$POSIXTOOL\" shm-map app-seg 60 >$T/p1 & \"$POSIXTOOL\" mq-hold app-queue 60 >$T/p2 & wait"
ready $T/p1 $T/p2
for k in pshm pmq; do
	j=$("$IPCADM" list --all-visible -J -o NAME,VERDICT $k)
	want "$(jq -r ".$k[0].verdict" <<<"$j")" in-use "$j"
done
kill $(pgrep -P $P2) $P2
EOF
		app'
	ok
}
