#!/usr/bin/env bash
# Installs istioctl of one Istio release into a folder:
#   hack/install-istioctl.sh VERSION DIR      e.g. hack/install-istioctl.sh 1.30.3 "$HOME/.local/bin"
# Linux and macOS, amd64 and arm64. The archive is checked against the SHA-256 sum published beside it in the
# release; DIR/istioctl is replaced.
set -euo pipefail

usage="usage: hack/install-istioctl.sh VERSION DIR"
version=${1:?$usage}
dir=${2:?$usage}

case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    *) echo "install-istioctl: unsupported system $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "install-istioctl: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

archive="istioctl-${version}-${os}-${arch}.tar.gz"
url="https://github.com/istio/istio/releases/download/${version}/${archive}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "downloading $url"
curl -fsSL --retry 3 -o "$tmp/$archive" "$url"
curl -fsSL --retry 3 -o "$tmp/$archive.sha256" "$url.sha256"
expected=$(awk '{ print $1; exit }' "$tmp/$archive.sha256")
if command -v sha256sum >/dev/null 2>&1; then
    actual=$(sha256sum "$tmp/$archive" | awk '{ print $1 }')
else
    actual=$(shasum -a 256 "$tmp/$archive" | awk '{ print $1 }')
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    echo "install-istioctl: checksum mismatch for $archive: published '$expected', downloaded '$actual'" >&2
    exit 1
fi

tar -xzf "$tmp/$archive" -C "$tmp"
mkdir -p "$dir"
install -m 0755 "$tmp/istioctl" "$dir/istioctl"
"$dir/istioctl" version --remote=false
