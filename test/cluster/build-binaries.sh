#!/usr/bin/env bash
# Builds (once) and caches the control-plane binaries outside the repository:
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (k8s.io/kubernetes via a wrapper module),
#   etcd (go.etcd.io/etcd/server/v3 via a wrapper module), kwok (sigs.k8s.io/kwok);
#   on request only: Argo Rollouts' controller and e2e test binary (github.com/argoproj/argo-rollouts via a
#   wrapper module), the reference for `npm run conformance` and the hand-over tests.
# Usage: build-binaries.sh [all|etcd|kwok|kubernetes|argo-rollouts]   builds what is missing, prints the cache directory
# Env:   VIREO_CACHE_DIR (default ~/.cache/vireo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${VIREO_CACHE_DIR:-$HOME/.cache/vireo}"
k8s_dir="$cache/k8s-$KUBERNETES_VERSION"
etcd_dir="$cache/etcd-$ETCD_VERSION"
kwok_dir="$cache/kwok-$KWOK_VERSION"
argo_dir="$cache/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
log_dir="$cache/logs"
mkdir -p "$log_dir"
# One build at a time per cache: a second run (parallel test runs, several checkouts) waits for the first,
# then finds the binaries built instead of compiling them again.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.build.lock"
  flock 9
fi

fail() { echo "vireo: $*" >&2; exit 1; }
step() { echo "vireo: $*" >&2; }

# shellcheck source=go-env.sh
source "$here/go-env.sh"

# run_step NAME LOGFILE CMD...: runs a build step, on failure prints the log tail and which step failed.
run_step() {
  local name="$1" log="$2"; shift 2
  if ! "$@" >"$log" 2>&1; then
    echo "vireo: build step failed: $name (full log: $log)" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

build_kubernetes() {
  local bin="$k8s_dir/bin"
  if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-controller-manager" ] && [ -x "$bin/kube-scheduler" ] && [ -x "$bin/kubectl" ]; then
    return
  fi
  step "building Kubernetes $KUBERNETES_VERSION control plane (cold build takes a while; log in $log_dir)"
  local mod="$k8s_dir/wrapper" minor staging_ver gomod
  mkdir -p "$mod" "$bin"
  staging_ver="v0.${KUBERNETES_VERSION#v1.}"
  minor="$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
  gomod="$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$gomod" ] || fail "could not download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
  local go_line godebug_line
  go_line="$(grep -E '^go [0-9]' "$gomod" | head -1)"
  godebug_line="$(grep -E '^godebug ' "$gomod" | head -1 || true)"
  {
    echo "module local/vireo-k8s-test-bins"
    echo "$go_line"
    [ -n "$godebug_line" ] && echo "$godebug_line"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo "replace ("
    grep -E '=> \./staging/src/k8s\.io/' "$gomod" | awk -v v="$staging_ver" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
    echo "tool ("
    for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do echo "	k8s.io/kubernetes/cmd/$c"; done
    echo ")"
  } >"$mod/go.mod"
  run_step "go mod tidy (Kubernetes wrapper)" "$log_dir/k8s-tidy.log" bash -c "cd '$mod' && go mod tidy"
  local date ldflags="-s -w -buildid="
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X '$pkg.gitVersion=$KUBERNETES_VERSION' -X '$pkg.gitMajor=1' -X '$pkg.gitMinor=$minor' -X '$pkg.gitTreeState=clean' -X '$pkg.buildDate=$date'"
  done
  run_step "go build (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)" "$log_dir/k8s-build.log" \
    bash -c "cd '$mod' && go build -p \$(nproc) -trimpath -tags selinux,notest,grpcnotrace -ldflags \"$ldflags\" -o '$bin/' \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl"
}

build_etcd() {
  local bin="$etcd_dir/bin"
  [ -x "$bin/etcd" ] && return
  step "building etcd $ETCD_VERSION"
  local mod="$etcd_dir/wrapper"
  mkdir -p "$mod" "$bin"
  printf 'module local/vireo-etcd-test-bin\ngo 1.25.0\nrequire go.etcd.io/etcd/server/v3 %s\ntool go.etcd.io/etcd/server/v3\n' "$ETCD_VERSION" >"$mod/go.mod"
  run_step "go mod tidy (etcd wrapper)" "$log_dir/etcd-tidy.log" bash -c "cd '$mod' && go mod tidy"
  run_step "go build (etcd)" "$log_dir/etcd-build.log" \
    bash -c "cd '$mod' && go build -trimpath -ldflags '-s -w' -o '$bin/etcd' go.etcd.io/etcd/server/v3"
}

