#!/usr/bin/env bats
# list.bats: `ipcadm list` end to end, in private namespaces: objects made with known
# attributes checked field by field in the JSON, every output mode, both sources, errors.

load ipc-lib

ALL_SHM=KEY,ID,OWNER,GROUP,UID,GID,CUSER,CGROUP,CUID,CGID,PERMS,CTIME,SIZE,NATTCH,STATUS,CPID,LPID,ATIME,DTIME,RSS,SWAP
ALL_SEM=KEY,ID,OWNER,GROUP,UID,GID,CUSER,CGROUP,CUID,CGID,PERMS,CTIME,NSEMS,OTIME
ALL_MSG=KEY,ID,OWNER,GROUP,UID,GID,CUSER,CGROUP,CUID,CGID,PERMS,CTIME,QNUM,USEDBYTES,QBYTES,LSPID,LRPID,STIME,RTIME
export ALL_SHM ALL_SEM ALL_MSG

@test "list -J: a segment's every attribute, owner changed by IPC_SET, one attach" {
	run ns 'fakeusers
		t0=$(date +%s)
		bgrun "$IPCTOOL" shm-create 0x1234 10000 640; id=$OUT cpid=$PID
		"$IPCTOOL" set-owner shm "$id" 4242 4344 604
		hold "$IPCTOOL" shm-attach "$id"
		t1=$(date +%s)
		j=$("$IPCADM" list shm -J -o "$ALL_SHM")
		o=".shm[0]"
		expect "$j" ".shm | length" 1
		expect "$j" "$o.key" 0x00001234
		expect "$j" "$o.id" "$id"
		expect "$j" "$o.owner" alice
		expect "$j" "$o.group" ops
		expect "$j" "$o.uid" 4242
		expect "$j" "$o.gid" 4344
		expect "$j" "$o.cuser" root
		expect "$j" "$o.cgroup" root
		expect "$j" "$o.cuid" 0
		expect "$j" "$o.cgid" 0
		expect "$j" "$o.perms" 604
		expect "$j" "$o.size" 10000
		expect "$j" "$o.nattch" 1
		expect "$j" "$o.status" null
		expect "$j" "$o.cpid" "$cpid"
		expect "$j" "$o.lpid" "$HOLDER"
		expect "$j" "$o.dtime" 0
		expect "$j" "$o.rss | type" number
		expect "$j" "$o.swap" 0
		between "$t0" "$(jq .shm[0].ctime <<<"$j")" "$t1"
		between "$t0" "$(jq .shm[0].atime <<<"$j")" "$t1"
		# the detach shows too
		stop "$HOLDER"
		j=$("$IPCADM" list shm -J -o NATTCH,DTIME,LPID)
		expect "$j" ".shm[0].nattch" 0
		expect "$j" ".shm[0].lpid" "$HOLDER"
		between "$t0" "$(jq .shm[0].dtime <<<"$j")" "$(date +%s)"'
	ok
}

@test "list -J: SHM_DEST and SHM_LOCKED in STATUS; a removed segment's key turns to 0" {
	run ns 'a=$("$IPCTOOL" shm-create 0x11 4096 600)
		b=$("$IPCTOOL" shm-create 0x22 4096 600)
		c=$("$IPCTOOL" shm-create 0x33 4096 600)
		"$IPCTOOL" shm-lock "$a"
		"$IPCTOOL" shm-lock "$c"
		hold "$IPCTOOL" shm-attach "$b"
		hold "$IPCTOOL" shm-attach "$c" ro
		"$IPCTOOL" rm shm "$b"
		"$IPCTOOL" rm shm "$c"
		j=$("$IPCADM" list shm -J -o KEY,ID,STATUS,NATTCH)
		expect "$j" "[.shm[] | [.id, .key, .status, .nattch] | map(tostring) | join(\" \")] | join(\",\")" \
			"$a 0x00000011 locked 0,$b 0x00000000 dest 1,$c 0x00000000 dest,locked 1"
		# ipcs agrees
		ipcs -m | grep -q "dest"'
	ok
}

