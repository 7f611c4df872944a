#!/usr/bin/env bats
# attack-files.bats: an unprivileged user (alice, 4242) against root running ipcadm: the
# paths root is given for backups, restores and logs, and the names that reach its output.

load files-lib

PRELUDE=$FILES_PRELUDE'
# a root-only directory alice would like root to write into (think /etc/cron.d)
mkdir -m 700 $T/target
# alice home, and in it a link of hers that leads there
mkdir -m 755 $T/alice; chown 4242:4343 $T/alice
asalice ln -s $T/target $T/alice/sub
'

@test "backup: a path through a link in another user's directory is refused" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/target/bk
		id=$(orphan); $IPCTOOL shm-write $id "alice wrote this"
		sleep 1.1
		refused "refusing backup directory .$T/alice/sub/bk." \
			"$IPCADM" reap --all-visible --yes --backup $T/alice/sub/bk
		has $id || { echo removed; exit 1; }
		want "$(ls -A $T/target/bk)" ""'
	ok
}

@test "log: a path through a link in another user's directory is refused" {
	run ns "$PRELUDE"'
		echo "root only" > $T/target/ipcadm.log; chmod 600 $T/target/ipcadm.log
		id=$(orphan)
		sleep 1.1
		refused "refusing log .$T/alice/sub/ipcadm.log." \
			"$IPCADM" reap --all-visible --yes --log $T/alice/sub/ipcadm.log
		has $id || { echo removed; exit 1; }
		want "$(cat $T/target/ipcadm.log)" "root only"
		# in a sticky directory (/tmp) anyone may plant a link: not followed
		mkdir -m 1777 $T/tmp; asalice ln -s $T/target $T/tmp/logs
		refused "refusing log .*symbolic link on its path" \
			"$IPCADM" reap --all-visible --yes --log $T/tmp/logs/ipcadm.log
		has $id || { echo removed; exit 1; }
		want "$(cat $T/target/ipcadm.log)" "root only"'
	ok
}

@test "restore: a path through a link in another user's directory is refused" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/target/bk
		printf "key 0x31\nsize 17\nmode 644\nuid 0\ngid 0\n" > $T/target/bk/shm-1.meta
		echo "root only secret" > $T/target/bk/shm-1.data
		refused "refusing backup directory .$T/alice/sub/bk." \
			"$IPCADM" restore $T/alice/sub/bk
		want "$("$IPCADM" list --all-visible -J shm | jq ".shm | length")" 0'
	ok
}

@test "links that root owns on the way are followed, and what they lead to is checked" {
	run ns "$PRELUDE"'
		id=$(orphan)
		mkdir -m 700 $T/safe $T/safe/bk
		ln -s $T/safe $T/rootlink          # as /var/run -> /run
		ln -s alice $T/toalice              # root made, but it leads into alice home
		asalice mkdir -m 700 $T/alice/bk
		sleep 1.1
		refused "refusing backup directory" \
			"$IPCADM" reap --all-visible --yes --backup $T/toalice/bk
		has $id || { echo removed; exit 1; }
		"$IPCADM" reap --all-visible --yes --backup $T/rootlink/bk --log $T/rootlink/log > $T/out
		! has $id
		want "$(ls $T/safe/bk | grep -c "\.data$")" 1
		want "$(grep -c "removed shm $id" $T/safe/log)" 1'
	ok
}

@test "backup: a deep directory below another user's, named from inside, is refused" {
	run ns "$PRELUDE"'
		id=$(orphan)
		# 300 root directories below alice home: more than the walk up used to look at
		d=$T/alice/deep; mkdir -m 755 $d; cd $d
		for i in $(seq 300); do mkdir -m 755 d; cd d; done
		mkdir -m 700 bk
		sleep 1.1
		refused "refusing backup directory .bk." \
			"$IPCADM" reap --all-visible --yes --backup bk
		has $id || { echo removed; exit 1; }
		want "$(ls -A bk)" ""'
	ok
}

# Odd user and group names: NSS names are the administrator's, but a directory service
# may hold names with spaces, shell characters or control characters.
ODDUSERS='
T=/dev/shm/t
want() { [ "$1" = "$2" ] || { echo "want [$2], got [$1] ${3:-}" >&2; exit 1; }; }
cp /etc/passwd $T/passwd; cp /etc/group $T/group
printf "ev\033]0;pwn\007il:x:4242:4343::/:/bin/false\nsp ace;id:x:4243:4344::/:/bin/false\n" >> $T/passwd
printf "g\033[2Jrp:x:4343:\nops:x:4344:\n" >> $T/group
mount --bind $T/passwd /etc/passwd; mount --bind $T/group /etc/group
'

