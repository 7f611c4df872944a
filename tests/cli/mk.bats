#!/usr/bin/env bats
# mk.bats: `ipcadm mk` in private namespaces: each kind with its options, what it prints
# (-J too), and the limit named when the kernel refuses.

load helpers

@test "mk shm with units, a key and a mode" {
	run ns '"$IPCADM" mk --key 0x1234 -m 640 shm 64K; ipcs -m | grep "^0x"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "created shared memory segment 0, key 0x00001234" ]
	[[ "${lines[1]}" =~ ^0x00001234\ +0\ +root\ +640\ +65536\  ]]
}

@test "mk sem with initial values, one for all or one each" {
	run ns '"$IPCADM" mk sem 3 --value 7; "$IPCADM" mk sem 2 --value 1,2
		ipcs -s -i 0 | awk "\$1 ~ /^[0-9]\$/ {print \$2}" | tr "\n" " "; echo
		ipcs -s -i 1 | awk "\$1 ~ /^[0-9]\$/ {print \$2}" | tr "\n" " "'
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "7 7 7 " ]
	[ "${lines[3]}" = "1 2 " ]
}

@test "mk sem with a wrong number of values leaves no array behind" {
	run ns 'set +e; "$IPCADM" mk sem 3 --value 1,2; echo "exit=$?"; set -e
		ipcs -s | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"give one value, or one per semaphore"* ]]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = 0 ]
}

@test "mk msg -J prints the ID and key as JSON" {
	run ns '"$IPCADM" mk -J --key 77 msg'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .id)" = 0 ]
	[ "$(echo "$output" | jq -r .key)" = 0x0000004d ]
	[ "$(echo "$output" | jq -r .created)" = true ]
}

@test "mk with a key in use reports it, or fails with --exclusive" {
	run ns '"$IPCADM" mk --key 0x99 msg; "$IPCADM" mk --key 0x99 msg
		set +e; "$IPCADM" mk -x --key 0x99 msg; echo "exit=$?"'
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "message queue 0 with key 0x00000099 exists already: left as it is" ]
	[ "${lines[2]}" = "ipcadm: cannot create message queue: key 0x00000099 is taken (--exclusive)" ]
	[ "${lines[3]}" = "exit=1" ]
}

@test "a refusal names the limit: SHMMNI, SHMMAX, SEMMSL, MSGMNI" {
	run ns 'set +e
		echo 1 >/proc/sys/kernel/shmmni; "$IPCADM" mk shm 4K >/dev/null; "$IPCADM" mk shm 4K
		echo 1000 >/proc/sys/kernel/shmmax; "$IPCADM" mk shm 2K
		echo "5 100 10 10" >/proc/sys/kernel/sem; "$IPCADM" mk sem 6
		echo 0 >/proc/sys/kernel/msgmni; "$IPCADM" mk msg; echo "exit=$?"'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ipcadm: cannot create shared memory segment: No space left on device: SHMMNI"* ]]
	[[ "${lines[1]}" == "ipcadm: cannot create shared memory segment: Invalid argument: SHMMAX"* ]]
	[[ "${lines[2]}" == "ipcadm: cannot create semaphore array: Invalid argument: SEMMSL"* ]]
	[[ "${lines[3]}" == "ipcadm: cannot create message queue: No space left on device: MSGMNI"* ]]
	[ "${lines[4]}" = "exit=1" ]
}

@test "mk POSIX objects by name" {
	run ns '"$IPCADM" mk -m 600 pshm /mkt 8K; "$IPCADM" mk psem mks --value 2
		stat -c "%s %a" /dev/shm/mkt; ls /dev/shm'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "created pshm /mkt" ]
	[ "${lines[1]}" = "created psem /mks" ]
	[ "${lines[2]}" = "8192 600" ]
}

@test "mk rejects bad usage with exit 2" {
	run "$IPCADM" mk
	[ "$status" -eq 2 ]
	run "$IPCADM" mk shm
	[ "$status" -eq 2 ]
	run "$IPCADM" mk shm 1Q
	[ "$status" -eq 2 ]
	run "$IPCADM" mk -m 999 msg
	[ "$status" -eq 2 ]
	run "$IPCADM" mk --hugetlb msg
	[ "$status" -eq 2 ]
	run "$IPCADM" mk -x msg
	[ "$status" -eq 2 ]
	[[ "$output" == *"--exclusive needs --key"* ]]
}
