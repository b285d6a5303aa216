#!/usr/bin/env bash
# Makes sure a real Kubernetes control plane (kube-apiserver, kube-controller-manager,
# etcd) is available on this machine, and prints where it is:
#
#   KUBE_APISERVER=/path/to/kube-apiserver
#   KUBE_CONTROLLER_MANAGER=/path/to/kube-controller-manager
#   ETCD=/path/to/etcd
#
# Lookup order for each binary:
#   1. WEIR_KUBE_APISERVER / WEIR_KUBE_CONTROLLER_MANAGER / WEIR_ETCD (must be executable)
#   2. PATH
#   3. the cache: ${XDG_CACHE_HOME:-$HOME/.cache}/weir/kubernetes-1.20.2/bin/
#
# What is missing gets built or installed:
#   - etcd comes from Debian's etcd-server package (etcd 3.4).
#   - kube-apiserver and kube-controller-manager are built from Debian's `kubernetes`
#     source package (1.20.2, the whole tree with vendored dependencies), because there is
#     no container runtime and no other way to fetch upstream binaries here. See
#     docs/development.md (test tiers). A cold build takes about five minutes on two cores; after that
#     this script answers from the cache in milliseconds.
#
# Only stdout carries the NAME=PATH lines; progress and timing go to stderr, so callers
# can do `eval "$(hack/kube-provision.sh)"`.
#
# Env knobs: WEIR_KEEP_BUILD=1 keeps the build tree (normally deleted after success).
set -euo pipefail

readonly KUBE_VERSION=1.20.2
readonly CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/weir/kubernetes-${KUBE_VERSION}"
readonly CACHE_BIN="${CACHE_ROOT}/bin"
# Debian's reflect2 1.0.2; the vendored 1.0.1 makes kube-apiserver segfault in map
# iteration when built with Go >= 1.18 (reflect2 relied on runtime internals that changed).
readonly REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2

log() { printf '[kube-provision] %s\n' "$*" >&2; }
die() { printf '[kube-provision] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install packages"
    SUDO=(sudo)
fi

# resolve ENVVAR NAME -> prints the path of the binary, or nothing.
resolve() {
    local envvar=$1 name=$2 p
    if [[ -n "${!envvar:-}" ]]; then
        # An explicit setting that points nowhere is a mistake; don't silently fall back.
        [[ -x "${!envvar}" && ! -d "${!envvar}" ]] || die "$envvar=${!envvar} is not an executable file"
        printf '%s\n' "${!envvar}"
        return
    fi
    if p=$(command -v "$name" 2>/dev/null) && [[ -x "$p" ]]; then
        printf '%s\n' "$p"
        return
    fi
    if [[ -x "$CACHE_BIN/$name" ]]; then
        printf '%s\n' "$CACHE_BIN/$name"
    fi
}

resolve_all() {
    APISERVER=$(resolve WEIR_KUBE_APISERVER kube-apiserver)
    CONTROLLER_MANAGER=$(resolve WEIR_KUBE_CONTROLLER_MANAGER kube-controller-manager)
    ETCD_BIN=$(resolve WEIR_ETCD etcd)
}

print_all() {
    printf 'KUBE_APISERVER=%s\nKUBE_CONTROLLER_MANAGER=%s\nETCD=%s\n' \
        "$APISERVER" "$CONTROLLER_MANAGER" "$ETCD_BIN"
}

# Fast path: everything is already there (this is what a warm run does).
resolve_all
if [[ -n "$APISERVER" && -n "$CONTROLLER_MANAGER" && -n "$ETCD_BIN" ]]; then
    print_all
    exit 0
fi

# ---------------------------------------------------------------------------- apt helpers

APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        "${SUDO[@]}" apt-get update -qq >&2
        APT_UPDATED=1
    fi
}

# apt_install PKG... : installs the packages that are not installed yet. If apt does not
# know one of them (stale or empty package lists), runs `apt-get update` once and retries.
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "apt-get install ${missing[*]}"
    local apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends)
    if ! "${apt[@]}" "${missing[@]}" >&2; then
        [[ $APT_UPDATED -eq 0 ]] || die "apt-get install ${missing[*]} failed"
        apt_update_once
        "${apt[@]}" "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
    fi
}

# Source packages need deb-src entries. Derive them from the system's own Debian sources
# (same mirrors, suites, components and keyring), so no host name is written here.
ensure_deb_src() {
    if apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes$'; then
        return 0
    fi
    local deb822=/etc/apt/sources.list.d/debian.sources classic=/etc/apt/sources.list
    if [[ -f $deb822 ]] && grep -qE '^Types:.*\bdeb\b' "$deb822"; then
        log "adding deb-src entries derived from $deb822"
        sed -E 's/^Types:.*/Types: deb-src/' "$deb822" |
            "${SUDO[@]}" tee /etc/apt/sources.list.d/weir-deb-src.sources >/dev/null
    elif [[ -f $classic ]] && grep -qE '^deb\s' "$classic"; then
        log "adding deb-src entries derived from $classic"
        sed -nE 's/^deb(\s)/deb-src\1/p' "$classic" |
            "${SUDO[@]}" tee /etc/apt/sources.list.d/weir-deb-src.list >/dev/null
    else
        die "no Debian apt sources found to derive deb-src entries from"
    fi
    APT_UPDATED=0   # the new entries need their own index
    apt_update_once
    apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes$' ||
        die "source package 'kubernetes' still unknown to apt after adding deb-src"
}

