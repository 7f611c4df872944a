#!/usr/bin/env bats
# compat-ipcmk.bats: ipcadm run as ipcmk against util-linux 2.38.1's ipcmk, each case in two
# fresh namespaces (tests/differential/ipcmk.sh), and each deliberate difference.

load helpers

DIFF="$BATS_TEST_DIRNAME/../differential"

@test "ipcmk prints, exits and creates as util-linux's does" {
	run ns "bash '$DIFF/ipcmk.sh'"
	echo "$output" | head -60
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 mismatches"* ]]
}

@test "ipcmk -p with a bad mode names it (2.38 says 'Success')" {
	run ns '"$IPCADM_BUILD/ipcmk" -Q -p rw'
	[ "$status" -eq 1 ]
	[ "$output" = "ipcmk: failed to parse mode: 'rw'" ]
	run ns '/usr/bin/ipcmk -Q -p rw'
	[ "$output" = "ipcmk: failed to parse mode: Success" ]
}

@test "ipcmk makes a new object each time, with the mode asked for" {
	run ns 'for i in $(seq 50); do "$IPCADM_BUILD/ipcmk" -Q -p 600 >/dev/null; done
		/usr/bin/ipcs -q | grep -c " 600 "'
	[ "$status" -eq 0 ]
	[ "$output" = 50 ]
}
