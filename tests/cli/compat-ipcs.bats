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
	differential ipcs 1 2 3
}

@test "ipcs prints what util-linux's prints, on generated states (seeds 4 to 6)" {
	differential ipcs 4 5 6
}

@test "the comparison sees a difference: ipcs -V names ipcadm" {
	run ns ". '$DIFF/lib.sh'; compare root ipcs -V; echo fails=\$DIFF_FAILS"
	[[ "$output" == *"MISMATCH: [root] ipcs -V"* ]]
	[[ "$output" == *"fails=1"* ]]
	run "$IPCADM_BUILD/ipcs" -V
	[ "$status" -eq 0 ]
	[ "$output" = "ipcs from ipcadm $(cat "$BATS_TEST_DIRNAME/../../VERSION") (util-linux 2.38.1 compatible)" ]
}

@test "ipcs -s -p and -a -p print no semaphore table, as 2.38" {
	run ns 'd=$(mktemp -d); id=$("$IPCTOOL" sem-create 0x51 3 600)
		"$IPCTOOL" sem-op "$id" 1 1
		"$IPCTOOL" shm-create 0x52 100 600 >/dev/null
		for a in "-s -p" "-a -p" "--semaphores --pid"; do
			"$IPCADM_BUILD/ipcs" $a >$d/our; /usr/bin/ipcs $a >$d/ul
			cmp $d/our $d/ul && echo "same: $a"
		done
		"$IPCADM_BUILD/ipcs" -s -p | od -c | head -2
		"$IPCADM_BUILD/ipcs" -a -p; rm -rf "$d"'
	[ "$status" -eq 0 ]
	output_has "same: -s -p" "same: -a -p" "same: --semaphores --pid" \
		"0000000  \\n  \\n" "------ Shared Memory Creator/Last-op PIDs --------"
	[[ "$output" != *Semaphore* ]]
}

@test "ipcs -l clamps SHMALL past 64 bits, as 2.38; ipcadm limits does not" {
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "the expected numbers are for 4 KiB pages"
	run ns 'd=$(mktemp -d)
		for v in 18446744073692774399 18446744073709551614 18446744073709551615 \
			4503599627370495 4503599627370496 4611686018427387903 4611686018427387904; do
			echo $v >/proc/sys/kernel/shmall
			for u in "" -b --human; do
				"$IPCADM_BUILD/ipcs" -m -l $u >$d/our; /usr/bin/ipcs -m -l $u >$d/ul
				cmp $d/our $d/ul && echo "same: $v $u"
			done
			"$IPCADM_BUILD/ipcs" -m -l; "$IPCADM_BUILD/ipcs" -m -l -b
			"$IPCADM_BUILD/ipcs" -m -l --human
		done
		echo 18446744073692774399 >/proc/sys/kernel/shmall
		"$IPCADM" limits; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c "^same: ")" -eq 21 ]
	output_has "max total shared memory (kbytes) = 18446744073709551612" \
		"max total shared memory (bytes) = 18446744073709547520" \
		"max total shared memory = 16E"
	# 4503599627370495 pages: the largest whose bytes fit in 64 bits, not clamped
	[[ "$output" == *"max total shared memory (bytes) = 18446744073709547520"* ]]
	[[ "$output" == *"max total shared memory (kbytes) = 18014398509481980"* ]]
	# the largest kbytes that fit in 64 bits, then the first that does not
	[[ "$output" == *"max total shared memory (kbytes) = 18446744073709551612"* ]]
	[[ "$output" != *"unable to fetch"* ]]
	! echo "$output" | grep -E "^max total shared memory.*[0-9]{21}|^max total.*Z$"
	# ipcadm limits keeps the exact number of pages
	echo "$output" | grep -E "^SHMALL +Shared memory pages +18446744073692774399 "
}

@test "ipcs -l prints the limits util-linux prints when SHMALL or SHMMAX is ULONG_MAX" {
	run ns 'echo 18446744073709551615 >/proc/sys/kernel/shmall
		"$IPCADM_BUILD/ipcs" -l >/dev/shm/t/our; /usr/bin/ipcs -l >/dev/shm/t/ul
		cat /dev/shm/t/our; cmp /dev/shm/t/our /dev/shm/t/ul && echo SAME
		echo 18446744073709551615 >/proc/sys/kernel/shmmax
		echo 2097152 >/proc/sys/kernel/shmall
		"$IPCADM_BUILD/ipcs" -m -l -b >/dev/shm/t/our; /usr/bin/ipcs -m -l -b >/dev/shm/t/ul
		cat /dev/shm/t/our; cmp /dev/shm/t/our /dev/shm/t/ul && echo SAME'
	[ "$status" -eq 0 ]
	[[ "$output" == *"max total shared memory (kbytes) = 18446744073709551612"* ]]
	[[ "$output" == *"max seg size (bytes) = 18446744073709551615"* ]]
	[ "$(echo "$output" | grep -c "^SAME$")" -eq 2 ]
}

@test "ipcs -l with a SHMALL that fits is util-linux's number" {
	run ns 'echo 2097152 >/proc/sys/kernel/shmall
		"$IPCADM_BUILD/ipcs" -m -l | grep total; /usr/bin/ipcs -m -l | grep total'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "max total shared memory (kbytes) = 8388608" ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "ipcs -q -i shows qbytes 0 to a user without read permission, as 2.38" {
	run ns 'q=$("$IPCTOOL" msg-create 0x61 600); p=$("$IPCTOOL" msg-create 0x62 604)
		for id in $q $p; do
			"$IPCTOOL" drop-to 65534 65534 -- "$IPCADM_BUILD/ipcs" -q -i $id >/dev/shm/t/our
			"$IPCTOOL" drop-to 65534 65534 -- /usr/bin/ipcs -q -i $id >/dev/shm/t/ul
			grep -o "qbytes=[0-9]*" /dev/shm/t/our
			cmp /dev/shm/t/our /dev/shm/t/ul && echo SAME
		done'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qbytes=0" ]
	[ "${lines[1]}" = SAME ]
	[ "${lines[2]}" = "qbytes=16384" ]
	[ "${lines[3]}" = SAME ]
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
	output_has "segments allocated 2" "pages allocated 4" "allocated semaphores = 7" \
		"used headers = 2" "used space = 11 bytes"
	[[ "$output" == *SAME* ]]
}

@test "ipcs -i with a negative ID finds nothing (2.38 printed the first segment)" {
	run ns '"$IPCTOOL" shm-create 0x10 100 600 >/dev/null
		"$IPCTOOL" shm-create 0x11 200 600 >/dev/null
		"$IPCADM_BUILD/ipcs" -m -i -1; echo "exit=$?"
		/usr/bin/ipcs -m -i -5 | head -4'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcs: id -1 not found" ]
	[ "${lines[1]}" = "exit=0" ]
	# the difference kept: util-linux shows segment 0 as if it had the ID asked for
	[ "${lines[2]}" = "Shared memory Segment shmid=-5" ]
	[[ "${lines[4]}" == "mode=0600"* ]]
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
