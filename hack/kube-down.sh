#!/usr/bin/env bash
# Usage: hack/kube-down.sh DIR
#
# Stops the control plane that hack/kube-up.sh started in DIR (controller-manager, API
# server, etcd, in that order), waits until the processes are gone and checks that none of
# its ports is still listened on. Keeps DIR's data, so kube-up.sh DIR can start it again;
# delete DIR to throw the cluster away. Safe to run when nothing is running.
set -euo pipefail

HACK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBE_LOG_PREFIX=kube-down
# shellcheck source-path=SCRIPTDIR source=kube-lib.sh
source "$HACK/kube-lib.sh"

[[ $# -eq 1 ]] || die "usage: $0 DIR"
[[ -d "$1" ]] || { log "no such folder: $1 (nothing to stop)"; exit 0; }
DIR=$(cd "$1" && pwd)

for ((i = ${#KUBE_COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop_component "$DIR" "${KUBE_COMPONENTS[i]}"
done

# Nothing of this cluster may still listen: the processes are gone, so this only fails if
# something else grabbed a port meanwhile, which is worth knowing too.
if [[ -f "$DIR/env" ]]; then
    # shellcheck disable=SC1091
    source "$DIR/env"
    for port in "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$CONTROLLER_MANAGER_PORT"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            die "port $port is still listened on after stopping $DIR"
        fi
    done
fi
log "stopped $DIR"
