#!/usr/bin/env bash
# Builds a real Kubernetes API server (kube-apiserver) and its storage (kine, the etcd API
# over SQLite that k3s uses) from the Go module proxy, once, into a cache directory outside
# the repository. Later runs find the cache complete and return at once.
#
#   tools/k8s/build-apiserver.sh            # build (or reuse) and print the cache directory
#
# Environment: SLUICE_K8S_HOME (cache directory, default ~/.cache/sluice/k8s-<version>),
# SLUICE_K8S_VERSION (default v1.34.4), SLUICE_KINE_VERSION (default v0.17.5). Go's own
# GOPROXY, GOMODCACHE and GOCACHE are honoured.
#
# k8s.io/kubernetes is not meant to be a dependency: its go.mod replaces every k8s.io
# staging module with a directory that the published module zip does not contain. So the
# build uses a throw-away main module that requires k8s.io/kubernetes and replaces each of
# those staging modules with its published twin (k8s.io/api v0.34.4 for v1.34.4, ...).
set -euo pipefail

K8S_VERSION="${SLUICE_K8S_VERSION:-v1.34.4}"
KINE_VERSION="${SLUICE_KINE_VERSION:-v0.17.5}"
HOME_DIR="${SLUICE_K8S_HOME:-$HOME/.cache/sluice/k8s-$K8S_VERSION}"
MANIFEST="$HOME_DIR/manifest.txt"

if [ -f "$MANIFEST" ] && [ -x "$HOME_DIR/bin/kube-apiserver" ] && [ -x "$HOME_DIR/bin/kine" ]; then
  echo "$HOME_DIR"
  exit 0
fi
command -v go >/dev/null || { echo "build-apiserver: go is not on PATH" >&2; exit 1; }

mkdir -p "$HOME_DIR/bin" "$HOME_DIR/build"
exec 9>"$HOME_DIR/build.lock"
flock 9   # parallel first runs wait for each other instead of building twice
if [ -f "$MANIFEST" ]; then echo "$HOME_DIR"; exit 0; fi

LOG="$HOME_DIR/build.log"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }

staging_version="v0.${K8S_VERSION#v1.}"   # v1.34.4 -> v0.34.4

build_main() { # <dir> <module> <version> <package> <output>
  local dir="$1" module="$2" version="$3" package="$4" output="$5"
  mkdir -p "$dir"
  log "downloading $module@$version"
  local gomod
  gomod=$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
  {
    echo "module sluice.local/build/$(basename "$output")"
    echo
    echo "go $(go env GOVERSION | sed 's/^go\([0-9]*\.[0-9]*\).*/\1/')"
    echo
    echo "require $module $version"
    echo
    echo "replace ("
    # Local-path replaces of the dependency point into a tree we do not have: use the
    # published module of the same release instead. Other replaces are copied as they are.
    awk -v sv="$staging_version" '
      /^replace \($/ { inblock = 1; next }
      inblock && /^\)$/ { inblock = 0; next }
      inblock || /^replace / {
        line = $0; sub(/^replace /, "", line)
        n = split(line, f, /[ \t]+/)
        # f: [""] name [ver] => target [ver]
        for (i = 1; i <= n; i++) if (f[i] == "=>") arrow = i
        target = f[arrow + 1]
        if (target ~ /^\.\.?\//) { print "\t" f[arrow - 1] " => " f[arrow - 1] " " sv }
        else { sub(/^[ \t]+/, "", line); print "\t" line }
      }' "$gomod"
    echo ")"
  } > "$dir/go.mod"
  log "building $package"
  (cd "$dir" && GOFLAGS=-mod=mod CGO_ENABLED="${CGO:-0}" go build -trimpath -ldflags='-s -w' -o "$output" "$package") >>"$LOG" 2>&1 \
    || { log "build of $package failed; see $LOG"; tail -20 "$LOG" >&2; exit 1; }
  log "built $output ($(du -h "$output" | cut -f1))"
}

: > "$LOG"
log "kube-apiserver $K8S_VERSION (staging modules $staging_version), kine $KINE_VERSION, $(go version)"
build_main "$HOME_DIR/build/apiserver" k8s.io/kubernetes "$K8S_VERSION" k8s.io/kubernetes/cmd/kube-apiserver "$HOME_DIR/bin/kube-apiserver"
CGO=1 build_main "$HOME_DIR/build/kine" github.com/k3s-io/kine "$KINE_VERSION" github.com/k3s-io/kine "$HOME_DIR/bin/kine"
{
  echo "kube-apiserver $K8S_VERSION"
  echo "kine $KINE_VERSION"
  echo "$(go version)"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$MANIFEST"
echo "$HOME_DIR"
