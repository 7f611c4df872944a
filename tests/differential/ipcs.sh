#!/bin/bash
# ipcs.sh SEED...: for each seed, a generated IPC state, then util-linux's ipcs and ours run
# with the same arguments (as root and as nobody); stdout, stderr and exit status compared.
# Run it inside a private IPC namespace (one state per seed, so a fresh namespace each).
set -u
. "$(dirname "$0")/lib.sh"

RESOURCES=("" "-m" "-q" "-s" "-a" "--shmems" "--queues --semaphores" "-m -s" "-q -m" "--all")
FORMATS=("" "-t" "-p" "-c" "-l" "-u" "--time" "--pid" "--creator" "--limits" "--summary")
UNITS=("" "-b" "--human" "--bytes")

# check USER ARGS...: compare. Nothing is filtered out: the differences kept on purpose
# (-V names ipcadm; -i with a negative ID finds nothing) are not among the cases here and
# are asserted as differences in tests/cli/compat-ipcs.bats.
check() {
	local user=$1
	shift
	compare "$user" ipcs "$@"
}

one_state() {
	local seed=$1 c=0 r f u id
	gen_state "$seed"
	for r in "${RESOURCES[@]}"; do
		for f in "${FORMATS[@]}"; do
			for u in "${UNITS[@]}"; do
				c=$((c + 1))
				# a quarter of the combinations per state, another quarter next seed
				(((c + seed) % 4 == 0)) || continue
				# shellcheck disable=SC2086
				check root $r $f $u
			done
		done
	done
	for id in "${SHM_IDS[@]}"; do
		check root -m -i "$id"
		check root --shmems --id="$id" --human
		check root -b -m -i "$id"
	done
	for id in "${SEM_IDS[@]}"; do
		check root -s -i "$id"
		check root --semaphores --id "$id" -t
	done
	for id in "${MSG_IDS[@]}"; do
		check root -q -i "$id"
		check root -q --human -i "$id"
		check root -q -b -i "$id"
	done
	# IDs that are not there, or badly written
	for a in "-m -i 0" "-s -i 0" "-q -i 0" "-m -i 32768" "-s -i 12345" "-q -i 2147483647" \
		"-m -i 0x0" "-m -i abc" "-m -i 99999999999" "-m -i 1x" "-i 0" "-a -i 0" "-m -s -i 0" \
		"-x" "--bogus" "-i" "-m -i" "--id" "-h" "--help" "-mqs" "-m extra args" "--hum" \
		"--sum" "-m -l -u -t" "-m -t -l" "-m --bytes --human -l"; do
		# shellcheck disable=SC2086
		check root $a
	done
	check root -m -i ""
	check root -m -i " 0"
	check root -m -i "+0"
	# as nobody: other users' objects; semaphore values need read permission
	check 65534 -a
	check 65534 -c
	check 65534 -u
	for id in "${SEM_IDS[@]:0:2}"; do
		check 65534 -s -i "$id"
	done
	for id in "${SHM_IDS[@]:0:2}"; do
		check 65534 -m -i "$id"
	done
	# qbytes needs read permission (IPC_STAT): 0 without it
	for id in "${MSG_IDS[@]:0:2}"; do
		check 65534 -q -i "$id"
	done
	# SHMALL totals past 64 bits are clamped; ULONG_MAX is a limit like any other (SHMMAX too)
	local shmall
	shmall=$(cat /proc/sys/kernel/shmall)
	for v in 18446744073692774399 18446744073709551615 4611686018427387904; do
		echo "$v" >/proc/sys/kernel/shmall
		check root -l
		check root -m -l -b
		check root --limits --human
	done
	echo "$shmall" >/proc/sys/kernel/shmall
	shmall=$(cat /proc/sys/kernel/shmmax)
	echo 18446744073709551615 >/proc/sys/kernel/shmmax
	check root -m -l
	check root -l --bytes
	echo "$shmall" >/proc/sys/kernel/shmmax
}

for seed in "$@"; do
	before=$DIFF_FAILS
	one_state "$seed"
	echo "# ipcs seed $seed: $((DIFF_FAILS - before)) mismatches"
	# the next state starts empty: remove everything, holders first
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	for id in $(awk 'NR > 1 {print $2}' /proc/sysvipc/shm); do "$IPCTOOL" rm shm "$id"; done
	for id in $(awk 'NR > 1 {print $2}' /proc/sysvipc/sem); do "$IPCTOOL" rm sem "$id"; done
	for id in $(awk 'NR > 1 {print $2}' /proc/sysvipc/msg); do "$IPCTOOL" rm msg "$id"; done
done
echo "# ipcs: $DIFF_RUNS comparisons, $DIFF_FAILS mismatches"
rm -rf "$DIFF_DIR"
[ "$DIFF_FAILS" -eq 0 ]