@test "doctor: a remedy names an owner whose name a shell would split by UID" {
	run ns "$ODDUSERS"'
		$IPCTOOL drop-to 4243 4344 -- $IPCTOOL fill sem 3 > /dev/null
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL fill shm 3 > /dev/null
		echo "3200 32000 32 3" > /proc/sys/kernel/sem
		echo 3 > /proc/sys/kernel/shmmni
		sleep 1.1
		"$IPCADM" doctor --all-visible > $T/doc || true
		grep "fix: ipcadm reap" $T/doc > $T/fix
		grep -q -- "--kind sem --owner 4243 --yes" $T/fix || { cat $T/doc; exit 1; }
		grep -q -- "--kind shm --owner 4242 --yes" $T/fix || { cat $T/doc; exit 1; }
		# the command as shown does what it says
		cmd=$(grep -o "ipcadm reap --all-visible --kind sem --owner [^#]*" $T/fix)
		eval "\"\$IPCADM\" ${cmd#ipcadm }" > $T/out
		grep -q "^3 removed" $T/out || { cat $T/out; exit 1; }'
	ok
}

@test "compat ipcs: odd user and group names are escaped as ipcadm's own output does" {
	run ns "$ODDUSERS"'
		$IPCTOOL drop-to 4242 4343 -- $IPCTOOL shm-create 0 4096 600 > /dev/null
		for o in "" -c -t -p -u -l; do
			"$IPCADM_BUILD/ipcs" $o > $T/ipcs 2>&1
			! LC_ALL=C grep -aqP "[\x00-\x08\x0b-\x1f\x7f]" $T/ipcs || { echo "ipcs $o"; cat -A $T/ipcs; exit 1; }
		done
		"$IPCADM_BUILD/ipcs" -c > $T/ipcs
		grep -qF "ev\\x1b]0;pwn\\x07il g\\x1b[2Jrp" $T/ipcs || { cat -A $T/ipcs; exit 1; }'
	ok
}

