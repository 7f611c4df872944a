#!/usr/bin/env bats
# compat-ipcmk.bats: ipcadm run as ipcmk against util-linux 2.38.1's ipcmk, each case in two
# fresh namespaces (tests/differential/ipcmk.sh), and each deliberate difference.

load helpers

@test "ipcmk prints, exits and creates as util-linux's does" {
	differential ipcmk
}

@test "ipcmk -p with a bad mode fails as 2.38 does, even in its words" {
	run ns 'set +e; "$IPCADM_BUILD/ipcmk" -Q -p rw; echo "exit=$?"
		"$IPCADM_BUILD/ipcmk" -Q -p 7777777777777777777777777; echo "exit=$?"
		/usr/bin/ipcmk -Q -p rw; echo "exit=$?"
		/usr/bin/ipcs -q | grep -c "^0x" || true'
	[ "$status" -eq 0 ]
	output_is "ipcmk: failed to parse mode: Success" exit=1 \
		"ipcmk: failed to parse mode: Numerical result out of range" exit=1 \
		"ipcmk: failed to parse mode: Success" exit=1 0
}

@test "ipcmk -p passes bits above 0777 to the kernel, as 2.38 (04000: huge pages)" {
	[ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ] || skip "huge pages are configured"
	run ns 'set +e; "$IPCADM_BUILD/ipcmk" -M 4096 -p 4644; echo "exit=$?"
		/usr/bin/ipcmk -M 4096 -p 4644; echo "exit=$?"
		"$IPCADM_BUILD/ipcmk" -Q -p 1600 >/dev/null
		/usr/bin/ipcs -q | grep -c " 600 "'
	[ "$status" -eq 0 ]
	nomem="ipcmk: create share memory failed: Cannot allocate memory"
	output_is "$nomem" exit=1 "$nomem" exit=1 1
}

@test "ipcmk makes a new object each time, with the mode asked for" {
	run ns 'for i in $(seq 50); do "$IPCADM_BUILD/ipcmk" -Q -p 600 >/dev/null; done
		/usr/bin/ipcs -q | grep -c " 600 "'
	[ "$status" -eq 0 ]
	[ "$output" = 50 ]
}
