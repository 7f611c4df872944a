#!/usr/bin/env bats
# faults.bats: faults injected around ipcadm: objects and processes vanishing while a
# snapshot is read, unreadable, truncated and garbled /proc files, failing output (full
# disk, closed stdout, a pipe closed early), and running as an unprivileged user.

load ipc-lib

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# fixture NAME: a copy of tests/fixtures/NAME in a directory every user can read; its
# path is in $FX. The copy is what a test may damage.
fixture() {
	FX=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/fx.XXXXXX")
	cp -r "$BATS_TEST_DIRNAME/../fixtures/$1/." "$FX"
	chmod -R a+rX "$FX"
	local d=$FX
	while [ "$d" != / ]; do # every directory above it must be searchable by nobody
		chmod a+x "$d" 2>/dev/null || true
		d=$(dirname "$d")
	done
}

# junk SEED N: N bytes of a fixed pseudo-random stream (NUL bytes included).
junk() {
	local x=$1 i b s=""
	for ((i = 0; i < $2; i++)); do
		x=$(((x * 1103515245 + 12345) & 0x7fffffff))
		printf -v b '\\x%02x' $(((x >> 16) & 255))
		s+=$b
	done
	printf "$s"
}

# ---- objects removed and processes exiting while a snapshot is read ----

# churn: creates and removes objects of every kind, and starts short-lived attachers,
# until $T/stop exists (2000 rounds at most); counts its rounds in $T/rounds.
CHURN='
T=$(mktemp -d)
churn() {
	local i s q m
	for i in $(seq 2000); do
		[ -e $T/stop ] && break
		s=$($IPCTOOL shm-create 0 4096 600); q=$($IPCTOOL msg-create 0 600)
		m=$($IPCTOOL sem-create 0 2 600)
		$IPCTOOL shm-attach $s ro 1 >/dev/null 2>&1 &
		# a reap running meanwhile may have removed them first: that is allowed
		$IPCTOOL rm msg $q 2>/dev/null || true
		$IPCTOOL rm sem $m 2>/dev/null || true
		$IPCTOOL rm shm $s 2>/dev/null || true
		echo $i > $T/rounds
	done
}
'

@test "faults: list and show exit 0 with valid JSON while objects come and go" {
	run ns "$CHURN"'
		$IPCTOOL fill shm 40 >/dev/null; $IPCTOOL fill sem 40 >/dev/null
		$IPCTOOL fill msg 40 >/dev/null
		churn & c=$!
		for i in $(seq 40); do
			"$IPCADM" list --all-visible -J > $T/out || { echo "list run $i: exit $?"; exit 1; }
			jq -e ".shm and .sem and .msg" $T/out >/dev/null ||
				{ echo "list run $i: bad JSON"; cat $T/out; exit 1; }
			# the newest segment is the likeliest to be gone by the time show reads it
			id=$(jq -r ".shm | max_by(.id) | .id" $T/out)
			set +e; "$IPCADM" show --all-visible -J shm "$id" > $T/show 2>$T/err; rc=$?; set -e
			case $rc in
			0) jq -e ".shm[0].id == $id" $T/show >/dev/null ||
				{ echo "show $id: bad JSON"; cat $T/show; exit 1; } ;;
			1) grep -q "no shm with ID $id" $T/err || { cat $T/err; exit 1; } ;;
			*) echo "show $id: exit $rc"; cat $T/err; exit 1 ;;
			esac
		done
		touch $T/stop; wait $c
		# the churn ran while the lists were read
		[ "$(cat $T/rounds)" -ge 2 ]'
	ok
}

@test "faults: verdicts under churn never call an object with a live holder orphaned" {
	run ns "$CHURN"'
		held=$($IPCTOOL shm-create 0 8192 600)
		hold $IPCTOOL shm-attach $held
		sem=$($IPCTOOL sem-create 0 1 600)
		hold $IPCTOOL sem-wait $sem 0
		churn & c=$!
		for i in $(seq 25); do
			"$IPCADM" list --all-visible -J -o ID,VERDICT,HOLDERS > $T/out ||
				{ echo "run $i: exit $?"; exit 1; }
			v=$(jq -r ".shm[] | select(.id == $held) | .verdict" $T/out)
			[ "$v" = in-use ] || { echo "run $i: segment $held is $v"; cat $T/out; exit 1; }
			v=$(jq -r ".sem[] | select(.id == $sem) | .verdict" $T/out)
			[ "$v" = in-use ] || { echo "run $i: array $sem is $v"; cat $T/out; exit 1; }
		done
		touch $T/stop; wait $c
		[ "$(cat $T/rounds)" -ge 2 ]'
	ok
}

