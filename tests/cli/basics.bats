#!/usr/bin/env bats
# basics.bats: the program's front door: help, version, unknown commands, the overview.

load helpers

@test "--help lists the commands and exits 0" {
	run "$IPCADM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"list"* ]]
	[[ "$output" == *"limits"* ]]
}

@test "an unknown command is a usage error" {
	run "$IPCADM" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
	[[ "$output" == *"Try 'ipcadm --help'"* ]]
}

@test "the overview counts objects made in a private namespace" {
	run ns 'ipcmk -M 10000 >/dev/null; ipcmk -S 4 >/dev/null; ipcmk -Q >/dev/null
		P="$IPCADM_BUILD/helpers/posixtool"
		"$P" shm-create seg 8192; "$P" shm-fill seg; "$P" sem-create lock 1 600
		"$P" mq-create jobs 10 128 600; "$P" mq-send jobs hello; "$P" mq-send jobs world
		"$IPCADM"'
	[ "$status" -eq 0 ]
	output_has "1 shared memory segments" "1 semaphore arrays (4 semaphores)" \
		"SHMALL"
	# POSIX IPC too, and its limits (the semaphore file is a page: 8K + 4K held)
	[[ "$output" == *"1 shared memory objects, 1 named semaphores (12K held; /dev/shm: "* ]]
	[[ "$output" == *"1 message queues (2 messages, 10 bytes)"* ]]
	[[ "$output" == *"MQ_QUEUES_MAX"*"DEV_SHM"* ]]
}

@test "a missing root is a clear error" {
	run "$IPCADM" --root /nonexistent list
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read the IPC state below '/nonexistent'"* ]]
}
