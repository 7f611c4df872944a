#!/usr/bin/env bats
# attack3.bats: the third round of attacks on ipcadm's promise: each test shows a live
# program that lost its object to a removal, or had it called orphaned, and keeps it now.

load attack-lib

PRELUDE=$ATTACK_PRELUDE'
# nattch ID N: waits (10 s at most) until segment ID has N attachments
nattch() {
	local i
	for ((i = 0; i < 20000; i++)); do
		awk -v id=$1 -v n=$2 "\$2 == id && \$7 == n { f = 1 } END { exit !f }" \
			/proc/sysvipc/shm && return 0
	done
	echo "segment $1 never had $2 attachments" >&2; exit 1
}
'

@test "backup: a process that attaches and detaches during the copy keeps the segment" {
	# reap --backup attaches the segment to copy it, and detached after the copy: its
	# own detach made it the last user again, hiding any process that attached and
	# detached meanwhile (a visitor like an X server, which knows the ID and comes back).
	# The check after the backup compared nattch and lpid only, and removed the segment.
	run ns "$PRELUDE"'
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-create 0 192M 600)
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-fill $id
		want "$(verdict shm $id)" orphaned
		mkdir -m 700 $R/bk
		"$IPCADM" reap --all-visible --yes --backup $R/bk --log $R/log > $T/out &
		r=$!
		# the visitor comes while reap holds the segment for its copy
		nattch $id 1
		setsid -f $IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-visit $id 60 > $T/v
		ready $T/v
		wait $r
		want "$(grep -c "^removed shm $id " $T/out)" 0 "$(cat $T/out)"
		grep -q "^skipped: it changed since the scan" $T/out || { cat $T/out; exit 1; }
		ipcs -m -i $id > /dev/null'
	ok
}

@test "rm --all: arrays and queues that a process began waiting on while the admin confirmed stay" {
	# rm --all lists, then asks; the admin may take minutes. A process that began waiting
	# on a queue meanwhile changes nothing the re-read compares (no waiter count exists
	# for queues): the queue was removed, and the waiter got EIDRM.
	command -v script > /dev/null || skip "script(1) is missing"
	run ns "$PRELUDE"'
		q=$($IPCTOOL msg-create 0 600)
		s=$($IPCTOOL sem-create 0 1 600); $IPCTOOL sem-setall $s 0
		( while [ ! -e $T/go ]; do sleep 0.05; done; echo y ) |
			script -qec "$IPCADM rm --all --kind msg,sem" /dev/null > $T/out &
		r=$!
		for i in $(seq 200); do grep -q "remove these" $T/out && break; sleep 0.05; done
		grep -q "would remove message queue $q" $T/out || { cat $T/out; exit 1; }
		$IPCTOOL msg-wait $q 30 > $T/w &
		$IPCTOOL sem-wait $s 0 30 > $T/sw &
		ready $T/w $T/sw
		touch $T/go
		wait $r || true
		for what in "message queue $q" "semaphore array $s"; do
			grep -q "not removing $what: in use: a process began waiting" $T/out ||
				{ cat $T/out; exit 1; }
		done
		ipcs -q -i $q > /dev/null; ipcs -s -i $s > /dev/null'
	ok
}

