#!/usr/bin/env bats
# compat-ipcrm.bats: ipcadm run as ipcrm against util-linux 2.38.1's ipcrm (the same state
# made in two namespaces: tests/differential/ipcrm.sh), and each deliberate difference.

load helpers

DIFF="$BATS_TEST_DIRNAME/../differential"

@test "ipcrm prints, exits and removes as util-linux's does (seed 1, every case)" {
	run ns "bash '$DIFF/ipcrm.sh' 1"
	echo "$output" | head -60
	[ "$status" -eq 0 ]
	[[ "$output" == *"30 comparisons, 0 mismatches"* ]]
}

@test "ipcrm prints, exits and removes as util-linux's does (seed 2, every case)" {
	run ns "bash '$DIFF/ipcrm.sh' 2"
	echo "$output" | head -60
	[ "$status" -eq 0 ]
}

@test "ipcrm -a keeps attached segments and arrays with waiters (2.38 removes them)" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 4096 600)
		b=$("$IPCTOOL" shm-create 0x11 4096 600)
		s=$("$IPCTOOL" sem-create 0x12 2 600)
		t=$("$IPCTOOL" sem-create 0x13 2 600)
		"$IPCTOOL" msg-create 0x14 600 >/dev/null
		"$IPCTOOL" shm-attach "$a" 30 >$d/ra &
		"$IPCTOOL" sem-wait "$s" 1 30 >$d/rs &
		ready $d/ra $d/rs
		set +e
		"$IPCADM_BUILD/ipcrm" -v -a; echo "exit=$?"
		set -e
		/usr/bin/ipcs -a | grep -c "^0x" || true; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"ipcrm: not removing shared memory segment id \`0': in use, attached (nattch 1)"* ]]
	[[ "$output" == *"ipcrm: not removing semaphore id \`0': in use, 1 waiting"* ]]
	[[ "$output" == *"removing shared memory segment id \`1'"* ]]
	[[ "$output" == *"removing semaphore id \`1'"* ]]
	[[ "$output" == *"removing message queue id \`0'"* ]]
	[[ "$output" == *"exit=1"* ]]
	[ "${lines[-1]}" = 2 ]
}

@test "ipcrm -a leaves a segment already marked for destruction alone, silently" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 4096 600)
		"$IPCTOOL" shm-attach "$a" 30 >$d/ra &
		ready $d/ra
		"$IPCTOOL" rm shm "$a"
		"$IPCADM_BUILD/ipcrm" --all=shm; echo "exit=$?"
		"$IPCADM_BUILD/ipcrm" -m "$a"; echo "exit=$?"
		/usr/bin/ipcrm -m "$a"; echo "exit=$?"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "exit=0" ]
	[ "${lines[1]}" = "exit=0" ]
	[ "${lines[2]}" = "exit=0" ]
}

@test "ipcrm -a with a stray argument removes nothing (2.38 removes everything first)" {
	run ns '"$IPCTOOL" shm-create 0x10 4096 600 >/dev/null
		set +e
		"$IPCADM_BUILD/ipcrm" -a foo; echo "exit=$?"
		set -e
		/usr/bin/ipcs -m | grep -c "^0x"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcrm: unknown argument: foo" ]
	[ "${lines[1]}" = "Try 'ipcrm --help' for more information." ]
	[ "${lines[2]}" = "exit=1" ]
	[ "${lines[3]}" = 1 ]
}

@test "ipcrm shm '' removes nothing (2.38 removes ID 0)" {
	run ns '"$IPCTOOL" shm-create 0x10 4096 600 >/dev/null
		set +e
		"$IPCADM_BUILD/ipcrm" shm ""; echo "exit=$?"
		set -e
		/usr/bin/ipcs -m | grep -c "^0x"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcrm: invalid id: " ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = 1 ]
}

@test "ipcrm names itself as called, by a path too" {
	run ns '"$IPCADM_BUILD/ipcrm" -q 77'
	[ "$status" -eq 1 ]
	[ "$output" = "ipcrm: invalid id (77)" ]
}

@test "ipcrm -a keeps a queue that a process waits on" {
	run ns 'd=$(mktemp -d); q=$("$IPCTOOL" msg-create 0x20 600); "$IPCTOOL" msg-create 0x21 600 >/dev/null
		"$IPCTOOL" msg-wait "$q" 30 >$d/r &
		ready $d/r
		set +e; "$IPCADM_BUILD/ipcrm" --all=msg; echo "exit=$?"; set -e
		/usr/bin/ipcs -q | grep -c "^0x"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcrm: not removing message queue id \`0': in use, 1 waiting" ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = 1 ]
}

@test "ipcrm -m of a segment marked for destruction still checks permission, as 2.38" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 4096 600)
		"$IPCTOOL" shm-attach "$a" 30 >$d/r &
		ready $d/r
		"$IPCTOOL" rm shm "$a"
		set +e
		"$IPCTOOL" drop-to 65534 65534 -- "$IPCADM_BUILD/ipcrm" -m "$a"; echo "exit=$?"
		"$IPCTOOL" drop-to 65534 65534 -- /usr/bin/ipcrm -m "$a"; echo "exit=$?"
		"$IPCADM_BUILD/ipcrm" -m "$a"; echo "exit=$?"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcrm: permission denied for id (0)" ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = "ipcrm: permission denied for id (0)" ]
	[ "${lines[3]}" = "exit=1" ]
	[ "${lines[4]}" = "exit=0" ]
}
