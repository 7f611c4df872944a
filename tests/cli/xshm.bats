#!/usr/bin/env bats
# xshm.bats: a real X server (Xvfb) and a real MIT-SHM client (x11perf) in private namespaces:
# the segment of a killed client, detached by the live server, is maybe-in-use, never reaped.

load ipc-lib

# The scenario, run by `ns`. /proc/sysvipc/shm columns: key shmid perms size cpid lpid nattch.
XSHM='
seg() { awk -v id="$1" "\$2 == id {print \$${2:-2}}" /proc/sysvipc/shm; }
# /tmp private: the X socket, the lock file and the compiled keymaps stay in this namespace.
# The programs under test may live under /tmp: copy them out first.
mkdir /dev/shm/t/bin
cp "$IPCADM" "$IPCTOOL" /dev/shm/t/bin/
IPCADM=/dev/shm/t/bin/$(basename "$IPCADM") IPCTOOL=/dev/shm/t/bin/$(basename "$IPCTOOL")
mount -t tmpfs -o mode=1777 tmpfs /tmp
# The server: no TCP, no abstract socket, and no network at all (a new network namespace);
# it shares this IPC namespace with its clients, as MIT-SHM needs.
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
# mode 0777), attaches it, has the server attach it (XShmAttach, read-only) and marks it
# IPC_RMID only in its cleanup after the test; with -pause it sleeps between the rounds.
DISPLAY=:7 $IPCTOOL drop-to 4242 4242 -- x11perf -shmput10 -reps 100 -repeat 100 -pause 1 \
	>/tmp/x11perf.log 2>&1 & c=$!
id=
for ((i = 0; i < 200; i++)); do
	id=$(awk -v c=$c "\$5 == c && \$7 == 2 {print \$2}" /proc/sysvipc/shm)
	[ -n "$id" ] && break
	kill -0 $c 2>/dev/null || break
	sleep 0.05
done
[ -n "$id" ] || { echo "no segment of x11perf attached twice"; cat /proc/sysvipc/shm /tmp/*.log; exit 1; }
"$IPCADM" who --all-visible $id >/tmp/who
grep -q "^ *$x .*Xvfb .*attached ro" /tmp/who || { echo "Xvfb not attached"; cat /tmp/who; exit 1; }
grep -q "^ *$c .*x11perf .*attached rw, creator" /tmp/who || { cat /tmp/who; exit 1; }

# SIGKILL: no cleanup; the server detaches the segment when the connection drops.
kill -KILL $c
wait $c 2>/dev/null || true
for ((i = 0; i < 200; i++)); do
	[ "$(seg $id 7) $(seg $id 6)" = "0 $x" ] && break
	sleep 0.05
done
[ "$(seg $id 7) $(seg $id 6)" = "0 $x" ] ||
	{ echo "want nattch 0, lpid $x (Xvfb)"; cat /proc/sysvipc/shm; exit 1; }
[ "$(seg $id 5)" = $c ] || { echo "want cpid $c (x11perf)"; cat /proc/sysvipc/shm; exit 1; }

"$IPCADM" list --all-visible -o ID,VERDICT,EVIDENCE shm >/tmp/list
l=$(grep "^ *$id " /tmp/list) || { cat /tmp/list; exit 1; }
[[ "$l" == *" maybe-in-use "*"creator $c exited; last detached by $x (Xvfb), which no longer maps it"* ]] ||
	{ echo "want maybe-in-use, last detached by $x (Xvfb)"; cat /tmp/list; exit 1; }
"$IPCADM" reap --all-visible --yes >/tmp/reap 2>&1 || true
grep -q "^0 removed, 0 skipped, 0 failed" /tmp/reap || { cat /tmp/reap; exit 1; }
[ "$(seg $id)" = $id ] || { echo "segment $id is gone"; exit 1; }
"$IPCADM" doctor --all-visible >/tmp/doc || true
grep -q "1 segment, [0-9.]*[KMG], detached by a live process: probably left by killed clients of $x (Xvfb)" /tmp/doc ||
	{ cat /tmp/doc; exit 1; }

# Once the server is gone too, nobody knows the ID any more.
kill $x
wait $x 2>/dev/null || true
"$IPCADM" list --all-visible -o ID,VERDICT,EVIDENCE shm >/tmp/list
grep -q "^ *$id orphaned .*creator $c exited, last user $x exited" /tmp/list || { cat /tmp/list; exit 1; }
"$IPCADM" reap --all-visible --yes >/tmp/reap 2>&1 || { cat /tmp/reap; exit 1; }
grep -q "^removed shm $id " /tmp/reap || { cat /tmp/reap; exit 1; }
[ -z "$(seg $id)" ] || { echo "segment $id is still there"; exit 1; }
echo done
'

@test "a killed MIT-SHM client of Xvfb: maybe-in-use while the server lives, orphaned after" {
	command -v Xvfb >/dev/null || skip "Xvfb cannot start: not installed (Debian package xvfb)"
	command -v x11perf >/dev/null || {
		echo "x11perf is not installed (Debian package x11-apps): run scripts/deps.sh"
		return 1
	}
	run ns "$XSHM"
	if [[ "$output" == SKIP* ]]; then
		skip "${output#SKIP }"
	fi
	ok
	[ "${lines[-1]}" = done ]
}
