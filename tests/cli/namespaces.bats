#!/usr/bin/env bats
# namespaces.bats: -A/--all-namespaces and -N/--namespace, in private namespaces: several
# IPC namespaces (made with unshare, kept alive by a sleeping process started and killed
# by PID) with their own objects and limits, holders matched in each, host PIDs, and a leak
# reaped inside one namespace without touching the others.

load ipc-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"
export POSIXTOOL

# keeper SCRIPT: runs SCRIPT in a new IPC namespace, then sleeps there; its PID (ours)
# in $KEEPER once SCRIPT is done.
PRELUDE='
keeper() {
	local f; f=$(mktemp /dev/shm/t/k.XXXXXX)
	unshare --ipc sh -c "$1
		echo ready >$f; exec sleep 120" &
	KEEPER=$!
	for i in $(seq 200); do grep -q ready $f && return 0; sleep 0.05; done
	echo "keeper never got ready" >&2; exit 1
}
nsof() { readlink /proc/$1/ns/ipc | tr -dc 0-9; }
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
'

@test "namespaces: -A lists every namespace's own objects and limits, each entry with its namespace" {
	run ns "$PRELUDE"'
		"$IPCTOOL" shm-create 0x1000 4096 600 >/dev/null
		keeper "echo 40 >/proc/sys/kernel/shmmni; \"$IPCTOOL\" shm-create 0x2000 8192 600 >/dev/null; \"$IPCTOOL\" sem-create 0x2001 3 600 >/dev/null"; a=$KEEPER
		keeper "echo 50 >/proc/sys/kernel/msgmni; \"$IPCTOOL\" msg-create 0x3000 600 >/dev/null; \"$POSIXTOOL\" mq-create jobs 4 64; \"$POSIXTOOL\" mq-send jobs hi"; b=$KEEPER
		me=$(nsof $$) na=$(nsof $a) nb=$(nsof $b) init=$(nsof 1)
		j=$("$IPCADM" list --all-visible -A -J)
		expect "$j" "[.namespaces[].namespace] | sort | map(tostring) | join(\" \")" "$(printf "%s\n" $me $na $nb $init | sort | tr "\n" " " | sed "s/ $//")"
		expect "$j" ".namespaces[] | select(.self) | .namespace" $me
		expect "$j" ".namespaces[] | select(.namespace == $na) | [.pid, .command, .procs] | map(tostring) | join(\" \")" "$a sleep 1"
		expect "$j" "[.shm[] | [.namespace, .key] | map(tostring) | join(\":\")] | sort | join(\" \")" "$(printf "%s\n" "$me:0x00001000" "$na:0x00002000" | sort | tr "\n" " " | sed "s/ $//")"
		expect "$j" "[.sem[] | .namespace] | map(tostring) | join(\" \")" $na
		expect "$j" "[.msg[] | .namespace] | map(tostring) | join(\" \")" $nb
		expect "$j" ".pmq[] | [.namespace, .name, .qsize] | map(tostring) | join(\" \")" "$nb jobs 2"
		# without -A: only our own, and no namespace keys
		expect "$("$IPCADM" list --all-visible -J shm)" "[.shm[].key] | join(\" \")" 0x00001000
		expect "$("$IPCADM" list --all-visible -J shm)" ".shm[0] | has(\"namespace\")" false
		l=$("$IPCADM" limits -A -J)
		lim() { jq -r ".limits[] | select(.namespace == $1 and .resource == \"$2\") | .limit" <<<"$l"; }
		want "$(lim $na SHMMNI)" 40
		want "$(lim $nb MSGMNI)" 50
		want "$(lim $me SHMMNI)" "$(cat /proc/sys/kernel/shmmni)"
		"$IPCADM" list --all-visible -A | grep -q "^IPC namespaces$"
		kill $a $b'
	ok
}

