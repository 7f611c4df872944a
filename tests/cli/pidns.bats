#!/usr/bin/env bats
# pidns.bats: an IPC namespace shared by processes of a PID namespace ipcadm cannot see
# (the containers of one pod; `unshare --pid` alone): nothing is judged unused by absence.

load ipc-lib

# The program (uid 4242) makes a private array it never operates on and a keyed queue, and
# lives on in the scenario's PID namespace; `unseen CMD` runs CMD in a PID namespace of its
# own that shares the IPC namespace, where that program is invisible.
PRELUDE='
T=$(mktemp -d); chmod 777 $T
$IPCTOOL drop-to 4242 4242 -- bash -c "$IPCTOOL sem-create 0 1 600 >$T/s; $IPCTOOL msg-create 0x77 600 >$T/q; echo ready; exec sleep 300" >$T/r &
ready $T/r
s=$(cat $T/s) q=$(cat $T/q)
unseen() { unshare --pid --fork --mount --mount-proc "$@"; }
ids() { "$IPCADM" list --all-visible -J -o ID "$1" | jq -r ".$1[].id" | tr "\n" " "; }
'

@test "pidns: from a PID namespace that cannot see the users, private and idle objects are unknown" {
	run ns "$PRELUDE"'
		sleep 3   # past the slack: nothing started later may hold them
		j=$(unseen "$IPCADM" list -J -o ID,VERDICT,EVIDENCE sem msg)
		[ "$(jq -r ".sem[0].verdict" <<<"$j")" = unknown ] || { echo "$j"; exit 1; }
		[ "$(jq -r ".msg[0].verdict" <<<"$j")" = unknown ] || { echo "$j"; exit 1; }
		jq -r ".sem[0].evidence" <<<"$j" | grep -q "other PID namespaces may use this IPC namespace"
		jq -r ".msg[0].evidence" <<<"$j" | grep -q -- "--all-visible"
		unseen "$IPCADM" reap --yes --include-idle > $T/out || true
		[ "$(ids sem)" = "$s " ] && [ "$(ids msg)" = "$q " ] || { cat $T/out; exit 1; }
		unseen "$IPCADM" doctor | grep -q "could not be judged"
		# who and show give the same verdicts
		unseen "$IPCADM" who sem $s | grep -q "unknown"
		echo done'
	ok
	[ "${lines[-1]}" = done ]
}

@test "pidns: --all-visible restores the verdicts by absence (the admin vouches for it)" {
	run ns "$PRELUDE"'
		sleep 3
		j=$(unseen "$IPCADM" list --all-visible -J -o ID,VERDICT sem msg)
		[ "$(jq -r ".sem[0].verdict" <<<"$j")" = orphaned ] || { echo "$j"; exit 1; }
		[ "$(jq -r ".msg[0].verdict" <<<"$j")" = idle ] || { echo "$j"; exit 1; }
		# who of one object by its ID takes the option too
		unseen "$IPCADM" who --all-visible sem $s | grep -q "orphaned"
		unseen "$IPCADM" reap --all-visible --yes --include-idle > $T/out
		[ "$(ids sem)" = "" ] && [ "$(ids msg)" = "" ] || { cat $T/out; exit 1; }
		echo done'
	ok
	[ "${lines[-1]}" = done ]
}
