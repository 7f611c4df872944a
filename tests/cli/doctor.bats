#!/usr/bin/env bats
# doctor.bats: `ipcadm doctor` names the exhausted limit, who uses it up (with verdicts),
# and remedies that work when run; Nagios exit codes, thresholds, JSON, the overview.

load helpers

FIXTURES="$BATS_TEST_DIRNAME/../fixtures"

# A leak of 7 private arrays by uid 1234 (its process exited) and one array of root
# that a live process waits on, against SEMMNI lowered to 8. Then $1 runs.
sem_leak() {
	ns 'echo "250 32000 32 8" > /proc/sys/kernel/sem
	    "$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill sem 7 >/dev/null
	    live=$("$IPCTOOL" sem-create 0 1 600)
	    exec 3< <("$IPCTOOL" sem-wait "$live" 0 60)
	    read -r -t 10 -u 3 ready
	    '"$1"
}

@test "doctor: SEMMNI exhausted by a leak is critical, grouped by owner and key, with verdicts" {
	run sem_leak '"$IPCADM" doctor --all-visible'
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "IPC CRITICAL: SEMMNI: 8 of 8 semaphore arrays in use (100%): the next semget fails with ENOSPC; "* ]]
	[[ "$output" == *"- 7 of 8 semaphore arrays belong to uid 1234, key 0, created "*" ago; 7 are orphaned"* ]]
	[[ "$output" == *"- 1 of 8 semaphore arrays belongs to 'root', key 0, created "*" ago; 1 is in use"* ]]
	[[ "$output" == *"fix: ipcadm reap --all-visible --kind sem --owner 1234 --yes  # removes the 7 orphaned semaphore arrays of uid 1234"* ]]
	[[ "$output" == *"sysctl -w kernel.sem='250 32000 32 16'"* ]]
	[[ "$output" == *"WARNING   7 orphaned semaphore arrays (7 semaphores)"* ]]
}

