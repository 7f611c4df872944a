#!/usr/bin/env bats
# compat-ipcrm.bats: ipcadm run as ipcrm against util-linux 2.38.1's ipcrm (the same state
# made in two namespaces: tests/differential/ipcrm.sh), and each deliberate difference.

load helpers

# segment 0x10 ($a), attached by a process and then marked for destruction (scratch: $d)
DESTROYED='d=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 4096 600)
	"$IPCTOOL" shm-attach "$a" 30 >$d/r &
	ready $d/r
	"$IPCTOOL" rm shm "$a"
'

@test "ipcrm prints, exits and removes as util-linux's does (seed 1, every case)" {
	differential ipcrm 1
	[[ "$output" == *"33 comparisons, 0 mismatches"* ]]
}

@test "ipcrm prints, exits and removes as util-linux's does (seed 2, every case)" {
	differential ipcrm 2
}

@test "ipcrm -a keeps attached segments and arrays with waiters (2.38 removes them)" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x10 4096 600)
		b=$("$IPCTOOL" shm-create 0x11 4096 600)
		s=$("$IPCTOOL" sem-create 0x12 2 600)
		t=$("$IPCTOOL" sem-create 0x13 2 600)
		"$IPCTOOL" msg-create 0x14 600 >/dev/null
		"$IPCTOOL" shm-attach "$a" 30 >$d/ra &
		"$IPCTOOL" sem-wait "$s" 1 30 >$d/rs 2>&1 &
		ready $d/ra $d/rs
		set +e
		"$IPCADM_BUILD/ipcrm" -v -a; echo "exit=$?"
		set -e
		/usr/bin/ipcs -a | grep -c "^0x" || true
		/usr/bin/ipcrm -a; /usr/bin/ipcs -a | grep -v " dest " | grep -c "^0x" || true
		rm -rf "$d"'
	[ "$status" -eq 0 ]
	# the difference kept: util-linux removes them too (the segment goes at its detach)
	[ "${lines[-1]}" = 0 ]
	output_has "ipcrm: not removing shared memory segment id \`0': in use, attached (nattch 1)" \
		"ipcrm: not removing semaphore id \`0': in use, 1 waiting" \
		"removing shared memory segment id \`1'" "removing semaphore id \`1'" \
		"removing message queue id \`0'" "exit=1"
	[ "${lines[-2]}" = 2 ]
}

@test "ipcrm -a marks a segment marked for destruction again, as 2.38" {
	run ns "$DESTROYED"'
		set +e
		for t in "$IPCADM_BUILD/ipcrm" /usr/bin/ipcrm; do
			"$IPCTOOL" drop-to 65534 65534 -- $t -a; echo "exit=$?"
			"$IPCTOOL" set-owner shm "$a" 65534 65534 644
			"$IPCTOOL" drop-to 65534 65534 -- $t -v --all=shm; echo "exit=$?"
			"$IPCTOOL" set-owner shm "$a" 0 0 600
			$t -v --all=shm; echo "exit=$?"
		done
		/usr/bin/ipcs -m | grep -c "^0x"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	# nobody cannot read it: passed over; its owner and root mark it again (both tools)
	marked=(exit=0 "removing shared memory segment id \`0'" exit=0
		"removing shared memory segment id \`0'" exit=0)
	output_is "${marked[@]}" "${marked[@]}" 1
}

@test "ipcrm -a passes over what the caller cannot read, as 2.38" {
	run ns 'T=$IPCTOOL; $T shm-create 0x10 100 600 >/dev/null
		$T shm-create 0x11 100 644 >/dev/null
		$T sem-create 0x12 1 600 >/dev/null; $T msg-create 0x13 604 >/dev/null
		$T msg-create 0x14 600 >/dev/null
		set +e
		for t in "$IPCADM_BUILD/ipcrm" /usr/bin/ipcrm; do
			$T drop-to 65534 65534 -- $t -v -a 2>&1 >/dev/null; echo "exit=$?"
		done
		/usr/bin/ipcs -a | grep -c "^0x"'
	[ "$status" -eq 0 ]
	denied=("ipcrm: permission denied for id (1)" "ipcrm: permission denied for id (0)" exit=1)
	output_is "${denied[@]}" "${denied[@]}" 5
}

@test "ipcrm -a with a stray argument removes nothing (2.38 removes everything first)" {
	run ns '"$IPCTOOL" shm-create 0x10 4096 600 >/dev/null
		set +e
		"$IPCADM_BUILD/ipcrm" -a foo; echo "exit=$?"
		set -e
		/usr/bin/ipcs -m | grep -c "^0x"
		/usr/bin/ipcrm -a foo 2>/dev/null || /usr/bin/ipcs -m | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	# the difference kept: util-linux removes everything (0 left), then complains
	output_is "ipcrm: unknown argument: foo" "Try 'ipcrm --help' for more information." \
		exit=1 1 0
}

@test "ipcrm shm '' removes nothing (2.38 removes ID 0)" {
	run ns '"$IPCTOOL" shm-create 0x10 4096 600 >/dev/null
		set +e
		"$IPCADM_BUILD/ipcrm" shm ""; echo "exit=$?"
		set -e
		/usr/bin/ipcs -m | grep -c "^0x"
		/usr/bin/ipcrm shm ""; /usr/bin/ipcs -m | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	# the difference kept: util-linux removes segment 0
	output_is "ipcrm: invalid id: " exit=1 1 "resource(s) deleted" 0
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
	output_is "ipcrm: not removing message queue id \`0': in use, 1 waiting" exit=1 1
}

@test "ipcrm -m of a segment marked for destruction still checks permission, as 2.38" {
	run ns "$DESTROYED"'
		set +e
		"$IPCTOOL" drop-to 65534 65534 -- "$IPCADM_BUILD/ipcrm" -m "$a"; echo "exit=$?"
		"$IPCTOOL" drop-to 65534 65534 -- /usr/bin/ipcrm -m "$a"; echo "exit=$?"
		"$IPCADM_BUILD/ipcrm" -m "$a"; echo "exit=$?"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	output_is "ipcrm: permission denied for id (0)" exit=1 \
		"ipcrm: permission denied for id (0)" exit=1 exit=0
}
