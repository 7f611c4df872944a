#!/bin/bash
# list.sh: times `ipcadm list`, `list -J` and `show` against ipcs, lsipc and cat of /proc on
# 32,000 objects of each kind, made in a private IPC namespace; prints medians and ratios.
#
# Usage: bench/list.sh [N]   (as root; N runs of each command, 7 by default)
# Environment: BUILD (default build) names the build directory; COUNT (32000) the objects
# of each kind. The state lives only in the private namespace: nothing touches this
# machine's own IPC objects.
set -eu

N=${1:-7}
BUILD=${BUILD:-build}
COUNT=${COUNT:-32000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${IPCADM_BENCH_INSIDE:-}" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "list.sh: needs root, for a private IPC namespace" >&2
		exit 1
	fi
	if ! [ -x /usr/bin/time ]; then # GNU time, for peak memory (%M)
		echo "list.sh: installing Debian's time package" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
	fi
	make -s -C "$ROOT" BUILD="$BUILD" all >/dev/null
	export IPCADM_BENCH_INSIDE=1 N BUILD COUNT
	exec unshare --ipc --mount --pid --fork --mount-proc --propagation private \
		bash -c 'mount -t tmpfs tmpfs /dev/shm && exec "$@"' bench "$0" "$@"
fi

# ---- from here on: inside the private namespaces ----
IPCADM=$ROOT/$BUILD/ipcadm
IPCTOOL=$ROOT/$BUILD/helpers/ipctool
declare -A RESULT

# sample NAME CMD...: runs CMD (stdout to a pipe) once; records the wall time in seconds.
sample() {
	local name=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	"$@" | cat >/dev/null
	t1=$EPOCHREALTIME
	RESULT[$name]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') "
}

median() {
	tr ' ' '\n' <<<"${RESULT[$1]}" | grep . | sort -n | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# peak CMD...: the peak resident memory of CMD in kilobytes (GNU time's %M). Not noted in
# /dev/shm: a file there is a POSIX segment, which `ipcadm list` would list and judge.
PEAK=$(mktemp)
trap 'rm -f "$PEAK"' EXIT
peak() {
	/usr/bin/time -f %M -o "$PEAK" "$@" >/dev/null
	cat "$PEAK"
}

catproc() {
	cat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'
}

# check TEXT RATIO OP LIMIT: prints one ratio line with ok or MISSED against the target.
check() {
	local verdict
	verdict=$(awk -v r="$2" -v l="$4" -v op="$3" 'BEGIN {
		ok = (op == ">=") ? (r >= l) : (r <= l); print ok ? "ok" : "MISSED" }')
	printf '  %-44s %7sx   (target %s %s)  %s\n' "$1" "$2" "$3" "$4" "$verdict"
}

run_set() {
	local label=$1 mid=$2
	RESULT=()
	for ((i = 0; i < N; i++)); do
		sample "ipcs -a" ipcs -a
		sample "lsipc -m" lsipc -m
		sample "lsipc -s" lsipc -s
		sample "lsipc -q" lsipc -q
		sample "cat /proc/sysvipc/*" catproc
		sample "ipcadm list" "$IPCADM" list
		sample "ipcadm list -J" "$IPCADM" list -J
		sample "ipcadm list -r" "$IPCADM" list -r
		sample "ipcadm list (proc)" "$IPCADM" --source proc list
		sample "ipcadm show ID" "$IPCADM" show shm "$mid"
		sample "ipcs -m -i ID" ipcs -m -i "$mid"
	done
	echo
	echo "== $label: median of $N runs (seconds, output to a pipe)"
	for c in "ipcs -a" "lsipc -m" "lsipc -s" "lsipc -q" "cat /proc/sysvipc/*" "ipcadm list" \
		"ipcadm list -J" "ipcadm list -r" "ipcadm list (proc)" "ipcadm show ID" \
		"ipcs -m -i ID"; do
		printf '  %-24s %8.4f\n' "$c" "$(median "$c")"
	done
	local ipcs cat list json show ipcsi
	ipcs=$(median "ipcs -a") cat=$(median "cat /proc/sysvipc/*")
	list=$(median "ipcadm list") json=$(median "ipcadm list -J")
	show=$(median "ipcadm show ID") ipcsi=$(median "ipcs -m -i ID")
	echo "ratios:"
	check "ipcs -a / ipcadm list" "$(ratio "$ipcs" "$list")" ">=" 10
	check "ipcs -a / ipcadm list -J" "$(ratio "$ipcs" "$json")" ">=" 10
	check "ipcadm list / cat /proc/sysvipc/*" "$(ratio "$list" "$cat")" "<=" 2
	check "ipcadm list -J / cat /proc/sysvipc/*" "$(ratio "$json" "$cat")" "<=" 2
	check "ipcs -m -i ID / ipcadm show ID" "$(ratio "$ipcsi" "$show")" ">=" 1
}

echo "building the state: $COUNT objects of each kind in a private IPC namespace"
sysctl -q -w kernel.shmmni=32768
"$IPCTOOL" fill shm "$COUNT" >/dev/null
"$IPCTOOL" fill sem "$COUNT" >/dev/null
"$IPCTOOL" fill msg "$COUNT" >/dev/null
MID=$("$IPCADM" list shm -r --noheadings -o ID | sed -n "$((COUNT / 2))p")
echo "$(ipcs -u | grep -E 'segments allocated|used arrays|allocated queues' | tr -s ' \n' ' ')"

run_set "owners in /etc/passwd (root)" "$MID"

echo
echo "== peak memory (GNU time %M, kilobytes)"
pl=$(peak "$IPCADM" list) plm=$(peak "$IPCADM" list shm) pj=$(peak "$IPCADM" list -J)
pm=$(peak lsipc -m) ps=$(peak lsipc -s) pq=$(peak lsipc -q) pi=$(peak ipcs -a)
printf '  %-24s %8s\n' "ipcadm list" "$pl" "ipcadm list shm" "$plm" "ipcadm list -J" "$pj" \
	"lsipc -m" "$pm" "lsipc -s" "$ps" "lsipc -q" "$pq" "ipcs -a" "$pi"
check "ipcadm list (all kinds) / lsipc -m" "$(ratio "$pl" "$pm")" "<=" 1
check "ipcadm list -J (all kinds) / lsipc -m" "$(ratio "$pj" "$pm")" "<=" 1

# The same objects owned by a uid that /etc/passwd does not know: one failed lookup a row
# for ipcs, one for ipcadm.
echo
echo "changing the owner of every object to uid 4242 (not in /etc/passwd)"
for k in shm sem msg; do
	"$IPCTOOL" set-owner-all "$k" 4242 4242
done
run_set "owners not in /etc/passwd (uid 4242)" "$MID"
