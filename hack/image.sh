#!/usr/bin/env bash
# Usage: hack/image.sh [ARCHIVE]
#
# Builds Weir's controller image without a container daemon or a registry, and writes it as an
# OCI archive (default: weir-controller/target/weir-image-APPVERSION.tar, APPVERSION from helm/weir/Chart.yaml;
# the image inside is named weir:APPVERSION, as the chart's image values say).
#
#   base layer  Debian (trixie, minbase) with openjdk-25-jre-headless (from trixie-security, where
#               Debian ships its JDK 25), made by debootstrap from the mirror of this machine's
#               apt sources, trimmed of apt lists, docs and man pages, with the user weir (uid
#               and gid 10001) the chart runs as; built once and kept under ~/.cache/weir/image
#               (buildah storage, vfs driver).
#   app layer   weir-controller/target/quarkus-app (built with `mvn package` when missing) in /deployments, owned
#               by root and read-only to the process: the root filesystem may be read-only, only
#               /tmp is written. With it /deployments/weir.aot, the JDK's AOT cache (JEPs 483,
#               514, 515: the classes a start loads, linked, and its profile), written by a
#               training start of the controller in the image itself against a real API server:
#               the one measure that shortens the start by a second (bench/README.md).
#   config      user 10001:10001, entrypoint java -XX:AOTCache=/deployments/weir.aot -jar
#               /deployments/quarkus-run.jar with the heap sized from the container's memory
#               limit, ports 8080 (health) and 8090 (metrics). A JVM that cannot use the cache
#               (another JVM's flags) says so and starts without it.
#
# Load it with `podman load -i ARCHIVE`, `kind load image-archive ARCHIVE`, `ctr images import
# ARCHIVE`, or push it with `skopeo copy oci-archive:ARCHIVE docker://REGISTRY/weir:TAG`.
#
# Needs root (debootstrap, buildah's vfs storage); installs debootstrap and buildah with apt-get
# when missing. Prints the archive's path on stdout, progress on stderr.
#
# The training start needs a real API server with Weir's CRDs: the one WEIR_IMAGE_TRAINING_KUBECONFIG
# names (its admin may create CRDs: they are applied), else one of the project's own, started with
# hack/kube-up.sh in a temporary folder and stopped after (it needs hack/kube-provision.sh's
# binaries, and kubectl).
#
# Env knobs:
#   WEIR_IMAGE_MIRROR   Debian mirror (default: the first URIs/deb line of the apt sources)
#   WEIR_IMAGE_SECURITY Debian security mirror (default: http://deb.debian.org/debian-security)
#   WEIR_IMAGE_CACHE    cache directory (default: ${XDG_CACHE_HOME:-~/.cache}/weir/image)
#   WEIR_IMAGE_TRAINING_KUBECONFIG   the API server of the training start (default: a new one)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=trixie
PACKAGES=openjdk-25-jre-headless
USER_ID=10001

say() { echo "[image] $*" >&2; }
die() {
    echo "[image] error: $*" >&2
    exit 1
}

[[ $(id -u) == 0 ]] || die "building the image needs root (debootstrap, buildah's storage); run as root"

APP_VERSION=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/helm/weir/Chart.yaml")
[[ -n $APP_VERSION ]] || die "no appVersion in helm/weir/Chart.yaml"
ARCHIVE=${1:-$ROOT/weir-controller/target/weir-image-$APP_VERSION.tar}
CACHE=${WEIR_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/weir/image}
mkdir -p "$CACHE" "$(dirname "$ARCHIVE")"

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v buildah >/dev/null || missing+=(buildah)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2; then
        die "could not install ${missing[*]} with apt-get"
    fi
fi

# The first mirror of the apt sources (deb822 .sources files, else the one-line format).
mirror() {
    local uri
    uri=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -v -- '-security' | head -1 || true)
    if [[ -z $uri ]]; then
        uri=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' /etc/apt/sources.list \
            /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v -- '-security' | head -1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${WEIR_IMAGE_MIRROR:-$(mirror)}
