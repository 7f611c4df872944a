#!/usr/bin/env bats
# attack5.bats: the fifth round of attacks on ipcadm's promise: possible holders by the
# kernel's permission check (uids, gids, groups), and -N ipc:INODE.

load attack-lib

PRELUDE=$ATTACK_PRELUDE'
# thread_server SECONDS [UID]: a server of bob (4243), or of UID, whose worker thread runs
# as alice (4242) in group 4343, by raw system calls that change that thread alone (Samba
# and nfs-ganesha do so for each request). The worker uses the array in $T/sem and the
# queue in $T/msg once, through children it forks (a child gets the credentials of the
# thread that forks it), prints "ready", and lives on.
thread_server() {
	cat > $T/server.py <<-"EOF2"
	import ctypes, os, subprocess, sys, threading, time
	libc = ctypes.CDLL(None, use_errno=True)
	SETGROUPS, SETRESUID, SETRESGID = 116, 117, 119
	ipctool, t, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
	def become(uid, gid, groups):
	    g = (ctypes.c_uint * max(len(groups), 1))(*groups)
	    if (libc.syscall(SETGROUPS, len(groups), g) or
	            libc.syscall(SETRESGID, gid, gid, gid) or
	            libc.syscall(SETRESUID, uid, uid, uid)):
	        sys.exit("cannot change credentials: %d" % ctypes.get_errno())
	def worker():
	    become(4242, 4242, [4343])
	    while not (os.path.exists(t + "/msg") and os.path.getsize(t + "/msg")):
	        time.sleep(0.05)
	    sem, msg = open(t + "/sem").read().split()[0], open(t + "/msg").read().split()[0]
	    subprocess.run([ipctool, "sem-op", sem, "0", "1"], check=True)
	    subprocess.run([ipctool, "msg-send", msg, "1", "hi"], check=True)
	    print("ready", flush=True)
	    time.sleep(secs)
	w = threading.Thread(target=worker)
	w.start()
	become(int(sys.argv[4]), int(sys.argv[4]), [])
	w.join()
	EOF2
	setsid -f /usr/bin/python3 $T/server.py $IPCTOOL $T $1 ${2:-4243} > $T/server
}
# serve_objects SECONDS [UID]: thread_server, and the objects its worker uses: alice
# private array ($s, 0600) and carol queue ($m, 0660, group 4343), used once by it
serve_objects() {
	thread_server "$@"
	sleep 1
	s=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
	echo $s > $T/sem
	m=$($IPCTOOL drop-to 4244 4343 -- $IPCTOOL msg-create 0 660)
	echo $m > $T/msg
	ready $T/server
}
'

@test "threads: a worker thread with credentials of its own keeps its user's array and queue" {
	# Credentials are a thread's own: a server (Samba, nfs-ganesha) gives a worker thread
	# a user's uid, gids and groups with raw system calls, and /proc/PID/status (and
	# PIDFD_GET_INFO) says the main thread's. alice's private array (0600) and carol's
	# private queue (0660, group 4343) are used by the worker thread that runs as alice in
	# group 4343; the processes that made them and used them last exited. Judged by its
	# main thread (bob, no groups) the server is no possible holder: both orphaned, and
	# reaped under the worker.
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		serve_objects 120
		p=$(pgrep -f -n "server.py")
		want "$(awk "/^Uid:/ { print \$2 }" /proc/$p/status)" 4243
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $s 0 -1
		$IPCTOOL drop-to 4244 4343 -- $IPCTOOL msg-send $m 1 bye
		want "$(verdict sem $s)" maybe-in-use
		want "$(verdict msg $m)" maybe-in-use
		# a leak of dave, whom no thread runs as: still found
		d=$($IPCTOOL drop-to 4245 4245 -- $IPCTOOL sem-create 0 1 600)
		$IPCTOOL drop-to 4245 4245 -- $IPCTOOL sem-op $d 0 1
		want "$(verdict sem $d)" orphaned
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed sem $s \|^removed msg $m " $T/out)" 0 "$(cat $T/out)"
		want "$(grep -c "^removed sem $d " $T/out)" 1 "$(cat $T/out)"'
	ok
}

@test "threads: a root server whose worker thread runs as the owner keeps the array" {
	# The same under a root server (smbd): root may use anything, so a root process holds
	# a user's object only through a descendant running as that user. Its worker thread
	# running as alice is such a user, in the process itself.
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		serve_objects 120 0
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $s 0 -1
		want "$(verdict sem $s)" maybe-in-use
		# and the queue of carol, by its group
		want "$(verdict msg $m)" maybe-in-use
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed sem $s \|^removed msg $m " $T/out)" 0 "$(cat $T/out)"'
	ok
}

