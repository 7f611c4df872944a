#!/bin/bash
# run.sh: runs every test suite (unit, end-to-end, fuzz smoke), plain and under
# ASan/UBSan, then valgrind's memcheck over every command and ThreadSanitizer over the
# threaded ones; counts TAP results and ends with one line "N passed, N failed".
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
passed=0 failed=0 skipped=0

# Runs one TAP-producing command, prints failures and adds up its results.
suite() {
	local name=$1
	shift
	local log="$LOG/${name//\//_}.tap" p f s
	"$@" >"$log" 2>&1
	local rc=$?
	p=$(grep -cE '^ok ' "$log" | head -1)
	s=$(grep -cE '^ok .*# (skip|SKIP)' "$log" | head -1)
	f=$(grep -cE '^not ok ' "$log" | head -1)
	p=$((p - s))
	# A sanitizer report fails the suite even when the program's exit status (1, as
	# on an error path a test expects) and its output satisfied the test.
	local san=0
	if compgen -G "$SAN/*" >/dev/null; then
		echo "FAIL $name: sanitizer report"
		head -n 40 "$SAN"/*
		rm -f "$SAN"/*
		san=1
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$san" -eq 0 ]; then
		f=1 # the suite itself failed (crash, sanitizer report, bad plan)
		echo "FAIL $name: exited $rc without a failed test"
		tail -n 30 "$log"
	elif [ "$f" -gt 0 ]; then
		echo "FAIL $name:"
		grep -E -A 15 '^not ok ' "$log" | head -n 80
	fi
	f=$((f + san))
	printf '%-40s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

unit_suites() {
	local dir=$1 t
	for t in "$dir"/tests/test-*; do
		[ -x "$t" ] || continue
		suite "unit${dir#"$BUILD"}/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
}

cli_suites() {
	local dir=$1 label=$2
	if [ "$(id -u)" -ne 0 ] || ! unshare --ipc true 2>/dev/null; then
		echo "skip end-to-end tests ($label): they need root for private IPC namespaces"
		skipped=$((skipped + 1))
		return
	fi
	for b in tests/cli/*.bats; do
		[ -f "$b" ] || continue
		suite "cli$label/$(basename "$b" .bats)" env IPCADM_BUILD="$ROOT/$dir" \
			IPCADM="$ROOT/$dir/ipcadm" bats --tap "$b"
	done
}

# detect_stack_use_after_return: a pointer into a returned function's frame is caught too
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# A sanitizer's exit status is 86, never the 1 an error path is expected to give, and
# ASan's reports (leaks too) go to files, one per process, so suite() sees every one.
SAN="$LOG/sanitizer"
mkdir -p "$SAN"
export ASAN_OPTIONS="$ASAN_OPTIONS:exitcode=86:log_path=$SAN/asan"
export UBSAN_OPTIONS="$UBSAN_OPTIONS:exitcode=86"

unit_suites "$BUILD"
cli_suites "$BUILD" ""
if [ -d "$BUILD/asan" ]; then
	unit_suites "$BUILD/asan"
	cli_suites "$BUILD/asan" "-asan"
fi
if [ -x tests/fuzz/smoke.sh ]; then
	suite "fuzz-smoke" tests/fuzz/smoke.sh "$BUILD"
fi
if [ -x tests/valgrind.sh ]; then
	suite "valgrind" tests/valgrind.sh "$BUILD"
fi
if [ -x tests/tsan.sh ]; then
	suite "tsan" tests/tsan.sh "$BUILD"
fi

echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
