#!/bin/bash
# who.sh: how fast ipcadm finds every holder when 1,000 processes each attach 10 of 32,000
# segments, side by side with lsof and plain reads of every maps file; medians and ratios.
#
# Usage: bench/who.sh [N]   (as root; N runs of each command, 7 by default)
# Environment: BUILD (default build) names the build directory; SEGS (32000), PROCS (1000)
# and PER (10) the setup. BENCH_EXEC=CMD runs CMD in the prepared state instead of the
# timings (to profile: BENCH_EXEC='perf record -g $IPCADM who shm $ID'). Everything lives in
# private IPC, mount and PID namespaces: nothing touches this machine's own IPC objects.
set -eu

N=${1:-7}
BUILD=${BUILD:-build}
SEGS=${SEGS:-32000}
PROCS=${PROCS:-1000}
PER=${PER:-10}
. "$(dirname "$0")/lib.sh"

if [ -z "${IPCADM_BENCH_INSIDE:-}" ]; then
	bench_need lsof lsof
	bench_enter "$0" "$@"
fi

# ---- from here on: inside the private namespaces ----
IPCADM=$ROOT/$BUILD/ipcadm
IPCTOOL=$ROOT/$BUILD/helpers/ipctool
trap bench_stop EXIT

bench_cc readmaps
sysctl -q -w kernel.shmmni=32768
"$IPCTOOL" fill shm "$SEGS" >/dev/null
awk 'NR > 1 { print $2 }' /proc/sysvipc/shm >"$BENCH_TMP/ids"
# The attachers exit on their own after 600 s, should the cleanup not happen.
mapfile -t pids < <(timeout 120 "$ROOT/$BUILD/helpers/attach" "$PROCS" "$PER" 600 <"$BENCH_TMP/ids")
if [ ${#pids[@]} -ne "$PROCS" ]; then
	echo "who.sh: started ${#pids[@]} of $PROCS attachers" >&2
	exit 1
fi
ID=$(awk 'NR > 1 && $7 > 0 { print $2; exit }' /proc/sysvipc/shm)
attached=$(awk 'NR > 1 && $7 > 0 { n++ } END { print n + 0 }' /proc/sysvipc/shm)
nattch=$(awk 'NR > 1 { n += $7 } END { print n + 0 }' /proc/sysvipc/shm)
export IPCADM IPCTOOL ID

if [ -n "${BENCH_EXEC:-}" ]; then
	eval "$BENCH_EXEC"
	exit
fi

echo "who: $PROCS processes each attach $PER of $SEGS segments ($attached segments" \
	"attached, $nattch attachments); median of $N runs, output to a pipe"
# Each tool must see every attachment, or its time means nothing.
lsof_seen=$(lsof -n 2>/dev/null | grep -c SYSV || true)
list_seen=$("$IPCADM" list -r --noheadings -o NATTCH,HOLDERS shm |
	awk '$1 > 0 && NF > 1 { n++ } END { print n + 0 }')
who_seen=$("$IPCADM" who -r --noheadings shm "$ID" | wc -l)
echo "  seen: lsof $lsof_seen SysV mappings; readmaps: $("$BENCH_TMP/readmaps");" \
	"ipcadm list: holders for $list_seen of $attached attached segments;" \
	"ipcadm who shm $ID: $who_seen holder(s)"

lsof_t=$(bench_median "$N" "" "lsof -n | grep SYSV")
cat_t=$(bench_median "$N" "" "cat /proc/[0-9]*/maps")
floor_t=$(bench_median "$N" "" "$BENCH_TMP/readmaps")
plain_t=$(bench_median "$N" "" "$IPCADM list shm")
list_t=$(bench_median "$N" "" "$IPCADM list -o +HOLDERS shm")
who_t=$(bench_median "$N" "" "$IPCADM who shm $ID")
# the same in one thread, and from the kernel's text of 32,000 segments (with RSS, SWAP)
one_t=$(bench_median "$N" "" "IPCADM_THREADS=1 $IPCADM list -o +HOLDERS shm")
proc_t=$(bench_median "$N" "" "$IPCADM --source proc list -o +HOLDERS shm")

echo "                                           wall (s)   cpu (s)"
bench_row "lsof -n | grep SYSV" "$lsof_t"
bench_row "cat /proc/[0-9]*/maps" "$cat_t"
bench_row "C loop reading every maps file" "$floor_t"
bench_row "ipcadm list shm (no holders)" "$plain_t"
bench_row "ipcadm list -o +HOLDERS shm" "$list_t"
bench_row "  the same, one thread" "$one_t"
bench_row "  the same, --source proc" "$proc_t"
bench_row "ipcadm who shm ID" "$who_t"
echo "ratios:"
bench_check "lsof / cat /proc/[0-9]*/maps" "$lsof_t" "$cat_t" ">=" 1
bench_check "lsof / C loop reading every maps" "$lsof_t" "$floor_t" ">=" 1
bench_check "lsof / ipcadm list -o +HOLDERS shm" "$lsof_t" "$list_t" ">=" 10
bench_check "lsof / ipcadm who shm ID" "$lsof_t" "$who_t" ">=" 10
bench_check "lsof / ... +HOLDERS, one thread" "$lsof_t" "$one_t" ">=" 10
if [ "$list_seen" -ne "$attached" ] || [ "$who_seen" -lt 1 ]; then
	echo "  MISSED: ipcadm did not find every holder"
fi
