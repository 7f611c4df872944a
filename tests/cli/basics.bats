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
		"$IPCADM"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 shared memory segments"* ]]
	[[ "$output" == *"1 semaphore arrays (4 semaphores)"* ]]
	[[ "$output" == *"SHMALL"* ]]
}

@test "a missing root is a clear error" {
	run "$IPCADM" --root /nonexistent list
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read the IPC state below '/nonexistent'"* ]]
}