@test "list -J: semaphore arrays, negative key, otime after a semop" {
	run ns 'fakeusers
		t0=$(date +%s)
		s=$("$IPCTOOL" sem-create -2 3 600)
		p=$("$IPCTOOL" sem-create 0 250 666)
		"$IPCTOOL" set-owner sem "$p" 4243 4343
		j=$("$IPCADM" list sem -J -o "$ALL_SEM")
		expect "$j" ".sem | length" 2
		expect "$j" ".sem[0].key" 0xfffffffe
		expect "$j" ".sem[0].id" "$s"
		expect "$j" ".sem[0].nsems" 3
		expect "$j" ".sem[0].perms" 600
		expect "$j" ".sem[0].owner" root
		expect "$j" ".sem[0].otime" 0
		expect "$j" ".sem[1].key" 0x00000000
		expect "$j" ".sem[1].nsems" 250
		expect "$j" ".sem[1].perms" 666
		expect "$j" ".sem[1].owner" bob
		expect "$j" ".sem[1].group" staff42
		expect "$j" ".sem[1].uid" 4243
		expect "$j" ".sem[1].cuid" 0
		"$IPCTOOL" sem-op "$s" 1 4
		j=$("$IPCADM" list sem -J)
		between "$t0" "$(jq .sem[0].otime <<<"$j")" "$(date +%s)"
		between "$t0" "$(jq .sem[0].ctime <<<"$j")" "$(date +%s)"
		expect "$j" ".sem[1].otime" 0'
	ok
}

@test "list -J: message queues, queued messages, a receive, another creator, qbytes" {
	run ns 'fakeusers
		echo 8000 > /proc/sys/kernel/msgmnb
		t0=$(date +%s)
		q=$("$IPCTOOL" drop-to 4242 4343 -- "$IPCTOOL" msg-create 0x7a 660)
		bgrun "$IPCTOOL" msg-send "$q" 7 hello
		bgrun "$IPCTOOL" msg-send "$q" 9 abc; sender=$PID
		j=$("$IPCADM" list msg -J -o "+$ALL_MSG")
		o=".msg[0]"
		expect "$j" "$o.key" 0x0000007a
		expect "$j" "$o.id" "$q"
		expect "$j" "$o.owner" alice
		expect "$j" "$o.cuser" alice
		expect "$j" "$o.cgroup" staff42
		expect "$j" "$o.cuid" 4242
		expect "$j" "$o.cgid" 4343
		expect "$j" "$o.perms" 660
		expect "$j" "$o.qnum" 2
		expect "$j" "$o.usedbytes" 8
		expect "$j" "$o.qbytes" 8000
		expect "$j" "$o.lspid" "$sender"
		expect "$j" "$o.lrpid" 0
		expect "$j" "$o.rtime" 0
		between "$t0" "$(jq .msg[0].stime <<<"$j")" "$(date +%s)"
		bgrun "$IPCTOOL" msg-wait "$q"
		same "got 7 hello" "$OUT"
		j=$("$IPCADM" list msg -J -o QNUM,USEDBYTES,LRPID,RTIME)
		expect "$j" "$o.qnum" 1
		expect "$j" "$o.usedbytes" 3
		expect "$j" "$o.lrpid" "$PID"
		between "$t0" "$(jq .msg[0].rtime <<<"$j")" "$(date +%s)"'
	ok
}

@test "list -J: key and perms are strings, names strings, every other value a number" {
	run ns 'fakeusers
		s=$("$IPCTOOL" shm-create 1 100 640); "$IPCTOOL" shm-lock "$s"
		"$IPCTOOL" sem-create 2 1 600 >/dev/null
		q=$("$IPCTOOL" msg-create 3 600); "$IPCTOOL" msg-send "$q" 1 x
		j=$("$IPCADM" list -J -o "$ALL_SHM,NSEMS,OTIME,QNUM,USEDBYTES,QBYTES,LSPID,LRPID,STIME,RTIME")
		expect "$j" "keys_unsorted | join(\",\")" shm,sem,msg
		expect "$j" "[.[][] | to_entries[] | select(.value | type != \"number\") | .key] | unique | join(\",\")" \
			cgroup,cuser,group,key,owner,perms,status
		expect "$j" "[.[][] | .key, .perms, .owner, .group | type] | unique | join(\",\")" string
		expect "$j" "[.[][] | keys[]] | map(select(test(\"^[a-z]+$\") | not)) | length" 0'
	ok
}

