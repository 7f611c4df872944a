#!/bin/bash
# ipcrm.sh SEED...: for each seed and each case of ipcrm-one.sh, the same state made in two
# fresh namespaces, util-linux's ipcrm run in one and ours in the other; what they print,
# their exit status and the state they leave must be the same.
set -u
here=$(cd "$(dirname "$0")" && pwd)
NCASES=${NCASES:-33}
fails=0 runs=0
tmp=$(mktemp -d)

in_ns() {
	unshare --ipc --mount --pid --fork --mount-proc --propagation private "$@"
}

for seed in "$@"; do
	for ((c = 0; c < NCASES; c++)); do
		runs=$((runs + 1))
		in_ns bash "$here/ipcrm-one.sh" ul "$seed" "$c" >"$tmp/ul" 2>&1
		in_ns bash "$here/ipcrm-one.sh" our "$seed" "$c" >"$tmp/our" 2>&1
		if ! cmp -s "$tmp/ul" "$tmp/our"; then
			fails=$((fails + 1))
			echo "# MISMATCH: ipcrm seed $seed case $c: $(head -1 "$tmp/ul")"
			diff "$tmp/ul" "$tmp/our" | head -20 | sed 's/^/#   /'
		fi
	done
done
rm -rf "$tmp"
echo "# ipcrm: $runs comparisons, $fails mismatches"
[ "$fails" -eq 0 ]
