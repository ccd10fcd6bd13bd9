import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { kubeRequest } from './kube-http.js';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

async function resourceFor(
  kc: KubeConfig,
  apiVersion: string,
  kind: string,
  cache: Map<string, ApiResource[]>,
): Promise<{ base: string; resource: ApiResource }> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  let resources = cache.get(base);
  if (!resources) {
    resources = (await kubeRequest<{ resources: ApiResource[] }>(kc, 'GET', base)).resources;
    cache.set(base, resources);
  }
  const resource = resources.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!resource) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
  return { base, resource };
}

/**
 * Server-side applies objects in order with `fieldManager` (forcing conflicts); returns what the
 * server stored. Namespaced objects without a namespace go to `default`.
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: KubernetesObject[],
  fieldManager = 'vireo-test',
): Promise<KubernetesObject[]> {
  const cache = new Map<string, ApiResource[]>();
  const applied: KubernetesObject[] = [];
  for (const obj of objects) {
    const { base, resource } = await resourceFor(kc, obj.apiVersion ?? '', obj.kind ?? '', cache);
    const ns = resource.namespaced ? `/namespaces/${obj.metadata?.namespace ?? 'default'}` : '';
    const query = `fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    const path = `${base}${ns}/${resource.name}/${obj.metadata?.name ?? ''}?${query}`;
    applied.push(await kubeRequest<KubernetesObject>(kc, 'PATCH', path, obj, 'application/apply-patch+yaml'));
  }
  return applied;
}
