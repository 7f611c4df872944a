#!/bin/bash
# trace.sh: what `ipcadm trace` costs a semop-heavy program, and how many events a second
# it keeps up with. The program runs in private IPC, mount and PID namespaces; the trace
# runs outside them (its events carry the initial PID namespace's PIDs), on it alone.
#
# Usage: bench/trace.sh [N]   (as root; N runs of each case, 5 by default)
# Environment: BUILD (default build); SECONDS_EACH (2) how long each run lasts.
# Prints the median (by calls a second) run of each case: the calls a second and in all, and
# for the traced ones the lines trace wrote and the events the kernel said it dropped.
set -eu

N=${1:-5}
BUILD=${BUILD:-build}
SECS=${SECONDS_EACH:-2}
export LC_ALL=C
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
IPCADM=$ROOT/$BUILD/ipcadm
if [ "$(id -u)" -ne 0 ]; then
	echo "trace.sh: needs root (tracing, private namespaces)" >&2
	exit 1
fi
make -s -C "$ROOT" BUILD="$BUILD" all >/dev/null
TMP=$(mktemp -d)
TRACE=""
cleanup() {
	[ -z "$TRACE" ] || kill "$TRACE" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
${CC:-cc} -O2 -Wall -Werror -o "$TMP/semload" "$BENCH_DIR/semload.c"

# load MODE: semload in fresh namespaces, started once $TMP/go exists; prints "CALLS SECS".
load() {
	rm -f "$TMP/go"
	unshare --ipc --mount --pid --fork --mount-proc --propagation private bash -c '
		for ((i = 0; i < 400; i++)); do [ -e "$1/go" ] && break; sleep 0.05; done
		exec "$1/semload" "$2" "$3"' load "$TMP" "$1" "$SECS" >"$TMP/load.out" &
	LOAD=$!
}

# start_trace ARGS...: ipcadm trace in the background, its lines to $TMP/out; returns once
# it traces.
start_trace() {
	"$IPCADM" trace "$@" >"$TMP/out" 2>"$TMP/trace.err" &
	TRACE=$!
	for ((i = 0; i < 400; i++)); do
		grep -q "following the IPC calls" "$TMP/trace.err" 2>/dev/null && return 0
		kill -0 "$TRACE" 2>/dev/null || break
		sleep 0.05
	done
	cat "$TMP/trace.err" >&2
	exit 1
}

stop_trace() {
	kill -INT "$TRACE"
	wait "$TRACE"
	TRACE=""
}

# one CASE MODE TRACE-ARGS...: one run; prints "RATE LINES LOST".
one() {
	local mode=$1 traced=$2 lines=0 lost=0 calls secs
	shift 2
	load "$mode"
	case $traced in
	no) ;;
	pid) start_trace --pid "$LOAD" "$@" ;;
	other) sleep 1000 & OTHER=$!; start_trace --pid "$OTHER" "$@" ;;
	esac
	touch "$TMP/go"
	wait "$LOAD"
	if [ "$traced" != no ]; then
		sleep 0.5 # what is still in the buffer
		stop_trace
		lines=$(wc -l <"$TMP/out")
		lost=$(sed -n 's/.*: \([0-9]*\) events were lost.*/\1/p' "$TMP/trace.err")
		lost=${lost:-0}
		if [ "$traced" = other ]; then
			kill "$OTHER"
			wait "$OTHER" || true
		fi
	fi
	read -r calls secs <"$TMP/load.out"
	awk -v c="$calls" -v s="$secs" -v l="$lines" -v x="$lost" \
		'BEGIN { printf "%.0f %d %d %.0f\n", c / s, l, x, c }'
}

# median CASE...: N runs, the median of each column.
median() {
	for ((r = 0; r < N; r++)); do one "$@"; done | sort -n | awk -v n="$N" \
		'{ a[NR] = $0 } END { print a[int((n + 1) / 2)] }'
}

printf '%-58s %10s %9s %9s %9s\n' "case (median of $N runs, ${SECS} s each)" "calls/s" \
	"calls" "lines" "lost"
row() {
	local label=$1 r
	shift
	r=$(median "$@")
	set -- $r
	printf '%-58s %10s %9s %9s %9s\n' "$label" "$1" "$4" "$2" "$3"
}
row "semop +1/-1, no trace" ok no
row "semop +1/-1, trace --pid of another process" ok other
row "semop +1/-1, trace --pid of it (failures only)" ok pid
row "semop on no array (EINVAL), no trace" fail no
row "semop on no array (EINVAL), trace --pid of it -J" fail pid -J
row "semop on no array (EINVAL), trace --pid of it -J, 16 MB buffer" fail pid -J \
	--buffer-size 16384
left=$(ls /sys/kernel/tracing/instances | grep -c '^ipcadm-trace-' || true)
echo "tracefs instances of ipcadm left: $left"