@test "namespaces: a thread waiting on a queue while its main thread left the IPC namespace" {
	# The IPC namespace is per thread: a program (a monitoring agent, a container tool)
	# whose main thread entered another namespace (setns, unshare) while a worker thread
	# waits in msgrcv on a queue of ours. /proc/PID/ns/ipc shows the main thread's, so
	# the process was passed over by the look for waiters: the queue was orphaned, and
	# reaped under the waiting thread (EIDRM).
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	[ "$(uname -m)" = x86_64 ] || skip "the helper knows x86_64's msgrcv number only"
	run ns "$PRELUDE"'
		cat > $T/agent.py <<-"EOF2"
		import ctypes, glob, os, sys, threading, time
		libc = ctypes.CDLL(None, use_errno=True)
		q = int(sys.argv[1])
		buf = ctypes.create_string_buffer(128)
		def worker():
		    r = libc.msgrcv(q, buf, 64, 0, 0)
		    print("got" if r >= 0 else "msgrcv: " + os.strerror(ctypes.get_errno()),
		          flush=True)
		t = threading.Thread(target=worker, daemon=True)
		t.start()
		# blocked once /proc shows the thread in msgrcv (70 on x86_64)
		tid = t.native_id
		while not open("/proc/self/task/%d/syscall" % tid).read().startswith("70 "):
		    time.sleep(0.01)
		if libc.unshare(0x08000000) != 0:       # CLONE_NEWIPC, this thread only
		    sys.exit("unshare: " + os.strerror(ctypes.get_errno()))
		print(os.getpid()); print("ready", flush=True)
		t.join(120)
		EOF2
		q=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL msg-create 0 600)
		setsid -f /usr/bin/python3 $T/agent.py $q > $T/a
		ready $T/a
		pid=$(head -1 $T/a)
		[ "$(readlink /proc/$pid/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ]
		want "$(verdict msg $q)" in-use
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed msg $q " $T/out)" 0 "$(cat $T/out)"
		$IPCTOOL msg-send $q 1 hello
		for i in $(seq 100); do grep -q "^got" $T/a && break; sleep 0.05; done
		want "$(tail -1 $T/a)" got'
	ok
}

@test "group: a private array shared by ID with a process of another user of its group" {
	# IPC_PRIVATE is no privacy: the ID is the key, and the mode says who may use it.
	# alice makes a private array, mode 0660 for her group, and hands its ID to bob's
	# long-running worker in that group, which operates on it now and then. When alice's
	# process (its last operator) exits, bob's worker is neither the owner nor the creator:
	# no possible holder, the array is orphaned and reaped under the worker.
	run ns "$PRELUDE"'
		id=$(shared_by "$IPCTOOL drop-to 4243 4343 --" sem 660)
		kept sem $id'
	ok
}

@test "group: a private array of a supplementary group of another user's process" {
	# The same, with bob in alice's group by a supplementary group only (his own is
	# 4243): ipcperms() looks at every group of the process, /proc/PID/status says them.
	run ns "$PRELUDE"'
		id=$(shared_by "setpriv --reuid 4243 --regid 4243 --groups 4343 --" sem 660)
		kept sem $id'
	ok
}

@test "other: a private queue of mode 0606 shared by ID with any user's process" {
	# The other bits let any user's process send to and receive from a private queue:
	# carol, in no group of alice's, sends to it now and then; alice's process (its last
	# sender) exits, and carol's worker keeps the queue.
	run ns "$PRELUDE"'
		id=$(shared_by "$IPCTOOL drop-to 4244 4244 --" msg 606)
		kept msg $id'
	ok
}

@test "group: a private array without group bits is no group member's" {
	# The other side of the rule: mode 0600 gives bob, in alice's group, no way to use
	# the array, so his worker is no possible holder and the leak is still found.
	run ns "$PRELUDE"'
		setsid -f $IPCTOOL drop-to 4243 4343 -- sleep 120
		sleep 1
		id=$($IPCTOOL drop-to 4242 4343 -- $IPCTOOL sem-create 0 1 600)
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL sem-op $id 0 1
		want "$(verdict sem $id)" orphaned'
	ok
}

