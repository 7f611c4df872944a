#!/usr/bin/env bats
# compat-ipcs.bats: ipcadm run as ipcs against util-linux 2.38.1's ipcs on generated states
# (tests/differential/ipcs.sh), and each deliberate difference on its own.

load helpers

DIFF="$BATS_TEST_DIRNAME/../differential"

@test "make links ipcs, ipcrm and ipcmk to the program" {
	for t in ipcs ipcrm ipcmk; do
		[ -L "$IPCADM_BUILD/$t" ]
		[ "$(readlink "$IPCADM_BUILD/$t")" = ipcadm ]
	done
}

@test "ipcs prints what util-linux's prints, on generated states (seeds 1 to 3)" {
	run ns "bash '$DIFF/ipcs.sh' 1 2 3"
	echo "$output" | grep -v '^# ipcs seed' | head -60
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 mismatches"* ]]
}

@test "ipcs prints what util-linux's prints, on generated states (seeds 4 to 6)" {
	run ns "bash '$DIFF/ipcs.sh' 4 5 6"
	echo "$output" | grep -v '^# ipcs seed' | head -60
	[ "$status" -eq 0 ]
}

@test "the comparison sees a difference: ipcs -V names ipcadm" {
	run ns ". '$DIFF/lib.sh'; compare root ipcs -V; echo fails=\$DIFF_FAILS"
	[[ "$output" == *"MISMATCH: [root] ipcs -V"* ]]
	[[ "$output" == *"fails=1"* ]]
	run "$IPCADM_BUILD/ipcs" -V
	[ "$status" -eq 0 ]
	[ "$output" = "ipcs from ipcadm $(cat "$BATS_TEST_DIRNAME/../../VERSION") (util-linux 2.38.1 compatible)" ]
}

@test "ipcs -s -p lists each semaphore's last operator (2.38 prints nothing)" {
	run ns 'id=$("$IPCTOOL" sem-create 0x51 3 600)
		"$IPCTOOL" sem-op "$id" 1 1
		pid=$("$IPCADM_BUILD/ipcs" -s -i "$id" | awk "\$1 == 1 {print \$5}")
		echo "pid=$pid"
		/usr/bin/ipcs -s -p | od -c | head -2
		"$IPCADM_BUILD/ipcs" -s -p'
	[ "$status" -eq 0 ]
	[[ "$output" == *"0000000  \\n  \\n"* ]]
	pid=$(echo "$output" | sed -n 's/^pid=//p')
	[ -n "$pid" ] && [ "$pid" -gt 0 ]
	[[ "$output" == *"------ Semaphore Last-op PIDs --------"* ]]
	[[ "$output" == *"semid      owner      semnum     lpid      "* ]]
	echo "$output" | grep -E "^0 +root +0 +0 +$"
	echo "$output" | grep -E "^0 +root +1 +$pid +$"
	echo "$output" | grep -E "^0 +root +2 +0 +$"
}

@test "ipcs -l prints SHMALL exactly where 2.38 overflows 64 bits" {
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "the expected numbers are for 4 KiB pages"
	run ns 'echo 18446744073709551614 >/proc/sys/kernel/shmall
		"$IPCADM_BUILD/ipcs" -m -l; "$IPCADM_BUILD/ipcs" -m -l -b
		"$IPCADM_BUILD/ipcs" -m -l --human; /usr/bin/ipcs -m -l'
	[ "$status" -eq 0 ]
	[[ "$output" == *"max total shared memory (kbytes) = 73786976294838206456"* ]]
	[[ "$output" == *"max total shared memory (bytes) = 75557863725914323410944"* ]]
	[[ "$output" == *"max total shared memory = 64Z"* ]]
	# util-linux 2.38.1 clamps it
	[[ "$output" == *"max total shared memory (kbytes) = 18446744073709551612"* ]]
}

@test "ipcs -l with a SHMALL that fits is util-linux's number" {
	run ns 'echo 2097152 >/proc/sys/kernel/shmall
		"$IPCADM_BUILD/ipcs" -m -l | grep total; /usr/bin/ipcs -m -l | grep total'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "max total shared memory (kbytes) = 8388608" ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "ipcs -u counts as the kernel does: SHM_DEST segments, pages rounded up" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 10000 600)
		b=$("$IPCTOOL" shm-create 0 1 600)
		"$IPCTOOL" sem-create 0 7 600 >/dev/null
		q=$("$IPCTOOL" msg-create 0 600)
		"$IPCTOOL" msg-send "$q" 1 hello; "$IPCTOOL" msg-send "$q" 2 world!
		"$IPCTOOL" shm-attach "$b" 30 > $d/ready.u & 
		ready $d/ready.u
		"$IPCTOOL" rm shm "$b"
		"$IPCADM_BUILD/ipcs" -u >$d/our.u; /usr/bin/ipcs -u >$d/ul.u
		cat $d/our.u; cmp $d/our.u $d/ul.u && echo SAME; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"segments allocated 2"* ]]
	[[ "$output" == *"pages allocated 4"* ]]
	[[ "$output" == *"allocated semaphores = 7"* ]]
	[[ "$output" == *"used headers = 2"* ]]
	[[ "$output" == *"used space = 11 bytes"* ]]
	[[ "$output" == *SAME* ]]
}

@test "ipcs -i with a negative ID finds nothing (2.38 printed the first segment)" {
	run ns '"$IPCTOOL" shm-create 0x10 100 600 >/dev/null
		"$IPCADM_BUILD/ipcs" -m -i -1'
	[ "$status" -eq 0 ]
	[ "$output" = "ipcs: id -1 not found" ]
}

@test "messages name the program as it was called" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$(readlink -f "$IPCADM")" "$BATS_TEST_TMPDIR/bin/ipcs"
	run "$BATS_TEST_TMPDIR/bin/ipcs" -i 1
	[ "$status" -eq 1 ]
	[ "$output" = "ipcs: when using an ID, a single resource must be specified" ]
	run "$BATS_TEST_TMPDIR/bin/ipcs" --bogus
	[ "$status" -eq 1 ]
	[[ "$output" == *"Try 'ipcs --help' for more information."* ]]
}

@test "ipcs lists 4000 segments from one snapshot, with one name lookup per user" {
	run ns 'd=$(mktemp -d); "$IPCTOOL" fill shm 4000 1 >/dev/null
		"$IPCADM_BUILD/ipcs" -m >$d/our.m; /usr/bin/ipcs -m >$d/ul.m
		wc -l <$d/our.m; cmp $d/our.m $d/ul.m && echo SAME; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -eq 4004 ]
	[[ "$output" == *SAME* ]]
}
