#!/usr/bin/env bats
# limits.bats: `ipcadm limits` end to end, in private namespaces with lowered limits:
# every limit against /proc/sys and `ipcs -l`, the usage against `ipcs -u`, every form.

load ipc-lib

# LOWER: lowers every limit of the namespace (the values the tests below expect).
LOWER='sysctl -q -w kernel.shmmax=1048576 kernel.shmall=100 kernel.shmmni=50 \
	"kernel.sem=40 400 16 20" kernel.msgmni=30 kernel.msgmax=2048 kernel.msgmnb=4096 \
	kernel.shm_rmid_forced=1
'

# ipcs_val LABEL: the number after "LABEL = " (or "LABEL ") in ipcs -l / -u output on stdin.
ipcs_val() {
	sed -n "s/^$1 *=\{0,1\} *\([0-9][0-9]*\).*/\1/p"
}
export -f ipcs_val

@test "limits -J: every lowered limit, as /proc/sys/kernel holds it" {
	run ns "$LOWER"'
		j=$("$IPCADM" limits -J)
		lim() { jq -r --arg r "$1" ".[] | select(.resource == \$r) | .limit" <<<"$j"; }
		same 1048576 "$(lim SHMMAX)" SHMMAX
		same 100 "$(lim SHMALL)" SHMALL
		same 50 "$(lim SHMMNI)" SHMMNI
		same 1 "$(lim SHMMIN)" SHMMIN
		same 1 "$(lim SHM_RMID_FORCED)" SHM_RMID_FORCED
		same 40 "$(lim SEMMSL)" SEMMSL
		same 400 "$(lim SEMMNS)" SEMMNS
		same 16 "$(lim SEMOPM)" SEMOPM
		same 20 "$(lim SEMMNI)" SEMMNI
		same 32767 "$(lim SEMVMX)" SEMVMX
		same 30 "$(lim MSGMNI)" MSGMNI
		same 2048 "$(lim MSGMAX)" MSGMAX
		same 4096 "$(lim MSGMNB)" MSGMNB
		same 32768 "$(lim IPCMNI)" IPCMNI
		expect "$j" "map(keys_unsorted | join(\",\")) | unique | join(\" \")" resource,description,limit,used,percent
		expect "$j" "length" 18'
	ok
}

@test "limits: the limits are the ones ipcs -l reports" {
	run ns "$LOWER"'
		j=$("$IPCADM" limits -J)
		lim() { jq -r --arg r "$1" ".[] | select(.resource == \$r) | .limit" <<<"$j"; }
		l=$(ipcs -l)
		page=$(getconf PAGESIZE)
		same "$(ipcs_val "max number of segments" <<<"$l")" "$(lim SHMMNI)" SHMMNI
		same "$(ipcs_val "max seg size (kbytes)" <<<"$l")" "$(( $(lim SHMMAX) / 1024 ))" SHMMAX
		same "$(ipcs_val "max total shared memory (kbytes)" <<<"$l")" "$(( $(lim SHMALL) * page / 1024 ))" SHMALL
		same "$(ipcs_val "min seg size (bytes)" <<<"$l")" "$(lim SHMMIN)" SHMMIN
		same "$(ipcs_val "max number of arrays" <<<"$l")" "$(lim SEMMNI)" SEMMNI
		same "$(ipcs_val "max semaphores per array" <<<"$l")" "$(lim SEMMSL)" SEMMSL
		same "$(ipcs_val "max semaphores system wide" <<<"$l")" "$(lim SEMMNS)" SEMMNS
		same "$(ipcs_val "max ops per semop call" <<<"$l")" "$(lim SEMOPM)" SEMOPM
		same "$(ipcs_val "semaphore max value" <<<"$l")" "$(lim SEMVMX)" SEMVMX
		same "$(ipcs_val "max queues system wide" <<<"$l")" "$(lim MSGMNI)" MSGMNI
		same "$(ipcs_val "max size of message (bytes)" <<<"$l")" "$(lim MSGMAX)" MSGMAX
		same "$(ipcs_val "default max size of queue (bytes)" <<<"$l")" "$(lim MSGMNB)" MSGMNB'
	ok
}

