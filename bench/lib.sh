# lib.sh: what the bench scripts (who.sh, reap.sh, posix.sh) share: running again inside
# private namespaces, stopping what they start, C helpers, medians of runs, ratio lines.

export LC_ALL=C
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")

# bench_enter SCRIPT ARGS...: outside the namespaces, checks root, builds $BUILD and runs
# SCRIPT again inside fresh IPC, mount and PID namespaces (every process it starts dies with
# them), with a scratch directory $BENCH_TMP removed afterwards. Returns inside them.
bench_enter() {
	[ -n "${IPCADM_BENCH_INSIDE:-}" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "$(basename "$1"): needs root, for private IPC, mount and PID namespaces" >&2
		exit 1
	fi
	make -s -C "$ROOT" BUILD="$BUILD" all >/dev/null
	BENCH_TMP=$(mktemp -d)
	trap 'rm -rf "$BENCH_TMP"' EXIT
	export IPCADM_BENCH_INSIDE=1 BENCH_TMP BUILD
	# a private /dev/shm too: nothing the benchmark writes lands in the machine's own
	unshare --ipc --mount --pid --fork --mount-proc --propagation private \
		bash -c 'mount -t tmpfs tmpfs /dev/shm && exec "$@"' bench "$@"
	exit
}

# bench_stop: kills the processes the script started and listed in pids, waits for those
# that are its children, and empties the list. Scripts trap it on EXIT, and call it between
# scenarios.
pids=()
bench_stop() {
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
	fi
	pids=()
}

# bench_cc NAME: compiles bench/NAME.c to $BENCH_TMP/NAME.
bench_cc() {
	${CC:-cc} -O2 -Wall -Werror -o "$BENCH_TMP/$1" "$BENCH_DIR/$1.c"
}

# bench_need CMD PACKAGE: installs Debian's PACKAGE when CMD is missing.
bench_need() {
	command -v "$1" >/dev/null && return 0
	echo "bench: installing Debian's $2 for $1" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# bench_median RUNS SETUP CMD: runs SETUP (untimed) then CMD (timed, its output to a pipe)
# RUNS times; prints the median wall time and the median CPU time (user + system, its
# children's too) in seconds. On a busy machine the CPU time is the steadier one.
bench_median() {
	local runs=$1 setup=$2 cmd=$3 i t TIMEFORMAT='%3R %3U %3S' all=()

	for ((i = 0; i < runs; i++)); do
		if [ -n "$setup" ]; then eval "$setup"; fi
		t=$( { time eval "$cmd" 2>/dev/null | cat >/dev/null; } 2>&1)
		all+=("$t")
	done
	printf '%s\n' "${all[@]}" | awk '
		{ w[NR] = $1; c[NR] = $2 + $3 }
		function median(v, n,   i, j, x) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					x = v[j]; v[j] = v[j - 1]; v[j - 1] = x
				}
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		END { printf "%.4f %.4f\n", median(w, NR), median(c, NR) }'
}

# bench_row LABEL "WALL CPU": one line of medians.
bench_row() {
	awk -v l="$1" -v t="$2" 'BEGIN { split(t, x, " ")
		printf "  %-36s %8.4f s %8.4f s\n", l, x[1], x[2] }'
}

# bench_check TEXT "A_WALL A_CPU" "B_WALL B_CPU" OP LIMIT: the ratios A/B of the wall and of
# the CPU times against the target (OP is >= or <=), with ok or MISSED for each.
bench_check() {
	awk -v t="$1" -v a="$2" -v b="$3" -v op="$4" -v l="$5" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= 2; i++) {
			r[i] = y[i] > 0 ? x[i] / y[i] : 0
			ok[i] = (op == ">=") ? (r[i] >= l) : (r[i] <= l)
		}
		printf "  %-40s wall %6.2fx %-6s cpu %6.2fx %-6s (target %s %s)\n", t,
			r[1], ok[1] ? "ok" : "MISSED", r[2], ok[2] ? "ok" : "MISSED", op, l }'
}
