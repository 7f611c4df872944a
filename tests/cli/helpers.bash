# helpers.bash: what every end-to-end test file loads. Each test runs its commands in
# private IPC, mount and PID namespaces, so nothing touches this machine's own IPC.

IPCADM=${IPCADM:-$BATS_TEST_DIRNAME/../../build/ipcadm}
IPCADM_BUILD=${IPCADM_BUILD:-$(dirname "$IPCADM")}
IPCTOOL="$IPCADM_BUILD/helpers/ipctool"
export IPCADM IPCADM_BUILD IPCTOOL

# ns SCRIPT: runs a bash script in fresh IPC, mount and PID namespaces, with a private
# /dev/shm and /dev/mqueue, and $IPCADM and $IPCTOOL set. Use with bats' `run`.
# The PID namespace's PID 1 (a root shell that starts everything) stays in an IPC
# namespace of its own: the scenario runs in a nested one, as in a real system, where
# PID 1 is no possible holder of every object (DESIGN.md, "Testing").
# Scratch files go to /dev/shm/t: a file directly in /dev/shm is a POSIX shm object.
# IPCADM_CLOCK_STEP=0: the tests make objects and processes seconds apart and compare
# them; this machine's wall clock may have been stepped since boot (a VM restored from a
# snapshot), which ipcadm would otherwise allow for (tests that step it unset this).
export IPCADM_CLOCK_STEP=0
ns() {
	unshare --ipc --mount --pid --fork --mount-proc --propagation private \
		bash -c 'mount -t tmpfs tmpfs /dev/shm 2>/dev/null; mkdir -p /dev/shm/t
			 unshare --ipc bash -c "mkdir -p /dev/mqueue
				mount -t mqueue mqueue /dev/mqueue 2>/dev/null
				set -e
				$1"
			 exit $?' ns-init "$1"
}

# ready FILE...: waits (20 s at most) until each FILE holds the line "ready" that a test
# helper prints once it holds what it was told to; fails the script otherwise, so a slow
# machine fails loudly instead of racing on. Exported: scripts given to `ns` call it.
ready() {
	local f i
	for f in "$@"; do
		for ((i = 0; i < 400; i++)); do
			grep -q '^ready$' "$f" 2>/dev/null && continue 2
			sleep 0.05
		done
		echo "no ready in $f" >&2
		exit 1
	done
}
export -f ready

# has_lines TEXT LINE...: each LINE is a whole line of TEXT; says which is not, and what
# TEXT holds. Exported: scripts given to `ns` call it.
has_lines() {
	local text=$1 line
	shift
	for line in "$@"; do
		grep -qxF -- "$line" <<<"$text" && continue
		printf 'no line [%s] in:\n%s\n' "$line" "$text" >&2
		return 1
	done
}
export -f has_lines

# output_is LINE...: the last `run` printed exactly these lines; shows the difference.
output_is() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$output" = "$want" ] && return 0
	diff -u --label want <(printf '%s\n' "$want") --label got <(printf '%s\n' "$output") \
		>&2 || true
	return 1
}

# output_has TEXT...: the last `run` printed each TEXT somewhere in its output.
output_has() {
	local text
	for text in "$@"; do
		[[ "$output" == *"$text"* ]] && continue
		printf 'no [%s] in:\n%s\n' "$text" "$output" >&2
		return 1
	done
}

# differential TOOL ARGS...: ipcadm run as TOOL against util-linux's TOOL, compared by
# tests/differential/TOOL.sh ARGS in private namespaces: it ran to its end and found no
# mismatch. Shows its first 60 lines (per-seed counts aside); its output stays in $output.
differential() {
	run ns "bash '$BATS_TEST_DIRNAME/../differential/$1.sh' ${*:2}"
	grep -v "^# $1 seed" <<<"$output" | head -60
	[ "$status" -eq 0 ]
	[[ "$output" == *"# $1: "*" comparisons, 0 mismatches"* ]]
}
