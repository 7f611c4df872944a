#!/usr/bin/env bats
# trace.bats: `ipcadm trace` follows the IPC calls of its own scenario's process tree (in
# private namespaces), explains a failing get call, and never leaves a tracefs instance.

load trace-lib

POSIXTOOL="$IPCADM_BUILD/helpers/posixtool"

setup() {
	need_tracefs
	trace_setup
	APACHE_PID=""
}

teardown() {
	# an apache2 that started after all is stopped by its PID, checked to be apache2
	if [ -n "$APACHE_PID" ] && [ "$(cat "/proc/$APACHE_PID/comm" 2>/dev/null)" = apache2 ]; then
		kill "$APACHE_PID" 2>/dev/null || true
	fi
	trace_teardown
}

# wait_line FILE PATTERN: waits (20 s at most) for a line of FILE matching PATTERN.
wait_line() {
	local i
	for ((i = 0; i < 400; i++)); do
		grep -qE "$2" "$1" && return 0
		sleep 0.05
	done
	echo "no line matching '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

@test "trace: semget failing for SEMMNI is explained: the limit, the orphans, the fix" {
	scenario 'echo "250 32000 32 4" > /proc/sys/kernel/sem
		"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill sem 4 >/dev/null
		"$IPCTOOL" sem-create 0 1 600 && exit 9'
	start_trace "$BATS_TEST_TMPDIR/out" --pid "$SCEN_PID"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/out" "semget"
	touch "$DONE"
	wait "$SCEN_PID"
	stop_trace
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ] # failures only: the four arrays made are not listed
	[[ "${lines[0]}" == *" semget(IPC_PRIVATE, 1, IPC_CREAT|IPC_EXCL|0600) by ipctool["* ]]
	[[ "${lines[0]}" == *"]: ENOSPC (No space left on device): SEMMNI: 4 of 4 semaphore arrays in use; fix: ipcadm reap -N "*" --kind sem --owner 1234 --yes (removes the 4 orphaned semaphore arrays of uid 1234)" ]]
	# the namespace is the scenario's, not ours
	[[ "${lines[0]}" != *"ipc:$(stat -L -c %i /proc/self/ns/ipc) "* ]]
}

# Apache (Debian's apache2-bin) with its accept mutex a System V semaphore array, in the
# scenario's namespaces and a network namespace of its own (it listens on loopback only).
@test "trace: a real apache2 whose semget fails for SEMMNI is explained" {
	local c
	[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_mpm_prefork.so ] ||
		skip "no apache2 at /usr/sbin/apache2 (Debian package apache2-bin)"
	AP="$BATS_TEST_TMPDIR/apache"
	export AP
	mkdir "$AP"
	mkfifo "$AP/go"
	# prefork takes its accept mutex only with more than one listener
	cat >"$AP/httpd.conf" <<-EOF
		ServerRoot "$AP"
		ServerName localhost
		DocumentRoot "$AP"
		PidFile "$AP/apache2.pid"
		ErrorLog "$AP/error.log"
		LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
		User nobody
		Group nogroup
		Listen 127.0.0.1:18471
		Listen 127.0.0.1:18472
		Mutex sysvsem default
	EOF
	# two arrays leaked by uid 1234 fill SEMMNI; apache2 starts once we know its PID (the
	# shell waits 20 s at most, so a failed test leaves nothing waiting). Its own session:
	# apache2 stopping signals its process group, which would otherwise be ours.
	scenario 'echo "250 32000 32 2" > /proc/sys/kernel/sem
		"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill sem 2 >/dev/null
		unshare --net bash -c "ip link set lo up && echo ready >\"\$AP/net\" &&
			read -r -t 20 _ <>\"\$AP/go\" &&
			exec setsid /usr/sbin/apache2 -f \"\$AP/httpd.conf\" -DFOREGROUND" \
			2>"$AP/stderr" || echo "$?" >"$AP/exit"'
	start_trace "$BATS_TEST_TMPDIR/out" --pid "$SCEN_PID"
	touch "$GO"
	ready "$AP/net"
	# the deepest process of the scenario is the shell that becomes apache2
	APACHE_PID=$SCEN_PID
	while c=$(pgrep -P "$APACHE_PID" | head -n 1) && [ -n "$c" ]; do
		APACHE_PID=$c
	done
	[ "$(cat "/proc/$APACHE_PID/comm")" = bash ]
	echo go 1<>"$AP/go" # read-write: never blocks, whoever reads
	wait_line "$BATS_TEST_TMPDIR/out" "semget"
	touch "$DONE"
	wait "$SCEN_PID"
	stop_trace
	# apache2 ran, and stopped because it could not make its mutex (it says so on stderr:
	# the failure comes before its ErrorLog is open)
	cat "$AP/stderr"
	[ "$(cat "$AP/exit")" -ne 0 ]
	grep -q "No space left on device: AH00023: Couldn't create the mpm-accept mutex" \
		"$AP/stderr"
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" semget(IPC_PRIVATE, 1, IPC_CREAT|0600) by apache2[$APACHE_PID]: ENOSPC (No space left on device): SEMMNI: 2 of 2 semaphore arrays in use; fix: ipcadm reap -N "*" --kind sem --owner 1234 --yes (removes the 2 orphaned semaphore arrays of uid 1234)" ]]
	[ ! -e "$TRACEFS/instances/ipcadm-trace-$TRACE_PID" ]
}

