#!/usr/bin/env bats
# files.bats: root acts only through its own files: reap --backup, restore and --log as
# an unprivileged user (alice, 4242) would attack them, and --root trees that hang or swell.

load files-lib

PRELUDE=$FILES_PRELUDE

@test "backup: root refuses a directory another user owns or can write, or one below such" {
	run ns "$PRELUDE"'
		id=$(orphan)
		mkdir -m 700 $T/alices; chown 4242:4343 $T/alices
		mkdir -m 777 $T/open
		mkdir -m 775 $T/grp; chgrp 4343 $T/grp
		mkdir -m 755 $T/up; chown 4242:4343 $T/up; mkdir -m 700 $T/up/bk
		sleep 1.1
		for d in alices open grp up/bk; do
			refused "refusing backup directory .$T/$d." \
				"$IPCADM" reap --all-visible --yes --backup $T/$d
			has $id || { echo "$d: removed"; exit 1; }
			want "$(ls -A $T/$d)" "" "$d"
		done
		mkdir -m 700 $T/bk
		"$IPCADM" reap --all-visible --yes --backup $T/bk > $T/out
		! has $id'
	ok
}

@test "backup: no planted name or link is followed or overwritten; files are 0600 and root's" {
	run ns "$PRELUDE"'
		umask 022
		id=$(orphan 644)
		$IPCTOOL shm-write $id "segment contents"
		echo victim > $T/victim; chown 4242:4343 $T/victim
		mkdir -m 700 $T/bk
		# names an earlier version wrote through, and every name this one might pick
		for n in .shm-$id.data.tmp .shm-$id.meta.tmp shm-$id.data shm-$id.meta; do
			ln -s $T/victim $T/bk/$n
		done
		sleep 1.1
		"$IPCADM" reap --all-visible --yes --backup $T/bk > $T/out
		want "$(cat $T/victim)" victim
		! has $id
		data=$(find $T/bk -name "shm-*.data" -type f)
		want "$(echo "$data" | wc -l)" 1 "$(ls -la $T/bk)"
		want "$(stat -c "%u %g %a %h" $data ${data%.data}.meta)" "0 0 600 1
0 0 600 1"
		want "$(head -c 16 $data)" "segment contents"
		for n in .shm-$id.data.tmp shm-$id.data shm-$id.meta; do
			[ -L $T/bk/$n ] || { echo "$n replaced"; exit 1; }
		done'
	ok
}