@test "list: an empty namespace gives empty tables; kinds choose the tables" {
	run ns 'expect "$("$IPCADM" list -J)" "tojson" "{\"shm\":[],\"sem\":[],\"msg\":[]}"
		expect "$("$IPCADM" list -J msg sem)" "keys_unsorted | join(\",\")" sem,msg
		expect "$("$IPCADM" list -J queues)" "keys_unsorted | join(\",\")" msg
		same "KEY ID OWNER PERMS NSEMS OTIME CTIME" "$("$IPCADM" list sem)"
		same "" "$("$IPCADM" list --noheadings sem)"
		same "Shared memory segments
KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID LPID

Semaphore arrays
KEY ID OWNER PERMS NSEMS OTIME CTIME

Message queues
KEY ID OWNER PERMS USEDBYTES QNUM STIME RTIME CTIME LSPID LRPID" "$("$IPCADM" list)"'
	ok
}

@test "list: an aligned table, --bytes, --noheadings" {
	run ns 'a=$("$IPCTOOL" shm-create 0x1234 10000 640)
		b=$("$IPCTOOL" shm-create 0 100 600)
		c=$("$IPCTOOL" shm-create 0x7fffffff 1048576 666)
		"$IPCTOOL" shm-lock "$b"
		same "0 1 2" "$a $b $c"
		same "KEY        ID PERMS SIZE NATTCH STATUS
0x00001234  0 640   9.8K      0 -
0x00000000  1 600   100B      0 locked
0x7fffffff  2 666     1M      0 -" "$("$IPCADM" list shm -o KEY,ID,PERMS,SIZE,NATTCH,STATUS)"
		same "0x00001234 0 640   10000 0 -
0x00000000 1 600     100 0 locked
0x7fffffff 2 666 1048576 0 -" "$("$IPCADM" list shm -b --noheadings -o KEY,ID,PERMS,SIZE,NATTCH,STATUS)"'
	ok
}

@test "list: human sizes are the ones lsipc prints" {
	run ns 'for s in 1 1023 1024 1075 1076 1536 2047 4096 10000 102400 1048063 1048575 1048576 1100000 1572864; do
			"$IPCTOOL" shm-create 0 "$s" 600 >/dev/null
		done
		same "$(lsipc -m -r -o SIZE | tail -n +2)" "$("$IPCADM" list shm -r --noheadings -o SIZE)"
		same "$(lsipc -m -r -b -o SIZE | tail -n +2)" "$("$IPCADM" list shm -r -b --noheadings -o SIZE)"'
	ok
}

@test "list -r and -e: raw lines and shell-safe NAME=\"value\" pairs" {
	run ns 'fakeusers
		s=$("$IPCTOOL" shm-create 0x1234 10000 640)
		"$IPCTOOL" set-owner shm "$s" 4242 4343
		same "KEY ID OWNER PERMS SIZE
0x00001234 $s alice 640 9.8K" "$("$IPCADM" list shm -r -o KEY,ID,OWNER,PERMS,SIZE)"
		same "0x00001234 $s alice 640 9.8K" "$("$IPCADM" list shm -r --noheadings -o KEY,ID,OWNER,PERMS,SIZE)"
		same "KEY=\"0x00001234\" ID=\"$s\" OWNER=\"alice\" PERMS=\"640\" SIZE=\"10000\" STATUS=\"-\"" \
			"$("$IPCADM" list shm -e -b -o KEY,ID,OWNER,PERMS,SIZE,STATUS)"
		eval "$("$IPCADM" list shm -e -o KEY,NATTCH,SIZE)"
		same 0x00001234 "$KEY"
		same 0 "$NATTCH"
		same 9.8K "$SIZE"'
	ok
}