@test "capability: a private array used by another user's process with CAP_IPC_OWNER" {
	# ipcperms() lets a process with CAP_IPC_OWNER use any object, whatever its mode: a
	# service started with AmbientCapabilities=CAP_IPC_OWNER under its own uid (databases
	# do this to use another user's segments) operates on alice's 0600 array now and
	# then. alice's process (its last operator) exits: the service may come back.
	run ns "$PRELUDE"'
		id=$(shared_by "setpriv --reuid 4243 --regid 4243 --clear-groups
			--inh-caps +ipc_owner --ambient-caps +ipc_owner --" sem 600)
		grep -q "^CapEff:.*8000$" /proc/$(pgrep -u 4243 -n -x sleep)/status
		kept sem $id'
	ok
}

@test "capability: CAP_IPC_OWNER of a child user namespace does not reach the array" {
	# The capability counts in the user namespace that owns the IPC namespace only: a
	# process of a rootless container (its own user namespace, the same IPC namespace)
	# is root there and has every capability, yet may not use alice's 0600 array.
	run ns "$PRELUDE"'
		setsid -f setpriv --reuid 4243 --regid 4243 --clear-groups -- \
			unshare --user --map-root-user sleep 120
		sleep 1
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $id 0 1
		pid=$(pgrep -u 4243 -x sleep)
		[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/1/ns/user)" ]
		grep -q "^CapEff:.*ffff" /proc/$pid/status
		want "$(verdict sem $id)" orphaned'
	ok
}

@test "group: a private segment attached now and then by a process of its group" {
	# Segments have their own rule, the kernel's orphan test (creator gone, nattch 0),
	# which looks at the creator and the last user only: no possible holders, not even
	# the owner's own processes. bob's worker attached and detached alice's 0660 segment;
	# alice's process detached it last and exited: orphaned, and reaped under the worker.
	skip "known defect: segments have no possible holders (DESIGN.md), whatever the mode"
	run ns "$PRELUDE"'
		setsid -f $IPCTOOL drop-to 4243 4343 -- bash -c "
			while [ ! -s $T/id ]; do sleep 0.05; done
			$IPCTOOL shm-write \$(cat $T/id) bob; echo ready; exec sleep 120" > $T/bob
		sleep 1
		id=$($IPCTOOL drop-to 4242 4343 -- $IPCTOOL shm-create 0 4K 660)
		echo $id > $T/id
		ready $T/bob
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL shm-write $id alice
		want "$(verdict shm $id)" maybe-in-use
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed shm $id " $T/out)" 0 "$(cat $T/out)"'
	ok
}

@test "handover: a daemon forked while ipcadm scans, by a parent that exits, keeps its array" {
	# ipcadm lists /proc, then reads each process. A program that makes its private
	# array, forks its daemon and exits (Apache's pre-daemon) between the two is listed,
	# then gone; its daemon, born after the listing, was never seen: no possible holder,
	# the array orphaned and reaped just as the daemon starts to use it. A process that
	# hops to a new PID every few ms (fork, exit) hits that window at every scan; the
	# processes of another user make the scan long enough.
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		$IPCTOOL drop-to 4243 4243 -- bash -c "for i in \$(seq 400); do sleep 100 & done
			echo ready" > $T/s
		ready $T/s
		cat > $T/hop.py <<-"EOF2"
		import os, time
		print("ready", flush=True)
		os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
		end = time.time() + 60
		while time.time() < end:
		    if os.fork() > 0:
		        os._exit(0)
		    time.sleep(0.002)
		EOF2
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-op $id 0 1
		setsid -f $IPCTOOL drop-to 4242 4242 -- /usr/bin/python3 $T/hop.py > $T/h
		ready $T/h
		for i in 1 2 3; do
			v=$(verdict sem $id); [ "$v" != orphaned ] || want "$v" "not orphaned"
		done
		"$IPCADM" reap --all-visible --yes --log $R/log > $T/out
		want "$(grep -c "^removed sem $id " $T/out)" 0 "$(cat $T/out)"'
	ok
}

@test "stopped: an array whose waiter came and was stopped after the scan stays" {
	# reap reads an array's waiter counts again right before IPC_RMID, and looked for
	# blocked processes only when queues were to go. A waiter stopped (SIGSTOP, a frozen
	# cgroup: docker pause) leaves semop and is no longer counted; it goes back in once
	# continued. One that came after the scan and was stopped before the removal was seen
	# by nothing: the array was removed, and the waiter failed once continued.
	run ns "$PRELUDE"'
		s=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL sem-create 0 1 600)
		want "$(verdict sem $s)" orphaned
		IPCADM_TEST_REAP_DELAY_MS=1500 "$IPCADM" reap --all-visible --yes \
			--log $R/log > $T/out &
		r=$!
		sleep 0.3
		$IPCTOOL drop-to 4242 4242 -- bash -c "echo \$\$ > $T/pid
			exec $IPCTOOL sem-wait $s 0 60" > $T/w &
		ready $T/w; w=$(cat $T/pid)
		kill -STOP $w
		for i in $(seq 100); do
			grep -q "^State:.*stopped" /proc/$w/status && break; sleep 0.02
		done
		want "$(ipcs -s -i $s | awk "\$1 == 0 { print \$3 }")" 0
		wait $r
		want "$(grep -c "^removed sem $s " $T/out)" 0 "$(cat $T/out)"
		grep -q "^skipped: a process began waiting on it" $T/out || { cat $T/out; exit 1; }
		ipcs -s -i $s > /dev/null
		kill -CONT $w'
	ok
}