@test "trace: --pid follows its descendants only; a process outside is not shown" {
	scenario '"$IPCTOOL" msg-create 0xa 600 >/dev/null
		bash -c "\"\$IPCTOOL\" msg-create 0xa 600" && exit 9'
	scenario '"$IPCTOOL" msg-create 0xb 600 >/dev/null
		"$IPCTOOL" msg-create 0xb 600 && exit 9' SCEN2_PID
	start_trace "$BATS_TEST_TMPDIR/out" -p "$SCEN_PID"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/out" "msgget"
	grep -q "msg-create 0xb: File exists" "$BATS_TEST_TMPDIR/scenario.out" ||
		wait_line "$BATS_TEST_TMPDIR/scenario.out" "0xb: File exists"
	sleep 0.2
	touch "$DONE"
	stop_trace
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" msgget(0x0000000a, IPC_CREAT|IPC_EXCL|0600) by ipctool["*"]: EEXIST (File exists)" ]]
}

@test "trace: -N shows the calls of one IPC namespace only" {
	scenario 'unshare --ipc bash -c "\"\$IPCTOOL\" msg-create 0xe 600 >/dev/null
			\"\$IPCTOOL\" msg-create 0xe 600 || true"
		"$IPCTOOL" msg-create 0xd 600 >/dev/null
		"$IPCTOOL" msg-create 0xd 600 && exit 9'
	sleep 0.3
	start_trace "$BATS_TEST_TMPDIR/out" -p "$SCEN_PID" -N "/proc/$(waiter "$SCEN_PID")/ns/ipc"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/out" "msgget"
	wait_line "$BATS_TEST_TMPDIR/scenario.out" "0xd: File exists"
	sleep 0.3
	touch "$DONE"
	stop_trace
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" msgget(0x0000000d, IPC_CREAT|IPC_EXCL|0600) by ipctool["* ]]
	grep -q "0xe: File exists" "$BATS_TEST_TMPDIR/scenario.out" # it failed, unseen
}

@test "trace: --all -J: one JSON object a line, successes, IPC_RMID and mq names" {
	export POSIXTOOL
	scenario 'id=$("$IPCTOOL" sem-create 0x5 2 600)
		"$IPCTOOL" rm sem "$id"
		"$IPCTOOL" shm-attach 999999 || true
		"$POSIXTOOL" mq-create q1 4 64 >/dev/null
		"$POSIXTOOL" mq-hold q1 20 >"$GO.hold" &
		ready "$GO.hold"'
	start_trace "$BATS_TEST_TMPDIR/out" --all -J --pid "$SCEN_PID"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/out" '"flags": 0, "result"'
	touch "$DONE"
	stop_trace
	run jq -c -s '[.[] | [.call, .command, (.key // .id), .errno, (.result != null), .cmd,
		(.ipcns > 0)]]' "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = '[["semget","ipctool","0x00000005",null,true,null,true],["semctl","ipctool",0,null,true,"IPC_RMID",true],["shmat","ipctool",999999,"EINVAL",false,null,true],["mq_open","posixtool",null,null,true,null,true],["mq_open","posixtool",null,null,true,null,true]]' ]
	# the name is read from the process when the event is: the holder is still there
	run jq -r 'select(.call == "mq_open" and .flags == 0) | .name' "$BATS_TEST_TMPDIR/out"
	[ "$output" = "/q1" ]
}