build_kwok() {
  local bin="$kwok_dir/bin"
  [ -x "$bin/kwok" ] && return
  step "building kwok $KWOK_VERSION"
  mkdir -p "$bin"
  run_step "go install (kwok)" "$log_dir/kwok-build.log" \
    env GOBIN="$bin" go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

# Argo Rollouts from its Go module: a wrapper module requires it and mirrors its replace directives (a
# dependency's replaces are ignored otherwise), so the build list is the one Argo releases with. Its go.mod
# asks for a newer Go than the machine's 1.26: this step alone runs with GOTOOLCHAIN=go1.27.3, the one
# approved newer toolchain, which the go command fetches from the module proxy (golang.org/toolchain). module.json records the module's
# directory in the module cache: the e2e binary runs there (its tests read test/e2e/*/*.yaml), and the
# runner installs Argo's CRDs from manifests/crds.
build_argo_rollouts() {
  local bin="$argo_dir/bin"
  if [ -x "$bin/rollouts-controller" ] && [ -x "$bin/e2e.test" ] && [ -f "$argo_dir/module.json" ]; then
    return
  fi
  step "building Argo Rollouts $ARGO_ROLLOUTS_VERSION (controller and e2e test binary; log in $log_dir)"
  local mod="$argo_dir/wrapper" pkg=github.com/argoproj/argo-rollouts gomod go_line
  mkdir -p "$mod" "$bin"
  # Outside a module the download reports Argo's newer go line as an error, but it does fetch the go.mod.
  gomod="$( (cd "$mod" && go mod download -json "$pkg@$ARGO_ROLLOUTS_VERSION" || true) | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$gomod" ] || fail "could not download $pkg@$ARGO_ROLLOUTS_VERSION from the Go module proxy"
  go_line="$(grep -E '^go [0-9]' "$gomod" | head -1)"
  {
    echo "module local/vireo-argo-rollouts-bins"
    echo "$go_line"
    echo "require $pkg $ARGO_ROLLOUTS_VERSION"
    sed -n '/^replace (/,/^)/p' "$gomod"
    grep -E '^replace [^(]' "$gomod" || true
    echo "tool $pkg/cmd/rollouts-controller"
  } >"$mod/go.mod"
  export GOTOOLCHAIN=go1.27.3
  (cd "$mod" && go mod download -json "$pkg@$ARGO_ROLLOUTS_VERSION") >"$argo_dir/module.json.tmp" ||
    fail "could not download $pkg@$ARGO_ROLLOUTS_VERSION (see $argo_dir/module.json.tmp)"
  run_step "go mod tidy (Argo Rollouts wrapper)" "$log_dir/argo-tidy.log" bash -c "cd '$mod' && go mod tidy"
  local ldflags="-s -w -X '$pkg/utils/version.version=$ARGO_ROLLOUTS_VERSION' -X '$pkg/utils/version.gitTreeState=clean'"
  run_step "go build (Argo Rollouts controller)" "$log_dir/argo-build.log" \
    bash -c "cd '$mod' && go build -trimpath -ldflags \"$ldflags\" -o '$bin/rollouts-controller' $pkg/cmd/rollouts-controller"
  run_step "go test -c (Argo Rollouts e2e)" "$log_dir/argo-e2e-build.log" \
    bash -c "cd '$mod' && go test -c -trimpath -tags e2e -ldflags '-s -w' -o '$bin/e2e.test' $pkg/test/e2e"
  mv "$argo_dir/module.json.tmp" "$argo_dir/module.json"
}

only="${1:-all}"
case "$only" in
  all) build_etcd; build_kwok; build_kubernetes ;;
  etcd) build_etcd ;;
  kwok) build_kwok ;;
  kubernetes) build_kubernetes ;;
  argo-rollouts) build_argo_rollouts ;;
  *) fail "unknown component: $only" ;;
esac
echo "$cache"
