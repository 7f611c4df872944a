#!/usr/bin/env bats
# journal.bats: `ipcadm trace --journal` records who made each object of its own scenario's
# process tree (in private namespaces); list, show, reap and the doctor name the creator.

load trace-lib

CONTRIB="$BATS_TEST_DIRNAME/../../contrib"

setup() {
	trace_setup
	J="$BATS_TEST_TMPDIR/journal.db"
	export J
}

teardown() {
	trace_teardown "$GO.2"
}

# start_journal ARGS...: ipcadm trace --journal $J for the scenario's tree (ARGS added),
# output to $BATS_TEST_TMPDIR/out; then the scenario runs until it wrote the ID of the
# array it made to $GO.made: that ID in id, the scenario's shell in W (see waiter).
start_journal() {
	start_trace "$BATS_TEST_TMPDIR/out" --journal "$J" --pid "$SCEN_PID" "$@"
	touch "$GO"
	wait_file "$GO.made"
	W=$(waiter "$SCEN_PID")
	id=$(cat "$GO.made")
}

# wait_file FILE: waits (20 s at most) until FILE is not empty.
wait_file() {
	local i
	for ((i = 0; i < 400; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "$1 stays empty; the scenario said:" >&2
	cat "$BATS_TEST_TMPDIR/scenario.out" >&2
	return 1
}

# jlist COLUMNS: the scenario's arrays, with the journal, listed from the host: one line
# each, the columns' values (lower-case names) joined by spaces.
jlist() {
	IPCADM_JOURNAL="$J" "$IPCADM" list -N "$W" -J sem -o "$1" |
		jq -r --arg c "${1,,}" '.sem[] | [($c | split(","))[] as $k | .[$k] // "-" |
			tostring] | join(" ")'
}

# wait_known ID: waits until the journal names the creator of semaphore array ID.
wait_known() {
	local i
	for ((i = 0; i < 200; i++)); do
		jlist ID,CREATOR | grep -qE "^$1 ipctool\[" && return 0
		sleep 0.1
	done
	echo "the journal does not know array $1:" >&2
	jlist ID,CREATOR >&2
	cat "$BATS_TEST_TMPDIR/out.err" >&2
	return 1
}

# creator_unknown: the dry run would remove array $id as orphaned, naming no creator.
creator_unknown() {
	run env IPCADM_JOURNAL="$J" "$IPCADM" reap -N "$W" --kind sem
	echo "$output"
	[[ "${lines[0]}" == "would remove sem $id "*": orphaned: "* ]]
	[[ "$output" != *"created by"* ]]
}

@test "journal: list, show, reap and the doctor name the creator that exited" {
	need_tracefs
	# uid 1234 runs nothing: its private arrays are orphaned; fill exits once made
	scenario '"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill sem 3 >/dev/null
		ipcs -s | awk "/^0x/ { print \$2 }" | head -n 1 >"$GO.made"'
	start_journal
	wait_known "$id"

	run jlist ID,VERDICT,CREATOR
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^[0-9]+\ orphaned\ ipctool\[[0-9]+\]\ at\ [0-9:]{8}$ ]]
	done
	run env IPCADM_JOURNAL="$J" "$IPCADM" show -N "$W" sem "$id"
	echo "$output"
	[[ "$output" == *$'\n'"CREATOR    ipctool["*"] at "* ]]
	run env IPCADM_JOURNAL="$J" "$IPCADM" who -N "$W" sem "$id"
	echo "$output"
	[[ "${lines[0]}" == *": orphaned: "*"; created by ipctool["*"] at "*", exited (parent "* ]]

	# the dry run's evidence: the verdict as without the journal, and who made it
	run env IPCADM_JOURNAL="$J" "$IPCADM" reap -N "$W" --kind sem
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "would remove sem "*": orphaned: "*"; created by ipctool["*"] at "*", exited (parent "*")" ]]
	[ "${#lines[@]}" -eq 4 ]
	run env IPCADM_JOURNAL= "$IPCADM" reap -N "$W" --kind sem
	[[ "$output" != *"created by"* ]]
	[[ "${lines[0]}" == "would remove sem "*": orphaned: "* ]]

	# the doctor groups the orphans by the program that made them
	run env IPCADM_JOURNAL="$J" "$IPCADM" doctor -N "$W"
	echo "$output"
	[[ "$output" == *$'\n'"Orphaned objects by the program that made them (the journal):"$'\n'"          - 3 semaphore arrays of 1234 made by ipctool, over "*" second"* ]]
	run env IPCADM_JOURNAL="$J" "$IPCADM" doctor -N "$W" -J
	run jq -c '.namespaces[0].leak_creators | map([.kind, .count, .owner, .command])' \
		<<<"$output"
	[ "$output" = '[["sem",3,"1234","ipctool"]]' ]

	# inside the namespaces too; there the journal PIDs are not ours: no "exited"
	run ns 'IPCADM_JOURNAL="$J" "$IPCADM" reap --all-visible --kind sem'
	echo "$output"
	[ "$status" -eq 0 ]
	touch "$DONE"
	stop_trace
}