@test "list --time-format: short, full and iso give the kernel's ctime" {
	for tz in UTC Asia/Kolkata America/New_York; do
		export TZ=$tz
		run ns '
		q=$("$IPCTOOL" msg-create 0 600)
		ct=$("$IPCADM" list msg -J -o CTIME | jq .msg[0].ctime)
		same "$(date -d "@$ct" --iso-8601=seconds)" "$("$IPCADM" list msg -r --noheadings -o CTIME --time-format iso)" iso
		same "$(date -d "@$ct" "+%a %b %e %H:%M:%S %Y")" "$("$IPCADM" list msg --noheadings -o CTIME --time-format full)" full
		short=$("$IPCADM" list msg -r --noheadings -o CTIME)
		if [ "$(date -d "@$ct" +%F)" = "$(date +%F)" ]; then
			same "$(date -d "@$ct" +%H:%M)" "$short" short
		fi
		same "$short" "$("$IPCADM" list msg -r --noheadings -o CTIME --time-format short)" short
		same "-" "$("$IPCADM" list msg -r --noheadings -o RTIME --time-format iso)" never'
		echo "TZ=$tz"
		ok
	done
}

@test "list: --source syscall and --source proc give the same list" {
	run ns 'fakeusers
		a=$("$IPCTOOL" shm-create 0x1234 10000 640)
		b=$("$IPCTOOL" shm-create 0 5000 600)
		"$IPCTOOL" set-owner shm "$a" 4242 4343 604
		"$IPCTOOL" shm-lock "$b"
		hold "$IPCTOOL" shm-attach "$b"
		"$IPCTOOL" rm shm "$b"
		s=$("$IPCTOOL" sem-create -5 4 600); "$IPCTOOL" sem-op "$s" 2 3
		"$IPCTOOL" sem-create 0 1 666 >/dev/null
		q=$("$IPCTOOL" drop-to 4243 4344 -- "$IPCTOOL" msg-create 0x99 666)
		"$IPCTOOL" msg-send "$q" 3 hello
		"$IPCTOOL" msg-create 0 600 >/dev/null
		# every attribute column (RSS and SWAP exist only in /proc)
		cols=$(tr , "\n" <<<"$ALL_SHM,$ALL_SEM,$ALL_MSG" | grep -vx -e RSS -e SWAP | sort -u | paste -sd,)
		proc=$("$IPCADM" --source proc list -J -o "$cols")
		sys=$("$IPCADM" --source syscall list -J -o "$cols")
		same "$proc" "$sys" JSON
		expect "$proc" "[.shm, .sem, .msg | length] | join(\" \")" "2 2 2"
		same "$("$IPCADM" --source proc list -o "$cols")" "$("$IPCADM" --source syscall list -o "$cols")" table
		same "$("$IPCADM" --source proc list)" "$("$IPCADM" list)" default
		# rss and swap exist only in /proc
		expect "$("$IPCADM" --source syscall list shm -J -o RSS,SWAP)" ".shm[0] | [.rss, .swap] | tojson" "[null,null]"
		expect "$("$IPCADM" --source proc list shm -J -o RSS,SWAP)" ".shm[0].rss | type" number
		# auto makes the calls, but reads the text for RSS and SWAP
		expect "$("$IPCADM" list shm -J -o ID,SWAP)" ".shm[0].swap | type" number
		: > /dev/shm/t/empty; mount --bind /dev/shm/t/empty /proc/sysvipc/shm
		expect "$("$IPCADM" list shm -J)" ".shm | length" 2
		expect "$("$IPCADM" --source proc list shm -J)" ".shm | length" 0'
	ok
}

