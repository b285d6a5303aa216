#!/usr/bin/env bash
# Usage: hack/kube-up.sh DIR
#
# Starts a real Kubernetes control plane on loopback, all of its state in DIR:
#   etcd (3.4, plain HTTP on 127.0.0.1), kube-apiserver (TLS, client-cert auth, RBAC) and
#   kube-controller-manager (replicaset, garbage collector, namespace, horizontal pod
#   autoscaler, ... controllers). The API server's aggregation layer is on, for APIServices
#   such as the metrics.k8s.io a test serves.
# There is no kubelet and no container runtime: pods are created but stay Pending.
#
# Prints the admin kubeconfig path (DIR/admin.kubeconfig) on stdout when the API server
# answers /readyz with ok and the controller-manager answers /healthz. Everything else goes
# to stderr. On failure it prints the tail of the failing component's log, stops whatever
# it started and exits non-zero. Stop with hack/kube-down.sh DIR; mint more identities with
# hack/kube-user.sh DIR USER [GROUP...].
#
# DIR may be reused after kube-down: certs and etcd data are kept, and the previous ports
# are taken again when still free, so existing kubeconfigs keep working.
#
# When some components of DIR still run (a test killed one to see what its clients do), only
# the others are started, on the ports DIR/env gives: clients reconnect to the same addresses.
# When all of them run there is nothing to start, and it fails as before.
#
# Env knobs:
#   WEIR_KUBE_UP_TIMEOUT   seconds to wait for each component (default 60)
#   WEIR_KUBE_CONTROLLERS  the controller-manager's --controllers (default '*'); bench/scale turns
#                          the replicaset controller off ('*,-replicaset') and sets ReplicaSet
#                          status itself, so that thousands of rollouts need no pods
#   WEIR_KUBE_AUDIT_USERS  comma-separated user names whose every request is audited too
#                          (metadata only), to count a controller's requests by verb and resource
#   WEIR_KUBE_APISERVER, WEIR_KUBE_CONTROLLER_MANAGER, WEIR_ETCD: see kube-provision.sh
set -euo pipefail

HACK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBE_LOG_PREFIX=kube-up
# shellcheck source-path=SCRIPTDIR source=kube-lib.sh
source "$HACK/kube-lib.sh"

