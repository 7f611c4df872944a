# files-lib.bash: the scenario prelude that files.bats and attack-files.bats share: alice,
# a scratch directory, and checks of segments.

load ipc-lib

FILES_PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=/dev/shm/t
fakeusers
asalice() { setpriv --reuid=4242 --regid=4343 --clear-groups -- "$@"; }
has() { "$IPCADM" list --all-visible -J shm | jq -e ".shm[] | select(.id == $1)" >/dev/null; }
orphan() { $IPCTOOL shm-create 0 4096 "${1:-600}"; }
# refused PATTERN CMD...: CMD exits 1 and says PATTERN (grep) on stderr ($T/out, $T/err)
refused() {
	local rc=0
	"${@:2}" > $T/out 2> $T/err || rc=$?
	want $rc 1 "${*:2}: $(cat $T/out $T/err)"
	grep -q -- "$1" $T/err || { echo "${*:2}: no [$1] in:"; cat $T/err; exit 1; }
}
'