@test "namespaces: -N PID and -N PATH read one namespace; holders are matched in it, PIDs are ours" {
	run ns "$PRELUDE"'
		mine=$("$IPCTOOL" shm-create 0x77 4096 600)
		hold "$IPCTOOL" shm-attach $mine 120; h=$HOLDER
		# the same key and ID in another namespace, attached there by another process
		unshare --ipc sh -c "id=\$(\"$IPCTOOL\" shm-create 0x77 4096 600); exec \"$IPCTOOL\" shm-attach \$id 120" >/dev/shm/t/o &
		a=$!
		for i in $(seq 200); do grep -q ready /dev/shm/t/o && break; sleep 0.05; done
		na=$(nsof $a)
		j=$("$IPCADM" list --all-visible -J -N $a -o ID,KEY,CPID,LPID,HOLDERS,VERDICT shm)
		expect "$j" "[.namespaces[].namespace] | map(tostring) | join(\" \")" $na
		expect "$j" ".shm | length" 1
		# the kernel recorded the attacher as the host sees it (the reader kept our PID namespace)
		expect "$j" ".shm[0] | [.namespace, .lpid, .holders, .verdict] | map(tostring) | join(\" \")" "$na $a $a(ipctool) in-use"
		j=$("$IPCADM" who --all-visible -J -N /proc/$a/ns/ipc shm 0)
		expect "$j" "[.shm[0].holders[].pid] | map(tostring) | join(\" \")" $a
		expect "$j" ".shm[0].namespace" $na
		# our own segment is held by our holder only
		expect "$("$IPCADM" who --all-visible -J shm $mine)" "[.shm[0].holders[].pid] | map(tostring) | join(\" \")" $h
		mkdir -p /dev/shm/t/nsdir; touch /dev/shm/t/nsdir/ipc; mount --bind /proc/$a/ns/ipc /dev/shm/t/nsdir/ipc
		expect "$("$IPCADM" list --all-visible -J -N /dev/shm/t/nsdir/ipc shm)" "[.shm[].namespace] | map(tostring) | join(\" \")" $na
		"$IPCADM" show --all-visible -N $a shm 0 | grep -q "^Shared memory segment 0 in IPC namespace $na$"
		# by its inode, as -A lists it (and as the link reads): no PID to be reused
		expect "$("$IPCADM" list --all-visible -J -N ipc:$na shm)" "[.shm[].namespace] | map(tostring) | join(\" \")" $na
		expect "$("$IPCADM" who --all-visible -J -N "ipc:[$na]" shm 0)" "[.shm[0].holders[].pid] | map(tostring) | join(\" \")" $a
		umount /dev/shm/t/nsdir/ipc
		kill $a $h'
	ok
}

@test "namespaces: -A gives each kind one JSON array, and each row one NAMESPACE" {
	run ns "$PRELUDE"'
		"$IPCTOOL" shm-create 0x1000 4096 600 >/dev/null
		keeper "\"$IPCTOOL\" shm-create 0x2000 8192 600 >/dev/null"; a=$KEEPER
		me=$(nsof $$) na=$(nsof $a)
		# shm 0 in both namespaces: one "shm" array with both, not the key twice
		for cmd in show who; do
			j=$("$IPCADM" $cmd --all-visible -A -J shm 0)
			want "$(grep -o "\"shm\":" <<<"$j" | wc -l)" 1 "$cmd -A -J"
			expect "$j" "[.shm[].namespace] | sort | map(tostring) | join(\" \")" "$(printf "%s\n" $me $na | sort | tr "\n" " " | sed "s/ $//")"
		done
		# +NAMESPACE adds to defaults that -A already begins with NAMESPACE
		"$IPCADM" list --all-visible -A -o +NAMESPACE shm | grep -E "(^| )KEY " >/dev/shm/t/h
		want "$(grep -o NAMESPACE /dev/shm/t/h | wc -l)" 1 "$(cat /dev/shm/t/h)"
		j=$("$IPCADM" list --all-visible -A -J -o +NAMESPACE shm)
		want "$(grep -c "\"namespace\": .*\"namespace\":" <<<"$j")" 0 "$j"
		kill $a'
	ok
}

