#!/usr/bin/env bats
# rm.bats: `ipcadm rm` by ID, by key and in bulk, in private namespaces: what it says, what
# it leaves, its exit status, the prompt, and -J.

load helpers

@test "rm removes objects by kind and ID, and says so" {
	run ns 's=$("$IPCTOOL" shm-create 0x10 4096 600); q=$("$IPCTOOL" msg-create 0 600)
		"$IPCADM" rm shm "$s"; "$IPCADM" rm msg "$q"
		ipcs -a | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "removed shared memory segment 0 (key 0x00000010, owner root)" ]
	[ "${lines[1]}" = "removed message queue 0 (key 0x00000000, owner root)" ]
	[ "${lines[2]}" = 0 ]
}

@test "rm with a bare ID refuses when several kinds have it" {
	run ns '"$IPCTOOL" shm-create 0 4096 600 >/dev/null; "$IPCTOOL" sem-create 0 1 600 >/dev/null
		set +e; "$IPCADM" rm 0; echo "exit=$?"; set -e
		ipcs -a | grep -c "^0x"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcadm: ID 0 is taken by more than one kind: say shm, sem or msg" ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = 2 ]
}

@test "a failure on one object is reported and the others still go (exit 1)" {
	run ns 'a=$("$IPCTOOL" shm-create 0 4096 600); b=$("$IPCTOOL" shm-create 0 4096 600)
		set +e; "$IPCADM" rm shm "$a" 4242 "$b"; echo "exit=$?"; set -e
		ipcs -m | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	output_has "removed shared memory segment 0" \
		"ipcadm: no shared memory segment with ID 4242" \
		"removed shared memory segment 1" "exit=1"
	[ "${lines[-1]}" = 0 ]
}

@test "a user may not remove root's object: the message names it, others proceed" {
	run ns 'a=$("$IPCTOOL" shm-create 0 4096 666); b=$("$IPCTOOL" shm-create 0 4096 666)
		"$IPCTOOL" set-owner shm "$b" 65534 65534
		set +e; "$IPCTOOL" drop-to 65534 65534 -- "$IPCADM" rm shm "$a" "$b"; echo "exit=$?"
		set -e; ipcs -m | grep -c "^0x"'
	[ "$status" -eq 0 ]
	output_has "ipcadm: cannot remove shared memory segment 0: Operation not permitted" \
		"removed shared memory segment 1 (key 0x00000000, owner nobody)" \
		"exit=1"
	[ "${lines[-1]}" = 1 ]
}

@test "a segment already marked for destruction is reported, not removed again" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0x22 4096 600)
		"$IPCTOOL" shm-attach "$a" 30 >$d/r &
		ready $d/r
		"$IPCADM" rm shm "$a"; "$IPCADM" rm shm "$a"; echo "exit=$?"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "removed shared memory segment 0 (key 0x00000022, owner root)" ]
	[[ "${lines[1]}" == "shared memory segment 0 is already removed: it is freed when its last user detaches (nattch 1), and counts against SHMMNI and SHMALL until then" ]]
	[ "${lines[2]}" = "exit=0" ]
}

@test "rm --key removes the objects with that key, in decimal or hex" {
	run ns '"$IPCTOOL" shm-create 0x7b 4096 600 >/dev/null; "$IPCTOOL" sem-create 123 1 600 >/dev/null
		"$IPCTOOL" msg-create 0x7c 600 >/dev/null
		"$IPCADM" rm --key 0x7b --kind shm; "$IPCADM" rm --key 123
		set +e; "$IPCADM" rm --key 0x7b; echo "exit=$?"; set -e
		ipcs -a | grep -c "^0x"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "removed shared memory segment 0 (key 0x0000007b, owner root)" ]
	[ "${lines[1]}" = "removed semaphore array 0 (key 0x0000007b, owner root)" ]
	[ "${lines[2]}" = "ipcadm: no object with key 0x0000007b" ]
	[ "${lines[3]}" = "exit=1" ]
	[ "${lines[4]}" = 1 ]
}

