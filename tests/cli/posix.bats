#!/usr/bin/env bats
# posix.bats: POSIX IPC (pshm, psem, pmq) end to end, each test in private IPC, mount and
# PID namespaces with their own /dev/shm tmpfs and mqueue mount: attributes, holders by
# maps and fds, Python's leaked psm_* segments, guarded reap, limits and the doctor.

load ipc-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"
export POSIXTOOL

# jq on `list -J` of one kind: the field of the object NAME.
PRELUDE='
field() { "$IPCADM" list --all-visible -J -o NAME,$3 "$1" | jq -r ".$1[] | select(.name == \"$2\") | .$(tr A-Z a-z <<<"$3")"; }
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
'

@test "posix list: every attribute of segments, semaphores and queues, as stat and the queue file say" {
	run ns "$PRELUDE"'
		"$POSIXTOOL" shm-create seg 10000 640
		"$POSIXTOOL" shm-create full 8192 600
		"$POSIXTOOL" shm-fill full
		"$POSIXTOOL" sem-create lock 3 604
		"$POSIXTOOL" mq-create jobs 10 128 660
		"$POSIXTOOL" mq-send jobs hello
		"$POSIXTOOL" mq-send jobs "world!"
		chown 4242:4343 /dev/shm/seg
		j=$("$IPCADM" list --all-visible -J)
		expect "$j" "keys_unsorted | join(\",\")" shm,sem,msg,pshm,psem,pmq
		expect "$j" "[.pshm[].name] | join(\",\")" full,seg
		expect "$j" ".pshm[] | select(.name == \"seg\") | [.owner, .perms, .size, .alloc] | join(\" \")" "4242 640 10000 0"
		expect "$j" ".pshm[] | select(.name == \"full\") | .alloc" 8192
		expect "$j" ".pshm[0] | keys_unsorted | join(\",\")" name,owner,perms,size,alloc,mtime,ctime,holders,verdict
		expect "$j" ".psem[0] | [.name, .perms, .verdict] | join(\" \")" "lock 604 idle"
		expect "$j" ".pmq[0] | [.name, .perms, .qsize, .msgs, .notify_pid] | map(tostring) | join(\" \")" "jobs 660 11 2 0"
		same "$(stat -c %Y /dev/shm/seg)" "$(jq -r ".pshm[] | select(.name == \"seg\") | .mtime" <<<"$j")" mtime
		same "$(stat -c %Z /dev/shm/seg)" "$(jq -r ".pshm[] | select(.name == \"seg\") | .ctime" <<<"$j")" ctime
		# the names are those the programs use
		"$IPCADM" show --all-visible /seg | grep -qx "NAME       seg"
		"$IPCADM" show --all-visible pmq jobs | grep -qx "QSIZE      11B"
		"$IPCADM" show --all-visible pmq jobs | grep -qx "MSGS       2"
		"$IPCADM" show --all-visible -J psem /lock | jq -e ".psem[0].name == \"lock\"" >/dev/null'
	ok
}

@test "posix list: POSIX tables only when they have objects or are asked for" {
	run ns '
		t=$("$IPCADM" list)
		[[ "$t" != *POSIX* ]]
		expect "$("$IPCADM" list --all-visible -J)" "keys_unsorted | join(\",\")" shm,sem,msg
		expect "$("$IPCADM" list --all-visible -J pmq psem)" "keys_unsorted | join(\",\")" psem,pmq
		expect "$("$IPCADM" list --all-visible -J pshm)" ".pshm | length" 0
		mkdir /dev/shm/subdir; ln -s /etc/passwd /dev/shm/link   # not objects
		expect "$("$IPCADM" list --all-visible -J)" "keys_unsorted | join(\",\")" shm,sem,msg
		"$POSIXTOOL" sem-create s 1
		expect "$("$IPCADM" list --all-visible -J)" "keys_unsorted | join(\",\")" shm,sem,msg,psem
		"$IPCADM" list --all-visible | grep -qx "POSIX named semaphores"'
	ok
}

