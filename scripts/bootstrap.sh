#!/usr/bin/env bash
# Makes a fresh clone runnable: npm dependencies, Debian packages (when root), the pinned upstream CRDs
# and the control-plane binaries (test/cluster/ensure-binaries.ts); with --argo also Argo Rollouts'
# controller and e2e binary (the hand-over and conformance tests use them). Idempotent and quick when
# everything is already there. `--no-binaries` (or VIREO_USE_EXISTING_CLUSTER=1) skips the binaries: the
# demo builds them itself only when it starts the local control plane.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "vireo: $*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

need_pkgs=()
[ -n "${PROMETHEUS_BINARY:-}" ] || [ -x /usr/bin/prometheus ] || need_pkgs+=(prometheus)
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
command -v git >/dev/null 2>&1 || need_pkgs+=(git)
# Headless Chromium for the dashboard's browser tests and bench (driven by playwright-core), and a font.
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || need_pkgs+=(fonts-dejavu-core)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${need_pkgs[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
  else
    say "missing: ${need_pkgs[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${need_pkgs[*]}) and run again."
    exit 1
  fi
fi

assets=()
if [ "${1:-}" = --no-binaries ] || [ "${VIREO_USE_EXISTING_CLUSTER:-}" = 1 ]; then
  assets+=(--no-binaries)
fi
npx --no-install tsx test/cluster/ensure-binaries.ts "${assets[@]}"
if [ "${1:-}" = --argo ]; then
  nice bash test/cluster/build-binaries.sh argo-rollouts >/dev/null
fi
