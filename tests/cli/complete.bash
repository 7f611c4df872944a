# complete.bash: drives the bash completion of completions/ipcadm.bash as readline would,
# for completion.bats: `drive LINE` prints what Tab offers after LINE, one a line.
# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion
source "$(dirname "${BASH_SOURCE[0]}")/../../completions/ipcadm.bash"

# drive LINE: the words of LINE (split at spaces; a trailing space starts an empty word),
# the last one being completed.
drive() {
	local line=$1
	local -a COMP_WORDS
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	local COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=()
	_ipcadm "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
}
