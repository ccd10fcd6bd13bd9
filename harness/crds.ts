import { readFileSync } from 'node:fs';
import { ApiextensionsV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects } from './apply.js';
import { assertCrdFilesPresent, crdFiles } from './crd-files.js';
import { pollUntil } from './wait.js';

export { assertCrdFilesPresent, crdFiles, ownCrdFiles, repoRoot } from './crd-files.js';

function readCrds(path: string): KubernetesObject[] {
  assertCrdFilesPresent([path]);
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => doc.toJSON() as KubernetesObject | null)
    .filter((obj): obj is KubernetesObject => obj?.kind === 'CustomResourceDefinition');
}

/**
 * Server-side applies every CRD in `files` (field manager vireo-test) and waits until each is Established.
 * Reads only local files: a missing one fails at once, before anything is applied, naming the file.
 */
export async function installCrds(
  kc: KubeConfig,
  files: string[] = crdFiles(),
  signal?: AbortSignal,
): Promise<string[]> {
  assertCrdFilesPresent(files);
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
      { timeoutMs: 30_000, description: `CRD ${name} to be Established`, signal },
    );
  }
  return names;
}