# -------------------------------------------------------------------------------- etcd

if [[ -z "$ETCD_BIN" ]]; then
    apt_install etcd-server
    mkdir -p "$CACHE_BIN"
    # Also put it in the cache folder, so the bin folder alone is a complete control plane.
    ln -sf /usr/bin/etcd "$CACHE_BIN/etcd"
fi

# ------------------------------------------------------------- apiserver + controller-manager

build_kubernetes() {
    local t0=$SECONDS
    apt_install golang-go rsync golang-github-modern-go-reflect2-dev dpkg-dev make
    [[ -f "$REFLECT2_SRC/reflect2.go" ]] || die "$REFLECT2_SRC missing"
    ensure_deb_src

    mkdir -p "$CACHE_ROOT"
    local build
    build=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
    # Remove the (multi-GB) tree on failure; keep it only on request.
    # shellcheck disable=SC2064
    trap "rm -rf '$build'" EXIT

    log "fetching Debian source package kubernetes into $build"
    # As root, apt may warn "Download is performed unsandboxed as root" because its _apt
    # user cannot enter a folder under /root: harmless.
    (cd "$build" && apt-get source -qq kubernetes >&2)
    local src
    src=$(find "$build" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
    [[ -n "$src" && -f "$src/Makefile" ]] || die "unpacked kubernetes source not found in $build"
    # The Debian version string is e.g. 1.20.5+really1.20.2-1; make sure it is 1.20.2 inside.
    grep -rqs "$KUBE_VERSION" "$src/debian/changelog" ||
        log "warning: debian/changelog does not mention $KUBE_VERSION"
    log "source: $(head -n1 "$src/debian/changelog")"

    log "replacing vendored reflect2 with Debian's $(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev)"
    rsync -a --delete "$REFLECT2_SRC/" "$src/vendor/github.com/modern-go/reflect2/"
    # Keep go.mod and vendor/modules.txt consistent with what is vendored now (module-mode
    # builds refuse an inconsistent vendor directory).
    sed -i -E 's#^(\# github.com/modern-go/reflect2) v1\.0\.1$#\1 v1.0.2#' "$src/vendor/modules.txt"
    sed -i -E 's#(github.com/modern-go/reflect2) v1\.0\.1#\1 v1.0.2#' "$src/go.mod"
    [[ -f "$src/go.sum" ]] && sed -i -E '/github.com\/modern-go\/reflect2 v1\.0\.1/d' "$src/go.sum"

    log "building kube-apiserver and kube-controller-manager (about 5 minutes on 2 cores)"
    local tb=$SECONDS
    (
        cd "$src"
        # No .git in a source package: give the version explicitly, otherwise the
        # binaries report v0.0.0-master+$Format:%h$.
        export KUBE_GIT_VERSION="v${KUBE_VERSION}" KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20 \
            KUBE_GIT_TREE_STATE=clean
        export GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$build/go-build" GOTOOLCHAIN=local
        make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2
    ) || die "make failed (rerun with WEIR_KEEP_BUILD=1 to keep the tree)"
    local built_s=$((SECONDS - tb))

    local out="$src/_output/bin" b
    mkdir -p "$CACHE_BIN"
    for b in kube-apiserver kube-controller-manager; do
        [[ -x "$out/$b" ]] || die "build produced no $out/$b"
        # Copy under a temp name and rename, so a concurrent reader never sees half a file.
        cp "$out/$b" "$CACHE_BIN/.$b.tmp"
        mv -f "$CACHE_BIN/.$b.tmp" "$CACHE_BIN/$b"
    done

    if [[ "${WEIR_KEEP_BUILD:-0}" == 1 ]]; then
        trap - EXIT
        log "kept build tree: $src"
    else
        rm -rf "$build"
        trap - EXIT
    fi
    log "cold provisioning took $((SECONDS - t0)) s (make: ${built_s} s)"
}

if [[ -z "$APISERVER" || -z "$CONTROLLER_MANAGER" ]]; then
    # Serialize concurrent provisioning (e.g. parallel test JVMs): the second waits for the
    # first and then finds the cache filled.
    mkdir -p "$CACHE_ROOT"
    exec 9>"$CACHE_ROOT/.lock"
    flock 9
    resolve_all
    if [[ -z "$APISERVER" || -z "$CONTROLLER_MANAGER" ]]; then
        build_kubernetes
    fi
    exec 9>&-
fi

resolve_all
[[ -n "$APISERVER" ]] || die "kube-apiserver still not found"
[[ -n "$CONTROLLER_MANAGER" ]] || die "kube-controller-manager still not found"
[[ -n "$ETCD_BIN" ]] || die "etcd still not found"
print_all
