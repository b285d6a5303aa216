# shellcheck shell=bash
# Shared helpers for kube-up.sh, kube-user.sh and kube-down.sh. Sourced, not executed.
#
# Layout of a cluster folder DIR:
#   DIR/env                       ports and URLs of this cluster (sourceable shell)
#   DIR/pki/                      CA, serving and client certs, service-account key pair
#   DIR/etcd/                     etcd data
#   DIR/logs/<component>.log      stdout+stderr of each component
#   DIR/pids/<component>.pid      pid of each component
#   DIR/admin.kubeconfig          cluster-admin (O=system:masters)
#   DIR/controller-manager.kubeconfig
#   DIR/<user>.kubeconfig         minted by kube-user.sh

KUBE_LOG_PREFIX=${KUBE_LOG_PREFIX:-kube}
log() { printf '[%s] %s\n' "$KUBE_LOG_PREFIX" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$KUBE_LOG_PREFIX" "$*" >&2; exit 1; }

# Components in start order; kube-down stops them in reverse.
# shellcheck disable=SC2034 # used by the scripts that source this file
KUBE_COMPONENTS=(etcd kube-apiserver kube-controller-manager)

# Names that go into certificate subjects: keep them to characters that need no escaping in
# `openssl -subj` and are valid in a file name.
valid_name() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9:._@-]*$ ]]; }

# write_openssl_cnf FILE : the extension profiles used for every cert of the cluster.
write_openssl_cnf() {
    cat >"$1" <<'EOF'
# Written by hack/kube-up.sh. Used with `openssl req -config` and `openssl x509 -extfile`.
[req]
distinguished_name = dn
prompt = no
[dn]

[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost

[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
}

# mint_cert PKI OUT SUBJECT PROFILE : writes OUT.key and OUT.crt, signed by
# PKI/ca.{crt,key} with the extensions of PROFILE (server_ext or client_ext) from
# PKI/openssl.cnf. RSA keys in PKCS#8 PEM: read by Go (kubectl, the control plane) and by
# Java clients (fabric8) without BouncyCastle.
mint_cert() {
    local pki=$1 out=$2 subj=$3 profile=$4
    openssl req -new -newkey rsa:2048 -nodes -config "$pki/openssl.cnf" -subj "$subj" \
        -keyout "$out.key" -out "$out.csr" 2>/dev/null
    chmod 600 "$out.key"
    # A random serial instead of a serial file: concurrent kube-user.sh calls can't collide.
    openssl x509 -req -in "$out.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
        -extfile "$pki/openssl.cnf" -extensions "$profile" -out "$out.crt" 2>/dev/null
    rm -f "$out.csr"
}

# write_kubeconfig FILE SERVER CA_CRT CLIENT_CRT CLIENT_KEY USER : a self-contained
# kubeconfig (everything embedded), so it can be copied or read by any client.
write_kubeconfig() {
    local file=$1 server=$2 ca=$3 crt=$4 key=$5 user=$6
    local tmp="$file.tmp.$$"
    cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: weir
  cluster:
    server: ${server}
    certificate-authority-data: $(base64 -w0 "$ca")
users:
- name: ${user}
  user:
    client-certificate-data: $(base64 -w0 "$crt")
    client-key-data: $(base64 -w0 "$key")
contexts:
- name: weir
  context:
    cluster: weir
    user: ${user}
    namespace: default
current-context: weir
EOF
    chmod 600 "$tmp"
    mv -f "$tmp" "$file"
}

# pid_of DIR COMPONENT : prints the pid if that component of *this* cluster is running.
# The command line must mention DIR, so a recycled pid of some other process never counts.
pid_of() {
    local dir=$1 comp=$2 pidfile pid
    pidfile="$dir/pids/$comp.pid"
    [[ -s "$pidfile" ]] || return 1
    pid=$(<"$pidfile")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/" || return 1
    printf '%s\n' "$pid"
}

# alive PID : the process exists and has not exited. A zombie (exited, not yet reaped by
# its parent, e.g. kube-up's own shell on its failure path) or a dying process counts as gone.
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }    # the state letter follows the "(comm) " field
    [[ -n "$stat" && "${stat:0:1}" != [ZX] ]]
}

# stop_component DIR COMPONENT [GRACE_SECONDS] : SIGTERM, wait up to GRACE (default 20)
# seconds, then SIGKILL; returns when the process is gone.
stop_component() {
    local dir=$1 comp=$2 grace=${3:-20} pid i
    if pid=$(pid_of "$dir" "$comp"); then
        log "stopping $comp (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace * 10; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            log "$comp (pid $pid) still running ${grace} s after SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            while alive "$pid"; do sleep 0.1; done
        fi
    fi
    rm -f "$dir/pids/$comp.pid"
}
