#!/bin/bash
# valgrind.sh: valgrind's memcheck over a run of every command, on fixture trees and in a
# private namespace with objects of every kind; TAP, one line per run. A run fails on
# any invalid access or a definite leak.   Usage: tests/valgrind.sh [BUILD]
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
IPCADM="$BUILD/ipcadm"
IPCTOOL="$BUILD/helpers/ipctool"
POSIXTOOL="$BUILD/helpers/posixtool"
FX="$ROOT/tests/fixtures"
if ! command -v valgrind >/dev/null; then
	echo "1..0 # skip valgrind is not installed"
	exit 0
fi
if [ ! -x "$IPCADM" ]; then
	echo "1..1"
	echo "not ok 1 - $IPCADM is missing: run 'make BUILD=${BUILD#"$ROOT/"}'"
	exit 1
fi
TMP=$(mktemp -d)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results"
: >"$RESULTS"
export IPCADM IPCTOOL POSIXTOOL FX TMP RESULTS ROOT

# vg NAME ARGS...: runs ipcadm ARGS under memcheck (as the user VG_AS when set); records
# "ok NAME" or "not ok NAME" with the report. The command's own exit status does not
# matter, only memcheck's (99).
vg() {
	local name=$1 log
	shift
	log=$(mktemp "$TMP/vg.XXXXXX")
	chmod 666 "$log"
	${VG_AS:+setpriv --reuid=$VG_AS --regid=$VG_AS --clear-groups} valgrind -q --error-exitcode=99 \
		--suppressions="$ROOT/tests/valgrind.supp" --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --log-file="$log" "$IPCADM" "$@" >/dev/null 2>&1 \
		</dev/null
	# memcheck's reports are "==PID== ..." lines; "--PID-- WARNING" lines are not errors
	# (valgrind 3.19 does not know pidfd_open, and ipcadm falls back on ENOSYS)
	if [ $? -eq 99 ] || grep -qE '^==[0-9]+== ' "$log"; then
		{ echo "not ok $name"; sed 's/^/# /' "$log" | head -n 40; } >>"$RESULTS"
	else
		echo "ok $name" >>"$RESULTS"
	fi
	rm -f "$log"
}
export -f vg

# ---- fixture trees: no root needed, every read path ----
COLS=$("$IPCADM" list --help | sed -n '/^Columns:/,/^$/p' | awk 'NF > 1 { print $1 }' |
	paste -sd, -)
export COLS
vg "overview (fixture)" --root "$FX/modern"
vg "list (fixture)" --root "$FX/modern" list
vg "list -J, every column (fixture)" --root "$FX/modern" list -J -o "$COLS"
vg "list -r -e (fixture)" --root "$FX/old14" list -r
vg "list -e (fixture)" --root "$FX/reordered" list -e --time-format iso
vg "list with verdicts (fixture)" --root "$FX/holders" list -o ID,VERDICT,EVIDENCE,HOLDERS
vg "list on garbage (fixture)" --root "$FX/garbage" list
vg "list, bad column (usage error)" --root "$FX/modern" list -o NOPE
vg "show (fixture)" --root "$FX/modern" show 0
vg "show -J sem (fixture)" --root "$FX/modern" show -J sem 0
vg "show, no such ID" --root "$FX/modern" show shm 999
vg "limits (fixture)" --root "$FX/modern" limits
vg "limits -J (fixture)" --root "$FX/modern" limits -J
vg "who (fixture)" --root "$FX/holders" who 0
vg "doctor (fixture)" --root "$FX/doctor-shm" doctor
vg "doctor -J (fixture)" --root "$FX/doctor-sem" doctor -J
vg "check shm (fixture)" --root "$FX/doctor-shm" check shm 1G
vg "check sem (fixture)" --root "$FX/doctor-sem" check sem 10
vg "metrics (fixture)" --root "$FX/holders" metrics
vg "reap dry run (fixture)" --root "$FX/holders" reap
vg "a missing root" --root /nonexistent list
for c in "" list show limits who reap restore doctor check metrics; do
	vg "${c:-ipcadm} --help" $c --help
done

# ---- a private namespace with objects of every kind, live reads, removal ----
if [ "$(id -u)" -eq 0 ] && unshare --ipc true 2>/dev/null; then
	unshare --ipc --mount --pid --fork --mount-proc --propagation private bash -c '
		mount -t tmpfs tmpfs /dev/shm
		mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue
		ready() { for i in $(seq 100); do grep -q ready "$1" && return 0; sleep 0.05; done; }
		s=$($IPCTOOL shm-create 0x1234 10000 640)
		$IPCTOOL shm-attach $s > $TMP/h1 & ready $TMP/h1
		o=$($IPCTOOL shm-create 0 4096 600)                  # an orphan
		m=$($IPCTOOL sem-create 0 3 600); $IPCTOOL sem-setall $m 1 0 2
		$IPCTOOL sem-wait $m 1 > $TMP/h2 & ready $TMP/h2
		q=$($IPCTOOL msg-create 0x99 600); $IPCTOOL msg-send $q 1 hello
		$IPCTOOL msg-create 0 600 >/dev/null                 # an orphan
		if [ -x "$POSIXTOOL" ]; then
			$POSIXTOOL shm-create vgshm 8192; $POSIXTOOL sem-create vgsem 1
			$POSIXTOOL mq-create vgmq 4 64; $POSIXTOOL mq-send vgmq hi
		fi
		vg "overview (live)"
		vg "list (live)" list
		vg "list -J, every column (live)" list -J -o "$COLS,QBYTES"
		vg "list --source syscall (live)" --source syscall list -J
		vg "show shm (live)" show shm $s
		vg "show -J sem with values (live)" show -J sem $m
		vg "show msg (live)" show msg $q
		vg "limits (live)" limits
		vg "who shm (live)" who shm $s
		vg "who sem (live)" who sem $m
		vg "doctor (live)" doctor
		vg "check (live)" check shm 1M
		vg "metrics (live)" metrics
		vg "metrics --textfile (live)" metrics --textfile $TMP
		if [ -x "$POSIXTOOL" ]; then
			vg "list POSIX (live)" list pshm psem pmq
			vg "show pshm (live)" show pshm vgshm
		fi
		vg "reap dry run (live)" reap
		mkdir $TMP/bk
		vg "reap --yes --backup (live)" reap --yes --backup $TMP/bk --log $TMP/log
		vg "restore (live)" restore $TMP/bk
		VG_AS=65534 vg "list with verdicts as nobody (live)" list -o ID,VERDICT,EVIDENCE
		for tool in ipcs ipcmk ipcrm; do ln -s "$IPCADM" $TMP/$tool; done
		IPCADM=$TMP/ipcs vg "ipcs -a (live)" -a
		IPCADM=$TMP/ipcs vg "ipcs -m -i (live)" -m -i $s
		IPCADM=$TMP/ipcmk vg "ipcmk -M (live)" -M 4096
		IPCADM=$TMP/ipcrm vg "ipcrm -q (live)" -q $q
		kill %1 %2' 2>&1 | sed 's/^/# /' >>"$RESULTS"
else
	echo "ok namespace runs # skip they need root for a private IPC namespace" >>"$RESULTS"
fi

n=$(grep -cE '^(not )?ok ' "$RESULTS")
echo "1..$n"
awk '/^(not )?ok / { i++; sub(/^ok /, "ok " i " - "); sub(/^not ok /, "not ok " i " - ") }
	{ print }' "$RESULTS"
! grep -q '^not ok ' "$RESULTS"
