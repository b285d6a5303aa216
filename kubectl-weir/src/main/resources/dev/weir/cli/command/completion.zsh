#compdef kubectl-weir
# zsh completion for kubectl-weir, the kubectl plugin of Weir.
#
#   source <(kubectl weir completion zsh)           # now, or in ~/.zshrc after compinit
#
# This completes `kubectl-weir ...` typed on its own. `kubectl weir ...` is completed by kubectl's
# own completion (source <(kubectl completion zsh)), which asks the executable
# kubectl_complete-weir found on PATH; it is installed beside kubectl-weir.
_kubectl_weir() {
    local out directive line name desc
    local -a lines candidates
    out=$(kubectl-weir __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    directive=${out##*:}
    lines=("${(@f)${out%:*}}")
    for line in "${lines[@]}"; do
        [[ -z $line ]] && continue
        name=${line%%$'\t'*}
        desc=""
        [[ $name != "$line" ]] && desc=${line#*$'\t'}
        candidates+=("${name//:/\\:}:${desc}")
    done
    if ((${#candidates})); then
        _describe -t kubectl-weir 'kubectl weir' candidates
    elif (((directive & 4) == 0)); then
        _files
    fi
}
compdef _kubectl_weir kubectl-weir