@test "namespaces: a leak reaped inside one namespace; the others keep theirs" {
	run ns "$PRELUDE"'
		"$IPCTOOL" shm-create 0 4096 600 >/dev/null        # our own orphan
		keeper "\"$IPCTOOL\" shm-create 0 4096 600 >/dev/null; \"$IPCTOOL\" shm-create 0x5 4096 600 >/dev/null"; a=$KEEPER
		keeper "\"$IPCTOOL\" shm-create 0 4096 600 >/dev/null"; b=$KEEPER
		sleep 3   # past the slack: the sleeping keepers started before the segments
		d=$("$IPCADM" reap --all-visible -J -A)
		want "$(jq length <<<"$d")" 3 "$d"
		"$IPCADM" reap --all-visible -N $a --yes --log /dev/shm/t/log | tail -1 | grep -qx "1 removed, 0 skipped, 0 failed"
		grep -q "removed shm 0 key 0x00000000 .* (IPC namespace $(nsof $a))" /dev/shm/t/log
		expect "$("$IPCADM" list --all-visible -J -A shm)" "[.shm[] | [.namespace, .key] | map(tostring) | join(\":\")] | sort | join(\" \")" \
			"$(printf "%s\n" "$(nsof $$):0x00000000" "$(nsof $a):0x00000005" "$(nsof $b):0x00000000" | sort | tr "\n" " " | sed "s/ $//")"
		# nothing was removed from our own namespace, nor from the third
		[ "$(ipcs -m | grep -c "^0x00000000")" -eq 1 ]
		[ "$(nsenter --ipc --target $b ipcs -m | grep -c "^0x00000000")" -eq 1 ]
		kill $a $b'
	ok
}

@test "namespaces: reap -N keeps a queue a process of that namespace began waiting on" {
	run ns "$PRELUDE"'
		mkq="\"$IPCTOOL\" drop-to 4242 4242 -- \"$IPCTOOL\" msg-create 0 600"
		keeper "$mkq >/dev/null; $mkq >/dev/null"; a=$KEEPER   # its queues 0 and 1: orphaned
		mine=$("$IPCTOOL" msg-create 0 600)   # ID 0 here too, waited on here
		"$IPCTOOL" msg-wait $mine 30 > /dev/shm/t/mine & m=$!
		ready /dev/shm/t/mine
		sleep 2
		IPCADM_TEST_REAP_DELAY_MS=1500 \
			"$IPCADM" reap --all-visible -N $a --yes > /dev/shm/t/out &
		r=$!
		sleep 0.5
		nsenter --ipc --target $a "$IPCTOOL" msg-wait 1 30 > /dev/shm/t/w & w=$!
		ready /dev/shm/t/w
		wait $r
		o=$(cat /dev/shm/t/out)
		grep -q "^skipped: a process began waiting on it msg 1 " <<<"$o" || want "" x "$o"
		# a wait on the same ID in another namespace is no wait on this one
		grep -q "^removed msg 0 " <<<"$o" || want "" x "$o"
		nsenter --ipc --target $a "$IPCTOOL" msg-send 1 3 there
		"$IPCTOOL" msg-send $mine 4 here
		wait $w; wait $m
		want "$(cat /dev/shm/t/w)" "$(printf "ready\ngot 3 there")"
		want "$(cat /dev/shm/t/mine)" "$(printf "ready\ngot 4 here")"
		kill $a'
	ok
}

