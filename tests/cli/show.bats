#!/usr/bin/env bats
# show.bats: `ipcadm show` end to end, in private namespaces: one object's every attribute,
# each semaphore's value, waiters and last PID, a queue's qbytes, equal IDs, errors.

load ipc-lib

@test "show -J shm: every attribute of a segment, after an attach and a detach" {
	run ns 'fakeusers
		t0=$(date +%s)
		bgrun "$IPCTOOL" shm-create 0x4d2 10000 640; id=$OUT cpid=$PID
		"$IPCTOOL" set-owner shm "$id" 4243 4343 660
		hold "$IPCTOOL" shm-attach "$id" ro
		stop "$HOLDER"
		t1=$(date +%s)
		j=$("$IPCADM" show -J shm "$id")
		o=".shm[0]"
		expect "$j" "keys_unsorted | join(\",\")" shm
		expect "$j" ".shm | length" 1
		expect "$j" "$o | keys_unsorted | .[:21] | join(\",\")" \
			key,id,owner,group,uid,gid,cuser,cgroup,cuid,cgid,perms,ctime,size,nattch,status,cpid,lpid,atime,dtime,rss,swap
		expect "$j" "$o.key" 0x000004d2
		expect "$j" "$o.id" "$id"
		expect "$j" "$o.owner" bob
		expect "$j" "$o.group" staff42
		expect "$j" "$o.uid" 4243
		expect "$j" "$o.gid" 4343
		expect "$j" "$o.cuser" root
		expect "$j" "$o.cuid" 0
		expect "$j" "$o.perms" 660
		expect "$j" "$o.size" 10000
		expect "$j" "$o.nattch" 0
		expect "$j" "$o.status" null
		expect "$j" "$o.cpid" "$cpid"
		expect "$j" "$o.lpid" "$HOLDER"
		for t in ctime atime dtime; do between "$t0" "$(jq ".shm[0].$t" <<<"$j")" "$t1"; done'
	ok
}

@test "show: text, raw and export forms of one segment" {
	run ns 'fakeusers
		id=$("$IPCTOOL" shm-create 0x1234 10000 640)
		"$IPCTOOL" set-owner shm "$id" 4242 4343
		"$IPCTOOL" shm-lock "$id"
		text=$("$IPCADM" show shm "$id")
		same "Shared memory segment $id" "$(head -1 <<<"$text")"
		grep -qx "KEY        0x00001234" <<<"$text"
		grep -qx "OWNER      alice" <<<"$text"
		grep -qx "GROUP      staff42" <<<"$text"
		grep -qx "SIZE       9.8K" <<<"$text"
		grep -qx "STATUS     locked" <<<"$text"
		grep -qx "ATIME      -" <<<"$text"
		grep -qx "SIZE       10000" <<<"$("$IPCADM" show -b shm "$id")"
		same "KEY        0x00001234" "$("$IPCADM" show --noheadings shm "$id" | head -1)"
		grep -qx "OWNER alice" <<<"$("$IPCADM" show -r shm "$id")"
		e=$("$IPCADM" show -e shm "$id")
		grep -qx "KEY=\"0x00001234\"" <<<"$e"
		grep -qx "OWNER=\"alice\"" <<<"$e"
		grep -qx "STATUS=\"locked\"" <<<"$e"
		# sh (not bash, where UID is read-only) can eval it
		same "0x00001234 alice 9.8K locked 640" \
			"$(sh -c "eval \"\$1\"; echo \$KEY \$OWNER \$SIZE \$STATUS \$PERMS" sh "$e")"'
	ok
}

@test "show sem: each semaphore's value, waiters and last PID" {
	run ns 'sem=$("$IPCTOOL" sem-create 0x51 3 600)
		bgrun "$IPCTOOL" sem-setall "$sem" 5 0 7; set=$PID
		bgrun "$IPCTOOL" sem-op "$sem" 2 -2; op=$PID
		hold "$IPCTOOL" sem-wait "$sem" 1
		j=$("$IPCADM" show -J sem "$sem")
		expect "$j" ".sem[0].nsems" 3
		expect "$j" ".sem[0].key" 0x00000051
		expect "$j" ".sem[0].sems | tojson" \
			"[{\"semnum\":0,\"value\":5,\"ncnt\":0,\"zcnt\":0,\"pid\":$set},{\"semnum\":1,\"value\":0,\"ncnt\":1,\"zcnt\":0,\"pid\":$set},{\"semnum\":2,\"value\":5,\"ncnt\":0,\"zcnt\":0,\"pid\":$op}]"
		text=$("$IPCADM" show sem "$sem")
		same "SEMNUM  VALUE   NCNT   ZCNT    PID
     0      5      0      0 $(printf "%6d" "$set")
     1      0      1      0 $(printf "%6d" "$set")
     2      5      0      0 $(printf "%6d" "$op")" "$(sed -n "/^SEMNUM/,\$p" <<<"$text")"
		# the waiter gets its semaphore, and its PID is the last operator
		"$IPCTOOL" sem-op "$sem" 1 1
		wait "$HOLDER"
		j=$("$IPCADM" show -J sem "$sem")
		expect "$j" ".sem[0].sems[1] | [.value, .ncnt, .pid] | tojson" "[0,0,$HOLDER]"'
	ok
}

