import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cacheDir, clusterDir, pinnedVersions, type VersionKey } from './versions.js';

/**
 * One Go module whose CustomResourceDefinitions the harness installs. Adding CRDs from another module
 * (e.g. Argo Rollouts' `test/e2e/crds/`) is one more row in {@link UPSTREAM_CRDS} and a version in
 * versions.env; nothing from the module is copied into the repository.
 */
export interface UpstreamCrdSource {
  /** Go module path, fetched with `go mod download -json <module>@<version>`. */
  module: string;
  /** The versions.env key pinning its version. */
  versionKey: VersionKey;
  /** Files inside the module to read; `*` is allowed in the last path segment only. */
  files: string[];
  /** The CRDs to keep, by name (`<plural>.<group>`); each is cached as `<name>.yaml`. */
  crds: string[];
  /**
   * The Go toolchain of this one download when the module's go line is newer than the machine's Go (only the
   * approved `go1.27.3`, fetched by the go command from the module proxy); default the harness's local Go.
   */
  toolchain?: 'go1.27.3';
}

/** Every upstream CRD the test clusters get, and where each comes from. */
export const UPSTREAM_CRDS: readonly UpstreamCrdSource[] = [
  {
    module: 'istio.io/api',
    versionKey: 'ISTIO_API_VERSION',
    files: ['kubernetes/customresourcedefinitions.gen.yaml'],
    crds: [
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
      'gateways.networking.istio.io',
    ],
  },
  {
    module: 'sigs.k8s.io/gateway-api',
    versionKey: 'GATEWAY_API_VERSION',
    files: ['config/crd/standard/*.yaml'],
    crds: [
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'tcproutes.gateway.networking.k8s.io',
      'tlsroutes.gateway.networking.k8s.io',
      'referencegrants.gateway.networking.k8s.io',
    ],
  },
  {
    // Argo Rollouts' own e2e CRDs: smi-sdk-go's crds/split.yaml is apiextensions.k8s.io/v1beta1 (gone since
    // Kubernetes 1.22), so its v1 copy here (TrafficSplit v1alpha4 only); apache/apisix-ingress-controller is
    // not served by the Go module proxy, so the ApisixRoute that Argo's APISIX e2e suite installs.
    module: 'github.com/argoproj/argo-rollouts',
    versionKey: 'ARGO_ROLLOUTS_VERSION',
    files: ['test/e2e/crds/split.yaml', 'test/e2e/crds/apisix.yaml'],
    crds: ['trafficsplits.split.smi-spec.io', 'apisixroutes.apisix.apache.org'],
    toolchain: 'go1.27.3',
  },
  {
    module: 'github.com/traefik/traefik/v3',
    versionKey: 'TRAEFIK_VERSION',
    files: ['docs/content/reference/dynamic-configuration/traefik.io_traefikservices.yaml'],
    crds: ['traefikservices.traefik.io'],
  },
  {
    // Ambassador's Mapping: Emissary-ingress's install manifest in its Go module (pkg/api's crds.yaml is not
    // structural). Vireo, like Argo, uses getambassador.io/v2, the storage version, so the CRD's conversion
    // webhook is never called.
    module: 'github.com/emissary-ingress/emissary/v3',
    versionKey: 'EMISSARY_VERSION',
    files: ['manifests/emissary/emissary-crds.yaml.in'],
    crds: ['mappings.getambassador.io'],
  },
];

/** `<module>@<version>` of a source at its pinned version; throws when versions.env lacks the key. */
export function moduleVersion(source: UpstreamCrdSource): string {
  const version = pinnedVersions()[source.versionKey];
  if (!version) throw new Error(`harness/versions.env has no ${source.versionKey} (for ${source.module})`);
  return `${source.module}@${version}`;
}

/** Where one source's CRDs are cached: `<cache>/crds/<module>@<version>/`. */
export function upstreamCrdDir(source: UpstreamCrdSource): string {
  return join(cacheDir(), 'crds', moduleVersion(source));
}

/** The cached file of every pinned upstream CRD, in table order. */
export function upstreamCrdFiles(): string[] {
  return UPSTREAM_CRDS.flatMap((source) =>
    source.crds.map((crd) => join(upstreamCrdDir(source), `${crd}.yaml`)),
  );
}