# stalled CMD...: starts CMD under strace, each write(2) held back 1.5 s before it runs:
# the log line that reap writes right before each removal is late, as on a slow disk or
# with a stalled syslog. Returns once CMD waits in such a write; $STALLED is strace.
stalled_prelude='
in_write() {
	local t
	for t in /proc/$1/task/*; do
		grep -q "^State:.*tracing stop" $t/status 2>/dev/null &&
			read -r nr _ < $t/syscall 2>/dev/null && [ "$nr" = 1 ] && return 0
	done
	return 1
}
stalled() {
	# (LeakSanitizer cannot run under ptrace)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -o /dev/null \
		-e trace=write -e inject=write:delay_enter=1500000 "$@" &
	local s=$! c i
	STALLED=$s
	# strace stops its tracee at every system call for a moment: stalled is a thread
	# stopped at the entry of write(2) (x86_64: 1), and still there 50 ms later
	for ((i = 0; i < 400; i++)); do
		c=$(cat /proc/$s/task/*/children 2>/dev/null | tr -d " ")
		[ -n "$c" ] && in_write $c && sleep 0.05 && in_write $c && break
		sleep 0.02
	done
	[ "$i" -lt 400 ] || { echo "never stalled in write" >&2; exit 1; }
}
'

@test "stalled log: a segment attached while the log line is written is not removed" {
	# reap reads each object again, writes its log line, then removes it. A log write
	# that takes long (a slow disk, a stalled syslog) left a window after the last read:
	# a live process that attached the segment meanwhile had it removed (SHM_DEST).
	command -v strace > /dev/null || skip "strace is missing"
	run ns "$PRELUDE$stalled_prelude"'
		id=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-create 0 4096 600)
		want "$(verdict shm $id)" orphaned
		stalled "$IPCADM" reap --all-visible --yes --log $R/log --kind shm > $T/out
		setsid -f $IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-attach $id 60 > $T/a
		ready $T/a
		wait $STALLED
		want "$(ipcs -m | awk -v id=$id "\$2 == id { print \$6 }")" 1
		want "$(grep -c "]: removed shm $id " $R/log)" 1 "$(cat $R/log)"
		grep -q "]: not removed shm $id .*changed" $R/log || { cat $R/log; exit 1; }'
	ok
}

@test "stalled log: a POSIX name replaced while the log line is written is not removed" {
	# The same window for POSIX objects: a program that publishes a new object by
	# renaming it over the old name (mapped, in use) had the new one's name removed.
	command -v strace > /dev/null || skip "strace is missing"
	run ns "$PRELUDE$stalled_prelude"'
		"$POSIXTOOL" shm-create app-state 4096 644
		mkdir -m 755 /dev/shm/t/new; ln /dev/shm/app-state /dev/shm/t/old-copy
		want "$(verdict pshm app-state)" idle
		stalled "$IPCADM" reap --all-visible --yes --include-idle --kind pshm \
			--log $R/log > $T/out
		# the new object, mapped by the live program, goes in under the old name
		"$POSIXTOOL" shm-create app-state-new 4096 644
		"$POSIXTOOL" shm-map app-state-new 60 > $T/m &
		ready $T/m
		mv /dev/shm/app-state-new /dev/shm/app-state
		wait $STALLED
		ls /dev/shm/app-state > /dev/null
		grep -q "]: not removed pshm /app-state" $R/log || { cat $R/log; exit 1; }'
	ok
}

