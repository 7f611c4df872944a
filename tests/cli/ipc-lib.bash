# ipc-lib.bash: checks the end-to-end tests of list, show and limits share. The functions are
# exported, so scripts run by `ns` (in the private namespaces) can call them too.

load helpers

# ok: the last `run` succeeded; prints its output when not.
ok() {
	if [ "$status" -ne 0 ]; then
		printf 'exit %s; output:\n%s\n' "$status" "$output"
		return 1
	fi
}

# expect JSON FILTER WANT: jq -r FILTER on JSON prints exactly WANT.
expect() {
	local got
	if ! got=$(jq -r "$2" <<<"$1"); then
		echo "jq cannot apply '$2' to: $1" >&2
		return 1
	fi
	if [ "$got" != "$3" ]; then
		printf '%s: got [%s], want [%s]\n' "$2" "$got" "$3" >&2
		return 1
	fi
}

# between LO X HI: LO <= X <= HI, as integers.
between() {
	if ! [ "$2" -ge "$1" ] 2>/dev/null || ! [ "$2" -le "$3" ]; then
		echo "[$2] is not between $1 and $3" >&2
		return 1
	fi
}

# same WANT GOT [WHAT]: the two strings are equal.
same() {
	if [ "$1" != "$2" ]; then
		printf '%s differs:\nwant [%s]\ngot  [%s]\n' "${3:-output}" "$1" "$2" >&2
		return 1
	fi
}

# fakeusers: in the private mount namespace, bind-mounts a copy of /etc/passwd and
# /etc/group with alice (4242), bob (4243) and the groups staff42 (4343), ops (4344).
fakeusers() {
	cp /etc/passwd /dev/shm/t/passwd
	cp /etc/group /dev/shm/t/group
	printf 'alice:x:4242:4343::/:/bin/false\nbob:x:4243:4344::/:/bin/false\n' >>/dev/shm/t/passwd
	printf 'staff42:x:4343:\nops:x:4344:\n' >>/dev/shm/t/group
	mount --bind /dev/shm/t/passwd /etc/passwd
	mount --bind /dev/shm/t/group /etc/group
}

# bgrun CMD...: runs CMD as a child and waits for it; its PID is in $PID, its stdout in $OUT.
bgrun() {
	"$@" >/dev/shm/t/bgrun.out &
	PID=$!
	wait "$PID"
	OUT=$(cat /dev/shm/t/bgrun.out)
}

# hold CMD...: starts an ipctool holder and waits (10 s at most) until it prints "ready";
# its PID is in $HOLDER. The namespace's end kills it.
hold() {
	local f i
	f=$(mktemp /dev/shm/t/hold.XXXXXX)
	"$@" >"$f" &
	HOLDER=$!
	for ((i = 0; i < 200; i++)); do
		grep -q '^ready$' "$f" && return 0
		sleep 0.05
	done
	echo "holder '$*' never got ready" >&2
	return 1
}

# stop PID: kills a holder and waits for it, so it has detached when this returns.
stop() {
	kill "$1"
	wait "$1" 2>/dev/null || true
}

export -f expect between same fakeusers bgrun hold stop