@test "namespaces: reap -N removes that namespace queues, keeps one opened after the scan" {
	run ns "$PRELUDE"'
		keeper "for q in q1 q2 q3; do \"$POSIXTOOL\" mq-create \$q 4 64; done"; a=$KEEPER
		"$POSIXTOOL" mq-create q2 4 64   # ours: the same name, another queue
		IPCADM_TEST_REAP_LATE_DELAY_MS=1500 "$IPCADM" reap --all-visible -N $a -i -k pmq \
			--yes --log /dev/shm/t/log > /dev/shm/t/out &
		r=$!
		sleep 0.5
		nsenter --ipc --target $a "$POSIXTOOL" mq-hold q2 > /dev/shm/t/h & h=$!
		ready /dev/shm/t/h
		wait $r
		o=$(cat /dev/shm/t/out)
		grep -q "^removed pmq /q1 " <<<"$o" || want "" x "$o"
		grep -q "^skipped: it changed since the scan (in use) pmq /q2 " <<<"$o" || want "" x "$o"
		grep -q "^removed pmq /q3 " <<<"$o" || want "" x "$o"
		want "$(sed -n "s/.*: removed \(pmq \/q[0-9]\) .*/\1/p" /dev/shm/t/log | paste -sd,)" \
			"pmq /q1,pmq /q3"
		want "$(nsenter --ipc --target $a sh -c "mkdir -p /dev/shm/t/mq; mount -t mqueue mq /dev/shm/t/mq; ls /dev/shm/t/mq; umount /dev/shm/t/mq")" q2
		[ -e /dev/mqueue/q2 ]
		kill $h $a'
	ok
}

@test "namespaces: doctor and metrics label each namespace; the exit status is the worst one's" {
	run ns "$PRELUDE"'
		keeper "echo 4 >/proc/sys/kernel/shmmni; \"$IPCTOOL\" fill shm 4 >/dev/null
			\"$IPCTOOL\" shm-write 0 hello"; a=$KEEPER
		keeper ":"; b=$KEEPER
		set +e; "$IPCADM" doctor --all-visible -A -q >/dev/shm/t/d; rc=$?; set -e
		want $rc 2
		grep -q "^IPC namespace $(nsof $a) (pid $a sleep.*): IPC CRITICAL: SHMMNI: 4 of 4" /dev/shm/t/d
		set +e; "$IPCADM" doctor --all-visible -N $b -q; rc=$?; set -e
		want $rc 0
		j=$("$IPCADM" doctor --all-visible -A -J || true)
		expect "$j" ".namespaces[] | select(.namespace == $(nsof $a)) | .doctor.status" critical
		expect "$j" ".status" critical
		"$IPCADM" metrics --all-visible -A > /dev/shm/t/m.prom
		promtool check metrics < /dev/shm/t/m.prom
		grep -qx "ipcadm_objects{namespace=\"$(nsof $a)\",kind=\"shm\"} 4" /dev/shm/t/m.prom
		grep -qx "ipcadm_objects{namespace=\"$(nsof $b)\",kind=\"shm\"} 0" /dev/shm/t/m.prom
		# each namespace read as the doctor reads it: the segments resident memory too
		grep -qx "ipcadm_shm_resident_bytes{namespace=\"$(nsof $a)\"} $(getconf PAGESIZE)" /dev/shm/t/m.prom
		[ "$(grep -c "^# TYPE ipcadm_objects gauge" /dev/shm/t/m.prom)" -eq 1 ]
		kill $a $b'
	ok
}

@test "namespaces: bad -N values and -A with -N are errors" {
	run "$IPCADM" list --all-visible -A -N 1
	[ "$status" -eq 2 ]
	run ns '"$IPCADM" list --all-visible -N 999999'
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot find the IPC namespace '999999'"* ]]
	run ns '"$IPCADM" list --all-visible -N /dev/null'
	[ "$status" -eq 1 ]
	# an inode no process is in, and inodes that are not numbers
	run ns '"$IPCADM" list --all-visible -N ipc:1234567'
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot find the IPC namespace 'ipc:1234567'"* ]]
	for bad in ipc: ipc:x12 "ipc:[12" ipc:0 "ipc:-1" ipcid: ipcid:0 ipcid:x; do
		run "$IPCADM" list --all-visible -N "$bad"
		[ "$status" -ne 0 ] && [[ "$output" == *"cannot find the IPC namespace"* ]]
	done
}
