import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { upstreamCrdFiles } from './upstream-crds.js';
import { clusterDir } from './versions.js';

// Kept free of the Kubernetes client so that commands can check their files in milliseconds.

/** The repository root (the folder above harness/). */
export const repoRoot = join(clusterDir, '..');

/** Vireo's own CRD files (crds/*.yaml), sorted. */
export function ownCrdFiles(): string[] {
  const own = join(repoRoot, 'crds');
  return readdirSync(own)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .map((f) => join(own, f));
}

/**
 * CRDs of routers whose upstream module cannot be fetched here, each a documented stand-in (group, version,
 * kinds; every field kept) in harness/standin-crds/: App Mesh's `appmesh.k8s.aws/v1beta2`.
 */
export function standInCrdFiles(): string[] {
  return [join(clusterDir, 'standin-crds', 'appmesh.k8s.aws.yaml')];
}

/**
 * The CRD files every test cluster gets: Vireo's own crds/*.yaml, then the pinned upstream CRDs (Istio,
 * Gateway API, Emissary's Mapping, APISIX) from the cache, which `bash scripts/bootstrap.sh` fills
 * (harness/upstream-crds.ts), then the stand-ins (`standInCrdFiles`).
 */
export function crdFiles(): string[] {
  return [...ownCrdFiles(), ...upstreamCrdFiles(), ...standInCrdFiles()];
}

/** Throws, naming the first missing file and how to fetch it, unless every file in `files` exists. */
export function assertCrdFilesPresent(files: string[] = crdFiles()): void {
  const missing = files.find((file) => !existsSync(file));
  if (missing) {
    throw new Error(
      `CRD file not found: ${missing} (the pinned upstream CRDs are fetched by \`bash scripts/bootstrap.sh\`)`,
    );
  }
}
