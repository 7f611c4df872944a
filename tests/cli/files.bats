#!/usr/bin/env bats
# files.bats: root acts only through its own files: reap --backup, restore and --log as
# an unprivileged user (alice, 4242) would attack them, and --root trees that hang or swell.

load ipc-lib

PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=/dev/shm/t
fakeusers
asalice() { setpriv --reuid=4242 --regid=4343 --clear-groups -- "$@"; }
has() { "$IPCADM" list -J shm | jq -e ".shm[] | select(.id == $1)" >/dev/null; }
orphan() { $IPCTOOL shm-create 0 4096 "${1:-600}"; }
'

@test "a 255-character POSIX shm name is reaped" {
	run ns "$PRELUDE"'
		name=$(printf "x%.0s" $(seq 255))
		head -c 100 /dev/zero > /dev/shm/$name
		"$IPCADM" reap --yes --include-idle --name "xxx*" > $T/out
		grep -q "^removed pshm /$name" $T/out || { cat $T/out; exit 1; }
		[ ! -e /dev/shm/$name ]'
	ok
}