@test "threads: a worker thread left in our IPC namespace by its main thread keeps the array" {
	# A namespace is a thread's own too: a program whose main thread moved to an IPC
	# namespace of its own (unshare) keeps its workers in ours, and /proc/PID/ns/ipc says
	# the main thread's. alice's server, whose worker uses her private array, was taken
	# for a process of another namespace: no possible holder, orphaned and reaped.
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		cat > $T/nsserver.py <<-"EOF2"
		import ctypes, os, subprocess, sys, threading, time
		libc = ctypes.CDLL(None, use_errno=True)
		ipctool, t = sys.argv[1], sys.argv[2]
		moved = threading.Event()
		def worker():
		    moved.wait()
		    while not (os.path.exists(t + "/sem") and os.path.getsize(t + "/sem")):
		        time.sleep(0.05)
		    sem = open(t + "/sem").read().split()[0]
		    subprocess.run([ipctool, "sem-op", sem, "0", "1"], check=True)
		    print("ready", flush=True)
		    time.sleep(120)
		w = threading.Thread(target=worker)
		w.start()
		if libc.unshare(0x08000000):  # CLONE_NEWIPC, this thread alone
		    sys.exit("unshare: %d" % ctypes.get_errno())
		os.setgroups([])
		os.setresgid(4242, 4242, 4242)  # every thread (glibc)
		os.setresuid(4242, 4242, 4242)
		moved.set()
		w.join()
		EOF2
		setsid -f /usr/bin/python3 $T/nsserver.py $IPCTOOL $T > $T/server
		sleep 1
		s=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		echo $s > $T/sem
		ready $T/server
		p=$(pgrep -f -n "nsserver.py")
		[ "$(readlink /proc/$p/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ]
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $s 0 -1
		want "$(verdict sem $s)" maybe-in-use
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed sem $s " $T/out)" 0 "$(cat $T/out)"'
	ok
}

@test "-N: a pasted fix for a container that is gone does not act on the next one" {
	# The doctor printed its fixes for a container as "ipcadm reap -N ipc:INODE ...",
	# since a PID may be reused between printing and pasting. But once a namespace is
	# gone, the kernel gives its inode number to the next namespace made (the lowest free
	# number): a fix pasted after container A stopped reaped the leaks of container B,
	# another tenant, which got A inode. Linux 6.18 names a namespace for ever (NS_GET_ID,
	# never reused): the fixes say -N ipcid:ID where the kernel has it.
	run ns "$PRELUDE"'
		setsid -f unshare --ipc bash -c "$IPCTOOL drop-to 4243 4243 -- $IPCTOOL fill sem 2 >/dev/null
			echo ready > $T/a; exec sleep 60"
		ready $T/a
		a=$(pgrep -x -n sleep)
		i=$(readlink /proc/$a/ns/ipc | tr -dc 0-9)
		sleep 1.1
		"$IPCADM" doctor -A --all-visible > $T/doc || true
		fix=$(grep -o -- "ipcadm reap -N ipc[id]*:[0-9]* [^#]*--kind sem" $T/doc | head -1)
		[ -n "$fix" ] || { cat $T/doc; exit 1; }
		[[ $fix == *"-N ipcid:"* ]] || exit 4   # a kernel without namespace IDs
		kill $a
		# container B: a new namespace, until one gets A inode
		for n in $(seq 40); do
			rm -f $T/b
			setsid -f unshare --ipc bash -c "echo ready > $T/b; exec sleep 60"
			ready $T/b
			b=$(pgrep -x -n sleep)
			[ "$(readlink /proc/$b/ns/ipc | tr -dc 0-9)" = "$i" ] && break
			kill $b; b=; sleep 0.1
		done
		[ -n "$b" ] || exit 3
		nsenter --ipc --target $b $IPCTOOL drop-to 4243 4243 -- $IPCTOOL fill sem 2 >/dev/null
		sleep 1.1
		# the fix printed for A, pasted now (with --yes): A is gone, B keeps its arrays
		rc=0; eval "\"\$IPCADM\"${fix#ipcadm} --yes" > $T/out 2>&1 || rc=$?
		want $rc 1 "$(cat $T/out)"
		grep -q "cannot find the IPC namespace" $T/out || { cat $T/out; exit 1; }
		want "$(nsenter --ipc --target $b ipcs -s | grep -c "^0x")" 2 "$(cat $T/out)"
		kill $b'
	[ "$status" -ne 4 ] || skip "this kernel has no namespace IDs (NS_GET_ID, Linux 6.18)"
	[ "$status" -ne 3 ] || skip "no new namespace got the inode of the one gone"
	ok
}

@test "exec: a process whose parent is outside our PID namespace (docker exec) is a holder" {
	# ipcadm in a container sees a process started by "docker exec" (nsenter): its
	# parent, the runtime, is outside the container PID namespace, and its PPID reads 0.
	# Its uids must still be read (PIDFD_GET_INFO may refuse a process whose parent it
	# cannot name): one not read is no possible holder, and the private array its program
	# uses would be orphaned. This held when tried; it guards the uids of such processes.
	run ns "$PRELUDE"'
		setsid -f unshare --pid --fork --mount-proc bash -c "echo ready > $T/c; exec sleep 120"
		ready $T/c
		c=$(pgrep -x -n sleep)
		inside() { nsenter --target $c --pid --mount -- "$@"; }
		s=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		echo $s > $T/sem
		setsid -f nsenter --target $c --pid --mount -- $IPCTOOL drop-to 4242 4242 -- \
			bash -c "$IPCTOOL sem-op $s 0 1; echo ready; exec sleep 120" > $T/w
		ready $T/w
		inside $IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $s 0 -1
		inside ps -o pid,ppid,user,args -e > $T/ps
		grep -q "^ *[0-9]* *0 .*sleep 120" $T/ps || { cat $T/ps; exit 1; }
		v=$(inside "$IPCADM" list --all-visible -J -o ID,VERDICT,EVIDENCE sem)
		want "$(jq -r ".sem[] | select(.id == $s) | .verdict" <<<"$v")" maybe-in-use "$v"
		inside "$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed sem $s " $T/out)" 0 "$(cat $T/out)"'
	ok
}
