#!/bin/bash
# tsan.sh: ThreadSanitizer over the commands that share their work among threads (the
# *_STAT_ANY walk, each array's semaphore calls, the maps scan of many processes, loading
# every process, reap's removals), in a private namespace with enough objects and
# processes for every one of them to run on two threads; TAP, one line per command. A
# run fails on any report.   Usage: tests/tsan.sh [BUILD]
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
if [ "$(id -u)" -ne 0 ] || ! unshare --ipc true 2>/dev/null; then
	echo "1..0 # skip needs root for a private IPC namespace"
	exit 0
fi
if ! make -s -C "$ROOT" BUILD="$BUILD/tsan" CFLAGS="-O1 -g -fsanitize=thread" \
	LDFLAGS="-fsanitize=thread" all >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - the ThreadSanitizer build failed"
	exit 1
fi
TMP=$(mktemp -d)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
export TSAN="$BUILD/tsan/ipcadm" IPCTOOL="$BUILD/helpers/ipctool" ATTACH="$BUILD/helpers/attach"
export TMP IPCADM="$BUILD/ipcadm"

# Inside fresh IPC, mount and PID namespaces: the state, then each command.
unshare --ipc --mount --pid --fork --mount-proc --propagation private bash -c '
	mount -t tmpfs tmpfs /dev/shm || exit 1
	sysctl -q -w kernel.shmmni=32768 kernel.sem="32000 1024000000 500 32768"
	"$IPCTOOL" fill shm 5000 >/dev/null
	"$IPCADM" list -r --noheadings -o ID shm >"$TMP/ids"
	"$ATTACH" 700 3 120 <"$TMP/ids" >"$TMP/pids" || exit 1
	"$IPCTOOL" drop-to 4242 4242 -- "$IPCTOOL" fill sem 5000 >/dev/null
	"$IPCTOOL" msg-create 0 600 >/dev/null
	sleep 1.1 # leaks older than the second they are read in
	export IPCADM_THREADS=2 TSAN_OPTIONS="exitcode=66 report_signal_unsafe=0"
	run() {
		local name=$1
		shift
		"$TSAN" "$@" >/dev/null 2>"$TMP/err"
		local rc=$?
		if [ $rc -ne 66 ] && ! grep -q ThreadSanitizer "$TMP/err"; then
			echo "ok $name"
		else
			echo "not ok $name (exit $rc)"
			sed "s/^/# /" "$TMP/err" | head -n 60
		fi
	}
	if ! "$TSAN" --version >/dev/null 2>"$TMP/err"; then
		echo "1..0 # skip ThreadSanitizer cannot run here: $(head -n 1 "$TMP/err")"
		exit 0
	fi
	echo "1..5"
	run "1 - list -o +HOLDERS shm (maps scan of 700 processes)" list -o +HOLDERS shm
	run "2 - list with verdicts (every process loaded)" list -o ID,VERDICT,EVIDENCE,HOLDERS
	run "3 - list -J -o +QBYTES (the walk, each queue read)" list -J -o +QBYTES
	run "4 - reap dry run (each array read in the walk)" reap
	run "5 - reap --yes --log (removals on two threads)" reap --yes --log /dev/shm/log
	kill $(cat "$TMP/pids") 2>/dev/null
	exit 0'