SECURITY=${WEIR_IMAGE_SECURITY:-http://deb.debian.org/debian-security}

# Storage of its own, in the cache: the base image outlives target/ and a clean clone.
buildah() {
    command buildah --storage-driver vfs --root "$CACHE/storage" --runroot "$CACHE/run" "$@"
}

# The base image's name carries what it is made of; a change of any of it makes a new one.
BASE_RECIPE="$SUITE $SUITE-security $PACKAGES uid=$USER_ID trim=1"
BASE=localhost/weir-base:$SUITE-$(echo "$BASE_RECIPE" | cksum | cut -d' ' -f1)

build_base() {
    local rootfs=$CACHE/rootfs.$$
    trap 'rm -rf "$rootfs"' RETURN
    say "base: debootstrap $SUITE (minbase) from $MIRROR, then $PACKAGES from $SECURITY"
    debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" \
        >"$CACHE/debootstrap.log" 2>&1 ||
        die "debootstrap failed; the end of $CACHE/debootstrap.log:
$(tail -20 "$CACHE/debootstrap.log")"
    # Debian ships its JDK 25 through the security archive of the release.
    echo "deb $SECURITY $SUITE-security main" >"$rootfs/etc/apt/sources.list.d/security.list"
    mount --bind /dev "$rootfs/dev"
    mount -t proc proc "$rootfs/proc"
    local installed=0
    chroot "$rootfs" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES" \
        >>"$CACHE/debootstrap.log" 2>&1 || installed=$?
    umount "$rootfs/proc" "$rootfs/dev"
    ((installed == 0)) || die "installing $PACKAGES failed; the end of $CACHE/debootstrap.log:
$(tail -20 "$CACHE/debootstrap.log")"
    chroot "$rootfs" groupadd --gid "$USER_ID" weir
    chroot "$rootfs" useradd --uid "$USER_ID" --gid "$USER_ID" --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin weir
    chroot "$rootfs" apt-get clean
    # What a running controller never reads. /dev is the runtime's to provide.
    rm -rf "${rootfs:?}"/var/lib/apt/lists/* "${rootfs:?}"/var/cache/apt/* \
        "${rootfs:?}"/var/log/* "${rootfs:?}"/usr/share/doc/* "${rootfs:?}"/usr/share/man/* \
        "${rootfs:?}"/usr/share/info/* "${rootfs:?}"/usr/share/locale/* \
        "${rootfs:?}"/var/cache/debconf/*-old "${rootfs:?}"/dev/*
    local c mnt
    c=$(buildah from scratch)
    mnt=$(buildah mount "$c")
    tar -C "$rootfs" -cf - . | tar -C "$mnt" -xf -
    buildah umount "$c" >/dev/null
    buildah config --os linux --arch amd64 --label "org.opencontainers.image.base.name=debian:$SUITE" "$c"
    buildah commit --rm --quiet "$c" "$BASE" >/dev/null
    say "base: $BASE ($(du -sh "$CACHE/storage" | cut -f1) of storage)"
}

if ! buildah inspect --type image "$BASE" >/dev/null 2>&1; then
    # Old bases are of no use once the recipe changed.
    buildah rmi --all --force >/dev/null 2>&1 || true
    build_base
else
    say "base: $BASE (cached)"
fi

JAR=$ROOT/weir-controller/target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR ]]; then
    say "building the application (mvn package)"
    (cd "$ROOT" && mvn -B -q package -pl weir-controller -am -DskipTests -Dspotless.skip=true >&2)
fi

c=$(buildah from "$BASE")
trap 'buildah rm "$c" >/dev/null 2>&1 || true' EXIT
buildah copy --quiet --chown 0:0 "$c" "$ROOT/weir-controller/target/quarkus-app" /deployments >/dev/null
"$ROOT/hack/image-training.sh" "$(buildah mount "$c")" "$CACHE/training.log"
buildah umount "$c" >/dev/null
# The entrypoint's shell expands JAVA_OPTS_APPEND when the container starts, not this one.
# shellcheck disable=SC2016
buildah config \
    --user "$USER_ID:$USER_ID" \
    --workingdir /deployments \
    --port 8080/tcp --port 8090/tcp \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env JAVA_OPTS_APPEND= \
    --entrypoint '["sh", "-c", "exec java -XX:AOTCache=/deployments/weir.aot -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]' \
    --cmd '' \
    --label "org.opencontainers.image.title=weir" \
    --label "org.opencontainers.image.description=Weir, progressive delivery for Kubernetes" \
    --label "org.opencontainers.image.version=$APP_VERSION" \
    --label "org.opencontainers.image.source=https://weir.dev" \
    --created-by "hack/image.sh" \
    "$c"
rm -f "$ARCHIVE"
buildah commit --rm --quiet --format oci "$c" "oci-archive:$ARCHIVE:weir:$APP_VERSION" >/dev/null
trap - EXIT
say "weir:$APP_VERSION -> $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
echo "$ARCHIVE"
