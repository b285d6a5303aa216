#!/usr/bin/env bash
# Usage: hack/kube-user.sh DIR USERNAME [GROUP...]
#
# Mints a client certificate for USERNAME (CN) in the given groups (O=, one per group),
# signed by the CA of the cluster in DIR (made by kube-up.sh), and writes
# DIR/USERNAME.kubeconfig. Prints that path on stdout.
#
# The identity exists only in the certificate: no ServiceAccount or User object is
# created, and it has no permissions beyond what RBAC gives everyone authenticated
# (system:authenticated) until a (Cluster)Role/(Cluster)RoleBinding grants some.
set -euo pipefail

HACK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBE_LOG_PREFIX=kube-user
# shellcheck source-path=SCRIPTDIR source=kube-lib.sh
source "$HACK/kube-lib.sh"

[[ $# -ge 2 ]] || die "usage: $0 DIR USERNAME [GROUP...]"
DIR=$(cd "$1" && pwd) || die "no such folder: $1"
USERNAME=$2
shift 2
PKI=$DIR/pki
[[ -f "$PKI/ca.key" && -f "$DIR/env" ]] || die "$DIR is not a cluster folder made by kube-up.sh"

valid_name "$USERNAME" || die "user name '$USERNAME' must match [A-Za-z0-9][A-Za-z0-9:._@-]*"
case "$USERNAME" in
    admin | controller-manager) die "'$USERNAME' would overwrite kube-up's own $USERNAME.kubeconfig" ;;
esac
subj="/CN=${USERNAME}"
for group in "$@"; do
    valid_name "$group" || die "group '$group' must match [A-Za-z0-9][A-Za-z0-9:._@-]*"
    subj+="/O=${group}"
done

# shellcheck disable=SC1091
source "$DIR/env"
mkdir -p "$PKI/users"
mint_cert "$PKI" "$PKI/users/$USERNAME" "$subj" client_ext
write_kubeconfig "$DIR/$USERNAME.kubeconfig" "$KUBE_SERVER" "$PKI/ca.crt" \
    "$PKI/users/$USERNAME.crt" "$PKI/users/$USERNAME.key" "$USERNAME"
echo "$DIR/$USERNAME.kubeconfig"
