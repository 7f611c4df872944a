#!/usr/bin/env bats
# attack6.bats: the sixth round of attacks on ipcadm's promise, on the removal changes of
# 0.4: each test tries to make reap --yes remove an object that a live program uses.

load attack-lib

PRELUDE=$ATTACK_PRELUDE'
# fsgid_worker GID FSGID UID IDFILE: a worker (python, no exec after its set*id calls)
# that runs as UID and GID with no supplementary group and file-system gid FSGID, waits
# for an array ID in IDFILE, operates on it (semaphore 0, +1), says ready and stays.
fsgid_worker() {
	cat > $T/fsgid.py <<-"EOF2"
	import ctypes, os, sys, time
	libc = ctypes.CDLL(None, use_errno=True)
	gid, fsgid, uid, idfile = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
	os.setgroups([])
	os.setresgid(gid, gid, gid)
	libc.setfsgid(fsgid)
	os.setresuid(uid, uid, uid)
	while not (os.path.exists(idfile) and os.path.getsize(idfile)):
	    time.sleep(0.05)
	sid = int(open(idfile).read())
	class sembuf(ctypes.Structure):
	    _fields_ = [("num", ctypes.c_ushort), ("op", ctypes.c_short), ("flg", ctypes.c_short)]
	b = sembuf(0, 1, 0)
	if libc.semop(sid, ctypes.byref(b), 1) != 0:
	    print("semop failed", ctypes.get_errno(), flush=True)
	    sys.exit(1)
	print("ready", flush=True)
	while True:
	    time.sleep(1)
	EOF2
	setsid -f /usr/bin/python3 $T/fsgid.py "$@" > $T/worker 2>&1
}
'

@test "group: a worker in the array's group by its file-system gid only keeps it" {
	# ipcperms() asks in_group_p(), which looks at the file-system gid and the
	# supplementary groups (not the real, effective or saved gid). A file server (NFS,
	# Samba) sets its fsgid per request: root, it drops to uid 4243 and gid 5555 with
	# fsgid 4343 (setfsgid survives setresuid; only an exec resets it), and so operates
	# on alice's 0660 array of group 4343. /proc/PID/status gives the fsgid as the
	# fourth Gid: field; the holder check reads the first three only.
	skip "known defect: the fsgid is not read; the array is orphaned and reaped"
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		rm -f $T/id
		fsgid_worker 5555 4343 4243 $T/id
		sleep 1
		id=$($IPCTOOL drop-to 4242 4343 -- $IPCTOOL sem-create 0 1 660)
		echo $id > $T/id
		ready $T/worker
		pid=$(pgrep -u 4243 -n -f fsgid.py)
		want "$(awk "/^Gid:/ { print \$2, \$3, \$4, \$5 }" /proc/$pid/status)" \
			"5555 5555 5555 4343"
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL sem-op $id 0 -1
		kept sem $id'
	ok
}

@test "fd in flight: a segment whose only descriptor waits in a socket is in use" {
	# A descriptor sent with SCM_RIGHTS and not yet received is in no process's fd table
	# and no mapping: a broker that keeps a service's segment across its restart this
	# way (an fd store: the service sends it, and receives it back when it comes again)
	# holds the file open, unseen by a pass over /proc. alice's helper makes the
	# segment, puts its descriptor in flight and exits; the broker, under a uid of its
	# own, keeps the socket. reap --include-idle calls it idle ("no process
	# maps or opens it") and unlinks it under the broker.
	skip "known defect: an fd in flight (SCM_RIGHTS) is unseen; reap -i unlinks it"
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		cat > $T/flight.py <<-"EOF2"
		import array, os, socket, sys, time
		a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
		if os.fork() == 0:
		    # alice: makes the segment, sends its descriptor to the broker, exits
		    os.setgroups([]); os.setresgid(4242, 4242, 4242); os.setresuid(4242, 4242, 4242)
		    fd = os.open("/dev/shm/state", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
		    os.ftruncate(fd, 8192)
		    os.write(fd, b"state")
		    a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
		                        array.array("i", [fd]))])
		    os._exit(0)
		os.wait()
		a.close()
		# the broker, under a uid of its own, keeps the socket (and the descriptor in it)
		os.setgroups([]); os.setresgid(4243, 4243, 4243); os.setresuid(4243, 4243, 4243)
		print("ready", flush=True)
		time.sleep(120)
		EOF2
		setsid -f /usr/bin/python3 $T/flight.py > $T/sup 2>&1
		ready $T/sup
		pid=$(pgrep -u 4243 -n -f flight.py)
		want "$(ls -l /proc/$pid/fd | grep -c /dev/shm/state)" 0
		want "$(verdict pshm state)" idle
		"$IPCADM" reap --all-visible --yes --include-idle --kind pshm --log $R/log > $T/out
		want "$(grep -c "^removed pshm /state " $T/out)" 0 "$(cat $T/out)"
		test -e /dev/shm/state'
	ok
}

@test "capability: a worker thread that kept CAP_IPC_OWNER its main thread dropped keeps the array" {
	# Capabilities are a thread's own, like its uids: a service started with
	# AmbientCapabilities=CAP_IPC_OWNER under its own uid starts its worker thread, then
	# its main thread drops the capability from its effective set (capset acts on the
	# calling thread only). /proc/PID/status says the main thread's CapEff; the worker
	# operates on alice's 0600 array now and then with the capability it kept.
	skip "known defect: a thread's own CapEff is not read; the array is reaped"
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		cat > $T/capthread.py <<-"EOF2"
		import ctypes, os, sys, threading, time
		libc = ctypes.CDLL(None, use_errno=True)
		idfile = sys.argv[1]
		class sembuf(ctypes.Structure):
		    _fields_ = [("num", ctypes.c_ushort), ("op", ctypes.c_short), ("flg", ctypes.c_short)]
		class hdr(ctypes.Structure):
		    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
		class data(ctypes.Structure):
		    _fields_ = [("eff", ctypes.c_uint32), ("prm", ctypes.c_uint32), ("inh", ctypes.c_uint32)]
		def worker():
		    while not (os.path.exists(idfile) and os.path.getsize(idfile)):
		        time.sleep(0.05)
		    sid = int(open(idfile).read())
		    b = sembuf(0, 1, 0)
		    if libc.semop(sid, ctypes.byref(b), 1) != 0:
		        print("semop failed", ctypes.get_errno(), flush=True)
		        os._exit(1)
		    print("ready", flush=True)
		    while True:
		        time.sleep(1)
		threading.Thread(target=worker).start()
		h = hdr(0x20080522, 0)
		d = (data * 2)()
		libc.capget(ctypes.byref(h), d)
		d[0].eff &= ~(1 << 15)   # CAP_IPC_OWNER, from the main thread only
		if libc.capset(ctypes.byref(h), d) != 0:
		    print("capset failed", ctypes.get_errno(), flush=True)
		EOF2
		rm -f $T/id
		setsid -f setpriv --reuid 4243 --regid 4243 --clear-groups --inh-caps +ipc_owner \
			--ambient-caps +ipc_owner -- /usr/bin/python3 $T/capthread.py $T/id > $T/worker 2>&1
		sleep 1
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		echo $id > $T/id
		ready $T/worker
		pid=$(pgrep -u 4243 -n -f capthread.py)
		grep -q "^CapEff:.*0000$" /proc/$pid/status || { grep Cap /proc/$pid/status; exit 1; }
		grep -q "^CapEff:.*8000$" /proc/$pid/task/*/status
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $id 0 -1
		kept sem $id'
	ok
}
