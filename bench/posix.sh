#!/bin/bash
# posix.sh: how fast ipcadm finds who holds POSIX objects (every process's descriptors, and
# the tables of threads that have their own) among 1,000 processes, and among threads.
#
# Usage: bench/posix.sh [N]   (as root; N runs of each command, 7 by default)
# Environment: BUILD (default build) names the build directory; BASE=DIR an ipcadm program
# (an earlier build) timed side by side with it, as BASE. Each scenario starts its processes with
# bench/threads.c (16 descriptors open each) and times `ipcadm list --all-visible pmq`
# over 10 queues: every descriptor of every process is read, no maps. The last times
# `ipcadm reap --yes` of 100 idle queues among 1,000 processes: the check right before the
# removals reads every process again (once for all; once per queue in earlier builds).
# Everything lives in private IPC, mount and PID namespaces: nothing touches this
# machine's own IPC objects.
set -eu

N=${1:-7}
BUILD=${BUILD:-build}
. "$(dirname "$0")/lib.sh"

bench_enter "$0" "$@"

# ---- from here on: inside the private namespaces ----
IPCADM=$ROOT/$BUILD/ipcadm
POSIXTOOL=$ROOT/$BUILD/helpers/posixtool
trap bench_stop EXIT

${CC:-cc} -O2 -Wall -Werror -pthread -o "$BENCH_TMP/threads" "$BENCH_DIR/threads.c"
mkdir -p /dev/mqueue
mount -t mqueue mqueue /dev/mqueue
for i in $(seq 10); do "$POSIXTOOL" mq-create "q$i" 4 64; done

echo "POSIX holders: ipcadm list --all-visible pmq (10 queues, every process's" \
	"descriptors read); median of $N runs, output to a pipe"
echo "                                           wall (s)   cpu (s)"
# scenario LABEL NPROC NTHREADS [own]: starts the processes, times each build, stops them
scenario() {
	local label=$1

	mapfile -t pids < <(timeout 120 "$BENCH_TMP/threads" "$2" "$3" 16 600 ${4:-})
	if [ ${#pids[@]} -ne "$2" ]; then
		echo "posix.sh: started ${#pids[@]} of $2 processes" >&2
		exit 1
	fi
	"$IPCADM" list --all-visible pmq >/dev/null # warm: the first run after the start pays more
	bench_row "$label" "$(bench_median "$N" "" "$IPCADM list --all-visible pmq")"
	if [ -n "${BASE:-}" ]; then
		bench_row "  the same, BASE" \
			"$(bench_median "$N" "" "$BASE list --all-visible pmq")"
	fi
	bench_stop
}
scenario "1,000 processes, 1 thread" 1000 1
scenario "200 processes, 4 threads (one table)" 200 4
scenario "200 processes, 4 threads, 4 tables" 200 4 own
scenario "1,000 processes, 4 threads (one table)" 1000 4

# reap --yes of 100 idle queues (made again, untimed, before each run) among 1,000
# processes; every run must remove all 100
reap_row() {
	# (not i: bench_median counts its runs in i)
	local label=$1 prog=$2 make="for q in \$(seq 100); do \"$POSIXTOOL\" mq-create r\$q 4 64; done"
	local reap="$prog reap --all-visible -i -k pmq --name 'r*' --yes --log $BENCH_TMP/reap.log"

	local got left

	bench_row "$label" "$(bench_median "$N" "$make" "$reap")"
	got=$(grep -c "removed pmq /r" "$BENCH_TMP/reap.log" || true)
	left=$(find /dev/mqueue -name "r*" | wc -l)
	if [ "$got" -ne $((100 * N)) ] || [ "$left" -ne 0 ]; then
		echo "posix.sh: $label: $got removals logged of $((100 * N)), $left queues left" >&2
		exit 1
	fi
	rm -f "$BENCH_TMP/reap.log"
}
echo
echo "POSIX removal: ipcadm reap --yes of 100 idle queues among 1,000 processes;" \
	"median of $N runs"
echo "                                           wall (s)   cpu (s)"
mapfile -t pids < <(timeout 120 "$BENCH_TMP/threads" 1000 1 16 600)
reap_row "100 queues, 1,000 processes" "$IPCADM"
if [ -n "${BASE:-}" ]; then
	reap_row "  the same, BASE" "$BASE"
fi
bench_stop