@test "trace: the instance goes on SIGTERM and a closed pipe; a killed trace's goes next time" {
	local first
	start_trace "$BATS_TEST_TMPDIR/a" -d 60
	[ -d "$TRACEFS/instances/ipcadm-trace-$TRACE_PID" ]
	kill -TERM "$TRACE_PID"
	wait "$TRACE_PID"
	[ ! -e "$TRACEFS/instances/ipcadm-trace-$TRACE_PID" ]

	# a closed pipe: the line after the first cannot be written
	scenario '"$IPCTOOL" msg-create 0xc 600 >/dev/null
		for i in 1 2 3; do "$IPCTOOL" msg-create 0xc 600 || true; sleep 0.2; done'
	"$IPCADM" trace -p "$SCEN_PID" 2>"$BATS_TEST_TMPDIR/b.err" \
		> >(head -n 1 >"$BATS_TEST_TMPDIR/b") &
	first=$!
	ALL_TRACES="$ALL_TRACES $first"
	wait_line "$BATS_TEST_TMPDIR/b.err" "following"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/b" "msgget"
	touch "$DONE"
	wait "$SCEN_PID"
	for ((i = 0; i < 100; i++)); do kill -0 "$first" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$first" 2>/dev/null

	# SIGKILL leaves it; the next trace removes it and leaves a running one's alone
	start_trace "$BATS_TEST_TMPDIR/c" -d 60
	first=$TRACE_PID
	"$IPCADM" trace -d 60 >/dev/null 2>&1 &
	TRACE_PID=$!
	sleep 0.5
	kill -KILL "$TRACE_PID"
	wait "$TRACE_PID" || true
	[ -d "$TRACEFS/instances/ipcadm-trace-$TRACE_PID" ]
	run "$IPCADM" trace -d 1
	[ "$status" -eq 0 ]
	[ ! -e "$TRACEFS/instances/ipcadm-trace-$TRACE_PID" ]
	[ -d "$TRACEFS/instances/ipcadm-trace-$first" ]
	TRACE_PID=$first
	stop_trace
}

@test "trace: a 32-bit program's calls are not seen, and trace says so" {
	[ "$(uname -m)" = x86_64 ] && [ -e /proc/sys/abi/vsyscall32 ] || skip "not x86-64 with IA32"
	command -v as >/dev/null || skip "no assembler"
	# semget(IPC_PRIVATE, 1, IPC_CREAT|0600) by int 0x80 (i386 syscall 393), then exit
	printf '%s\n' '.globl _start' '_start:' 'movl $393, %eax' 'movl $0, %ebx' \
		'movl $1, %ecx' 'movl $0x380, %edx' 'int $0x80' 'movl $1, %eax' \
		'movl $0, %ebx' 'int $0x80' >"$BATS_TEST_TMPDIR/s32.S"
	as --32 -o "$BATS_TEST_TMPDIR/s32.o" "$BATS_TEST_TMPDIR/s32.S"
	ld -m elf_i386 -o "$BATS_TEST_TMPDIR/s32" "$BATS_TEST_TMPDIR/s32.o"
	export S32="$BATS_TEST_TMPDIR/s32"
	scenario '"$S32"; "$IPCTOOL" sem-create 0x7 1 600 >/dev/null
		ipcs -s | grep -c "^0x" > "$GO.count"'
	start_trace "$BATS_TEST_TMPDIR/out" --all -p "$SCEN_PID"
	touch "$GO"
	wait_line "$BATS_TEST_TMPDIR/out" "semget"
	touch "$DONE"
	wait "$SCEN_PID"
	stop_trace
	[ "$(cat "$GO.count")" = 2 ] # both arrays were made
	run cat "$BATS_TEST_TMPDIR/out"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *"semget(0x00000007, 1, IPC_CREAT|IPC_EXCL|0600) by ipctool["* ]]
	grep -q "calls of 32-bit programs are not seen" "$BATS_TEST_TMPDIR/out.err"
}

@test "trace: it says why it cannot trace: in a PID namespace, not root, misuse" {
	run ns '"$IPCADM" trace -d 1'
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot trace inside a PID namespace"*"run 'ipcadm trace' on the host"* ]]
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$IPCADM" trace -d 1
	[ "$status" -eq 1 ]
	[[ "$output" == "ipcadm: cannot trace: following system calls needs root"* ]]
	run "$IPCADM" --root /tmp trace -d 1
	[ "$status" -eq 2 ]
	run "$IPCADM" trace -d 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid duration '0'"* ]]
	run "$IPCADM" trace --pid 0
	[ "$status" -eq 2 ]
	run "$IPCADM" trace extra
	[ "$status" -eq 2 ]
	run "$IPCADM" trace --pid 2147483646 -d 1
	[ "$status" -eq 1 ]
	[[ "$output" == "ipcadm: cannot trace: no process has the PID given" ]]
}
