#!/usr/bin/env bash
# Sourced by build-binaries.sh and by the CRD fetch (upstream-crds.ts): finds the one Go toolchain the
# harness uses and sets its environment. Needs versions.env sourced first (GO_MIN_VERSION).
# Env: VIREO_GO_FALLBACK (default /usr/local/go/bin/go) when `go` is not on PATH.

vireo_go_fail() { echo "vireo: $*" >&2; exit 1; }

vireo_go_fallback="${VIREO_GO_FALLBACK:-/usr/local/go/bin/go}"
if ! command -v go >/dev/null 2>&1; then
  if [ -x "$vireo_go_fallback" ]; then
    export PATH="$(dirname "$vireo_go_fallback"):$PATH"
  else
    vireo_go_fail "Go is not installed, and the control-plane binaries or upstream CRDs are not cached yet. Install Go >= $GO_MIN_VERSION (https://go.dev/doc/install), or point TEST_ASSET_KUBE_APISERVER etc. / KUBEBUILDER_ASSETS at prebuilt binaries."
  fi
fi
vireo_go_version="$(go env GOVERSION | sed 's/^go//')"
if [ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$vireo_go_version" | sort -V | head -1)" != "$GO_MIN_VERSION" ]; then
  vireo_go_fail "Go $vireo_go_version is too old: building Kubernetes $KUBERNETES_VERSION needs Go >= $GO_MIN_VERSION."
fi
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
