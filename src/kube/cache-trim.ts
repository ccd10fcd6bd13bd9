import type { KubeObject } from './types.js';

/** kubectl's client-side-apply record: a JSON copy of the whole last applied manifest. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops, in place, what an informer cache never needs from an object received from the API:
 * `metadata.managedFields` (server-side apply bookkeeping, often half of an object's size) and the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation (a second copy of the manifest on every
 * object applied with `kubectl apply` or Argo CD). Returns the same reference.
 *
 * Invariant: only those two are removed, and only from a cached copy. No write may send a cached object
 * back whole: a PUT (`conditionalReplace`) must start from a fresh GET, because a PUT without the
 * annotation would delete it on the server (an omitted managedFields is kept by the server, an omitted
 * annotation is not). Merge patches built from cached values are unaffected.
 */
export function trimForCache<T extends KubeObject>(obj: T): T {
  const meta = obj.metadata;
  if (!meta) return obj;
  if ('managedFields' in meta) delete meta.managedFields;
  const annotations = meta.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  return obj;
}
