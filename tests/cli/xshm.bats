#!/usr/bin/env bats
# xshm.bats: a real X server (Xvfb) and a real MIT-SHM client (x11perf), in private
# namespaces: a killed client's segment that the live server detached is never reaped.

load ipc-lib

# The scenario, run by `ns`. seg ID [N]: field N (default 2, the ID) of the segment in
# /proc/sysvipc/shm, whose columns are: key shmid perms size cpid lpid nattch ...
XSHM='
seg() { awk -v id="$1" "\$2 == id {print \$${2:-2}}" /proc/sysvipc/shm; }
# die MESSAGE [FILE...]: the message and the files, then failure.
die() { echo "$1"; shift; cat "$@" 2>/dev/null; exit 1; }

# /tmp private: the X socket, the lock file and the compiled keymaps stay in this
# namespace. The programs under test may live under /tmp: copy them out first.
mkdir /dev/shm/t/bin
cp "$IPCADM" "$IPCTOOL" /dev/shm/t/bin/
IPCADM=/dev/shm/t/bin/$(basename "$IPCADM") IPCTOOL=/dev/shm/t/bin/$(basename "$IPCTOOL")
mount -t tmpfs -o mode=1777 tmpfs /tmp

# The server: no TCP, no abstract socket, and no network at all (a new network
# namespace); it shares this IPC namespace with its clients, as MIT-SHM needs.
unshare --net Xvfb :7 -nolisten tcp -nolisten local >/tmp/xvfb.log 2>&1 & x=$!
for ((i = 0; i < 200; i++)); do
	[ -S /tmp/.X11-unix/X7 ] && break
	kill -0 $x 2>/dev/null || break
	sleep 0.05
done
if ! [ -S /tmp/.X11-unix/X7 ] || [ "$(cat /proc/$x/comm 2>/dev/null)" != Xvfb ]; then
	echo "SKIP Xvfb cannot start: $(tail -n 3 /tmp/xvfb.log | tr "\n" " ")"
	kill $x 2>/dev/null || true
	exit 0
fi

# The client, as uid 4242: x11perf -shmput10 makes a private segment (shmget(IPC_PRIVATE),
# mode 0777), attaches it, has the server attach it (XShmAttach, read-only), and marks
# it IPC_RMID only in its cleanup after the test; with -pause it sleeps between rounds.
DISPLAY=:7 $IPCTOOL drop-to 4242 4242 -- \
	x11perf -shmput10 -reps 100 -repeat 100 -pause 1 >/tmp/x11perf.log 2>&1 & c=$!
id=
for ((i = 0; i < 200; i++)); do
	id=$(awk -v c=$c "\$5 == c && \$7 == 2 {print \$2}" /proc/sysvipc/shm)
	[ -n "$id" ] && break
	kill -0 $c 2>/dev/null || break
	sleep 0.05
done
[ -n "$id" ] || die "no segment of x11perf attached twice" /proc/sysvipc/shm /tmp/*.log
"$IPCADM" who --all-visible $id >/tmp/who
grep -q "^ *$x .*Xvfb .*attached ro" /tmp/who || die "Xvfb has not attached it" /tmp/who
grep -q "^ *$c .*x11perf .*attached rw, creator" /tmp/who || die "no x11perf" /tmp/who

# SIGKILL: no cleanup; the server detaches the segment when the connection drops.
kill -KILL $c
wait $c 2>/dev/null || true
for ((i = 0; i < 200; i++)); do
	[ "$(seg $id 7) $(seg $id 6)" = "0 $x" ] && break
	sleep 0.05
done
[ "$(seg $id 7) $(seg $id 6)" = "0 $x" ] ||
	die "want nattch 0, lpid $x (Xvfb)" /proc/sysvipc/shm
[ "$(seg $id 5)" = $c ] || die "want cpid $c (x11perf)" /proc/sysvipc/shm

# The creator is dead, the live server no longer maps it: maybe-in-use, never reaped.
"$IPCADM" list --all-visible -o ID,VERDICT,EVIDENCE shm >/tmp/list
l=$(grep "^ *$id " /tmp/list) || die "no segment $id" /tmp/list
want="creator $c exited; last detached by $x (Xvfb), which no longer maps it"
[[ "$l" == *" maybe-in-use "*"$want"* ]] || die "want maybe-in-use, $want" /tmp/list
"$IPCADM" reap --all-visible --yes >/tmp/reap 2>&1 || true
grep -q "^0 removed, 0 skipped, 0 failed" /tmp/reap || die "reap removed" /tmp/reap
[ "$(seg $id)" = $id ] || die "segment $id is gone"
"$IPCADM" doctor --all-visible >/tmp/doc || true
want="detached by a live process: probably left by killed clients of $x (Xvfb)"
grep -q "1 segment, [0-9.]*[KMG], $want" /tmp/doc || die "want $want" /tmp/doc

# Once the server is gone too, nobody knows the ID any more.
kill $x
wait $x 2>/dev/null || true
"$IPCADM" list --all-visible -o ID,VERDICT,EVIDENCE shm >/tmp/list
grep -q "^ *$id orphaned .*creator $c exited, last user $x exited" /tmp/list ||
	die "want orphaned" /tmp/list
"$IPCADM" reap --all-visible --yes >/tmp/reap 2>&1 || die "reap failed" /tmp/reap
grep -q "^removed shm $id " /tmp/reap || die "want shm $id removed" /tmp/reap
[ -z "$(seg $id)" ] || die "segment $id is still there"
echo done
'

@test "a killed MIT-SHM client of Xvfb: maybe-in-use until the server exits" {
	command -v Xvfb >/dev/null || skip "no Xvfb (package xvfb)"
	command -v x11perf >/dev/null || {
		echo "x11perf is not installed (package x11-apps): run scripts/deps.sh"
		return 1
	}
	run ns "$XSHM"
	if [[ "$output" == SKIP* ]]; then
		skip "${output#SKIP }"
	fi
	ok
	[ "${lines[-1]}" = done ]
}
