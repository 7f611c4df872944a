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

@test "ipcmk -p with a bad mode fails as 2.38 does, even in its words" {
	run ns 'set +e; "$IPCADM_BUILD/ipcmk" -Q -p rw; echo "exit=$?"
		"$IPCADM_BUILD/ipcmk" -Q -p 7777777777777777777777777; echo "exit=$?"
		/usr/bin/ipcmk -Q -p rw; echo "exit=$?"
		/usr/bin/ipcs -q | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcmk: failed to parse mode: Success" ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = "ipcmk: failed to parse mode: Numerical result out of range" ]
	[ "${lines[3]}" = "exit=1" ]
	[ "${lines[4]}" = "ipcmk: failed to parse mode: Success" ]
	[ "${lines[6]}" = 0 ]
}

@test "ipcmk -p passes bits above 0777 to the kernel, as 2.38 (04000: huge pages)" {
	[ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ] || skip "huge pages are configured"
	run ns 'set +e; "$IPCADM_BUILD/ipcmk" -M 4096 -p 4644; echo "exit=$?"
		/usr/bin/ipcmk -M 4096 -p 4644; echo "exit=$?"
		"$IPCADM_BUILD/ipcmk" -Q -p 1600 >/dev/null
		/usr/bin/ipcs -q | grep -c " 600 "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ipcmk: create share memory failed: Cannot allocate memory" ]
	[ "${lines[1]}" = "exit=1" ]
	[ "${lines[2]}" = "${lines[0]}" ]
	[ "${lines[3]}" = "exit=1" ]
	[ "${lines[4]}" = 1 ]
}

@test "ipcmk makes a new object each time, with the mode asked for" {
	run ns 'for i in $(seq 50); do "$IPCADM_BUILD/ipcmk" -Q -p 600 >/dev/null; done
		/usr/bin/ipcs -q | grep -c " 600 "'
	[ "$status" -eq 0 ]
	[ "$output" = 50 ]
}