@test "show msg: a queue's qbytes, messages and last PIDs" {
	run ns 'echo 6000 > /proc/sys/kernel/msgmnb
		q=$("$IPCTOOL" msg-create 0 600)
		bgrun "$IPCTOOL" msg-send "$q" 1 "twelve bytes"
		j=$("$IPCADM" show -J msg "$q")
		expect "$j" ".msg[0] | [.qbytes, .qnum, .usedbytes, .lspid, .lrpid] | tojson" "[6000,1,12,$PID,0]"
		grep -qx "QBYTES     5.9K" <<<"$("$IPCADM" show msg "$q")"
		grep -qx "QBYTES     6000" <<<"$("$IPCADM" show -b msg "$q")"'
	ok
}

@test "show ID: every kind that has the ID, one kind when it is named" {
	run ns '"$IPCTOOL" shm-create 0 100 600 >/dev/null
		"$IPCTOOL" sem-create 0 1 600 >/dev/null
		"$IPCTOOL" sem-create 0 2 600 >/dev/null
		"$IPCTOOL" msg-create 0 600 >/dev/null
		"$IPCTOOL" msg-create 0 600 >/dev/null
		expect "$("$IPCADM" show -J 0)" "keys_unsorted | join(\",\")" shm,sem,msg
		expect "$("$IPCADM" show -J 1)" "keys_unsorted | join(\",\")" sem,msg
		expect "$("$IPCADM" show -J 1)" ".sem[0].nsems" 2
		expect "$("$IPCADM" show -J sem 0x1)" "keys_unsorted | join(\",\")" sem
		expect "$("$IPCADM" show -J msg 0)" ".msg[0].id" 0
		[ "$("$IPCADM" show 0 | grep -c "^KEY ")" -eq 3 ]'
	ok
}

@test "show: a removed segment still attached shows dest and key 0" {
	run ns 'id=$("$IPCTOOL" shm-create 0xabc 4096 600)
		hold "$IPCTOOL" shm-attach "$id"
		"$IPCTOOL" rm shm "$id"
		j=$("$IPCADM" show -J shm "$id")
		expect "$j" ".shm[0] | [.key, .status, .nattch] | tojson" "[\"0x00000000\",\"dest\",1]"'
	ok
}

@test "show: --source proc and --source syscall agree" {
	run ns 'fakeusers
		a=$("$IPCTOOL" shm-create 0x10 10000 640); "$IPCTOOL" shm-lock "$a"
		"$IPCTOOL" set-owner shm "$a" 4242 4344
		s=$("$IPCTOOL" sem-create -3 2 600); "$IPCTOOL" sem-setall "$s" 3 4
		q=$("$IPCTOOL" msg-create 0 600); "$IPCTOOL" msg-send "$q" 2 hi
		proc=$("$IPCADM" --source proc show -J "$a" | jq "del(.shm[0].rss, .shm[0].swap)")
		sys=$("$IPCADM" --source syscall show -J "$a" | jq "del(.shm[0].rss, .shm[0].swap)")
		same "$proc" "$sys"
		expect "$proc" "keys_unsorted | join(\",\")" shm,sem,msg
		expect "$proc" ".sem[0].sems | map(.value) | tojson" "[3,4]"'
	ok
}

@test "show: an ID that does not exist is exit 1, with nothing on stdout" {
	run ns '"$IPCTOOL" shm-create 0 100 600 >/dev/null
		set +e
		"$IPCADM" show -J 5 >/dev/shm/t/out 2>/dev/shm/t/err; echo "rc=$?"
		echo "out=[$(cat /dev/shm/t/out)] err=[$(cat /dev/shm/t/err)]"
		"$IPCADM" show sem 0 2>&1; echo "rc=$?"'
	ok
	[[ "${lines[0]}" == "rc=1" ]]
	[[ "${lines[1]}" == "out=[] err=[ipcadm: no shared memory segment, semaphore array or message queue with ID 5]" ]]
	[[ "${lines[2]}" == "ipcadm: no sem with ID 0" ]]
	[[ "${lines[3]}" == "rc=1" ]]
}

@test "show: malformed IDs, unknown kinds and missing arguments are usage errors" {
	for bad in 12x -1 99999999999 0x 0x100000000 "" " 1"; do
		run "$IPCADM" show -- "$bad"
		[ "$status" -eq 2 ] || { echo "ID [$bad]: exit $status"; false; }
		[[ "$output" == *"invalid ID '$bad'"* ]]
	done
	run "$IPCADM" show 12x
	[[ "$output" == *"invalid ID '12x': not a number"* ]]
	run "$IPCADM" show 99999999999
	[[ "$output" == *"invalid ID '99999999999': out of range"* ]]
	run "$IPCADM" show queue-ish 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown kind 'queue-ish'"* ]]
	run "$IPCADM" show
	[ "$status" -eq 2 ]
	run "$IPCADM" show shm 1 2
	[ "$status" -eq 2 ]
	run "$IPCADM" show --bogus 1
	[ "$status" -eq 2 ]
	run "$IPCADM" show --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: ipcadm show"* ]]
}

@test "show escapes an odd owner name: \\xNN in text, JSON escapes in -J" {
	run ns 'cp /etc/passwd /dev/shm/t/passwd
		printf "a\\\\b\001\376:x:4246:4246::/:/bin/false\n" >>/dev/shm/t/passwd
		mount --bind /dev/shm/t/passwd /etc/passwd
		q=$("$IPCTOOL" msg-create 0 600)
		"$IPCTOOL" set-owner msg "$q" 4246 0
		grep -qxF "OWNER      a\\x5cb\\x01\\xfe" <<<"$("$IPCADM" show msg "$q")"
		j=$("$IPCADM" show -J msg "$q")
		grep -qF "\"owner\": \"a\\\\b\\u0001\\ufffd\"" <<<"$j"
		jq -e . <<<"$j" >/dev/null'
	ok
}
