import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/** Creates a namespace with a unique name starting with `prefix`; returns its name. */
export async function createNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await core.createNamespace({ body: { metadata: { name, labels: { 'vireo.test/owned': 'true' } } } });
  return name;
}

/** Deletes a namespace, ignoring NotFound; does not wait for finalization. */
export async function deleteNamespace(kc: KubeConfig, name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.deleteNamespace({ name }).catch((err: { code?: number }) => {
    if (err.code !== 404) throw err;
  });
}

/** Parses a multi-document YAML string into objects, skipping empty documents. */
export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as KubernetesObject | null)
    .filter((obj): obj is KubernetesObject => obj !== null && typeof obj === 'object');
}

/** Server-side applies each object in order with the given field manager (force on conflicts). */
export { applyObjects as applyServerSide } from '../../../harness/apply.js';