@test "posix holders: mappings rw and ro, open descriptors, semaphores and queues; idle once they exit" {
	run ns "$PRELUDE"'
		"$POSIXTOOL" shm-create seg 8192
		"$POSIXTOOL" shm-create opened 4096
		"$POSIXTOOL" shm-create nobody 4096
		"$POSIXTOOL" sem-create lock 1
		"$POSIXTOOL" mq-create q 4 64
		hold "$POSIXTOOL" shm-map seg; a=$HOLDER
		hold "$POSIXTOOL" shm-map seg ro; b=$HOLDER
		hold "$POSIXTOOL" shm-open opened; c=$HOLDER
		hold "$POSIXTOOL" sem-hold lock; d=$HOLDER
		hold "$POSIXTOOL" mq-notify q; e=$HOLDER
		want "$(field pshm seg VERDICT)" in-use
		want "$(field pshm opened VERDICT)" in-use
		want "$(field pshm nobody VERDICT)" idle
		want "$(field psem lock VERDICT)" in-use
		want "$(field pmq q VERDICT)" in-use
		want "$(field pmq q NOTIFY_PID)" $e
		j=$("$IPCADM" who --all-visible -J pshm seg)
		want "$(jq -r ".pshm[0].holders[] | select(.pid == $a) | .how" <<<"$j")" "attached rw"
		want "$(jq -r ".pshm[0].holders[] | select(.pid == $b) | .how" <<<"$j")" "attached ro"
		want "$("$IPCADM" who --all-visible -J /opened | jq -r ".pshm[0].holders[0] | [.pid, .how] | join(\" \")")" "$c open"
		want "$("$IPCADM" who --all-visible -J pmq q | jq -r ".pmq[0].holders[0].pid")" $e
		"$IPCADM" who --all-visible psem lock | grep -q "^ *$d root *posixtool *attached rw"
		[[ "$(field pshm nobody EVIDENCE)" == *"no process maps or opens it"* ]]
		kill $a $b $c $d $e; wait $a $b $c $d $e 2>/dev/null || true
		want "$(field pshm seg VERDICT)" idle
		want "$(field psem lock VERDICT)" idle
		want "$(field pmq q VERDICT)" idle'
	ok
}

