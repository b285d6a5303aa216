# shellcheck shell=bash
# A long step shown as it runs: what it is doing (the last line of its log), how long it has
# taken, and roughly how long is left, on one line redrawn every second on a terminal (a line every
# 30 s otherwise); the total when it ends. Its output goes to a log, shown in full if it fails.
#
#   source hack/progress.sh; with_progress "WHAT" ESTIMATE_SECONDS LOG -- COMMAND...
#
# Everything the command prints goes to the log.

with_progress() {
    local what=$1 estimate=$2 log=$3
    shift 3
    [[ ${1:-} == -- ]] && shift
    mkdir -p "$(dirname "$log")"
    : >"$log"
    local start=$SECONDS tty=false
    [[ -t 2 ]] && tty=true
    "$@" >>"$log" 2>&1 &
    local pid=$! last_print=-30
    while kill -0 "$pid" 2>/dev/null; do
        local took=$((SECONDS - start)) doing left
        doing=$(grep -v '^\s*$' "$log" 2>/dev/null | tail -n 1 | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^\[[^]]*\] //' | cut -c1-60 || true)
        if ((took < estimate)); then
            left="about $(_duration $((estimate - took))) left"
        else
            left="a little longer than usual"
        fi
        if $tty; then
            printf '\r\033[K[weir] %s: %s elapsed, %s%s' "$what" "$(_duration "$took")" "$left" \
                "${doing:+ ($doing)}" >&2
        elif ((took - last_print >= 30)); then
            printf '[weir] %s: %s elapsed, %s%s\n' "$what" "$(_duration "$took")" "$left" \
                "${doing:+ ($doing)}" >&2
            last_print=$took
        fi
        sleep 1
    done
    local status=0
    wait "$pid" || status=$?
    if $tty; then
        printf '\r\033[K' >&2
    fi
    if ((status != 0)); then
        printf '[weir] %s FAILED after %s; its output:\n' "$what" "$(_duration $((SECONDS - start)))" >&2
        cat "$log" >&2
        return "$status"
    fi
    printf '[weir] %s: done in %s\n' "$what" "$(_duration $((SECONDS - start)))" >&2
}

_duration() {
    local s=$1
    if ((s >= 60)); then
        printf '%dm%02ds' $((s / 60)) $((s % 60))
    else
        printf '%ds' "$s"
    fi
}
