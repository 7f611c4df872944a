#!/bin/bash
# ipcmk.sh: each case run by util-linux's ipcmk in one fresh namespace and by ours in
# another; what they print, their exit status and the objects they leave (keys aside: they
# are random) must be the same.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fails=0 runs=0
tmp=$(mktemp -d)

CASES=(
	"-M 1K" "-M 1KiB" "-M 1KB" "-M 010" "-M 0x10" "-M 1.5" "-M 1.K" "-M 1.05K" "-M 0.5M"
	"-M 1k" "-M 10.5K" "-M 1Kib" "-M 1kb" "-M abc" "-M 1X" "-M -5" "-M 0" "-M 1Y" "-M 1E"
	"-M 99999999999999999999" "-M 2G" "-M 1.25G" "-M 0.0001K" "-M 3.999K" "-M 1.00000000000000000001K"
	"-M 1.0" "-M 1." "-M 1.0K" "-M 0.0K" "-M .5K" "-M 1..5K" "-M 0.5Z" "-M 1.5iB" "-M 2MiB"
	"-S 1" "-S 3" "-S 0" "-S -1" "-S 3x" "-S 40000" "-S abc" "-S 99999999999"
	"-Q" "-Q -p 600" "-Q -p 1777" "-Q -p 0" "-Q -p 07" "-Q -p -1" "-M 4096 -p 640"
	"-S 2 --mode=400" "-Q -M 10 -S 2" "--shmem=4K --queue --semaphore=2 --mode 600"
	"-M 10 -M 20" "-Q -Q" "" "-x" "--bogus" "-M" "-p 600" "-h" "--help" "-Q extra"
	"-h -x" "-Q -p rw" "-Q -p 8" "-Q -p 7777777777777777777777777" "-M 4096 -p 4644"
	"-M 4096 -p 10644" "-Q -p 2644" "-S 1 -p 1600" "-Q -p 0x1ff"
)
# Cases with lowered limits: what the kernel refuses, both report alike.
LIMITED=(
	"msgmni 0|-Q" "shmmax 4096|-M 8K" "shmmni 0|-M 10 -Q" "sem 2 10 10 10|-S 3"
	"sem 10 10 10 0|-Q -S 1" "shmall 1|-M 8K"
)

one() { # DIR LIMIT ARGS: prints what the tool did and the state it left
	local dir=$1 limit=$2 args=$3
	in_ns bash -c '
		set -u
		IPCADM_BUILD=$1
		. "$2/lib.sh"
		if [ -n "$3" ]; then
			set -- "$@"
			name=${3%% *}
			echo "${3#* }" >/proc/sys/kernel/$name
		fi
		args=$4
		# shellcheck disable=SC2086
		run_tool '"$dir"' root ipcmk $args
		o="$DIFF_DIR/out/'"$dir"'"
		echo "exit: $(cat "$o.rc")"
		cat "$o.out" "$o.err"
		/usr/bin/ipcs -a | awk "{ if (\$1 ~ /^0x/) \$1 = \"KEY\"; print }"
		rm -rf "$DIFF_DIR"' _ "$IPCADM_BUILD" "$here" "$limit" "$args"
}

in_ns() {
	unshare --ipc --mount --pid --fork --mount-proc --propagation private "$@"
}

check() { # LIMIT ARGS
	runs=$((runs + 1))
	one ul "$1" "$2" >"$tmp/ul" 2>&1
	one our "$1" "$2" >"$tmp/our" 2>&1
	if ! cmp -s "$tmp/ul" "$tmp/our"; then
		fails=$((fails + 1))
		echo "# MISMATCH: ipcmk $2 ${1:+(with $1)}"
		diff "$tmp/ul" "$tmp/our" | head -20 | sed 's/^/#   /'
	fi
}

for a in "${CASES[@]}"; do
	check "" "$a"
done
for l in "${LIMITED[@]}"; do
	check "${l%%|*}" "${l#*|}"
done
rm -rf "$tmp"
echo "# ipcmk: $runs comparisons, $fails mismatches"
[ "$fails" -eq 0 ]
