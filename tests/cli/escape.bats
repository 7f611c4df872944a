#!/usr/bin/env bats
# escape.bats: names from outside (POSIX names anyone can create, process names anyone can
# set) never reach a terminal or a file raw: every output form, the log and the backup.
# Every process of a scenario is visible to it: --all-visible, so verdicts are not unknown.

load ipc-lib

# clean FILE [LINES]: what a terminal may show as it is: valid UTF-8, no control character
# (C0 but the newline, DEL, C1), and when LINES is given, exactly that many lines.
clean() {
	if ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; then
		echo "$1: invalid UTF-8:" >&2
		cat -A "$1" >&2
		return 1
	fi
	if LC_ALL=C grep -aqP "[\x00-\x09\x0b-\x1f\x7f]" "$1" ||
		LC_ALL=C.UTF-8 grep -aqP "[\x{80}-\x{9f}]" "$1"; then
		echo "$1: a control character:" >&2
		cat -A "$1" >&2
		return 1
	fi
	if [ -n "${2:-}" ] && [ "$(wc -l <"$1")" != "$2" ]; then
		echo "$1: $(wc -l <"$1") lines, want $2:" >&2
		cat -A "$1" >&2
		return 1
	fi
}
export -f clean

# N: a name with a terminal title sequence (ESC ] 0 ; ... BEL), a C1 CSI (U+009B), an
# invalid UTF-8 byte, a backslash and a newline that would forge a line or a KEY=value.
# E: N as every text form shows it.
PRELUDE='
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
T=$(mktemp -d)
N=$(printf "x\033]0;pwned\007\302\2332J\377\\\\\nVERDICT=orphaned")
E="x\\x1b]0;pwned\\x07\\xc2\\x9b2J\\xff\\x5c\\x0aVERDICT=orphaned"
NJ=$(printf "x\033]0;pwned\007\302\2332J\357\277\275\\\\\nVERDICT=orphaned")
'

@test "escape: hostile POSIX names in list, -r, -e, -J, show, who, rm and mk" {
	run ns "$PRELUDE"'
		: > "/dev/shm/$N"
		: > "/dev/mqueue/$N"
		"$IPCADM" list --all-visible pshm pmq > $T/table
		clean $T/table 7
		grep -qF "$E " $T/table
		"$IPCADM" list --all-visible -r -o NAME,VERDICT pshm > $T/raw
		clean $T/raw 2
		"$IPCADM" list --all-visible -e -o NAME,VERDICT pshm pmq > $T/export
		clean $T/export 2
		# the shell reads back the escaped name, and no other variable
		(VERDICT=unset; eval "$(head -1 $T/export)"; want "$NAME" "$E"; want "$VERDICT" idle)
		"$IPCADM" list --all-visible -J pshm pmq > $T/json
		clean $T/json
		# JSON keeps its own escaping: the name comes back whole, U+FFFD for the bad byte
		want "$(jq -r ".pmq[0].name" $T/json)" "$NJ"
		for k in pshm pmq; do
			"$IPCADM" show --all-visible $k "$N" > $T/show
			clean $T/show
			"$IPCADM" show --all-visible -e $k "$N" > $T/show-e
			clean $T/show-e
			"$IPCADM" show --all-visible -r $k "$N" > $T/show-r
			clean $T/show-r
			"$IPCADM" who --all-visible $k "$N" > $T/who
			clean $T/who 1
			grep -qF "$E:" $T/who
			"$IPCADM" show --all-visible -J $k "$N" | jq -e . >/dev/null
			"$IPCADM" who --all-visible -J $k "$N" | jq -e . >/dev/null
		done
		"$IPCADM" rm pshm "$N" > $T/rm 2>&1
		clean $T/rm 1
		"$IPCADM" rm pshm "$N" > $T/rm2 2>&1 && exit 1
		clean $T/rm2 1
		"$IPCADM" mk pshm "$N" 4096 > $T/mk 2>&1
		clean $T/mk 1
		"$IPCADM" mk pshm "$N" 4096 > $T/mk2 2>&1 && exit 1
		clean $T/mk2 1'
	ok
}

