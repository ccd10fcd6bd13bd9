import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects } from './apply.js';
import { clusterDir } from './versions.js';
import { pollUntil } from './wait.js';

/** The repository root (two levels above test/cluster). */
export const repoRoot = join(clusterDir, '..', '..');

/** `../shared` beside the repository, or $VIREO_SHARED_DIR. */
export function sharedDir(): string {
  return process.env.VIREO_SHARED_DIR ?? join(repoRoot, '..', 'shared');
}

/** The CRD files every test cluster gets: Vireo's own crds/*.yaml, then the Istio and Gateway API CRDs. */
export function crdFiles(): string[] {
  const own = join(repoRoot, 'crds');
  const ownFiles = existsSync(own)
    ? readdirSync(own)
        .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
        .sort()
        .map((f) => join(own, f))
    : [];
  const testdata = join(sharedDir(), 'testdata');
  return [...ownFiles, join(testdata, 'istio-crds.yaml'), join(testdata, 'gateway-api-crds.yaml')];
}

function readCrds(path: string): KubernetesObject[] {
  if (!existsSync(path)) throw new Error(`CRD file not found: ${path}`);
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => doc.toJSON() as KubernetesObject | null)
    .filter((obj): obj is KubernetesObject => obj?.kind === 'CustomResourceDefinition');
}

/** Server-side applies every CRD in `files` (field manager vireo-test) and waits until each is Established. */
export async function installCrds(kc: KubeConfig, files: string[] = crdFiles()): Promise<string[]> {
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    const crds = readCrds(file);
    await applyObjects(kc, crds).catch((err: unknown) => {
      throw new Error(
        `installing the CRDs of ${file} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    objects.push(...crds);
  }
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const names = objects.map((o) => o.metadata?.name ?? '');
  for (const name of names) {
    await pollUntil(
      async () => {
        const crd = await ext.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { timeoutMs: 30_000, description: `CRD ${name} to be Established` },
    );
  }
  return names;
}
