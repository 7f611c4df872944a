#!/bin/bash
# reap.sh: how fast `ipcadm reap --yes` removes 32,000 orphaned semaphore arrays, against
# `ipcrm --all=sem` on the identical state, rebuilt before every run; medians and ratios.
#
# Usage: bench/reap.sh [N]   (as root; N runs of each command, 7 by default)
# Environment: BUILD (default build) names the build directory; SEMS (32000) the arrays;
# PROCS (0) idle processes to start first (every one is weighed as a possible holder).
# The arrays are made by a process running as uid 4242 (no other process runs as it) that
# then exits, as leaked Apache mutexes are. BENCH_EXEC=CMD runs CMD in the prepared state
# instead of the timings. Everything lives in private IPC, mount and PID namespaces.
set -eu

N=${1:-7}
BUILD=${BUILD:-build}
SEMS=${SEMS:-32000}
PROCS=${PROCS:-0}
OWNER=4242
. "$(dirname "$0")/lib.sh"

bench_enter "$0" "$@"

# ---- from here on: inside the private namespaces ----
IPCADM=$ROOT/$BUILD/ipcadm
IPCTOOL=$ROOT/$BUILD/helpers/ipctool
export IPCADM IPCTOOL
sysctl -q -w kernel.sem="32000 1024000000 500 32768"
trap bench_stop EXIT
for ((i = 0; i < PROCS; i++)); do
	sleep 600 &
	pids+=($!)
done

# rebuild: removes what is left, then makes the orphaned arrays again.
rebuild() {
	ipcrm --all=sem 2>/dev/null || true
	"$IPCTOOL" drop-to "$OWNER" "$OWNER" -- "$IPCTOOL" fill sem "$SEMS" >/dev/null
}
arrays() {
	awk 'NR > 1 { n++ } END { print n + 0 }' /proc/sysvipc/sem
}

if [ -n "${BENCH_EXEC:-}" ]; then
	rebuild
	eval "$BENCH_EXEC"
	exit
fi

echo "reap: $SEMS orphaned semaphore arrays (owner uid $OWNER, creator exited), $PROCS" \
	"other processes; median of $N runs, the state rebuilt before each"
# Each run must remove every array, or its time means nothing.
rebuild
would=$("$IPCADM" reap --all-visible | grep -c '^would remove' || true)
"$IPCADM" reap --all-visible --yes --log "$BENCH_TMP/log" >/dev/null
left_reap=$(arrays)
rebuild
ipcrm --all=sem
left_ipcrm=$(arrays)
echo "  seen: the dry run would remove $would; left after reap --yes: $left_reap," \
	"after ipcrm --all=sem: $left_ipcrm"

ipcrm_t=$(bench_median "$N" rebuild "ipcrm --all=sem")
reap_t=$(bench_median "$N" rebuild "$IPCADM reap --all-visible --yes")
# Leaks are older than the second they are read in; arrays made in that very second need
# each semaphore's pid read again before removal (lib/remove.c), one call more each.
aged_t=$(bench_median "$N" "rebuild; sleep 1.1" "$IPCADM reap --all-visible --yes")
log_t=$(bench_median "$N" rebuild "$IPCADM reap --all-visible --yes --log $BENCH_TMP/log")
rebuild
dry_t=$(bench_median "$N" "" "$IPCADM reap --all-visible")

echo "                                           wall (s)   cpu (s)"
bench_row "ipcrm --all=sem" "$ipcrm_t"
if [ -S /dev/log ]; then logged="syslog"; else logged="no /dev/log"; fi
bench_row "ipcadm reap --yes ($logged)" "$reap_t"
bench_row "  the same, arrays a second old" "$aged_t"
bench_row "ipcadm reap --yes --log FILE" "$log_t"
bench_row "ipcadm reap (dry run)" "$dry_t"
echo "ratios:"
bench_check "ipcadm reap --yes / ipcrm --all=sem" "$reap_t" "$ipcrm_t" "<=" 2
bench_check "  arrays a second old / ipcrm" "$aged_t" "$ipcrm_t" "<=" 2
bench_check "ipcadm reap --yes --log / ipcrm" "$log_t" "$ipcrm_t" "<=" 2
bench_check "ipcadm reap (dry run) / ipcrm" "$dry_t" "$ipcrm_t" "<=" 2
if [ "$would" -ne "$SEMS" ] || [ "$left_reap" -ne 0 ]; then
	echo "  MISSED: reap did not remove every orphaned array"
fi