@test "doctor: running its reap remedy frees the limit, and semget works again" {
	run sem_leak 'cmd=$("$IPCADM" doctor --all-visible -J | jq -r ".findings[] | select(.name == \"SEMMNI\")
			| .remedies[] | select(startswith(\"ipcadm reap\"))")
		echo "remedy: $cmd"
		"$IPCTOOL" sem-create 0 1 600 2>/dev/null && exit 9
		eval "\"\$IPCADM\"${cmd#ipcadm}" >/dev/null
		"$IPCADM" doctor --all-visible -q && echo "rc=0" || echo "rc=$?"
		"$IPCTOOL" sem-create 0 1 600 >/dev/null && echo created'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "remedy: ipcadm reap --all-visible --kind sem --owner 1234 --yes  # removes the 7 orphaned semaphore arrays of uid 1234" ]]
	[[ "$output" == *"IPC OK: no limit near exhaustion, nothing leaked"* ]]
	[[ "$output" == *"rc=0"* ]]
	[[ "${lines[-1]}" == "created" ]]
}

@test "doctor: its sysctl remedy raises the limit, and the sysctl.d line is well formed" {
	run sem_leak 'json=$("$IPCADM" doctor --all-visible -J || true)
		cmd=$(jq -r ".findings[] | select(.name == \"SEMMNI\") | .remedies[] | select(startswith(\"sysctl \"))" <<<"$json")
		jq -r ".findings[] | select(.name == \"SEMMNI\") | .remedies[] | select(startswith(\"echo \"))" <<<"$json"
		eval "$cmd" >/dev/null
		cat /proc/sys/kernel/sem
		"$IPCADM" doctor --all-visible -J | jq -r ".findings[] | select(.name == \"SEMMNI\") | .severity"'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "echo 'kernel.sem = 250 32000 32 16' > /etc/sysctl.d/60-ipcadm-sem.conf  # keeps it after a reboot" ]]
	[[ "${lines[1]}" == $'250\t32000\t32\t16' ]]
	[[ "${lines[2]}" == "ok" ]]
}

@test "doctor -J: actions are the remedies as data, one for each command line" {
	run sem_leak 'json=$("$IPCADM" doctor --all-visible -J || true)
		f=$(jq -c ".findings[] | select(.name == \"SEMMNI\")" <<<"$json")
		jq -r "[(.remedies | length), (.actions | length)] | @tsv" <<<"$f"
		jq -r ".actions[] | select(.type == \"reap\" and .yes)
			| [(.kinds | join(\",\")), .owner, .count, .all_visible, .include_idle] | @tsv" <<<"$f"
		jq -r ".actions[] | select(.type == \"set_sysctl\")
			| [.sysctl, .limit, (.values | map(tostring) | join(\" \")), .persist] | @tsv" <<<"$f"
		# a script acts on the data, not on a command line: the values into /proc/sys
		jq -r ".actions[] | select(.type == \"set_sysctl\" and (.persist | not))
			| .values | map(tostring) | join(\" \")" <<<"$f" > /proc/sys/kernel/sem
		"$IPCADM" doctor --all-visible -J | jq -r ".findings[] | select(.name == \"SEMMNI\") | .severity"'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == $'3\t3' ]]
	[[ "${lines[1]}" == $'sem\t1234\t7\ttrue\tfalse' ]]
	[[ "${lines[2]}" == $'kernel.sem\tSEMMNI\t250 32000 32 16\tfalse' ]]
	[[ "${lines[3]}" == $'kernel.sem\tSEMMNI\t250 32000 32 16\ttrue' ]]
	[[ "${lines[4]}" == "ok" ]]
}

@test "doctor: thresholds set the severity; exit 0, 1, 2 as a Nagios plugin" {
	run ns 'echo "250 32000 32 8" > /proc/sys/kernel/sem
		"$IPCTOOL" fill sem 6 >/dev/null    # 75%, held by no leak verdict (root owns it)
		"$IPCADM" doctor --all-visible -q --no-verdicts && echo "default=0" || echo "default=$?"
		"$IPCADM" doctor --all-visible -q --no-verdicts --warn 70 || echo "warn70=$?"
		"$IPCADM" doctor --all-visible -q --no-verdicts --warn 70 --crit 75 || echo "crit75=$?"'
	[ "$status" -eq 0 ]
	output_is "IPC OK: no limit near exhaustion, nothing leaked" default=0 \
		"IPC WARNING: SEMMNI: 6 of 8 semaphore arrays in use (75%)" warn70=1 \
		"IPC CRITICAL: SEMMNI: 6 of 8 semaphore arrays in use (75%)" crit75=2
}

@test "doctor: bad options are usage errors; an unreadable state is 3 (unknown)" {
	run "$IPCADM" doctor --all-visible --warn 101
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid --warn '101'"* ]]
	run "$IPCADM" doctor --all-visible --warn 90 --crit 80
	[ "$status" -eq 2 ]
	[[ "$output" == *"--crit (80) is below --warn (90)"* ]]
	run "$IPCADM" doctor --all-visible extra
	[ "$status" -eq 2 ]
	run "$IPCADM" --root /nonexistent doctor
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot read the IPC state below '/nonexistent'"* ]]
}

@test "doctor: a removed segment still counts, and its attacher is named" {
	run ns 'echo 2 > /proc/sys/kernel/shmmni
		id=$("$IPCTOOL" shm-create 0 8192 600)
		exec 3< <("$IPCTOOL" shm-attach "$id" 60); holder=$!
		read -r -t 10 -u 3 ready
		"$IPCTOOL" rm shm "$id"
		"$IPCTOOL" shm-create 0 1 600 >/dev/null
		echo "holder=$holder"
		"$IPCADM" doctor --all-visible || echo "rc=$?"
		kill "$holder"'
	[ "$status" -eq 0 ]
	holder=$(grep -o 'holder=[0-9]*' <<<"$output"); holder=${holder#holder=}
	[[ "$output" == *"CRITICAL  SHMMNI: 2 of 2 shared memory segments in use (100%)"* ]]
	[[ "$output" == *"WARNING   1 removed segment (SHM_DEST) still counts against SHMMNI and SHMALL: 2 pages, 8K"* ]]
	[[ "$output" == *"nattch 1; attached by pid $holder (ipctool)"* ]]
	[[ "$output" == *"ipcadm who shm 0  # the processes attached"* ]]
	[[ "$output" == *"rc=2"* ]]
}

@test "doctor: orphaned segments' memory, shm_rmid_forced, and what switching it on does" {
	run ns '"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill shm 3 5000 >/dev/null
		"$IPCTOOL" shm-create 4660 4096 600 >/dev/null
		"$IPCADM" doctor --all-visible -J > /tmp/doctor.$$.json || echo "rc=$?"
		jq -r ".findings[] | select(.name == \"leaked-shm\") | .severity, .summary" /tmp/doctor.$$.json
		jq -r ".findings[] | select(.name == \"shm_rmid_forced\") | .details[1]" /tmp/doctor.$$.json
		cmd=$(jq -r ".findings[] | select(.name == \"shm_rmid_forced\") | .remedies[0]" /tmp/doctor.$$.json)
		rm -f /tmp/doctor.$$.json
		echo "remedy: $cmd"
		eval "$cmd" >/dev/null
		"$IPCADM" doctor --all-visible -J | jq -r ".findings[] | select(.name == \"leaked-shm\") | .summary"
		ipcs -m | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "rc=1" ]]
	[[ "${lines[1]}" == "warning" ]]
	[[ "${lines[2]}" == "3 orphaned segments hold 0B resident and 0B swapped (14.6K in all)" ]]
	[[ "${lines[3]}" == "switching it on also destroys every segment that nobody attaches and whose creator has exited, keyed ones included" ]]
	[[ "${lines[4]}" == "remedy: sysctl -w kernel.shm_rmid_forced=1" ]]
	# the kernel destroyed the orphans, and the idle keyed segment too (its creator is
	# gone): exactly what the finding warns of
	[[ "${lines[5]}" == "no orphaned segments" ]]
	[[ "${lines[6]}" == "0" ]]
}

@test "doctor -J: one document, findings sorted by severity, same exit status" {
	run sem_leak '"$IPCADM" doctor --all-visible -J > /tmp/doctor.$$.json || echo "rc=$?"
		jq -r ".status" /tmp/doctor.$$.json
		jq -r "[.findings[].severity] | map({critical: 2, warning: 1, ok: 0}[.]) | . == (sort | reverse)" /tmp/doctor.$$.json
		jq -c ".findings[] | select(.name == \"SEMMNI\") | [.type, .kind, .limit, .used, .percent, .groups[0].owner, .groups[0].uid, .groups[0].key, .groups[0].objects, .groups[0].verdicts.orphaned]" /tmp/doctor.$$.json
		rm -f /tmp/doctor.$$.json'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "rc=2" ]]
	[[ "${lines[1]}" == "critical" ]]
	[[ "${lines[2]}" == "true" ]]
	[[ "${lines[3]}" == '["limit","sem",8,8,100,null,1234,"0x00000000",7,7]' ]]
}

@test "doctor on a copied tree: ages from --now, groups of the Apache leak" {
	run "$IPCADM" --root "$FIXTURES/doctor-sem" doctor --now 1700259200 --no-verdicts
	[ "$status" -eq 2 ]
	[[ "$output" == *"WARNING   SEMMNI: 121 of 128 semaphore arrays in use (94%)"* ]]
	[[ "$output" == *"- 97 of 128 semaphore arrays belong to 'apache', key 0, created over the last 3 days"* ]]
	[[ "$output" == *"- 20 more semaphore arrays in 20 other groups"* ]]
	[[ "$output" == *"CRITICAL  MSGMNI: 16 of 16 message queues in use (100%): the next msgget fails with ENOSPC"* ]]
	run "$IPCADM" --root "$FIXTURES/doctor-sem" doctor --now 1700259200 --no-verdicts --top 1
	[[ "$output" == *"- 24 more semaphore arrays in 24 other groups"* ]]
	# a limit that cannot be read is a warning of its own, about no one kind
	run "$IPCADM" --root "$FIXTURES/doctor-unreadable" doctor -J --no-verdicts
	[ "$status" -eq 1 ]
	[[ "$(jq -c '.findings[] | select(.name == "kernel.sem") | [.severity, .type, .kind]' <<<"$output")" == '["warning","unreadable",null]' ]]
}

@test "the overview (ipcadm without a command) ends with the doctor's problems" {
	run ns 'echo 1 > /proc/sys/kernel/msgmni; "$IPCTOOL" msg-create 0 600 >/dev/null; "$IPCADM"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"MSGMNI"*"Doctor:"*"CRITICAL  MSGMNI: 1 of 1 message queues in use (100%)"* ]]
	run ns '"$IPCADM"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Doctor: no limit near exhaustion, nothing leaked."* ]]
}