@test "escape: the reap report, dry run and --yes, and the log: one line per object" {
	run ns "$PRELUDE"'
		: > "/dev/shm/$N"
		: > "/dev/mqueue/$N"
		"$IPCADM" reap --all-visible --include-idle --kind pshm,pmq > $T/dry
		clean $T/dry 3
		grep -qF "would remove pshm /$E (uid 0): idle" $T/dry
		"$IPCADM" reap --all-visible --include-idle --kind pshm,pmq -J | jq -e "length == 2" >/dev/null
		"$IPCADM" reap --all-visible --yes --include-idle --kind pshm,pmq --log $T/log > $T/yes
		clean $T/yes 3
		clean $T/log 2
		grep -qF "removed pmq /$E uid 0" $T/log
		want "$(ls /dev/shm /dev/mqueue | grep -c x)" 0'
	ok
}

@test "escape: the doctor and the overview name a hostile POSIX name escaped" {
	run ns "$PRELUDE"'
		mount -o remount,size=1M /dev/shm
		dd if=/dev/zero of="/dev/shm/$N" bs=1K count=900 status=none
		"$IPCADM" doctor --all-visible > $T/doctor || true
		clean $T/doctor
		grep -qF "pshm /$E holds" $T/doctor
		"$IPCADM" > $T/overview || true
		clean $T/overview
		grep -qF "pshm /$E holds" $T/overview
		"$IPCADM" doctor --all-visible -J > $T/dj || true
		jq -e . $T/dj >/dev/null'
	ok
}

@test "escape: a process name with a newline in evidence, the report, the log and the backup" {
	run ns "$PRELUDE"'
		# comm is the name the program was started by: a link named so
		C=$(printf "\nmode 666\033]0;\007")
		ln -s "$(command -v sleep)" "$T/$C"
		id=$($IPCTOOL shm-create 0 4096 600)
		cpid=$("$IPCADM" list --all-visible -J -o ID,CPID shm | jq -r ".shm[0].cpid")
		sleep 4
		echo $((cpid - 1)) > /proc/sys/kernel/ns_last_pid
		# another user, who cannot use the segment: that proves the PID was reused
		setpriv --reuid 65534 --regid 65534 --clear-groups "$T/$C" 60 & new=$!
		want "$new" "$cpid" "(the new process did not get the old PID)"
		sleep 0.3
		want "$(cat /proc/$new/comm)" "$C"
		CE="\\x0amode 666\\x1b]0;\\x07"
		"$IPCADM" list --all-visible -o ID,EVIDENCE shm > $T/table
		clean $T/table 2
		grep -qF "reused by $CE, which" $T/table
		"$IPCADM" list --all-visible -e -o ID,EVIDENCE shm > $T/export
		clean $T/export 1
		"$IPCADM" list --all-visible -r -o ID,EVIDENCE shm > $T/raw
		clean $T/raw 2
		"$IPCADM" list --all-visible -J -o ID,EVIDENCE shm | jq -e ".shm[0].evidence | contains(\"\nmode 666\")" >/dev/null
		"$IPCADM" who --all-visible shm $id > $T/who
		clean $T/who 1
		grep -qF "reused by $CE, which" $T/who
		"$IPCADM" doctor --all-visible > $T/doctor || true
		clean $T/doctor
		grep -qF "reused by $CE, which" $T/doctor
		"$IPCADM" reap --all-visible > $T/dry
		clean $T/dry 2
		mkdir $T/bk
		"$IPCADM" reap --all-visible --yes --backup $T/bk --log $T/log > $T/yes
		clean $T/yes 2
		clean $T/log 1
		grep -qF "reused by $CE, which" $T/log
		meta=$(ls $T/bk/*.meta)
		clean $meta
		want "$(grep -c "^mode " $meta)" 1
		want "$(grep "^mode " $meta)" "mode 600"
		grep -qF "reused by $CE, which" $meta
		kill $new'
	ok
}

@test "escape: restore names a hostile backup file escaped" {
	run ns "$PRELUDE"'
		mkdir $T/bk
		printf "garbage\n" > "$T/bk/shm-$N.meta"
		"$IPCADM" restore $T/bk > $T/out 2>&1 && exit 1
		clean $T/out 1
		grep -qF "shm-$E.meta" $T/out'
	ok
}