/**
 * Runs `go mod download -json` with the harness's Go (go-env.sh), or `toolchain` for this one command, and
 * returns the module's directory.
 */
function downloadModule(spec: string, toolchain?: string): string {
  const scratch = join(cacheDir(), 'crds', '.go-scratch');
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'go.mod'), 'module local/vireo-crd-fetch\n\ngo 1.26\n');
  const pick = toolchain === undefined ? '' : `export GOTOOLCHAIN="$3";`;
  const script = `set -e; source "${clusterDir}/versions.env"; source "${clusterDir}/go-env.sh"; ${pick} cd "$1"; go mod download -json "$2"`;
  const args = ['-c', script, 'fetch', scratch, spec, toolchain ?? ''];
  const result = spawnSync('bash', args, { encoding: 'utf8' });
  let info: { Dir?: string; Error?: string } | undefined;
  try {
    info = JSON.parse(result.stdout) as { Dir?: string; Error?: string };
  } catch {
    info = undefined;
  }
  if (info?.Dir && !info.Error && existsSync(info.Dir)) return info.Dir;
  const cause = info?.Error ?? (result.stderr.trim() || `exit code ${result.status}`);
  throw new Error(`go mod download ${spec} failed: ${cause.replace(/^vireo: /, '')}`);
}

/** The files of `pattern` (a path inside `root`, `*` in its last segment only), sorted. */
export function matchFiles(root: string, pattern: string): string[] {
  const dir = dirname(pattern);
  const base = pattern.slice(dir === '.' ? 0 : dir.length + 1);
  if (!base.includes('*')) return existsSync(join(root, pattern)) ? [join(root, pattern)] : [];
  const escaped = base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  const re = new RegExp(`^${escaped}$`);
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir))
    .filter((name) => re.test(name))
    .sort()
    .map((name) => join(root, dir, name));
}

/** The CustomResourceDefinition documents of `text` by name, each as its verbatim text. */
export function crdDocuments(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJSON() as { kind?: string; metadata?: { name?: string } } | null;
    const [start, , end] = doc.range;
    if (obj?.kind === 'CustomResourceDefinition' && obj.metadata?.name) {
      found.set(obj.metadata.name, text.slice(start, end).trimEnd());
    }
  }
  return found;
}

/** Writes through a file of this process's own, so concurrent fetches (several checkouts) never mix. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Downloads one source's module and caches each CRD it keeps; throws naming what is missing. */
function fetchSource(source: UpstreamCrdSource): void {
  const spec = moduleVersion(source);
  const moduleDir = downloadModule(spec, source.toolchain);
  const outDir = upstreamCrdDir(source);
  mkdirSync(outDir, { recursive: true });
  const wanted = new Set(source.crds);
  for (const pattern of source.files) {
    const files = matchFiles(moduleDir, pattern);
    if (files.length === 0) throw new Error(`${spec} has no file ${pattern}`);
    for (const file of files) {
      for (const [name, doc] of crdDocuments(readFileSync(file, 'utf8'))) {
        if (!wanted.delete(name)) continue;
        const origin = `# From ${spec}, ${file.slice(moduleDir.length + 1)} (go mod download); cached by harness/upstream-crds.ts.\n`;
        writeAtomically(join(outDir, `${name}.yaml`), `${origin}${doc}\n`);
      }
    }
  }
  if (wanted.size > 0)
    throw new Error(`${spec} (${source.files.join(', ')}) has no CRD ${[...wanted].join(', ')}`);
}

/**
 * Makes sure every pinned upstream CRD is in the cache, fetching the modules of those missing through the
 * harness's Go toolchain. Returns the modules fetched (none when all were cached). Throws one clear message.
 */
export function ensureUpstreamCrds(): string[] {
  const fetched: string[] = [];
  for (const source of UPSTREAM_CRDS) {
    const dir = upstreamCrdDir(source);
    if (source.crds.every((crd) => existsSync(join(dir, `${crd}.yaml`)))) continue;
    fetchSource(source);
    fetched.push(moduleVersion(source));
  }
  return fetched;
}