[[ $# -eq 1 ]] || die "usage: $0 DIR"
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
TIMEOUT=${WEIR_KUBE_UP_TIMEOUT:-60}
CONTROLLERS=${WEIR_KUBE_CONTROLLERS:-*}
AUDIT_USERS=${WEIR_KUBE_AUDIT_USERS:-}

RUNNING=()
for comp in "${KUBE_COMPONENTS[@]}"; do
    if pid=$(pid_of "$DIR" "$comp"); then
        RUNNING+=("$comp")
        log "$comp of $DIR is already running (pid $pid)"
    fi
done
if [[ ${#RUNNING[@]} -eq ${#KUBE_COMPONENTS[@]} ]]; then
    die "all of $DIR is already running; run hack/kube-down.sh $DIR first"
fi
if [[ ${#RUNNING[@]} -gt 0 && ! -f "$DIR/env" ]]; then
    die "parts of $DIR run but $DIR/env, which has their ports, is gone"
fi
running() { [[ " ${RUNNING[*]} " == *" $1 "* ]]; }
command -v openssl >/dev/null || die "openssl is required"

# Binaries (builds them on first use; prints NAME=PATH lines).
eval "$("$HACK/kube-provision.sh")"

mkdir -p "$DIR/pki" "$DIR/etcd" "$DIR/logs" "$DIR/pids"
chmod 700 "$DIR/pki" "$DIR/etcd"
PKI=$DIR/pki

# ------------------------------------------------------------------------------- ports

# Free loopback ports, chosen below the kernel's ephemeral range: the API server opens many
# outgoing connections (to etcd, to itself), and their ephemeral source ports could
# otherwise grab a port we picked before its server binds it.
pick_ports() {
    local n=$1 lo
    lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    if command -v python3 >/dev/null; then
        python3 - "$n" "$lo" <<'EOF'
import random, socket, sys
n, hi = int(sys.argv[1]), int(sys.argv[2]) - 1
held = []
while len(held) < n:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", random.randint(10000, hi)))
    except OSError:
        s.close()
        continue
    held.append(s)  # keep it bound until all are found, so none is picked twice
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
    else
        # Fallback: a port nobody listens on (connection refused) is taken as free.
        local ports=() p
        while [[ ${#ports[@]} -lt $n ]]; do
            p=$((10000 + RANDOM % (lo - 10000)))
            [[ " ${ports[*]} " == *" $p "* ]] && continue
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ports+=("$p"); fi
        done
        echo "${ports[*]}"
    fi
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Reuse the previous ports of this DIR if they are all still free, or, when some of its
# components run, always: those hold theirs, and the others must come back where they were.
if [[ -f "$DIR/env" ]]; then
    # shellcheck disable=SC1091
    source "$DIR/env"
    if [[ ${#RUNNING[@]} -gt 0 ]] || {
        port_free "${ETCD_CLIENT_PORT:-0}" && port_free "${ETCD_PEER_PORT:-0}" &&
            port_free "${APISERVER_PORT:-0}" && port_free "${CONTROLLER_MANAGER_PORT:-0}"
    }; then
        :
    else
        unset ETCD_CLIENT_PORT
    fi
fi
if [[ -z "${ETCD_CLIENT_PORT:-}" ]]; then
    read -r ETCD_CLIENT_PORT ETCD_PEER_PORT APISERVER_PORT CONTROLLER_MANAGER_PORT < <(pick_ports 4) || true
    [[ -n "${CONTROLLER_MANAGER_PORT:-}" ]] || die "could not pick free loopback ports"
fi
SERVER="https://127.0.0.1:${APISERVER_PORT}"
cat >"$DIR/env" <<EOF
# Written by hack/kube-up.sh
ETCD_CLIENT_PORT=${ETCD_CLIENT_PORT}
ETCD_PEER_PORT=${ETCD_PEER_PORT}
APISERVER_PORT=${APISERVER_PORT}
CONTROLLER_MANAGER_PORT=${CONTROLLER_MANAGER_PORT}
KUBE_SERVER=${SERVER}
KUBECONFIG=${DIR}/admin.kubeconfig
EOF
log "ports: etcd ${ETCD_CLIENT_PORT}/${ETCD_PEER_PORT}, apiserver ${APISERVER_PORT}, controller-manager ${CONTROLLER_MANAGER_PORT}"

# -------------------------------------------------------------------------------- certs

if [[ ! -f "$PKI/ca.crt" ]]; then
    log "generating certificates in $PKI"
    write_openssl_cnf "$PKI/openssl.cnf"
    openssl req -x509 -new -newkey rsa:2048 -nodes -days 3650 -sha256 \
        -config "$PKI/openssl.cnf" -extensions ca_ext -subj "/CN=weir-test-ca" \
        -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
    chmod 600 "$PKI/ca.key"
    mint_cert "$PKI" "$PKI/apiserver" "/CN=kube-apiserver" server_ext
    # The controller-manager's serving cert is signed by our CA too, so its /healthz can
    # be checked with verification on.
    mint_cert "$PKI" "$PKI/controller-manager-serving" "/CN=kube-controller-manager" server_ext
    mint_cert "$PKI" "$PKI/admin" "/CN=weir-admin/O=system:masters" client_ext
    # With --use-service-account-credentials=false every controller acts as this one user,
    # and the bootstrap role system:kube-controller-manager only covers the controller-
    # manager's own needs (the per-controller rights live in the roles of the kube-system
    # service accounts). system:masters gives the controllers the rights they need without
    # depending on the token controller minting service-account tokens first.
    mint_cert "$PKI" "$PKI/controller-manager" "/CN=system:kube-controller-manager/O=system:masters" client_ext
    # Service-account token signing pair (used by the API server and the token controller).
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
    openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
    chmod 600 "$PKI/sa.key"
fi
# The aggregation layer's client certificate: the API server presents it when it proxies a request
# for an aggregated API (metrics.k8s.io) to the server registered for it, which trusts the user in
# its X-Remote-User header only from this name. Minted apart, so that a folder made before it
# existed gets it too.
if [[ ! -f "$PKI/front-proxy-client.crt" ]]; then
    mint_cert "$PKI" "$PKI/front-proxy-client" "/CN=front-proxy-client" client_ext
fi
write_kubeconfig "$DIR/admin.kubeconfig" "$SERVER" "$PKI/ca.crt" \
    "$PKI/admin.crt" "$PKI/admin.key" weir-admin
write_kubeconfig "$DIR/controller-manager.kubeconfig" "$SERVER" "$PKI/ca.crt" \
    "$PKI/controller-manager.crt" "$PKI/controller-manager.key" system:kube-controller-manager
# Kubeconfigs minted earlier by kube-user.sh follow the server to its (maybe new) port.
for kc in "$DIR"/*.kubeconfig; do
    sed -i -E "s#^(    server: )https://127\.0\.0\.1:[0-9]+\$#\1${SERVER}#" "$kc"
done

# ---------------------------------------------------------------------------- start-up

STARTED=()
on_exit() {
    local rc=$?
    if [[ $rc -ne 0 ]]; then
        local i
        for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
            stop_component "$DIR" "${STARTED[i]}"
        done
    fi
}
trap on_exit EXIT
# Ctrl-C or a kill while starting: still clean up (the EXIT trap sees a non-zero status).
trap 'exit 130' INT TERM

# start NAME CMD... : runs CMD in its own session (so it outlives this script and a
# Ctrl-C of the calling terminal), output to DIR/logs/NAME.log, pid to DIR/pids/NAME.pid.
start() {
    local name=$1
    shift
    if running "$name"; then
        return 0
    fi
    local logf="$DIR/logs/$name.log" pidf="$DIR/pids/$name.pid"
    rm -f "$pidf"
    printf '\n===== %s starting %s\n' "$(date -Is)" "$name" >>"$logf"
    # The inner bash writes its own pid and then execs, so the pid is the component's.
    # shellcheck disable=SC2016 # $$ and $@ are for the inner bash
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" </dev/null >>"$logf" 2>&1 &
    local i
    for ((i = 0; i < 50; i++)); do [[ -s "$pidf" ]] && break; sleep 0.05; done
    [[ -s "$pidf" ]] || fail "$name" "did not start"
    STARTED+=("$name")
    log "started $name (pid $(<"$pidf")), log: $logf"
}

fail() {
    local name=$1 why=$2
    printf '[kube-up] ERROR: %s %s. Last lines of %s:\n' "$name" "$why" "$DIR/logs/$name.log" >&2
    tail -n 40 "$DIR/logs/$name.log" 2>/dev/null | sed 's/^/    /' >&2 || true
    exit 1
}

# wait_for NAME CHECK... : polls CHECK until it succeeds, the component dies, or TIMEOUT.
wait_for() {
    local name=$1
    shift
    local deadline=$((SECONDS + TIMEOUT))
    while ! "$@" >/dev/null 2>&1; do
        pid_of "$DIR" "$name" >/dev/null || fail "$name" "exited during start-up"
        ((SECONDS < deadline)) || fail "$name" "was not ready within ${TIMEOUT} s"
        sleep 0.3
    done
}

# probe URL [CURL_ARGS] : GET with the admin identity; succeeds if the body is "ok".
probe() {
    local server=$1 path=$2
    if command -v kubectl >/dev/null; then
        [[ "$(kubectl --kubeconfig "$DIR/admin.kubeconfig" --server "$server" \
            --request-timeout=5s get --raw "$path")" == ok ]]
    else
        [[ "$(curl -fsS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" \
            --key "$PKI/admin.key" "$server$path")" == ok ]]
    fi
}
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

t0=$SECONDS

start etcd "$ETCD" \
    --name weir \
    --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
    --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
    --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-cluster "weir=http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-cluster-state new \
    --logger zap --log-outputs stderr
wait_for etcd tcp_open "$ETCD_CLIENT_PORT"

# Every request for Secrets is audited (who, verb, name, URI with its label selector; never the
# data), to DIR/logs/audit.log: tests read it to tell which Secrets an identity asked for. So is
# every request of the users WEIR_KUBE_AUDIT_USERS names.
{
    cat <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
EOF
    if [[ -n $AUDIT_USERS ]]; then
        printf '  - level: Metadata\n    users: [%s]\n' "$(sed 's/[^,][^,]*/"&"/g' <<<"$AUDIT_USERS")"
    fi
    echo '  - level: None'
} >"$DIR/audit-policy.yaml"

# Notes on the flags:
#  --insecure-port=0            1.20 still has the unauthenticated port; never open it.
#  --disable-admission-plugins=ServiceAccount
#                               pods need no token/ServiceAccount to be admitted.
#  --service-cluster-ip-range   a required config value; nothing is routed there.
#  --service-account-issuer     an identifier put in tokens, not contacted.
#  --requestheader-*, --proxy-client-*
#                               the aggregation layer: APIServices (metrics.k8s.io for the
#                               HorizontalPodAutoscaler) are proxied with the front-proxy client
#                               certificate and the user in X-Remote-* headers.
start kube-apiserver "$KUBE_APISERVER" \
    --etcd-servers "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "${APISERVER_PORT}" \
    --insecure-port 0 \
    --cert-dir "$PKI/apiserver-generated" \
    --tls-cert-file "$PKI/apiserver.crt" \
    --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --authorization-mode Node,RBAC \
    --disable-admission-plugins ServiceAccount \
    --service-account-issuer "${SERVER}" \
    --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --allow-privileged=true \
    --audit-policy-file "$DIR/audit-policy.yaml" \
    --audit-log-path "$DIR/logs/audit.log" \
    --requestheader-client-ca-file "$PKI/ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User \
    --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" \
    --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --profiling=false
wait_for kube-apiserver probe "$SERVER" /readyz

# Default controllers (replicaset, deployment, garbagecollector, namespace,
# serviceaccount, horizontalpodautoscaling, ...). --port=0 closes 1.20's unauthenticated port
# 10252. The HorizontalPodAutoscaler looks at the metrics every second (15 s by default), and a
# pod's CPU counts one metrics window after it is ready, not 5 minutes after it started.
start kube-controller-manager "$KUBE_CONTROLLER_MANAGER" \
    --kubeconfig "$DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 \
    --secure-port "${CONTROLLER_MANAGER_PORT}" \
    --port 0 \
    --cert-dir "$PKI/controller-manager-generated" \
    --tls-cert-file "$PKI/controller-manager-serving.crt" \
    --tls-private-key-file "$PKI/controller-manager-serving.key" \
    --leader-elect=false \
    --controllers "$CONTROLLERS" \
    --use-service-account-credentials=false \
    --service-account-private-key-file "$PKI/sa.key" \
    --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" \
    --cluster-signing-key-file "$PKI/ca.key" \
    --horizontal-pod-autoscaler-sync-period 1s \
    --horizontal-pod-autoscaler-cpu-initialization-period 1s \
    --horizontal-pod-autoscaler-initial-readiness-delay 1s \
    --profiling=false
wait_for kube-controller-manager probe "https://127.0.0.1:${CONTROLLER_MANAGER_PORT}" /healthz

log "control plane ready in $((SECONDS - t0)) s: $SERVER"
echo "$DIR/admin.kubeconfig"
