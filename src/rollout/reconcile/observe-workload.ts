import type { Rollout, WorkloadKind } from '../../api/index.js';
import { resolvedWorkloadRef } from '../../api/index.js';
import { type KubeClient, WORKLOAD_RESOURCES } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { CacheSet, ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import {
  effectiveRollout,
  type WorkloadLike,
  type WorkloadObservation,
  workloadObject,
} from '../core/workload-ref.js';

/** The synced caches of the watched workload kinds; a kind without one is read from the API. */
export type WorkloadCaches = CacheSet<WorkloadKind, Pick<ObjectCache, 'get'>>;

async function readWorkload(
  client: KubeClient,
  caches: WorkloadCaches | undefined,
  kind: WorkloadKind,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  const cache = caches?.cache(kind);
  if (cache) return cache.get(namespace, name);
  try {
    return await client.get<KubeObject>(WORKLOAD_RESOURCES[kind], namespace, name);
  } catch (err) {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/**
 * The observe step of `spec.workloadRef`: reads the referenced object (from its cache when watched, else
 * from the API) and returns the effective Rollout (template and, without `spec.selector`, the selector
 * from the workload; `effectiveRollout`) with the observation. A Rollout without a valid `workloadRef` is
 * returned unchanged and without `workload`; a missing object yields `workload` without `object` and the
 * Rollout unchanged (the planner reports it). Errors other than NotFound propagate (the pass is retried).
 */
export async function observeWorkloadRef(
  client: KubeClient,
  caches: WorkloadCaches | undefined,
  rollout: Rollout,
): Promise<{ rollout: Rollout; workload?: WorkloadObservation }> {
  const ref = resolvedWorkloadRef(rollout.spec);
  if (ref === undefined) return { rollout };
  const namespace = rollout.metadata.namespace;
  const found = await readWorkload(client, caches, ref.kind, namespace, ref.name);
  if (found === undefined) return { rollout, workload: { ref } };
  const object = workloadObject(ref.kind, found as WorkloadLike);
  return { rollout: effectiveRollout(rollout, object), workload: { ref, object } };
}
