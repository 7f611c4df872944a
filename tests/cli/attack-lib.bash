# attack-lib.bash: what the attack tests (attack.bats, attack3.bats, attack4.bats) share:
# their prelude for `ns`: want, a directory $T that other users write in, a root-only $R
# (logs and backups), shifted, verdict, kept and shared_by.

load files-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"
export POSIXTOOL

ATTACK_PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=$(mktemp -d); chmod 777 $T   # other users write here
R=$(mktemp -d)                  # root-only: logs and backups (root refuses $T for those)
# shifted SECONDS CMD...: runs CMD with its wall clock stepped by SECONDS (clockshift.so)
shifted() { IPCADM_TEST_CLOCK_SHIFT=$1 LD_PRELOAD=$IPCADM_BUILD/helpers/clockshift.so \
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "${@:2}"; }
# verdict KIND ID|NAME [SHIFT]: the verdict list gives the object (ipcadm run SHIFT s ahead)
verdict() {
	local sel=".id == $2" col=ID run=
	[[ $1 == p* ]] && sel=".name == \"$2\"" col=NAME
	[ -n "${3:-}" ] && run="shifted $3"
	$run "$IPCADM" list --all-visible -J -o $col,VERDICT,EVIDENCE "$1" |
		jq -r ".$1[] | select($sel) | .verdict"
}
# kept KIND ID...: each object is maybe-in-use, and reap --yes keeps it
kept() {
	local k=$1 id
	shift
	for id; do want "$(verdict $k $id)" maybe-in-use; done
	"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
	for id; do want "$(grep -c "^removed $k $id " $T/out)" 0 "$(cat $T/out)"; done
}
# shared_by WORKER KIND MODE: alice (uid 4242, group 4343) makes a private KIND (sem or
# msg) of MODE and hands its ID to WORKER (a command prefix, run detached: who it runs
# as, its groups, its capabilities), which uses it now and then; alice uses it last, and
# her process exits. Prints the ID.
shared_by() {
	local use=(sem-op 0 1) last=(sem-op 0 -1) make=(sem-create 0 1 $3) id
	if [ $2 = msg ]; then
		use=(msg-send 1 hi) last=(msg-send 1 bye) make=(msg-create 0 $3)
	fi
	rm -f $T/id
	setsid -f $1 bash -c "
		while [ ! -s $T/id ]; do sleep 0.05; done
		$IPCTOOL ${use[0]} \$(cat $T/id) ${use[*]:1}; echo ready; exec sleep 120" > $T/worker
	sleep 1
	id=$($IPCTOOL drop-to 4242 4343 -- $IPCTOOL "${make[@]}")
	echo $id > $T/id
	ready $T/worker
	$IPCTOOL drop-to 4242 4343 -- $IPCTOOL ${last[0]} $id "${last[@]:1}"
	echo $id
}
'