@test "list -o: +COL adds to the defaults; a column of another kind is skipped" {
	run ns '"$IPCTOOL" msg-create 0 600 >/dev/null; "$IPCTOOL" shm-create 0 1 600 >/dev/null
		j=$("$IPCADM" list -J -o +GROUP,QBYTES)
		expect "$j" ".msg[0] | keys_unsorted | join(\",\")" key,id,owner,perms,usedbytes,qnum,stime,rtime,ctime,lspid,lrpid,group,qbytes
		expect "$j" ".shm[0] | keys_unsorted | join(\",\")" key,id,owner,perms,size,nattch,status,ctime,cpid,lpid,group
		expect "$j" ".sem" "[]"
		expect "$("$IPCADM" list -J -o id,SIZE,qnum)" "tojson" "{\"shm\":[{\"id\":0,\"size\":1}],\"sem\":[],\"msg\":[{\"id\":0,\"qnum\":0}]}"'
	ok
}

@test "list -J escapes an owner's name as JSON requires; tables escape it as \\xNN" {
	run ns 'cp /etc/passwd /dev/shm/t/passwd
		printf "we\"ird\\\\\001\377x:x:4245:4245::/:/bin/false\n" >>/dev/shm/t/passwd
		mount --bind /dev/shm/t/passwd /etc/passwd
		s=$("$IPCTOOL" shm-create 0 100 600)
		"$IPCTOOL" set-owner shm "$s" 4245 0
		j=$("$IPCADM" list -J)
		jq . <<<"$j" >/dev/null
		grep -qF "\"owner\": \"we\\\"ird\\\\\\u0001\\ufffdx\"" <<<"$j"
		same "$(printf "we\"ird\\\\\001\357\277\275x")" "$(jq -r .shm[0].owner <<<"$j")" decoded
		same "we\"ird\\x5c\\x01\\xffx" "$("$IPCADM" list shm -r --noheadings -o OWNER)" raw
		same "OWNER
we\"ird\\x5c\\x01\\xffx" "$("$IPCADM" list shm -o OWNER)" table
		same "ID OWNER               PERMS
 0 we\"ird\\x5c\\x01\\xffx 600" "$("$IPCADM" list shm -o ID,OWNER,PERMS)" aligned'
	ok
}

@test "list: an unknown column is a usage error that names the valid ones" {
	run "$IPCADM" list -o KEY,FOO
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown column 'FOO'; valid columns: KEY,ID,OWNER,"*",NSEMS,"*",QNUM,"* ]]
	[[ "$output" == *"Try 'ipcadm list --help'"* ]]
	run "$IPCADM" list sem -o +SIZE
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown column 'SIZE'; valid columns: "*"NSEMS,OTIME"* ]]
	[[ "$output" != *"valid columns: "*"QNUM"* ]]
	run "$IPCADM" list -o ""
	[ "$status" -eq 2 ]
	[[ "$output" == *"no columns given to -o"* ]]
	run "$IPCADM" list -o KEY,,ID
	[ "$status" -eq 2 ]
}

@test "list: bad kinds, options and arguments are usage errors (exit 2)" {
	run "$IPCADM" list bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown kind 'bogus' (shm, sem, msg, pshm, psem or pmq)"* ]]
	run "$IPCADM" list --time-format yesterday
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown time format 'yesterday'"* ]]
	run "$IPCADM" list --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == "ipcadm list: unrecognized option '--bogus'"* ]]
	run "$IPCADM" list -x
	[ "$status" -eq 2 ]
	[[ "$output" == "ipcadm list: invalid option -- 'x'"* ]]
	run "$IPCADM" list -o
	[ "$status" -eq 2 ]
	[[ "$output" == "ipcadm list: option requires an argument -- 'o'"* ]]
	run "$IPCADM" lst
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'lst'"* ]]
	run "$IPCADM" --source bogus list
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown source 'bogus'"* ]]
}

@test "list: a failure to read is exit 1; --help lists every column and exits 0" {
	run "$IPCADM" --root /nonexistent list
	[ "$status" -eq 1 ]
	run "$IPCADM" list --help
	[ "$status" -eq 0 ]
	for c in ${ALL_SHM//,/ } ${ALL_SEM//,/ } ${ALL_MSG//,/ }; do
		[[ "$output" == *"  $c "* ]] || { echo "missing $c"; false; }
	done
}