@test "backup: a large segment nobody touched costs root neither its size in memory nor on disk" {
	run ns "$PRELUDE"'
		mkdir -m 700 $T/bk
		# alice asks for 256 MiB and touches one page: the kernel gives her one
		id=$($IPCTOOL drop-to 4242 4343 -- $IPCTOOL shm-create 0 268435456 600)
		$IPCTOOL shm-write $id "alice data"
		sleep 1.1
		before=$(awk "/^Shmem:/ {print \$2}" /proc/meminfo)
		"$IPCADM" reap --all-visible --yes --backup $T/bk > $T/out
		! has $id
		data=$(ls $T/bk/*.data)
		want "$(stat -c %s $data)" 268435456
		# sparse: a page or so of blocks, not 256 MiB (the backup dir is a tmpfs: memory)
		[ "$(stat -c %b $data)" -lt 1024 ] || { stat $data; exit 1; }
		after=$(awk "/^Shmem:/ {print \$2}" /proc/meminfo)
		[ $((after - before)) -lt 65536 ] || { echo "Shmem grew by $((after - before)) kB"; exit 1; }
		want "$(head -c 10 $data)" "alice data"
		"$IPCADM" restore $T/bk > $T/out
		nid=$(sed -n "s/.* as shm //p" $T/out)
		want "$($IPCTOOL shm-read $nid 10)" "alice data"
		# nor does the segment restored take more than the one saved
		rss=$(awk -v id=$nid "\$2 == id {print \$15}" /proc/sysvipc/shm)
		[ "$rss" -lt 1048576 ] || { echo "restored rss $rss"; exit 1; }'
	ok
}

@test "-N PATH: a FIFO or a plain file is refused at once, not waited on or taken for one" {
	run ns "$PRELUDE"'
		asalice mkfifo $T/alice/ipcns
		asalice touch $T/alice/file
		for cmd in list metrics doctor; do
			for p in $T/alice/ipcns $T/alice/file; do
				set +e; timeout 10 "$IPCADM" $cmd --all-visible -N $p > $T/out 2> $T/err
				rc=$?; set -e
				[ $rc -ne 0 ] && [ $rc -ne 124 ] || { echo "$cmd $p: exit $rc"; exit 1; }
				grep -q "not an IPC namespace" $T/err || { echo "$cmd $p"; cat $T/err; exit 1; }
			done
		done
		set +e; timeout 10 "$IPCADM" restore -N $T/alice/ipcns $T/target > $T/out 2> $T/err
		rc=$?; set -e
		want $rc 1 "$(cat $T/out $T/err)"
		unshare --ipc sleep 60 & p=$!
		sleep 0.2
		"$IPCADM" list --all-visible -N /proc/$p/ns/ipc > /dev/null
		kill $p'
	ok
}

@test "escape: a POSIX name with a line separator or a bidi override is shown escaped" {
	run ns '
		T=/dev/shm/t
		N=$(printf "a\342\200\250b\342\200\256c")
		: > "/dev/shm/$N"
		"$IPCADM" list --all-visible pshm > $T/list
		grep -qF "a\\xe2\\x80\\xa8b\\xe2\\x80\\xaec" $T/list || { cat $T/list; exit 1; }
		"$IPCADM" reap --all-visible --yes --include-idle --kind pshm --log $T/log > $T/out
		! grep -q "$(printf "\342\200")" $T/log $T/out || { cat $T/log $T/out; exit 1; }
		grep -qF "removed pshm /a\\xe2\\x80\\xa8b" $T/log || { cat $T/log; exit 1; }'
	ok
}

@test "completion: a POSIX name with a control character is not offered raw to the terminal" {
	COMPLETE_BASH="$BATS_TEST_DIRNAME/complete.bash"
	COMPLETE_ZSH="$BATS_TEST_DIRNAME/complete.zsh"
	export COMPLETE_BASH COMPLETE_ZSH
	run ns '
		T=/dev/shm/t
		: > "/dev/shm/$(printf "x\033]0;pwned\007")"
		: > "/dev/shm/$(printf "y\302\2332J")"
		: > "/dev/shm/$(printf "z\nVERDICT")"
		: > "/dev/shm/$(printf "w\377")"
		: > "/dev/shm/odd name"
		set +e # as bash_completion expects
		. "$COMPLETE_BASH"
		echo "$(drive "$IPCADM show pshm ")" > $T/bash
		PATH=$IPCADM_BUILD:$PATH zsh -f "$COMPLETE_ZSH" "ipcadm show pshm " > $T/zsh
		for f in $T/bash $T/zsh; do
			if LC_ALL=C grep -aqP "[\x00-\x09\x0b-\x1f\x7f\xff]" $f ||
			   LC_ALL=C.UTF-8 grep -aqP "[\x{80}-\x{9f}]" $f; then
				echo "$f:"; cat -A $f; exit 1
			fi
			grep -qx -e "odd name" -e "odd\\\\ name" $f || { echo "$f:"; cat -A $f; exit 1; }
			! grep -qx VERDICT $f || { echo "$f: a forged line"; cat -A $f; exit 1; }
		done'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "log: a FIFO, a /proc/self/fd path, and a root directory below a user-writable one" {
	run ns "$PRELUDE"'
		id=$(orphan)
		echo "root only" > $T/shadow; chmod 600 $T/shadow
		# root dir logs (a hard link to a root-only file in it) whose parent alice may write:
		# she could swap the directory for hers at any time
		mkdir -m 777 $T/pub; mkdir -m 755 $T/pub/logs; ln $T/shadow $T/pub/logs/ipcadm.log
		mkdir -m 755 $T/fifo; mkfifo -m 600 $T/fifo/log
		cd $T/alice   # /proc/self/cwd leads there
		sleep 1.1
		for l in $T/pub/logs/ipcadm.log $T/fifo/log /proc/self/fd/1 /proc/self/cwd/x; do
			refused "log .$l." \
				timeout 10 "$IPCADM" reap --all-visible --yes --log $l
			has $id || { echo "$l: removed"; exit 1; }
		done
		want "$(cat $T/shadow)" "root only"'
	ok
}

@test "backup: a path through /proc/PID/cwd goes where the kernel goes, and is checked there" {
	run ns "$PRELUDE"'
		id=$(orphan)
		mkdir -m 755 $T/jail; mkdir -m 700 $T/jail/bk
		# a process of another mount namespace whose working directory is $T/jail,
		# which it sees as /mnt: the text of its cwd link says /mnt
		unshare --mount bash -c "mount --bind $T/jail /mnt; cd /mnt; exec sleep 60" & p=$!
		for j in $(seq 50); do [ "$(readlink /proc/$p/cwd)" = /mnt ] && break; sleep 0.05; done
		want "$(readlink /proc/$p/cwd)" /mnt
		sleep 1.1
		"$IPCADM" reap --all-visible --yes --backup /proc/$p/cwd/bk > $T/out
		! has $id
		want "$(ls $T/jail/bk | grep -c "\.data$")" 1 "$(ls -la $T/jail/bk)"
		# alice process: her cwd link is hers, not followed
		setpriv --reuid=4242 --regid=4343 --clear-groups bash -c "cd $T/alice; exec sleep 60" & q=$!
		for j in $(seq 50); do [ "$(readlink /proc/$q/cwd)" = $T/alice ] && break; sleep 0.05; done
		want "$(readlink /proc/$q/cwd)" $T/alice
		asalice mkdir -m 700 $T/alice/bk
		refused "refusing backup directory" \
			"$IPCADM" reap --all-visible --yes --backup /proc/$q/cwd/bk
		kill $p $q'
	ok
}