@test "faults: reap --yes run again and again under load removes nothing in use" {
	run ns "$CHURN"'
		keep=""
		for i in 1 2 3; do
			s=$($IPCTOOL shm-create 0 4096 600); hold $IPCTOOL shm-attach $s
			keep="$keep shm:$s"
		done
		m=$($IPCTOOL sem-create 0 1 600); hold $IPCTOOL sem-wait $m 0; keep="$keep sem:$m"
		q=$($IPCTOOL msg-create 0 600); hold $IPCTOOL msg-wait $q; keep="$keep msg:$q"
		k=$($IPCTOOL shm-create 0x1234 4096 600); keep="$keep shm:$k"   # idle, keyed
		# orphans: private, unattached, creator gone (another user, so that they are not
		# companions of the objects above, made by root in the same second)
		$IPCTOOL drop-to 4242 4242 -- $IPCTOOL fill shm 20 >/dev/null
		churn & c=$!
		for i in $(seq 15); do
			set +e; "$IPCADM" reap --all-visible --yes --log $T/log > $T/out 2>$T/err; rc=$?; set -e
			[ $rc -le 1 ] || { echo "reap run $i: exit $rc"; cat $T/err; exit 1; }
			for o in $keep; do
				"$IPCADM" show --all-visible ${o%%:*} ${o#*:} >/dev/null ||
					{ echo "reap run $i removed $o"; cat $T/out; exit 1; }
			done
		done
		touch $T/stop; wait $c
		[ "$(cat $T/rounds)" -ge 2 ]
		# the orphans made before the load are gone, what is in use is not
		"$IPCADM" reap --all-visible --yes --log $T/log >/dev/null
		n=$("$IPCADM" list --all-visible -J -o UID shm | jq "[.shm[] | select(.uid == 4242)] | length")
		[ "$n" -eq 0 ] || { echo "$n orphans left"; "$IPCADM" list --all-visible shm; exit 1; }
		for o in $keep; do "$IPCADM" show --all-visible ${o%%:*} ${o#*:} >/dev/null; done'
	ok
}

# ---- /proc files unreadable, truncated, garbled ----

@test "faults: an unreadable /proc/sysvipc table is a clear error (exit 1) for nobody" {
	fixture modern
	chmod 000 "$FX/proc/sysvipc/shm"
	run "${NOBODY[@]}" "$IPCADM" --root "$FX" list
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read the IPC state below '$FX'"*"Permission denied"* ]]
	[[ "$output" != *"Sanitizer"* ]]
	# the other kinds do not need that file
	run "${NOBODY[@]}" "$IPCADM" --root "$FX" list -J sem
	[ "$status" -eq 0 ]
	[ "$(jq '.sem | length' <<<"$output")" -eq 2 ]
}

@test "faults: an unreadable limit file shows that limit as unknown, the rest as usual" {
	fixture modern
	chmod 000 "$FX/proc/sys/kernel/shmmax"
	run "${NOBODY[@]}" "$IPCADM" --root "$FX" limits -J
	[ "$status" -eq 0 ]
	expect "$output" '.[] | select(.resource == "SHMMAX") | .limit' null
	expect "$output" '.[] | select(.resource == "SHMMNI") | .limit' 4096
}

@test "faults: a table cut off mid-line lists the whole rows and warns about the rest" {
	fixture modern
	head -c -40 "$BATS_TEST_DIRNAME/../fixtures/modern/proc/sysvipc/shm" >"$FX/proc/sysvipc/shm"
	run bash -c "'$IPCADM' --root '$FX' list -J shm 2>'$FX/err'"
	[ "$status" -eq 0 ]
	expect "$output" '.shm | map(.id) | join(",")' 0,32769,65538
	[[ "$(cat "$FX/err")" == *"1 unreadable lines of /proc/sysvipc/shm were skipped"* ]]
}

@test "faults: a header-only, an empty and a garbled table" {
	fixture modern
	head -1 "$BATS_TEST_DIRNAME/../fixtures/modern/proc/sysvipc/sem" >"$FX/proc/sysvipc/sem"
	: >"$FX/proc/sysvipc/msg"
	run "$IPCADM" --root "$FX" list -J sem msg
	[ "$status" -eq 0 ]
	expect "$output" '[.sem, .msg] | map(length) | join(",")' 0,0
	# a header with a column missing cannot be read by name: an error, not a guess
	sed -i '1s/ nattch / xattch /' "$FX/proc/sysvipc/shm"
	run "$IPCADM" --root "$FX" list shm
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read the IPC state below '$FX': Bad message"* ]]
}

@test "faults: binary junk in every table and limit file: no crash, JSON or a clear error" {
	fixture modern
	for seed in 1 2 3 4 5 6 7 8; do
		for f in sysvipc/shm sysvipc/sem sysvipc/msg sys/kernel/sem sys/kernel/shmmni; do
			# the real file, then bytes from a fixed pseudo-random stream
			{ cat "$BATS_TEST_DIRNAME/../fixtures/modern/proc/$f"
			  junk $((seed * ${#f})) $((seed * 97)); } >"$FX/proc/$f"
		done
		for cmd in "list -J" "limits -J" "show -J 0"; do
			run "$IPCADM" --root "$FX" $cmd
			[ "$status" -le 1 ] || { echo "seed $seed, $cmd: exit $status"; false; }
			[[ "$output" != *"Sanitizer"* && "$output" != *"runtime error"* ]]
			if [ "$status" -eq 0 ]; then
				jq -e . <<<"${output%%ipcadm: warning*}" >/dev/null ||
					{ echo "seed $seed, $cmd: bad JSON: $output"; false; }
			fi
		done
	done
}

@test "faults: a table that is a directory is a clear error" {
	fixture modern
	rm "$FX/proc/sysvipc/msg"
	mkdir "$FX/proc/sysvipc/msg"
	run "$IPCADM" --root "$FX" list
	[ "$status" -eq 1 ]
	[[ "$output" == *"below '$FX': Is a directory"* ]]
}

# ---- failing output ----

# Commands that print on the modern fixture, with what each prints before failing.
OUTPUT_CMDS=("" "list" "list -J" "list -r" "list -e" "show 0" "show -J 0" "limits"
	"limits -J" "--help" "--version" "list --help" "show --help" "limits --help")

# write_fails REDIRECT ERROR: each of OUTPUT_CMDS, its stdout redirected by REDIRECT, says
# "write error: ERROR" and exits non-zero.
write_fails() {
	local c
	for c in "${OUTPUT_CMDS[@]}"; do
		run bash -c "'$IPCADM' --root '$BATS_TEST_DIRNAME/../fixtures/modern' $c $1"
		[ "$status" -ne 0 ] || { echo "'$c' $1: exit 0"; return 1; }
		[[ "$output" == *"write error: $2"* ]] || { echo "'$c' $1: $output"; return 1; }
	done
}

@test "faults: writing to a full disk is a write error, exit non-zero, for every command" {
	write_fails ">/dev/full" "No space left on device"
}

@test "faults: the ipcs, ipcrm and ipcmk personalities report write errors too" {
	for tool in ipcs ipcrm ipcmk; do
		[ -x "$IPCADM_BUILD/$tool" ] || skip "no $tool link in $IPCADM_BUILD"
		run bash -c "'$IPCADM_BUILD/$tool' --help >/dev/full"
		[ "$status" -ne 0 ] || { echo "$tool --help to /dev/full: exit 0"; false; }
		[[ "$output" == *"$tool: write error: No space left on device"* ]]
	done
}

@test "faults: a closed stdout is a write error, exit non-zero, for every command" {
	write_fails ">&-" "Bad file descriptor"
}

@test "faults: a pipe closed early ends ipcadm quietly: SIGPIPE, or exit 1 when ignored" {
	run ns '
		$IPCTOOL fill shm 3000 >/dev/null   # far more than one 64 KiB buffer
		set -o pipefail +e
		"$IPCADM" list --all-visible 2>/tmp/err | head -1 >/dev/null
		echo "default: ${PIPESTATUS[0]} [$(cat /tmp/err)]"
		trap "" PIPE
		"$IPCADM" list --all-visible 2>/tmp/err | head -1 >/dev/null
		echo "ignored: ${PIPESTATUS[0]} [$(cat /tmp/err)]"'
	ok
	[[ "${lines[0]}" == "default: 141 []" ]]
	[[ "${lines[1]}" == "ignored: 1 []" ]]
}

@test "faults: metrics --textfile with stdout closed writes a clean file" {
	command -v promtool >/dev/null || skip "promtool is not installed"
	d=$(mktemp -d)
	run bash -c "'$IPCADM' --root '$BATS_TEST_DIRNAME/../fixtures/doctor-shm' metrics --textfile '$d' >&-"
	[ "$status" -eq 0 ]
	run promtool check metrics <"$d/ipcadm.prom"
	ok
	rm -rf "$d"
}

@test "faults: reap --backup to a full disk removes only what it could back up" {
	run ns '
		mkdir -p /tmp/bkfull && mount -t tmpfs -o size=16k,mode=700 tmpfs /tmp/bkfull
		big=$($IPCTOOL shm-create 0 65536 600)    # cannot be saved in 16 KiB
		# written all over: a backup skips the pages a segment never touched
		$IPCTOOL shm-write $big "$(head -c 65000 /dev/zero | tr "\0" x)"
		small=$($IPCTOOL shm-create 0 4096 600)
		L=$(mktemp -d)
		set +e; "$IPCADM" reap --all-visible --yes --backup /tmp/bkfull --log $L/log
		echo "exit $?"; set -e
		echo "left $("$IPCADM" list --all-visible -J -o ID shm | jq -c "[.shm[].id]")"
		echo "files $(cd /tmp/bkfull && ls -A | sed "s/^shm-[0-9]*-1-[0-9]*\./shm-1./" | tr "\n" " ")"
		echo "big $big small $small"'
	[[ "$output" == *"failed: No space left on device shm 0 "* ]]
	[[ "$output" == *"removed shm 1 "* ]]
	[[ "$output" == *"1 removed, 0 skipped, 1 failed"* ]]
	[[ "$output" == *"exit 1"* ]]
	[[ "$output" == *"left [0]"* ]]
	[[ "$output" == *"files shm-1.data shm-1.meta "* ]]  # nothing half-written of shm 0
	[[ "$output" == *"big 0 small 1"* ]]
}

# ---- not root ----

@test "faults: nobody sees every object of every user; held ones are never orphaned" {
	run ns '
		T=$(mktemp -d); chmod 755 $T
		a=$($IPCTOOL shm-create 0 4096 600)                     # root, private, held
		hold $IPCTOOL shm-attach $a
		b=$($IPCTOOL shm-create 0x4d2 4096 600)                 # root, keyed
		c=$($IPCTOOL sem-create 0 2 600)                        # root, private, waited on
		hold $IPCTOOL sem-wait $c 0
		d=$($IPCTOOL msg-create 0 600); $IPCTOOL set-owner msg $d 4242 4242 600
		e=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-create 0 4096 600)  # another user
		setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCADM" list --all-visible -J \
			-o ID,OWNER,PERMS,VERDICT > $T/out
		jq -e "(.shm | length) == 3 and (.sem | length) == 1 and (.msg | length) == 1" \
			$T/out >/dev/null || { cat $T/out; exit 1; }
		v=$(jq -r ".shm[] | select(.id == $a) | .verdict" $T/out)
		[ "$v" = in-use ] || { echo "held segment $a: $v"; cat $T/out; exit 1; }
		# its waiter cannot be seen without reading the values: unknown, never orphaned
		v=$(jq -r ".sem[0].verdict" $T/out)
		case $v in in-use|unknown) ;; *) echo "waited-on array: $v"; cat $T/out; exit 1;; esac
		v=$(jq -r ".shm[] | select(.id == $e) | .verdict" $T/out)
		[ "$v" = orphaned ] || { echo "orphan $e of uid 4242: $v"; cat $T/out; exit 1; }
		# the syscall source lists them all too (the *_STAT_ANY calls check nothing)
		setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCADM" --source syscall \
			list -J > $T/sys
		jq -e "(.shm | length) == 3 and (.sem | length) == 1 and (.msg | length) == 1" \
			$T/sys >/dev/null || { cat $T/sys; exit 1; }'
	ok
}

@test "faults: nobody cannot reap root's orphans: a clear EPERM, exit 1, nothing removed" {
	run ns '
		T=$(mktemp -d); chmod 777 $T
		$IPCTOOL fill shm 2 >/dev/null
		set +e
		setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCADM" reap --all-visible --yes \
			--log $T/log >$T/out 2>$T/err
		echo "exit $?"; set -e
		cat $T/out $T/err
		echo "left $("$IPCADM" list --all-visible -J shm | jq ".shm | length")"'
	[[ "$output" == *"exit 1"* ]]
	[[ "$output" == *"failed: Operation not permitted shm 0 "* ]]
	[[ "$output" == *"0 removed, 0 skipped, 2 failed"* ]]
	[[ "$output" == *"left 2"* ]]
}
