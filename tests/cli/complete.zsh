# complete.zsh: drives the zsh completion completions/_ipcadm for completion.bats: types
# LINE and Tab into an interactive zsh on a pseudo-terminal (zpty) and prints the matches
# offered, sorted (compadd is wrapped to write them to a file). Usage: zsh -f complete.zsh LINE
# with $IPCADM_BUILD/ipcadm first on PATH.
zmodload zsh/zpty || exit 1
compdir=${0:A:h:h:h}/completions
hits=$(mktemp)
zpty z zsh -f -i
zpty -w z "fpath=(${(q)compdir} \$fpath); path=(${(q)IPCADM_BUILD} \$path)"
zpty -w z "autoload -U compinit; compinit -u -D"
zpty -w z "compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi
	local -a h; builtin compadd -A h \"\$@\"; print -rl -- \$h >> ${(q)hits}
	builtin compadd \"\$@\"; }"
zpty -w z "print ready > ${(q)hits}.ready"
# wait: 20 s at most for each step
for ((i = 0; i < 400; i++)); do [[ -s $hits.ready ]] && break; sleep 0.05; done
zpty -w -n z "$1"$'\t'
# let the completion end before typing on: keys typed while it runs may cut it short
# (under load, with a slow ipcadm); it has ended when its matches stop growing for 0.3 s
# (1 s at the start, for one that offers nothing)
integer last=-1 same=0 size
for ((i = 0; i < 400 && same < (last > 0 ? 6 : 20); i++)); do
	sleep 0.05
	size=$(wc -c < $hits)
	if (( size == last )); then
		(( same += 1 ))
	else
		last=size same=0
	fi
done
zpty -w z $'\C-u'"print done > ${(q)hits}.done"
for ((i = 0; i < 400; i++)); do [[ -s $hits.done ]] && break; sleep 0.05; done
zpty -d z
[[ -s $hits.done ]] || { print -u2 "complete.zsh: the shell did not answer"; exit 1 }
sort -u $hits
rm -f $hits $hits.ready $hits.done