@test "rm --all lists and needs --yes; --dry-run only lists; in-use objects stay" {
	run ns 'd=$(mktemp -d); a=$("$IPCTOOL" shm-create 0 4096 600); "$IPCTOOL" shm-create 0x5 4096 600
		s=$("$IPCTOOL" sem-create 0 1 600); "$IPCTOOL" sem-setall "$s" 0
		"$IPCTOOL" shm-attach "$a" 30 >$d/r1 & "$IPCTOOL" sem-wait "$s" 0 30 >$d/r2 &
		ready $d/r1 $d/r2
		"$IPCTOOL" msg-create 0 600 >/dev/null
		echo "-- dry"; "$IPCADM" rm --all --dry-run; echo "exit=$?"
		echo "-- no yes"; set +e; "$IPCADM" rm --all </dev/null; echo "exit=$?"; set -e
		echo "-- count $(ipcs -a | grep -c "^0x")"
		echo "-- yes"; set +e; "$IPCADM" rm --all --yes; echo "exit=$?"; set -e
		echo "-- count $(ipcs -a | grep -c "^0x")"; rm -rf "$d"'
	[ "$status" -eq 0 ]
	output_has "would remove shared memory segment 1 (key 0x00000005, owner root)" \
		"would remove message queue 0" \
		"ipcadm: not removing shared memory segment 0: in use: attached (nattch 1)" \
		"ipcadm: not removing semaphore array 0: in use: 1 waiting" \
		"ipcadm: not removing 2 object(s) without --yes" "-- count 4" \
		"removed shared memory segment 1 (key 0x00000005, owner root)" \
		"removed message queue 0" "-- count 2"
	[ "$(echo "$output" | grep -c "^exit=1")" -eq 2 ]
}

@test "rm --all filters by owner, key 0 and age" {
	run ns 'a=$("$IPCTOOL" shm-create 0 4096 600); b=$("$IPCTOOL" shm-create 0x9 4096 600)
		c=$("$IPCTOOL" shm-create 0 4096 600); "$IPCTOOL" set-owner shm "$c" 65534 65534
		"$IPCADM" rm --all --private --owner root --yes
		"$IPCADM" rm --all --older-than 1h --yes
		ipcs -m | awk "/^0x/ {print \$2}" | tr "\n" " "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "removed shared memory segment 0 (key 0x00000000, owner root)" ]
	[ "${lines[1]}" = "1 2 " ]
}

@test "rm --all asks at a terminal and takes y" {
	command -v script >/dev/null || skip "script(1) is missing"
	run ns '"$IPCTOOL" shm-create 0 4096 600 >/dev/null
		echo n | script -qec "$IPCADM rm --all" /dev/null || true; echo "count $(ipcs -m | grep -c "^0x")"
		echo y | script -qec "$IPCADM rm --all" /dev/null; echo "count $(ipcs -m | grep -c "^0x" || true)"'
	[ "$status" -eq 0 ]
	output_has "remove these 1 objects? [y/N]" "count 1" \
		"removed shared memory segment 0" "count 0"
}

@test "rm -J reports what was done, failures too" {
	run ns 'a=$("$IPCTOOL" shm-create 0x10 4096 600)
		set +e; "$IPCADM" rm -J shm "$a" 99; echo "exit=$?"'
	[ "$status" -eq 0 ]
	json=$(echo "$output" | sed '/^exit=/d; /^ipcadm:/d')
	[ "$(echo "$json" | jq -r '.[0].action')" = removed ]
	[ "$(echo "$json" | jq -r '.[0].key')" = 0x00000010 ]
	[ "$(echo "$json" | jq -r '.[0].kind')" = shm ]
	[ "$(echo "$json" | jq -r '.[1].action')" = failed ]
	[[ "$output" == *"exit=1"* ]]
}

@test "rm -J of POSIX objects: one element a name, the missing one failed" {
	run ns '"$IPCADM_BUILD/helpers/posixtool" shm-create seg 4096 600
		set +e; "$IPCADM" rm -J pshm /seg nothere 2>/dev/null; echo "exit=$?"'
	[ "$status" -eq 0 ]
	json=$(echo "$output" | sed '/^exit=/d')
	[ "$(echo "$json" | jq -c '[.[] | [.kind, .name, .action, .reason]]')" = \
		'[["pshm","seg","removed",null],["pshm","nothere","failed","no such object"]]' ]
	[[ "$output" == *"exit=1"* ]]
}

@test "rm rejects bad usage with exit 2" {
	run "$IPCADM" rm
	[ "$status" -eq 2 ]
	run "$IPCADM" rm --all 5
	[ "$status" -eq 2 ]
	run "$IPCADM" rm --key 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"key 0 is IPC_PRIVATE"* ]]
	run "$IPCADM" rm --owner root 5
	[ "$status" -eq 2 ]
	run "$IPCADM" rm --kind foo --all
	[ "$status" -eq 2 ]
	run "$IPCADM" rm --older-than soon --all
	[ "$status" -eq 2 ]
}

@test "rm below --root only lists (--dry-run); removing is refused" {
	run "$IPCADM" --root "$BATS_TEST_DIRNAME/../fixtures/modern" rm --all --dry-run
	[ "$status" -eq 0 ]
	[[ "$output" == *"would remove shared memory segment 0 (key 0x00000000, owner alice)"* ]]
	[[ "$output" == *"not removing shared memory segment 65538: in use: attached (nattch 1)"* ]]
	run "$IPCADM" --root "$BATS_TEST_DIRNAME/../fixtures/modern" rm shm 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"objects are removed on the live system only"* ]]
}
