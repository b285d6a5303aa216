# bash completion for kubectl-weir, the kubectl plugin of Weir.
#
#   source <(kubectl weir completion bash)          # now, or in ~/.bashrc
#
# This completes `kubectl-weir ...` typed on its own. `kubectl weir ...` is completed by kubectl's
# own completion (source <(kubectl completion bash)), which asks the executable
# kubectl_complete-weir found on PATH; it is installed beside kubectl-weir.
_kubectl_weir() {
    local out directive line
    out=$(kubectl-weir __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
    directive=${out##*:}
    out=${out%:*}
    COMPREPLY=()
    while IFS='' read -r line; do
        [[ -n $line ]] && COMPREPLY+=("${line%%$'\t'*}")
    done <<<"$out"
    if ((${#COMPREPLY[@]} == 0 && (directive & 4) == 0)); then
        compopt -o default 2>/dev/null
    fi
}
complete -F _kubectl_weir kubectl-weir
