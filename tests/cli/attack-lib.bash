# attack-lib.bash: what the attack tests (attack.bats, attack3.bats, attack4.bats) share:
# their prelude for `ns`: want, a directory $T that other users write in, a root-only $R
# (logs and backups), shifted and verdict.

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
'
