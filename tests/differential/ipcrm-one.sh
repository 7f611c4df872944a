#!/bin/bash
# ipcrm-one.sh ul|our SEED CASE: in a fresh private namespace (the caller makes it), makes
# the state of SEED, runs that ipcrm with the arguments of CASE, and prints what it printed,
# its exit status and the state left (util-linux's ipcs -a and -c), for ipcrm.sh to compare.
set -u
. "$(dirname "$0")/lib.sh"
dir=$1 seed=$2 case=$3

# Bulk removal keeps what is in use, on purpose: its cases get states without holders.
case $case in
12 | 13 | 14 | 15 | 30 | 31 | 32) GEN_NO_HOLDERS=1 ;;
esac
gen_state "$seed" >/dev/null

first() { # first KIND: the first key of that kind, as given to ipctool
	local k
	for k in "${KEYS[@]}"; do
		[ "${k%% *}" = "$1" ] && echo "${k#* }" && return
	done
	echo 0x7fff0001
}
dec() { # a key in unsigned decimal, as strtoul reads it
	case $1 in
	0x*) echo $((16#${1#0x})) ;;
	*) echo "$1" ;;
	esac
}
shm0=${SHM_IDS[0]:-0} sem0=${SEM_IDS[0]:-0} msg0=${MSG_IDS[0]:-0}
user=root
case $case in
0) args=(-m "$shm0") ;;
1) args=(-s "$sem0" -q "$msg0") ;;
2) args=(-v -m "$shm0" -s "$sem0" -q "$msg0") ;;
3) args=(-M "$(first shm)") ;;
4) args=(-S "$(dec "$(first sem)")") ;;
5) args=(-v -Q "$(first msg)") ;;
6) args=(--shmem-id "$shm0" --semaphore-id="$sem0" --queue-id "$msg0") ;;
7) args=(--shmem-key="$(first shm)" --queue-key "$(first msg)" --semaphore-key "$(first sem)") ;;
8) args=(shm "${SHM_IDS[@]}" 4242) ;;
9) args=(sem "${SEM_IDS[@]:0:1}" abc "${SEM_IDS[@]:1}") ;;
10) args=(msg "${MSG_IDS[@]}") ;;
11) args=(-m 99999 -M 0x7fffffff -Q 0 -S -1 -q 2147483647 -s 32768) ;;
12) args=(-a) ;;
13) args=(-v --all=shm) ;;
14) args=(--all=sem) ;;
15) args=(-amsg -v) ;;
16) args=(-m abc) ;;
17) args=(-M zz) ;;
18) args=(-M 99999999999999999999999) ;;
19) args=(-x) ;;
20) args=(--bogus) ;;
21) args=(-m) ;;
22) args=() ;;
23) args=(-h) ;;
24) args=(shm) ;;
25) args=(-m "$shm0" -m "$shm0") ;;
26) user=65534 args=(-m "$shm0" -s "$sem0" -Q "$(first msg)") ;;
27) user=65534 args=(-v -M "$(first shm)" -S "$(first sem)") ;;
28) args=(-s "$sem0" extra) ;;
29) args=(-m 0x10) ;;
30) user=65534 args=(-a) ;;
31) user=65534 args=(-v --all=msg) ;;
32) user=65534 args=(--all=shm -v --all=sem) ;;
esac

run_tool "$dir" "$user" ipcrm "${args[@]}"
o="$DIFF_DIR/out/$dir"
echo "args: ${args[*]}"
echo "exit: $(cat "$o.rc")"
echo "--- stdout"
cat "$o.out"
echo "--- stderr"
cat "$o.err"
echo "--- state"
/usr/bin/ipcs -a
/usr/bin/ipcs -c
rm -rf "$DIFF_DIR"