@test "foreign /proc: recorded PIDs are not looked up in another PID namespace's /proc" {
	# The kernel gives an object's recorded PIDs in the PID namespace of the reader;
	# /proc numbers the processes of the namespace it was mounted for. ipcadm run in a
	# PID namespace without its own /proc (unshare --pid --fork, no --mount-proc) looked
	# up a live creator's PID among other processes: "creator 2 exited", and the live
	# program's segment was orphaned, even with --all-visible (every process is visible).
	run ns "$PRELUDE"'
		# (LeakSanitizer reads /proc/PID/task of its own PID: not in this /proc)
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 unshare --pid --fork bash -c "
			$IPCTOOL drop-to 4242 4242 -- $IPCTOOL use-private 60 > $T/u &
			ready $T/u
			[ \$(readlink /proc/self) != \$\$ ]
			$IPCADM list --all-visible -J -o ID,VERDICT,EVIDENCE shm > $T/v
			$IPCADM reap --all-visible --yes --log $R/log > $T/out"
		want "$(jq -r ".shm[0].verdict" $T/v)" unknown "$(cat $T/v)"
		want "$(grep -c "^removed" $T/out)" 0 "$(cat $T/out)"'
	ok
}

@test "stalled log: a POSIX object mapped while the log line is written is not removed" {
	# The processes are read for holders (one pass for every POSIX candidate) before the
	# log lines; a program that mapped the object while its line was being written had
	# its object's name removed. The pass's answer now stands only as long as the pass
	# took: after a slow line, the files still to go get a pass of their own.
	command -v strace > /dev/null || skip "strace is missing"
	run ns "$PRELUDE$stalled_prelude"'
		"$POSIXTOOL" shm-create app-cache 4096 644
		want "$(verdict pshm app-cache)" idle
		stalled "$IPCADM" reap --all-visible --yes --include-idle --kind pshm \
			--log $R/log > $T/out
		"$POSIXTOOL" shm-map app-cache 60 > $T/m &
		ready $T/m
		wait $STALLED
		ls /dev/shm/app-cache > /dev/null
		grep -q "]: not removed pshm /app-cache" $R/log || { cat $R/log; exit 1; }'
	ok
}

@test "container clock: a step is measured where /dev was made after boot" {
	# ipcadm measures a forward step of the wall clock by the birth of /dev, made at boot.
	# A container's /dev is made when the container starts: that said nothing, the step
	# was taken for none, every live process looked younger than the objects it made,
	# and a daemon's array (its creator exited) was orphaned and reaped. The container's
	# PID 1 started before its /dev was made: the step is at least the difference.
	run ns "$PRELUDE"'
		bash -c "id=\$($IPCTOOL sem-create 0 1 600); $IPCTOOL set-owner sem \$id 33 33 600
			$IPCTOOL sem-op \$id 0 1
			setsid $IPCTOOL drop-to 33 33 -- sleep 120 </dev/null >/dev/null 2>&1 &
			for j in \$(seq 200); do
				grep -q \"^Uid:.*33\" /proc/\$!/status && break; sleep 0.02
			done
			echo \$id > $T/daemon; exit 0"
		for j in $(seq 400); do [ -s $T/daemon ] && break; sleep 0.05; done
		d=$(cat $T/daemon)
		want "$(verdict sem $d)" maybe-in-use
		unset IPCADM_CLOCK_STEP
		# the container: a /dev made now, after its PID 1 started
		unshare --mount --propagation private bash -c "mount -t tmpfs dev /dev
			IPCADM_TEST_CLOCK_SHIFT=90 LD_PRELOAD=$IPCADM_BUILD/helpers/clockshift.so \
			ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
			$IPCADM list --all-visible -J -o ID,VERDICT,EVIDENCE sem" > $T/v
		want "$(jq -r ".sem[] | select(.id == $d) | .verdict" $T/v)" maybe-in-use "$(cat $T/v)"'
	ok
}
