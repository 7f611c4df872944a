# lib.sh: the differential tests' tools: a seeded generator of IPC states, and a comparison
# of util-linux's ipcs/ipcrm/ipcmk with ours. Source it inside a private IPC namespace only.
# Needs IPCTOOL and IPCADM_BUILD. DIFF_FAILS counts mismatches, DIFF_RUNS comparisons.

DIFF_FAILS=0
DIFF_RUNS=0
# The tools run from two directories holding a symlink each, so that argv[0] ("./ipcs")
# and with it every message is the same for both.
DIFF_DIR=$(mktemp -d /tmp/ipcadm-diff.XXXXXX)
chmod 755 "$DIFF_DIR"
mkdir -p "$DIFF_DIR/ul" "$DIFF_DIR/our" "$DIFF_DIR/out"
chmod 755 "$DIFF_DIR/ul" "$DIFF_DIR/our"
chmod 777 "$DIFF_DIR/out"
for t in ipcs ipcrm ipcmk; do
	ln -s "/usr/bin/$t" "$DIFF_DIR/ul/$t"
	ln -s "$(readlink -f "$IPCADM_BUILD/ipcadm")" "$DIFF_DIR/our/$t"
done
# Both tools print local times: one zone for both.
export TZ=${DIFF_TZ:-UTC} LC_ALL=C

# The generator draws from the seeded $RANDOM in this shell only (a $(...) subshell
# would not advance it): each helper leaves its result in R.
rnd() { R=$((RANDOM % $1)); }
pick() {
	local a=("$@")
	R=${a[$((RANDOM % ${#a[@]}))]}
}

# wait_ready FILE: waits (at most 5 s) until a holder wrote "ready" to FILE.
wait_ready() {
	local i
	for ((i = 0; i < 250; i++)); do
		grep -q ready "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "holder did not get ready: $1" >&2
	return 1
}

# attach_detach ID: one attach and detach (atime, dtime and lpid get set).
attach_detach() {
	local f="$DIFF_DIR/attach.$1" p
	"$IPCTOOL" shm-attach "$1" ro 10 >"$f" 2>&1 &
	p=$!
	wait_ready "$f"
	kill "$p"
	wait "$p" 2>/dev/null
	return 0
}

# A random key: private, small, negative, high-bit or a plain one.
rand_key() {
	case $((RANDOM % 6)) in
	0) R=0 ;;
	1) R=$((1 + RANDOM % 100)) ;;
	2) R="-$((1 + RANDOM * 32768 + RANDOM))" ;;
	3) printf -v R '0x%08x' $((0x80000000 + RANDOM * 32768 + RANDOM)) ;;
	*) printf -v R '0x%x' $((1 + RANDOM * 65536 + RANDOM)) ;;
	esac
}

rand_mode() {
	local o
	printf -v o '%o' $((RANDOM % 512))
	pick 600 644 666 640 400 0 777 "$o"
}

# uid/gid pairs: root, daemon, a name longer than 10 characters, nobody, none at all.
rand_owner() {
	pick "0 0" "1 1" "998 998" "65534 65534" "4242 4343" "0 4343" "4242 0"
}

rand_size() {
	pick 1 100 4095 4096 4097 10000 65536 1048576 $((1 + RANDOM * 32 + RANDOM)) 1073741824
}

# nsems ID: the number of semaphores of an array.
nsems() {
	awk -v id="$1" '$2 == id {print $4}' /proc/sysvipc/sem
}

