#!/usr/bin/env bash
# Usage: hack/image-training.sh ROOTFS LOG
#
# Writes ROOTFS/deployments/weir.aot, the JDK's AOT cache of the controller in the image whose root
# filesystem is ROOTFS (hack/image.sh mounts it): starts the image's own java on the image's own
# jar, chrooted, with -XX:AOTCacheOutput, against a real API server with Weir's CRDs, waits for
# its readiness probe (informers synced: the start as it will be run), then stops it; the JVM
# assembles the cache as it exits. The cache holds only class data and a profile, nothing of the
# API server's: the training kubeconfig lives in the rootfs' /tmp for the start and is removed.
#
# The API server is the one WEIR_IMAGE_TRAINING_KUBECONFIG names, else one started here with
# hack/kube-up.sh in a temporary folder and stopped after. Needs root (chroot, mounts) and
# kubectl. The start's output goes to LOG.
#
# The training start runs with the entrypoint's JVM flags: a JVM whose flags make the cache
# unusable starts without it and says so (bench/controller-startup measures the image's start).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
READY_WITHIN=180 # seconds; the start is slower than usual while it records
EXIT_WITHIN=300  # seconds; assembling the cache after the exit takes a while on two cores

say() { echo "[image] $*" >&2; }
die() {
    echo "[image] error: $*" >&2
    exit 1
}

[[ $# -eq 2 ]] || die "usage: $0 ROOTFS LOG"
ROOTFS=$1
LOG=$2
command -v kubectl >/dev/null || die "the AOT cache's training needs kubectl (Debian: kubernetes-client)"

work=$(mktemp -d /tmp/weir-image-training.XXXXXX)
pid=
mounted=()
cleanup() {
    [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null || true
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || true; done
    rm -f "$ROOTFS/tmp/training.kubeconfig"
    [[ -d $work/kube ]] && "$ROOT/hack/kube-down.sh" "$work/kube" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

if [[ -n ${WEIR_IMAGE_TRAINING_KUBECONFIG:-} ]]; then
    kubeconfig=$WEIR_IMAGE_TRAINING_KUBECONFIG
    say "AOT cache: training against the API server of $kubeconfig"
else
    say "AOT cache: starting an API server to train against (hack/kube-up.sh)"
    kubeconfig=$("$ROOT/hack/kube-up.sh" "$work/kube" 2>"$work/kube-up.log") ||
        die "the training's API server did not start; the end of its log:
$(tail -20 "$work/kube-up.log")"
fi
kubectl --kubeconfig "$kubeconfig" apply -f "$ROOT/crds" >/dev/null ||
    die "Weir's CRDs could not be applied to the training's API server"

install -m 0600 "$kubeconfig" "$ROOTFS/tmp/training.kubeconfig"
for m in dev proc; do
    mkdir -p "$ROOTFS/$m"
done
mount --bind /dev "$ROOTFS/dev" && mounted+=("$ROOTFS/dev")
mount -t proc proc "$ROOTFS/proc" && mounted+=("$ROOTFS/proc")

# A free port for the readiness probe: the chart's 8080 may be taken on a build machine.
port=$(
    for p in $(shuf -i 20000-40000 -n 50); do
        (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || {
            echo "$p"
            break
        }
    done
)
[[ -n $port ]] || die "no free port for the training start's probe"

say "AOT cache: training start (log: $LOG)"
started=$(date +%s)
chroot "$ROOTFS" env -i PATH=/usr/bin:/bin KUBECONFIG=/tmp/training.kubeconfig \
    QUARKUS_HTTP_PORT="$port" WEIR_METRICS_PORT=0 \
    java -XX:AOTCacheOutput=/tmp/weir.aot -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError \
    -Djava.io.tmpdir=/tmp -jar /deployments/quarkus-run.jar >"$LOG" 2>&1 &
pid=$!

ready=
while (($(date +%s) - started < READY_WITHIN)); do
    kill -0 "$pid" 2>/dev/null || die "the training start ended before it was ready; the end of $LOG:
$(tail -20 "$LOG")"
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready" || true) == 200 ]]; then
        ready=1
        break
    fi
    sleep 0.5
done
[[ -n $ready ]] || die "the training start was not ready within ${READY_WITHIN}s; the end of $LOG:
$(tail -20 "$LOG")"
say "AOT cache: ready after $(($(date +%s) - started))s; stopping it to write the cache"

kill -TERM "$pid"
stopped=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
    (($(date +%s) - stopped < EXIT_WITHIN)) || die "the training start did not exit within ${EXIT_WITHIN}s"
    sleep 0.5
done
pid=
[[ -s $ROOTFS/tmp/weir.aot ]] || die "the training start wrote no AOT cache; the end of $LOG:
$(tail -20 "$LOG")"
install -m 0644 -o 0 -g 0 "$ROOTFS/tmp/weir.aot" "$ROOTFS/deployments/weir.aot"
rm -f "$ROOTFS/tmp/weir.aot"
say "AOT cache: /deployments/weir.aot ($(du -h "$ROOTFS/deployments/weir.aot" | cut -f1)) in $(($(date +%s) - started))s"
