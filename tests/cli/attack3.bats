#!/usr/bin/env bats
# attack3.bats: the third round of attacks on ipcadm's promise: each test shows a live
# program that lost its object to a removal, or had it called orphaned, and keeps it now.

load ipc-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"
export POSIXTOOL

PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=$(mktemp -d); chmod 777 $T   # other users write here
R=$(mktemp -d)                  # root-only: logs and backups
verdict() {
	local sel=".id == $2" col=ID
	[[ $1 == p* ]] && sel=".name == \"$2\"" col=NAME
	"$IPCADM" list --all-visible -J -o $col,VERDICT,EVIDENCE "$1" |
		jq -r ".$1[] | select($sel) | .verdict"
}
# nattch ID N: waits (10 s at most) until segment ID has N attachments
nattch() {
	local i
	for ((i = 0; i < 20000; i++)); do
		awk -v id=$1 -v n=$2 "\$2 == id && \$7 == n { f = 1 } END { exit !f }" \
			/proc/sysvipc/shm && return 0
	done
	echo "segment $1 never had $2 attachments" >&2; exit 1
}
'

@test "backup: a process that attaches and detaches during the copy keeps the segment" {
	# reap --backup attaches the segment to copy it, and detached after the copy: its
	# own detach made it the last user again, hiding any process that attached and
	# detached meanwhile (a visitor like an X server, which knows the ID and comes back).
	# The check after the backup compared nattch and lpid only, and removed the segment.
	run ns "$PRELUDE"'
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-create 0 192M 600)
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-fill $id
		want "$(verdict shm $id)" orphaned
		mkdir -m 700 $R/bk
		"$IPCADM" reap --all-visible --yes --backup $R/bk --log $R/log > $T/out &
		r=$!
		# the visitor comes while reap holds the segment for its copy
		nattch $id 1
		setsid -f $IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-visit $id 60 > $T/v
		ready $T/v
		wait $r
		want "$(grep -c "^removed shm $id " $T/out)" 0 "$(cat $T/out)"
		grep -q "^skipped: it changed since the scan" $T/out || { cat $T/out; exit 1; }
		ipcs -m -i $id > /dev/null'
	ok
}

@test "rm --all: arrays and queues that a process began waiting on while the admin confirmed stay" {
	# rm --all lists, then asks; the admin may take minutes. A process that began waiting
	# on a queue meanwhile changes nothing the re-read compares (no waiter count exists
	# for queues): the queue was removed, and the waiter got EIDRM.
	command -v script > /dev/null || skip "script(1) is missing"
	run ns "$PRELUDE"'
		q=$($IPCTOOL msg-create 0 600)
		s=$($IPCTOOL sem-create 0 1 600); $IPCTOOL sem-setall $s 0
		( while [ ! -e $T/go ]; do sleep 0.05; done; echo y ) |
			script -qec "$IPCADM rm --all --kind msg,sem" /dev/null > $T/out &
		r=$!
		for i in $(seq 200); do grep -q "remove these" $T/out && break; sleep 0.05; done
		grep -q "would remove message queue $q" $T/out || { cat $T/out; exit 1; }
		$IPCTOOL msg-wait $q 30 > $T/w &
		$IPCTOOL sem-wait $s 0 30 > $T/sw &
		ready $T/w $T/sw
		touch $T/go
		wait $r || true
		for what in "message queue $q" "semaphore array $s"; do
			grep -q "not removing $what: in use: a process began waiting" $T/out ||
				{ cat $T/out; exit 1; }
		done
		ipcs -q -i $q > /dev/null; ipcs -s -i $s > /dev/null'
	ok
}