# gen_state SEED: makes a random set of objects in this namespace, the same for a seed
# (in a fresh namespace the IDs are the same too). Sets HOLDERS=1 when some object is
# attached or waited on (ipcrm -a keeps those, on purpose). With GEN_NO_HOLDERS=1, none.
# Leaves the IDs in SHM_IDS, SEM_IDS, MSG_IDS and "kind key" pairs in KEYS.
gen_state() {
	local seed=$1 n i j k kind key id f size mode owner nsem vals
	RANDOM=$seed
	HOLDERS=0
	SHM_IDS=() SEM_IDS=() MSG_IDS=() KEYS=()
	# other limits than the defaults, now and then (-l and -u must follow them)
	if ((RANDOM % 3 == 0)); then
		echo $((4096 + RANDOM * 3)) >/proc/sys/kernel/shmall
		echo $((1048576 * (1 + RANDOM % 64))) >/proc/sys/kernel/shmmax
		echo $((16 + RANDOM % 5000)) >/proc/sys/kernel/shmmni
		echo "$((10 + RANDOM % 300)) $((100 + RANDOM)) $((10 + RANDOM % 400)) $((10 + RANDOM % 200))" \
			>/proc/sys/kernel/sem
		echo $((16 + RANDOM % 20000)) >/proc/sys/kernel/msgmni
		echo $((1024 + RANDOM % 60000)) >/proc/sys/kernel/msgmax
		echo $((1024 + RANDOM % 60000)) >/proc/sys/kernel/msgmnb
	fi
	n=$((RANDOM % 14))
	for ((i = 0; i < n; i++)); do
		pick shm shm sem sem msg
		kind=$R
		rand_key
		key=$R
		rand_mode
		mode=$R
		case $kind in
		shm) rand_size
			id=$("$IPCTOOL" shm-create "$key" "$R" "$mode" 2>/dev/null) || continue
			SHM_IDS+=("$id") ;;
		sem) nsem=$((1 + RANDOM % 6))
			id=$("$IPCTOOL" sem-create "$key" "$nsem" "$mode" 2>/dev/null) || continue
			SEM_IDS+=("$id") ;;
		msg) id=$("$IPCTOOL" msg-create "$key" "$mode" 2>/dev/null) || continue
			MSG_IDS+=("$id") ;;
		esac
		[ "$key" = 0 ] || KEYS+=("$kind $key")
		# some use: messages, semaphore values and operations, attach and detach
		case $kind in
		msg) for ((j = RANDOM % 4; j > 0; j--)); do
			"$IPCTOOL" msg-send "$id" $((1 + RANDOM % 9)) "message $j of $i" >/dev/null 2>&1
		done ;;
		sem) if ((RANDOM % 2 == 0)); then
			nsem=$(nsems "$id")
			vals=()
			for ((k = 0; k < nsem; k++)); do vals+=($((RANDOM % 100))); done
			"$IPCTOOL" sem-setall "$id" "${vals[@]}" >/dev/null 2>&1
			"$IPCTOOL" sem-op "$id" 0 1 >/dev/null 2>&1
		fi ;;
		shm) if ((RANDOM % 3 == 0)); then
			attach_detach "$id"
		fi
		if ((RANDOM % 6 == 0)); then
			"$IPCTOOL" shm-lock "$id" >/dev/null 2>&1
		fi ;;
		esac
		# owned by someone else, with another mode (IPC_SET)
		if ((RANDOM % 3 == 0)); then
			rand_owner
			owner=$R
			rand_mode
			"$IPCTOOL" set-owner "$kind" "$id" $owner "$R" >/dev/null 2>&1
		fi
		# held: attached (and maybe removed: SHM_DEST), or a waiter on a semaphore
		if ((RANDOM % 5 == 0)) && [ "${GEN_NO_HOLDERS:-0}" = 0 ]; then
			f="$DIFF_DIR/holder.$i"
			case $kind in
			shm) pick ro ""
				# shellcheck disable=SC2086
				"$IPCTOOL" shm-attach "$id" $R 120 >"$f" 2>&1 &
				wait_ready "$f" && HOLDERS=1
				if ((RANDOM % 2 == 0)); then
					"$IPCTOOL" rm shm "$id" >/dev/null 2>&1
				fi ;;
			sem) nsem=$(nsems "$id")
				vals=()
				for ((k = 0; k < nsem; k++)); do vals+=(0); done
				"$IPCTOOL" sem-setall "$id" "${vals[@]}" >/dev/null 2>&1
				"$IPCTOOL" sem-wait "$id" 0 120 >"$f" 2>&1 &
				wait_ready "$f" && HOLDERS=1 ;;
			msg) ;;
			esac
		fi
	done
	return 0
}

# run_tool DIR USER NAME ARGS...: runs DIR/NAME (as USER: root or a uid) and leaves its
# stdout, stderr and exit status in $DIFF_DIR/out/DIR.{out,err,rc}.
run_tool() {
	local dir=$1 user=$2 name=$3 o="$DIFF_DIR/out/$1"
	shift 3
	if [ "$user" = root ]; then
		(cd "$DIFF_DIR/$dir" && exec "./$name" "$@") >"$o.out" 2>"$o.err"
	else
		(cd "$DIFF_DIR/$dir" && exec "$IPCTOOL" drop-to "$user" "$user" -- "./$name" "$@") \
			>"$o.out" 2>"$o.err"
	fi
	echo $? >"$o.rc"
}

# report WHAT: prints the difference between the two last runs.
report() {
	local o="$DIFF_DIR/out"
	DIFF_FAILS=$((DIFF_FAILS + 1))
	echo "# MISMATCH: $1"
	echo "# exit: util-linux $(cat "$o/ul.rc"), ours $(cat "$o/our.rc")"
	diff "$o/ul.out" "$o/our.out" | head -20 | sed 's/^/#   stdout /'
	diff "$o/ul.err" "$o/our.err" | head -10 | sed 's/^/#   stderr /'
}

# same: true when the two last runs printed and exited alike.
same() {
	local o="$DIFF_DIR/out"
	cmp -s "$o/ul.out" "$o/our.out" && cmp -s "$o/ul.err" "$o/our.err" &&
		cmp -s "$o/ul.rc" "$o/our.rc"
}

# compare USER NAME ARGS...: runs both tools with the same arguments and compares.
compare() {
	local user=$1 name=$2
	shift 2
	DIFF_RUNS=$((DIFF_RUNS + 1))
	run_tool ul "$user" "$name" "$@"
	run_tool our "$user" "$name" "$@"
	same || report "[$user] $name $*"
}
