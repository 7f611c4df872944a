#!/bin/bash
# ipcs.sh SEED...: for each seed, a generated IPC state, then util-linux's ipcs and ours run
# with the same arguments (as root and as nobody); stdout, stderr and exit status compared.
# Run it inside a private IPC namespace (one state per seed, so a fresh namespace each).
set -u
. "$(dirname "$0")/lib.sh"

RESOURCES=("" "-m" "-q" "-s" "-a" "--shmems" "--queues --semaphores" "-m -s" "-q -m" "--all")
FORMATS=("" "-t" "-p" "-c" "-l" "-u" "--time" "--pid" "--creator" "--limits" "--summary")
UNITS=("" "-b" "--human" "--bytes")

# The deliberate differences, taken out before comparing (each has its own test):
# - -s -p: 2.38 prints nothing; we print each semaphore's last-op PID.
# - -l with a SHMALL whose bytes pass 64 bits: 2.38 prints a clamped number.
filter() {
	local o="$DIFF_DIR/out" shmall
	sed -i '/^------ Semaphore Last-op PIDs/,/^$/{/^$/!d}' "$o/our.out"
	shmall=$(cat /proc/sys/kernel/shmall)
	if [ "${#shmall}" -gt 15 ]; then
		sed -i '/^max total shared memory/d' "$o/ul.out" "$o/our.out"
	fi
}

# check USER ARGS...: compare, with the filter.
check() {
	local user=$1
	shift
	DIFF_RUNS=$((DIFF_RUNS + 1))
	run_tool ul "$user" ipcs "$@"
	run_tool our "$user" ipcs "$@"
	filter
	same || report "[$user] ipcs $*"
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