@test "limits: the usage is what ipcs -u counts (pages rounded up, SHM_DEST counted)" {
	run ns "${LOWER/kernel.shm_rmid_forced=1/kernel.shm_rmid_forced=0}"'
		for s in 10000 4096 1 8193; do "$IPCTOOL" shm-create 0 "$s" 600 >/dev/null; done
		d=$("$IPCTOOL" shm-create 0x77 5000 600)
		hold "$IPCTOOL" shm-attach "$d"
		"$IPCTOOL" rm shm "$d"
		"$IPCTOOL" sem-create 0 3 600 >/dev/null
		"$IPCTOOL" sem-create 0 40 600 >/dev/null
		for i in 1 2 3; do "$IPCTOOL" msg-create 0 600 >/dev/null; done
		j=$("$IPCADM" limits -J)
		used() { jq -r --arg r "$1" ".[] | select(.resource == \$r) | .used" <<<"$j"; }
		u=$(ipcs -u)
		same 5 "$(used SHMMNI)" SHMMNI
		same 10 "$(used SHMALL)" SHMALL # 3 + 1 + 1 + 3 + 2 pages
		same 2 "$(used SEMMNI)" SEMMNI
		same 43 "$(used SEMMNS)" SEMMNS
		same 3 "$(used MSGMNI)" MSGMNI
		same "$(ipcs_val "segments allocated" <<<"$u")" "$(used SHMMNI)" "ipcs SHMMNI"
		same "$(ipcs_val "pages allocated" <<<"$u")" "$(used SHMALL)" "ipcs SHMALL"
		same "$(ipcs_val "used arrays" <<<"$u")" "$(used SEMMNI)" "ipcs SEMMNI"
		same "$(ipcs_val "allocated semaphores" <<<"$u")" "$(used SEMMNS)" "ipcs SEMMNS"
		same "$(ipcs_val "allocated queues" <<<"$u")" "$(used MSGMNI)" "ipcs MSGMNI"
		expect "$j" "[.[] | select(.used == null) | .resource] | join(\",\")" \
			SHMMAX,SHMMIN,SHM_RMID_FORCED,SEMMSL,SEMOPM,SEMVMX,MSGMAX,MSGMNB,IPCMNI,MQ_MSG_MAX,MQ_MSGSIZE_MAX
		expect "$j" "[.[:14][] | select(.used != null) | [.resource, .percent] | join(\"=\")] | join(\" \")" \
			"SHMMNI=10 SHMALL=10 SEMMNI=10 SEMMNS=10.75 MSGMNI=10"'
	ok
}

@test "limits: a fresh namespace has the kernel's defaults and no usage" {
	run ns 'j=$("$IPCADM" limits -J)
		lim() { jq -r --arg r "$1" ".[] | select(.resource == \$r) | .limit" <<<"$j"; }
		same "$(cat /proc/sys/kernel/shmmni)" "$(lim SHMMNI)"
		same "$(cat /proc/sys/kernel/msgmni)" "$(lim MSGMNI)"
		same "$(cat /proc/sys/kernel/sem | tr -s "\t " " ")" "$(lim SEMMSL) $(lim SEMMNS) $(lim SEMOPM) $(lim SEMMNI)"
		# (jq rounds numbers above 2^53: read the default SHMALL from the raw form)
		same "$(cat /proc/sys/kernel/shmall)" "$("$IPCADM" limits -r | awk "\$1 == \"SHMALL\" { print \$3 }")"
		grep -q "\"limit\": $(cat /proc/sys/kernel/shmall)," <<<"$j"
		expect "$j" "[.[] | .used // 0] | add" 0'
	ok
}

@test "limits: a full namespace is at 100%" {
	run ns 'sysctl -q -w kernel.shmmni=2 "kernel.sem=250 4 32 3"
		"$IPCTOOL" fill shm 2 >/dev/null
		"$IPCTOOL" sem-create 0 4 600 >/dev/null
		j=$("$IPCADM" limits -J)
		expect "$j" "[.[] | select(.percent == 100) | .resource] | join(\",\")" SHMMNI,SEMMNS
		! "$IPCTOOL" shm-create 0 1 600 2>/dev/null'
	ok
}

@test "limits: the table, raw and export forms; a usage bar only on a terminal" {
	run ns "${LOWER/kernel.shm_rmid_forced=1/kernel.shm_rmid_forced=0}"'
		"$IPCTOOL" fill shm 5 >/dev/null
		mount -o remount,size=1M /dev/shm   # DEV_SHM as wide as SHMMAX
		t=$("$IPCADM" limits)
		same "RESOURCE        DESCRIPTION                                      LIMIT USED   USE%" "$(head -1 <<<"$t")"
		grep -qx "SHMMNI          Shared memory segments                              50    5 10.00%" <<<"$t"
		grep -qx "SHMMAX          Max size of a segment (bytes)                  1048576    -      -" <<<"$t"
		[ "$(wc -l <<<"$t")" -eq 19 ]
		grep -qx "DEV_SHM         Bytes of the /dev/shm tmpfs (SIGBUS if full)   1048576 .*" <<<"$t"
		! grep -q "USAGE" <<<"$t"
		same "SHMMNI 50 5 10.00%" "$("$IPCADM" limits -r --noheadings | head -1 | cut -d" " -f1,3-)"
		same "RESOURCE DESCRIPTION LIMIT USED USE%" "$("$IPCADM" limits -r | head -1)"
		grep -qx "RESOURCE=\"SHMMNI\" DESCRIPTION=\"Shared memory segments\" LIMIT=\"50\" USED=\"5\" USE_PCT=\"10.00%\"" <<<"$("$IPCADM" limits -e)"
		[ "$("$IPCADM" limits --noheadings | wc -l)" -eq 18 ]
		tty=$(script -qec "$IPCADM limits" /dev/null | tr -d "\r")
		grep -q "USE% USAGE$" <<<"$tty"
		grep -qE "^SHMMNI .* 10.00% \[##\.{18}\]$" <<<"$tty"
		grep -qE "^SHMMAX .* - -$" <<<"$tty"'
	ok
}

@test "limits: extra arguments and unknown options are usage errors" {
	run "$IPCADM" limits shm
	[ "$status" -eq 2 ]
	[[ "$output" == *"unexpected argument 'shm'"* ]]
	run "$IPCADM" limits --bogus
	[ "$status" -eq 2 ]
	run "$IPCADM" limits --time-format never
	[ "$status" -eq 2 ]
	run "$IPCADM" limits --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: ipcadm limits"* ]]
	run "$IPCADM" --root /nonexistent limits
	[ "$status" -eq 1 ]
}