@test "journal: an ID made again after the journal missed its removal is not matched" {
	need_tracefs
	[ -w /proc/sys/kernel/sem_next_id ] || skip "no kernel.sem_next_id"
	scenario 'id=$("$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" sem-create 0 1 600)
		echo "$id" >"$GO.made"
		for ((i = 0; i < 400; i++)); do [ -e "$GO.2" ] && break; sleep 0.05; done
		"$IPCTOOL" rm sem "$id"
		echo "$id" >/proc/sys/kernel/sem_next_id
		sleep 1.2
		"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" sem-create 0 1 600 >"$GO.made2"'
	start_journal
	wait_known "$id"
	# the journal stops: the removal and the new array go unseen
	stop_trace
	touch "$GO.2"
	wait_file "$GO.made2"
	[ "$(cat "$GO.made2")" = "$id" ] # the same ID, key 0, uid: only ctime differs
	run jlist ID,CREATOR
	echo "$output"
	[ "$output" = "$id -" ]
	creator_unknown
	touch "$DONE"
}

@test "journal: a removal seen ends the record: the ID made again in that second is unknown" {
	need_tracefs
	[ -w /proc/sys/kernel/sem_next_id ] || skip "no kernel.sem_next_id"
	# early in a second: made, removed, and made again (unseen, below) within it
	scenario 'while [ "$(date +%N)" -gt 200000000 ]; do sleep 0.01; done
		id=$("$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" sem-create 0 1 600)
		"$IPCTOOL" rm sem "$id"
		echo "$id" >/proc/sys/kernel/sem_next_id
		echo "$id" >"$GO.made"'
	start_journal --all
	# made again from outside the traced tree: the journal does not see it
	[ "$(nsenter --ipc="/proc/$W/ns/ipc" "$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" \
		sem-create 0 1 600)" = "$id" ]
	sleep 0.5
	stop_trace
	cat "$BATS_TEST_TMPDIR/out"
	# the first array was made, and recorded, in the second the new one was
	made=$(awk "/ semget\\(IPC_PRIVATE.* by ipctool\\[[0-9]+\\]: $id\$/ { print substr(\$1, 1, 8) }" \
		"$BATS_TEST_TMPDIR/out")
	[ -n "$made" ]
	grep -q " semctl($id, IPC_RMID) by ipctool\[[0-9]*\]: 0$" "$BATS_TEST_TMPDIR/out"
	run jlist ID,CTIME
	echo "$output"
	[[ "$output" == "$id "* ]]
	[ "$(date -d "@${output#"$id "}" +%H:%M:%S)" = "$made" ] ||
		skip "the second passed between the two arrays"
	creator_unknown
	touch "$DONE"
}

@test "journal: a symbolic link or a directory others may write is refused as root" {
	[ "$(id -u)" -eq 0 ] || skip "root only"
	: >"$BATS_TEST_TMPDIR/real.db"
	ln -s real.db "$BATS_TEST_TMPDIR/link.db"
	run "$IPCADM" trace --journal "$BATS_TEST_TMPDIR/link.db" -d 1
	[ "$status" -eq 1 ]
	[ "$output" = "ipcadm: refusing journal '$BATS_TEST_TMPDIR/link.db': a symbolic link" ]
	[ ! -s "$BATS_TEST_TMPDIR/real.db" ]
	mkdir -m 1777 "$BATS_TEST_TMPDIR/tmp"
	run "$IPCADM" trace --journal="$BATS_TEST_TMPDIR/tmp/j.db" -d 1
	[ "$status" -eq 1 ]
	[[ "$output" == "ipcadm: refusing journal '$BATS_TEST_TMPDIR/tmp/j.db': a directory on its path or above it"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/tmp/j.db" ]
	# the reading commands say so, and judge without it
	export LINK="$BATS_TEST_TMPDIR/link.db"
	run ns '"$IPCTOOL" sem-create 0 1 600 >/dev/null
		IPCADM_JOURNAL="$LINK" "$IPCADM" list -o ID,CREATOR'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ipcadm: refusing journal '$BATS_TEST_TMPDIR/link.db': a symbolic link"* ]]
	run "$IPCADM" trace --journal "$BATS_TEST_TMPDIR/j.db" --retention 0
	[ "$status" -eq 2 ]
	run "$IPCADM" trace --journal "$BATS_TEST_TMPDIR/j.db" --journal-size 1K
	[ "$status" -eq 2 ]
}

@test "contrib: the journal service verifies, running this ipcadm" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	dir=$(mktemp -d)
	sed "s|/usr/local/bin/ipcadm|$IPCADM|" "$CONTRIB/systemd/ipcadm-journal.service" \
		>"$dir/ipcadm-journal.service"
	run systemd-analyze verify --man=no "$dir/ipcadm-journal.service"
	rm -rf "$dir"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	grep -q '^ExecStart=/usr/local/bin/ipcadm trace --journal /var/lib/ipcadm/journal.db$' \
		"$CONTRIB/systemd/ipcadm-journal.service"
}