@test "posix holders: a process in another mount namespace mapping the same file is found" {
	run ns "$PRELUDE"'
		"$POSIXTOOL" shm-create seg 4096
		# a process of another mount namespace: matched by device and inode, not by path
		unshare --mount --propagation private "$POSIXTOOL" shm-map seg 60 >/dev/shm/t/o &
		p=$!
		ready /dev/shm/t/o
		want "$(field pshm seg VERDICT)" in-use
		want "$(field pshm seg HOLDERS)" "$p(posixtool)"
		[ "$(readlink /proc/$p/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]
		kill $p'
	ok
}

@test "posix reap: Python multiprocessing segments of a killed program are reaped, live ones kept" {
	command -v python3 >/dev/null || skip "no python3"
	run ns "$PRELUDE"'
		cat >/dev/shm/t/leak.py <<PY
import os, sys, time
from multiprocessing import shared_memory, resource_tracker
segs = [shared_memory.SharedMemory(create=True, size=4096 * (i + 1)) for i in range(3)]
resource_tracker.ensure_running()
print(resource_tracker._resource_tracker._pid, " ".join(s.name for s in segs), flush=True)
time.sleep(60)
PY
		python3 /dev/shm/t/leak.py >/dev/shm/t/leak.out & py=$!
		for i in $(seq 200); do [ -s /dev/shm/t/leak.out ] && break; sleep 0.05; done
		read tracker names </dev/shm/t/leak.out
		# a live Python program holds its segments: none is reaped
		[ "$("$IPCADM" reap --all-visible -J -i --name "psm_*" | jq length)" -eq 0 ]
		want "$("$IPCADM" list --all-visible -J pshm | jq -r "[.pshm[].verdict] | unique | join(\",\")")" in-use
		kill -KILL $py $tracker; wait $py 2>/dev/null || true
		# the tracker, re-parented, is a python process until its new parent reaps it
		for i in $(seq 200); do [ -e /proc/$tracker ] || break; sleep 0.05; done
		[ ! -e /proc/$tracker ]
		for n in $names; do [ -e /dev/shm/$n ]; done   # leaked: nobody unlinked them
		"$POSIXTOOL" shm-create psm_live 4096
		hold "$POSIXTOOL" shm-map psm_live; live=$HOLDER
		"$POSIXTOOL" shm-create other 4096
		d=$("$IPCADM" reap --all-visible -J -i --name "psm_*")
		want "$(jq -r "[.[].name] | sort | join(\" \")" <<<"$d")" "$(tr " " "\n" <<<"$names" | sed "s,^/,," | sort | tr "\n" " " | sed "s/ $//")"
		want "$(jq -r "[.[].action] | unique | join(\",\")" <<<"$d")" "would remove"
		for n in $names; do [ -e /dev/shm/$n ]; done   # a dry run
		"$IPCADM" reap --all-visible -i --name "psm_*" --yes | tail -1 | grep -qx "3 removed, 0 skipped, 0 failed"
		for n in $names; do [ ! -e /dev/shm/$n ]; done
		[ -e /dev/shm/psm_live ] && [ -e /dev/shm/other ]
		# without --name or a POSIX --kind, POSIX objects are never reaped
		"$IPCADM" reap --all-visible -i --yes | tail -1 | grep -qx "0 removed, 0 skipped, 0 failed"
		[ -e /dev/shm/other ]
		"$IPCADM" reap --all-visible -i -k pshm --yes | tail -1 | grep -qx "1 removed, 0 skipped, 0 failed"
		[ ! -e /dev/shm/other ] && [ -e /dev/shm/psm_live ]
		kill $live'
	ok
}

@test "posix reap: an object mapped or changed after the scan is skipped, not removed" {
	run ns "$PRELUDE"'
		"$POSIXTOOL" shm-create late 4096
		"$POSIXTOOL" mq-create q 4 64
		IPCADM_TEST_REAP_DELAY_MS=1500 "$IPCADM" reap --all-visible -i -k pshm,pmq --yes >/dev/shm/t/out &
		r=$!
		sleep 0.5
		hold "$POSIXTOOL" shm-map late; h=$HOLDER
		"$POSIXTOOL" mq-send q changed
		wait $r
		grep -q "skipped: it changed since the scan (in use) pshm /late" /dev/shm/t/out ||
			grep -q "^skipped: it changed since the scan (in use) pshm /late" /dev/shm/t/out
		grep -q "pmq /q" /dev/shm/t/out
		tail -1 /dev/shm/t/out | grep -qx "0 removed, 2 skipped, 0 failed"
		[ -e /dev/shm/late ] && [ -e /dev/mqueue/q ]
		kill $h'
	ok
}

@test "posix reap: objects opened or mapped between the scan and the removal are kept, the rest go" {
	# The last check before the unlinks is one pass over the processes for every
	# candidate at once: what it finds held stays, and only that.
	run ns "$PRELUDE"'
		"$POSIXTOOL" shm-create a 4096
		"$POSIXTOOL" shm-create b 4096
		for q in q1 q2 q3; do "$POSIXTOOL" mq-create $q 4 64; done
		IPCADM_TEST_REAP_LATE_DELAY_MS=1500 "$IPCADM" reap --all-visible -i -k pshm,pmq \
			--yes --log /dev/shm/t/log >/dev/shm/t/out &
		r=$!
		sleep 0.5
		hold "$POSIXTOOL" shm-map b; hb=$HOLDER
		hold "$POSIXTOOL" mq-hold q2; hq=$HOLDER
		wait $r
		want "$(grep -c "^skipped: it changed since the scan (in use) p" /dev/shm/t/out)" 2 \
			"$(cat /dev/shm/t/out)"
		grep -q "^skipped: .* pshm /b " /dev/shm/t/out
		grep -q "^skipped: .* pmq /q2 " /dev/shm/t/out
		tail -1 /dev/shm/t/out | grep -qx "3 removed, 2 skipped, 0 failed"
		[ -e /dev/shm/b ] && [ -e /dev/mqueue/q2 ]
		[ ! -e /dev/shm/a ] && [ ! -e /dev/mqueue/q1 ] && [ ! -e /dev/mqueue/q3 ]
		# the log: one line per removal, in the order of the report
		want "$(sed -n "s/.*: removed \(p[a-z]* \/[a-z0-9]*\) .*/\1/p" /dev/shm/t/log | paste -sd,)" \
			"pshm /a,pmq /q1,pmq /q3"
		kill $hb $hq'
	ok
}

@test "posix reap: each object is checked again right before its own unlink, after the pass" {
	# The pass over the processes comes once, before the first unlink: a queue that
	# changes after it (a message sent) must still be seen by its own last check.
	# IPCADM_TEST_REAP_UNLINK_DELAY_MS widens the gap between a log line and its unlink.
	run ns "$PRELUDE"'
		for q in q1 q2 q3; do "$POSIXTOOL" mq-create $q 4 64; done
		IPCADM_TEST_REAP_UNLINK_DELAY_MS=1000 "$IPCADM" reap --all-visible -i -k pmq \
			--yes --log /dev/shm/t/log >/dev/shm/t/out &
		r=$!
		for i in $(seq 200); do grep -qs "removed pmq /q1 " /dev/shm/t/log && break; sleep 0.05; done
		"$POSIXTOOL" mq-send q2 late
		wait $r
		grep -q "^removed pmq /q1 " /dev/shm/t/out
		grep -q "^skipped: it changed since the scan (in use) pmq /q2 " /dev/shm/t/out
		grep -q "^removed pmq /q3 " /dev/shm/t/out
		tail -1 /dev/shm/t/out | grep -qx "2 removed, 1 skipped, 0 failed"
		[ -e /dev/mqueue/q2 ] && [ ! -e /dev/mqueue/q1 ] && [ ! -e /dev/mqueue/q3 ]'
	ok
}

@test "posix queues: read through a private mount when mqueue is not mounted, none left behind" {
	run ns "$PRELUDE"'
		"$POSIXTOOL" mq-create q 4 64
		"$POSIXTOOL" mq-send q abc
		umount /dev/mqueue
		before=$(grep -c " mqueue " /proc/self/mountinfo || true)
		want "$(field pmq q QSIZE)" 3
		"$IPCADM" list --all-visible pmq | grep -q "^q "
		want "$(grep -c " mqueue " /proc/self/mountinfo || true)" "$before"
		"$IPCADM" reap --all-visible -i -k pmq --yes | tail -1 | grep -qx "1 removed, 0 skipped, 0 failed"
		expect "$("$IPCADM" list --all-visible -J pmq)" ".pmq | length" 0'
	ok
}

@test "posix limits and doctor: fs.mqueue limits, queues counted, a nearly full /dev/shm is a warning" {
	run ns "$PRELUDE"'
		echo 3 >/proc/sys/fs/mqueue/queues_max
		mount -o remount,size=1M /dev/shm
		"$POSIXTOOL" mq-create a 2 16
		"$POSIXTOOL" mq-create b 2 16
		"$POSIXTOOL" mq-create c 2 16
		j=$("$IPCADM" limits -J)
		lim() { jq -r --arg r "$1" ".[] | select(.resource == \$r) | .$2" <<<"$j"; }
		want "$(lim MQ_QUEUES_MAX limit)/$(lim MQ_QUEUES_MAX used)" 3/3
		want "$(lim MQ_MSG_MAX limit)" "$(cat /proc/sys/fs/mqueue/msg_max)"
		want "$(lim MQ_MSGSIZE_MAX limit)" "$(cat /proc/sys/fs/mqueue/msgsize_max)"
		want "$(lim DEV_SHM limit)" 1048576
		set +e; "$IPCADM" doctor --all-visible -q; rc=$?; set -e
		want $rc 2
		"$POSIXTOOL" shm-create psm_big 900K
		"$POSIXTOOL" shm-fill psm_big
		d=$("$IPCADM" doctor --all-visible || true)
		grep -q "^CRITICAL  MQ_QUEUES_MAX: 3 of 3 POSIX message queues" <<<"$d"
		grep -q "^WARNING   /dev/shm: 900K of 1M used (88%): a full tmpfs kills programs with SIGBUS on first touch" <<<"$d"
		grep -q "pshm /psm_big holds 900K, idle" <<<"$d"
		grep -q "ipcadm reap --all-visible --include-idle --kind pshm,psem --name .NAME\*." <<<"$d"
		f=$({ "$IPCADM" doctor --all-visible -J || true; } | jq -c ".findings[] | select(.name == \"dev-shm\")")
		expect "$f" "[.severity, .type, .kind, .limit, .used] | map(tostring) | join(\" \")" "warning posix pshm 1048576 921600"'
	ok
}

@test "posix errors: unknown names and kinds, invalid names" {
	run ns '"$IPCADM" show --all-visible pshm nosuch'
	[ "$status" -eq 1 ]
	[[ "$output" == *"no pshm named 'nosuch'"* ]]
	run ns '"$IPCADM" who --all-visible /nosuch'
	[ "$status" -eq 1 ]
	[[ "$output" == *"no POSIX shared memory segment, named semaphore or message queue named 'nosuch'"* ]]
	run "$IPCADM" show --all-visible pshm a/b
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid name 'a/b'"* ]]
	run "$IPCADM" reap --all-visible -k pshm,bogus
	[ "$status" -eq 2 ]
}

@test "posix verdicts: CPython's generated names of killed instances are orphaned and reaped by default; a live instance keeps its own" {
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	run ns "$PRELUDE"'
		T=/dev/shm/t; chmod 777 $T
		cat >$T/leak.py <<PY
import multiprocessing as mp, time
from multiprocessing import shared_memory, resource_tracker
lock = mp.get_context("spawn").Lock()   # sem.mp-XXXXXXXX, unlinked only by its finalizer
segs = [shared_memory.SharedMemory(create=True, size=8192) for _ in range(2)]
resource_tracker.ensure_running()
print(resource_tracker._resource_tracker._pid, flush=True)
time.sleep(120)
PY
		cat >$T/keep.py <<PY
import time
from multiprocessing import shared_memory, resource_tracker
held = shared_memory.SharedMemory(create=True, size=4096)
later = shared_memory.SharedMemory(create=True, size=4096)
later.close()   # unmapped, kept by its name for later
resource_tracker.ensure_running()
print(held.name, later.name, flush=True)
time.sleep(120)
PY
		# two instances (uid 4242) killed with their resource trackers leak 2 segments and
		# a lock each
		for i in 1 2; do
			$IPCTOOL drop-to 4242 4242 -- /usr/bin/python3 $T/leak.py >$T/l$i & py=$!
			for j in $(seq 100); do [ -s $T/l$i ] && break; sleep 0.1; done
			kill -KILL $py $(cat $T/l$i); wait $py 2>/dev/null || true
		done
		leaks=$(cd /dev/shm && ls | grep -v "^t$" | sed "s/^sem\.//" | sort | tr "\n" " ")
		want "$(wc -w <<<"$leaks")" 6 "$leaks"
		sleep 3   # past the slack: the live instance starts well after the leaks
		# started from the scenario shell, not detached: a daemon may start up to 60 s
		# after the objects it holds, and would keep the leaks
		$IPCTOOL drop-to 4242 4242 -- /usr/bin/python3 $T/keep.py >$T/k &
		for j in $(seq 100); do [ -s $T/k ] && break; sleep 0.1; done
		read held later <$T/k
		j=$("$IPCADM" list --all-visible -J -o NAME,VERDICT,EVIDENCE pshm psem)
		v() { jq -r "[.pshm[], .psem[]] | .[] | select(.name == \"$1\") | .$2" <<<"$j"; }
		for n in $leaks; do want "$(v $n verdict)" orphaned "$j"; done
		[[ "$(v ${leaks%% *} evidence)" == "python makes such names ("*") for its own use; nobody maps or opens it, and no python process of its owner started before it" ]]
		want "$(v $held verdict)" in-use "$j"
		want "$(v $later verdict)" maybe-in-use "$j"
		[[ "$(v $later evidence)" == *"(python3) may hold it"*"python process"*"of its owner started before it" ]]
		# the doctor names the leak, grouped by program, with the reap that removes it
		"$IPCADM" doctor --all-visible >$T/doc || true
		grep -q "^IPC WARNING: 6 orphaned POSIX objects hold" $T/doc
		grep -q "python of uid 4242: 4 shared memory, 2 semaphores, 0 queues" $T/doc
		grep -q "fix: ipcadm reap --all-visible --kind pshm,psem --owner 4242 --yes" $T/doc
		m=$("$IPCADM" metrics --all-visible)
		grep -qx "ipcadm_posix_orphaned_objects{program=\"python\"} 6" <<<"$m"
		grep -q "^ipcadm_verdict_objects{kind=\"psem\",verdict=\"orphaned\"} 2$" <<<"$m"
		# reap without flags removes the leaks and nothing of the live instance
		"$IPCADM" reap --all-visible --yes >$T/out
		tail -1 $T/out | grep -qx "6 removed, 0 skipped, 0 failed"
		left=$(cd /dev/shm && ls | grep -v "^t$" | sort | tr "\n" " ")
		want "$left" "$(printf "%s\n" $held $later | sort | tr "\n" " ")" "$(cat $T/out)"
		"$IPCADM" doctor --all-visible | grep -q "no orphaned POSIX objects" || "$IPCADM" doctor --all-visible -q
		echo done'
	ok
	[ "${lines[-1]}" = done ]
}
