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

@test "--root: a FIFO or a huge table is refused, not waited on or read whole" {
	FX=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/fx.XXXXXX")
	cp -r "$BATS_TEST_DIRNAME/../fixtures/modern/." "$FX"
	rm "$FX/proc/sysvipc/shm"
	mkfifo "$FX/proc/sysvipc/shm"
	run timeout 10 "$IPCADM" --root "$FX" list shm
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a regular file"* ]]
	rm "$FX/proc/sysvipc/shm"
	truncate -s 3G "$FX/proc/sysvipc/shm"
	run timeout 10 "$IPCADM" --root "$FX" list shm
	[ "$status" -eq 1 ]
	[[ "$output" == *"too large"* ]]
}
