#!/usr/bin/env bats
# attack4.bats: the fourth round of attacks on ipcadm's promise: the code of the day
# (batch removals, the -A child, the doctor's remedies, JSON) against hostile input.

load attack-lib

NOSYSCALL="$IPCADM_BUILD/helpers/nosyscall"
export NOSYSCALL

PRELUDE=$ATTACK_PRELUDE

@test "-N without fsopen: another namespace's queues are not read from our own mount" {
	# A child that entered another IPC namespace mounts that namespace's mqueue with
	# fsopen(2). Where that is refused (a seccomp filter, a kernel before 5.2) it fell
	# back to the mqueue mounted in our mount namespace: our own namespace's queues,
	# listed as the container's, and reap -N --include-idle --yes removed ours.
	run ns "$PRELUDE"'
		"$POSIXTOOL" mq-create host-queue 4 64 600
		setsid -f unshare --ipc sleep 60
		for i in $(seq 100); do
			c=$(pgrep -x -n sleep) && break; sleep 0.05
		done
		[ "$(readlink /proc/$c/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ]
		# in our own namespace, the mounted mqueue is the one to read
		$NOSYSCALL fsopen ENOSYS "$IPCADM" list -J pmq > $T/l
		want "$(jq -r ".pmq[].name" $T/l)" host-queue "$(cat $T/l)"
		$NOSYSCALL fsopen ENOSYS "$IPCADM" list -N $c -J pmq > $T/l || true
		want "$(jq -r ".pmq[]?.name" $T/l)" "" "$(cat $T/l)"
		$NOSYSCALL fsopen ENOSYS "$IPCADM" reap -N $c --all-visible --include-idle \
			--kind pmq --yes > $T/out 2>&1 || true
		ls /dev/mqueue/host-queue > /dev/null || { cat $T/out; exit 1; }'
	ok
}

@test "JSON: a POSIX name with a bidi override or a line separator goes out as \\u escapes" {
	# The text outputs escape U+2028..U+202E and U+2066..U+2069, but JSON wrote them raw:
	# read in a terminal, a name's right-to-left override turned the rest of its object's
	# line around (its verdict and evidence), and U+2028 ends a line for JavaScript before
	# ES2019. JSON means the same with \u202e: parsers get the name back byte for byte.
	run ns "$PRELUDE"'
		n=$(printf "ab\342\200\256dc\342\200\250x\342\201\246y")
		"$POSIXTOOL" shm-create "$n" 4096 600
		"$IPCADM" list --all-visible -J -o NAME,VERDICT pshm > $T/l
		"$IPCADM" show --all-visible -J pshm "$n" >> $T/l
		! grep -q "$(printf "\342\200[\250\256]\|\342\201\246")" $T/l || { cat -v $T/l; exit 1; }
		grep -q "ab\\\\u202edc\\\\u2028x\\\\u2066y" $T/l || { cat $T/l; exit 1; }
		want "$(jq -r ".pshm[0].name" $T/l | head -1)" "$n"'
	ok
}

@test "doctor: an owner whose name is another user's UID is named by its own UID" {
	# A remedy names the owner by name when a shell passes the name on whole; but reap
	# --owner takes digits for a UID. A user named "4244" (a directory service allows
	# it) with UID 4243 got "--owner 4244": the pasted command reaped another user's
	# objects, and none of the ones it was shown for.
	run ns "$PRELUDE"'
		cp /etc/passwd $T/passwd
		echo "4244:x:4243:4243::/:/bin/false" >> $T/passwd
		mount --bind $T/passwd /etc/passwd
		$IPCTOOL drop-to 4243 4243 -- $IPCTOOL fill sem 3 > /dev/null
		echo "3200 32000 32 3" > /proc/sys/kernel/sem
		sleep 1.1
		"$IPCADM" doctor --all-visible > $T/doc || true
		cmd=$(grep -o "ipcadm reap --all-visible --kind sem --owner [^#]*" $T/doc) ||
			{ cat $T/doc; exit 1; }
		want "$cmd" "ipcadm reap --all-visible --kind sem --owner 4243 --yes  " "$(cat $T/doc)"
		"$IPCADM" doctor --all-visible -J > $T/doc.json || true
		want "$(jq -r "[.. | objects | select(.type? == \"reap\") | .owner_name][0]" \
			$T/doc.json)" 4244'
	ok
}

@test "doctor -A: the fixes for a container act on the container, not on the host" {
	# The doctor's fixes for another IPC namespace were printed as for our own: pasted,
	# "ipcadm reap ... --yes" reaped the host's objects, "sysctl -w" set the host's
	# limits from the container's (a container's root picks its own), and "echo ... >
	# /etc/sysctl.d/..." made that the host's setting at every boot. remedy_format
	# words a fix for another namespace (-N ipcid:ID, nsenter); the doctor did not ask
	# it to.
	run ns "$PRELUDE"'
		setsid -f unshare --ipc bash -c "
			$IPCTOOL drop-to 4243 4243 -- $IPCTOOL fill sem 3 > /dev/null
			echo \"3200 32000 32 3\" > /proc/sys/kernel/sem
			echo ready > $T/c; exec sleep 60"
		ready $T/c
		c=$(pgrep -x -n sleep)
		sleep 1.1
		"$IPCADM" doctor -A --all-visible > $T/doc || true
		awk -v c="$c" "/^IPC namespace/ { on = index(\$0, \"pid \" c) > 0 }
			on && /^ *(fix:)? +[a-z#]/" $T/doc | sed "s/^ *\(fix:\)\? *//" > $T/fix
		grep -q . $T/fix || { cat $T/doc; exit 1; }
		# every line a command for the container, or a comment
		# the namespace by its kernel ID (ipcid:, Linux 6.18) or inode (ipc:), never a PID
		n="-N ipc[id]*:[0-9][0-9]*"
		! grep -v -e "^ipcadm [a-z]* $n " -e "^nsenter --ipc --target $c " -e "^#" \
			$T/fix || { cat $T/doc; exit 1; }
		grep -q -- "^ipcadm reap $n .*--owner 4243 --yes" $T/fix || { cat $T/doc; exit 1; }
		# the line as pasted (without --yes) finds the container and its three arrays
		eval "$(grep -- "^ipcadm reap $n .*--owner 4243 --yes" $T/fix |
			sed "s/^ipcadm/\"\$IPCADM\"/; s/ --yes.*//") -J" > $T/dry
		want "$(jq length $T/dry)" 3 "$(cat $T/dry)"
		grep -q "^nsenter --ipc --target $c sysctl -w kernel.sem=" $T/fix ||
			{ cat $T/doc; exit 1; }
		"$IPCADM" doctor -A --all-visible -J > $T/doc.json || true
		jq -r ".namespaces[] | select(.pid == $c) | .doctor.findings[].remedies[]" $T/doc.json \
			> $T/fixj
		! grep -v -e "^ipcadm [a-z]* $n " -e "^nsenter --ipc --target $c " -e "^#" \
			$T/fixj || { cat $T/doc.json; exit 1; }'
	ok
}

@test "metrics --textfile: a path through a link in another user's directory is refused" {
	# Backups, restores, logs and the journal open their paths without following another
	# user's links (safefile.c); the textfile directory was taken as given: alice's link
	# led root to create and rename files in a root-only directory of her choice.
	run ns "$FILES_PRELUDE"'
		mkdir -m 700 $T/target
		mkdir -m 755 $T/alice; chown 4242:4343 $T/alice
		asalice ln -s $T/target $T/alice/sub
		refused "refusing textfile directory .$T/alice/sub." \
			"$IPCADM" metrics --all-visible --textfile $T/alice/sub
		want "$(ls -A $T/target)" ""
		refused "refusing textfile directory .$T/alice/sub." \
			"$IPCADM" metrics -A --all-visible --textfile $T/alice/sub
		want "$(ls -A $T/target)" ""
		# a directory of root, reached through links of root: written
		ln -s $T/target $T/rootlink
		"$IPCADM" metrics --all-visible --textfile $T/rootlink
		want "$(ls -A $T/target)" ipcadm.prom'
	ok
}