@test "backup names: segment 0 of two namespaces, and segment 0 again after a restart, all kept" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/bk
		want "$(orphan)" 0
		unshare --ipc bash -c "$IPCTOOL shm-create 0 8192 600 > $T/other; exec sleep 60" &
		for j in $(seq 50); do [ -s $T/other ] && break; sleep 0.05; done
		want "$(cat $T/other)" 0
		sleep 1.1
		"$IPCADM" reap --all-visible -A --yes --backup $T/bk > $T/out
		want "$(grep -c "^removed shm 0" $T/out)" 2 "$(cat $T/out)"
		want "$(ls $T/bk | grep -c "\.meta$")" 2 "$(ls $T/bk)"
		want "$(ls $T/bk | grep -c "\.data$")" 2 "$(ls $T/bk)"
		sum=$(cat $T/bk/* | md5sum)
		# a reboot: IDs start again, in a namespace that may even get the same inode
		unshare --ipc bash -c "set -e; [ \"\$($IPCTOOL shm-create 0 4096 600)\" = 0 ]
			sleep 1.1; \"$IPCADM\" reap --all-visible --yes --backup $T/bk > $T/out2"
		grep -q "^removed shm 0" $T/out2 || { cat $T/out2; exit 1; }
		want "$(ls $T/bk | grep -c "\.meta$")" 3 "$(ls $T/bk)"
		ls $T/bk | grep -v -e "-3[0-9]*-" >/dev/null
		"$IPCADM" restore $T/bk > $T/restored
		want "$(grep -c "^restored" $T/restored)" 3 "$(cat $T/restored)"'
	ok
}

@test "restore: links, other users files, FIFOs, devices and wrong sizes are refused" {
	run ns "$PRELUDE"'
		mkmeta() { printf "id 1\nkey 0x%s\nsize %s\nmode 600\nuid 0\ngid 0\n" "$2" "$3" > $1; }
		echo "root only secret" > $T/secret; chmod 600 $T/secret
		try() { # try DIR WHAT: restore fails at once, saying WHAT, and creates nothing
			refused "$2" timeout 10 "$IPCADM" restore $1
			want "$("$IPCADM" list --all-visible -J shm | jq ".shm | length")" 0 "$1"
		}
		mkdir -m 700 $T/link; mkmeta $T/link/shm-1.meta 11 17; ln -s $T/secret $T/link/shm-1.data
		try $T/link "shm-1.data"
		mkdir -m 700 $T/zero; mkmeta $T/zero/shm-1.meta 12 4096; ln -s /dev/zero $T/zero/shm-1.data
		try $T/zero "shm-1.data"
		mkdir -m 700 $T/fifo; mkmeta $T/fifo/shm-1.meta 13 4096; mkfifo $T/fifo/shm-1.data
		try $T/fifo "not a regular file"
		mkdir -m 700 $T/cdev; mkmeta $T/cdev/shm-1.meta 14 4096; mknod $T/cdev/shm-1.data c 1 5
		try $T/cdev "not a regular file"
		mkdir -m 700 $T/big; mkmeta $T/big/shm-1.meta 15 4096; truncate -s 3G $T/big/shm-1.data
		try $T/big "size"
		mkdir -m 700 $T/alice; mkmeta $T/alice/shm-1.meta 16 17
		cp $T/secret $T/alice/shm-1.data; chown 4242 $T/alice/shm-1.meta
		try $T/alice "owned by another user"
		mkdir -m 700 $T/wr; mkmeta $T/wr/shm-1.meta 17 17; cp $T/secret $T/wr/shm-1.data
		chmod 666 $T/wr/shm-1.meta
		try $T/wr "writable by another user"
		mkdir -m 777 $T/opendir; mkmeta $T/opendir/shm-1.meta 18 17
		cp $T/secret $T/opendir/shm-1.data
		try $T/opendir "writable by another user"
		mkdir -m 700 $T/ok; mkmeta $T/ok/shm-1.meta 19 17; cp $T/secret $T/ok/shm-1.data
		"$IPCADM" restore $T/ok > $T/out
		want "$("$IPCADM" list --all-visible -J shm | jq -r ".shm[0].key")" 0x00000019'
	ok
}

@test "restore: .meta is parsed strictly; a duplicate or unknown field names file and line" {
	run ns "$PRELUDE"'
		try() {
			mkdir -m 700 $T/$1; printf "$2" > $T/$1/shm-1.meta; head -c 100 /dev/zero > $T/$1/shm-1.data
			refused "$3" "$IPCADM" restore $T/$1
			want "$("$IPCADM" list --all-visible -J shm | jq ".shm | length")" 0 "$1"
		}
		base="key 0x21\nsize 100\nmode 600\nuid 0\ngid 0\n"
		try dup "${base}mode 666\n" "shm-1.meta:6: duplicate field .mode."
		try unknown "${base}evil 1\n" "shm-1.meta:6: unknown field .evil."
		try missing "key 0x21\nsize 100\n" "shm-1.meta: missing field"
		try bad "key 0x21\nsize 100\nmode 1777\nuid 0\ngid 0\n" "shm-1.meta:3: invalid"'
	ok
}

@test "restore -N PID restores into that process IPC namespace" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/bk; id=$(orphan); $IPCTOOL shm-write $id hello
		sleep 1.1
		"$IPCADM" reap --all-visible --yes --backup $T/bk > /dev/null
		unshare --ipc sleep 60 & p=$!
		sleep 0.2
		"$IPCADM" restore -N $p $T/bk > $T/out
		want "$("$IPCADM" list --all-visible -J shm | jq ".shm | length")" 0
		want "$("$IPCADM" list --all-visible -N $p -J shm | jq ".shm | length")" 1
		nsenter --ipc=/proc/$p/ns/ipc $IPCTOOL shm-read "$(sed -n "s/.* as shm //p" $T/out)" 5 > $T/r
		want "$(cat $T/r)" hello
		kill $p'
	ok
}

@test "evidence naming a process called \\nmode 666\\n cannot make a restored segment world-readable" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/bk
		id=$(bash -c "echo \$\$ > $T/cpid; exec $IPCTOOL shm-create 0 4096 600")
		cpid=$(cat $T/cpid)
		sleep 3.5   # past the slack: a process started now cannot be its creator
		# a process that any user could start takes the dead creator PID, and its name
		# (comm: the name it was started by, a link named so; run by alice, who has no
		# right to the segment, so the PID is proven reused)
		C=$(printf "\nmode 666\n.")
		mkdir -m 755 $T/pub; ln -s "$(command -v sleep)" "$T/pub/$C"
		echo $((cpid - 1)) > /proc/sys/kernel/ns_last_pid
		setpriv --reuid=4242 --regid=4343 --clear-groups "$T/pub/$C" 60 &
		p=$!
		sleep 0.3
		want "$(cat /proc/$p/comm)" "$C"
		want $p $cpid "the PID was not reused"
		"$IPCADM" reap --all-visible --yes --backup $T/bk > $T/out
		grep -q "^removed shm $id" $T/out || { cat $T/out; exit 1; }
		"$IPCADM" restore $T/bk > /dev/null
		want "$("$IPCADM" list --all-visible -J -o PERMS shm | jq -r ".shm[0].perms")" 600
		want "$(cat $T/bk/*.meta | grep -c "^mode ")" 1
		grep -q "^evidence .*x0amode 666.x0a., which" $T/bk/*.meta || { cat $T/bk/*.meta; exit 1; }
		kill $p'
	ok
}

@test "log: a link, another users file and a full disk are refused before any removal" {
	run ns "$PRELUDE"'
		a=$(orphan); b=$(orphan)
		echo "root only" > $T/rootfile; chmod 600 $T/rootfile
		mkdir -m 777 $T/pub
		asalice ln -s $T/rootfile $T/pub/log
		mkdir -m 755 $T/logs; touch $T/logs/alice.log; chown 4242 $T/logs/alice.log
		mknod $T/logs/full c 1 7
		mkdir $T/tiny; mount -t tmpfs -o size=8k tmpfs $T/tiny
		dd if=/dev/zero of=$T/tiny/fill bs=1k count=64 2>/dev/null || true
		sleep 1.1
		for l in $T/pub/log $T/logs/alice.log $T/logs/full $T/tiny/log; do
			refused "log .$l." "$IPCADM" reap --all-visible --yes --log $l
			has $a && has $b || { echo "$l: removed"; exit 1; }
		done
		want "$(cat $T/rootfile)" "root only"
		want "$(stat -c %s $T/logs/alice.log)" 0
		"$IPCADM" reap --all-visible --yes --log $T/logs/good > $T/out
		want "$(grep -c "removed shm" $T/logs/good)" 2
		want "$(stat -c "%u %a" $T/logs/good)" "0 600"'
	ok
}

@test "log: removals stop at the first line that cannot be written; none goes unlogged" {
	run ns "$PRELUDE"'
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL fill sem 200 > /dev/null
		mkdir $T/tiny; mount -t tmpfs -o size=8k tmpfs $T/tiny
		# the log has room for a line or two in its page, the disk for nothing more
		head -c 3700 /dev/zero | tr "\\0" "#" > $T/tiny/log; echo >> $T/tiny/log
		dd if=/dev/zero of=$T/tiny/fill bs=1k count=64 2>/dev/null || true
		sleep 1.1
		set +e
		IPCADM_TEST_LOG_RESERVE=0 IPCADM_THREADS=2 "$IPCADM" reap --all-visible --yes --log $T/tiny/log > $T/out 2> $T/err
		rc=$?; set -e
		want $rc 1 "$(tail -3 $T/out)"
		grep -q "cannot write log" $T/err || { cat $T/err; exit 1; }
		"$IPCADM" list --all-visible -J sem | jq -r ".sem[].id" | sort > $T/left
		left=$(wc -l < $T/left)
		[ "$left" -gt 0 ] && [ "$left" -lt 200 ] || { echo "left $left"; exit 1; }
		# every array that is gone has its whole line in the log
		seq 0 199 | sort | comm -23 - $T/left > $T/gone
		for i in $(cat $T/gone); do
			grep -q "removed sem $i key .*: orphaned: " $T/tiny/log || { echo "$i unlogged"; exit 1; }
		done'
	ok
}

@test "a 255-character POSIX shm name is reaped" {
	run ns "$PRELUDE"'
		name=$(printf "x%.0s" $(seq 255))
		head -c 100 /dev/zero > /dev/shm/$name
		"$IPCADM" reap --all-visible --yes --include-idle --name "xxx*" > $T/out
		grep -q "^removed pshm /$name" $T/out || { cat $T/out; exit 1; }
		[ ! -e /dev/shm/$name ]'
	ok
}

@test "--root: a FIFO or a huge table is refused, not waited on or read whole" {
	FX=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/fx.XXXXXX")
	cp -r "$BATS_TEST_DIRNAME/../fixtures/modern/." "$FX"
	rm "$FX/proc/sysvipc/shm"
	mkfifo "$FX/proc/sysvipc/shm"
	run timeout 10 "$IPCADM" --root "$FX" list shm
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a regular file"* ]]
	rm "$FX/proc/sysvipc/shm"
	truncate -s 3G "$FX/proc/sysvipc/shm"
	run timeout 10 "$IPCADM" --root "$FX" list shm
	[ "$status" -eq 1 ]
	[[ "$output" == *"too large"* ]]
}
