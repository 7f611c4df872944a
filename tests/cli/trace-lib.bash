# trace-lib.bash: what trace.bats and journal.bats share: a scenario in private namespaces
# that waits for $GO, ipcadm trace run on the host, and a teardown that stops them both.

load helpers

TRACEFS=/sys/kernel/tracing

# need_tracefs: skips the test on a kernel without syscall tracepoints in tracefs.
need_tracefs() {
	[ -d "$TRACEFS/events/syscalls/sys_enter_semget" ] ||
		skip "no tracefs with syscall tracepoints at $TRACEFS"
}

# trace_setup: no process started yet; $GO and $DONE in the test's own directory.
trace_setup() {
	TRACE_PID="" SCEN_PID="" SCEN2_PID="" ALL_TRACES=""
	GO="$BATS_TEST_TMPDIR/go" DONE="$BATS_TEST_TMPDIR/done"
	export GO DONE
}

# trace_teardown [FILE...]: every process a test started is stopped (FILEs, like $GO and
# $DONE, are made first, for scenarios waiting for them), and no instance of its traces
# is left.
trace_teardown() {
	local p
	touch "$DONE" "$GO" "$@" 2>/dev/null || true
	for p in $TRACE_PID $SCEN_PID $SCEN2_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	for p in $TRACE_PID $ALL_TRACES; do
		if [ -e "$TRACEFS/instances/ipcadm-trace-$p" ]; then
			echo "instance ipcadm-trace-$p left behind" >&2
			return 1
		fi
	done
}

# scenario SCRIPT [VAR]: SCRIPT in private namespaces, in the background, started only once
# $GO exists (the trace runs by then); its PID in SCEN_PID (or VAR). The scenario then
# waits for $DONE, so that its namespace keeps a process while the trace explains.
scenario() {
	ns 'for ((i = 0; i < 400; i++)); do [ -e "$GO" ] && break; sleep 0.05; done
		[ -e "$GO" ] || exit 7
		'"$1"'
		for ((i = 0; i < 400; i++)); do [ -e "$DONE" ] && break; sleep 0.05; done' \
		>>"$BATS_TEST_TMPDIR/scenario.out" 2>&1 &
	printf -v "${2:-SCEN_PID}" %s "$!"
}

# waiter PID: the scenario's shell: below PID (a scenario's), the first process in the
# second IPC namespace down the line (ns: PID 1 in one of its own, the scenario in a nested
# one). Found by the namespaces, not by depth: the shell's own children come and go.
waiter() {
	local p=$1 c changes=0
	while [ "$changes" -lt 2 ] && c=$(pgrep -P "$p" | head -n 1) && [ -n "$c" ]; do
		[ "$(readlink "/proc/$c/ns/ipc")" = "$(readlink "/proc/$p/ns/ipc")" ] ||
			changes=$((changes + 1))
		p=$c
	done
	[ "$changes" -eq 2 ] && echo "$p"
}

# start_trace OUT ARGS...: ipcadm trace on this side of the namespaces (its events carry
# the initial PID namespace's PIDs), output to OUT, messages to OUT.err; returns once the
# kernel records.
start_trace() {
	local out=$1 i
	shift
	"$IPCADM" trace "$@" >"$out" 2>"$out.err" &
	TRACE_PID=$!
	ALL_TRACES="$ALL_TRACES $TRACE_PID"
	for ((i = 0; i < 400; i++)); do
		grep -q "following the IPC calls" "$out.err" && return 0
		kill -0 "$TRACE_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "trace did not start:" >&2
	cat "$out.err" >&2
	return 1
}

stop_trace() {
	kill -INT "$TRACE_PID"
	wait "$TRACE_PID"
}
