#!/bin/bash
# smoke.sh: runs every libFuzzer target of BUILD/fuzz on its seed corpus (and the crashes
# kept there as regressions), then fuzzes it, printing TAP: one line per target.
#   tests/fuzz/smoke.sh BUILD            short runs, about 60 s for all targets (make check)
#   tests/fuzz/smoke.sh BUILD SECONDS    SECONDS per target, corpus kept in BUILD/fuzz/corpus
set -u
BUILD=${1:-build}
SECONDS_EACH=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1

targets=()
for src in tests/fuzz/fuzz-*.c; do
	[ -f "$src" ] && targets+=("$(basename "$src" .c)")
done
echo "1..${#targets[@]}"
[ "${#targets[@]}" -gt 0 ] || exit 0

long=1
if [ -z "$SECONDS_EACH" ]; then
	long=0
	SECONDS_EACH=$((54 / ${#targets[@]})) # the whole smoke run in about a minute
	[ "$SECONDS_EACH" -ge 2 ] || SECONDS_EACH=2
fi

# Each target runs in its own IPC namespace when we may make one: a target that runs
# commands must never touch this machine's objects.
wrap=()
if unshare --ipc true 2>/dev/null; then
	wrap=(unshare --ipc)
fi

# absolute paths: the CLI target works in a scratch directory
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
tmp=$(mktemp -d)
export IPCADM_FUZZ_SCRATCH="$tmp/scratch" IPCADM_FUZZ_FIXTURES="$ROOT/tests/fixtures"
mkdir -p "$IPCADM_FUZZ_SCRATCH"
trap 'rm -rf "$tmp"' EXIT
# the reports on stderr, where libFuzzer and the lines below look for them
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
n=0 rc_all=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin="$BUILD/fuzz/$t"
	seeds="$ROOT/tests/fuzz/corpus/$t"
	if [ ! -x "$bin" ]; then
		echo "not ok $n - $t"
		echo "# $bin is missing: run 'make BUILD=$BUILD fuzz-build'"
		rc_all=1
		continue
	fi
	if [ "$long" -eq 1 ]; then
		work="$BUILD/fuzz/corpus/$t"
	else
		work="$tmp/corpus-$t"
	fi
	mkdir -p "$work" "$BUILD/fuzz/artifacts"
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	log="$tmp/$t.log"
	"${wrap[@]}" "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$BUILD/fuzz/artifacts/$t-" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -oE '(DONE|INITED) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 |
		sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+)/\1 edges, \2 features/')
	corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - $t (${SECONDS_EACH}s, ${execs:-?} runs, ${cov:-?}, ${corp:-?})"
	else
		echo "not ok $n - $t (exit $rc)"
		grep -E 'ERROR|SUMMARY|invariant failed|runtime error|Test unit written|^    #[0-9]' \
			"$log" | head -n 25 | sed 's/^/# /'
		rc_all=1
	fi
done
exit "$rc_all"
