import { type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';

/** Server-side applies objects in order with `fieldManager` (forcing conflicts); returns what the server stored. */
export async function applyObjects(
  kc: KubeConfig,
  objects: KubernetesObject[],
  fieldManager = 'vireo-test',
): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const applied: KubernetesObject[] = [];
  for (const obj of objects) {
    applied.push(await api.patch(obj, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply));
  }
  return applied;
}
