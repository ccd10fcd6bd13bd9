/**
 * The subset of object metadata the runtime relies on. Both raw watch JSON and client-node model
 * objects satisfy it, so informers and the client work for CRD types inferred from zod schemas too.
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown;
}

/** A reference from a dependent to its owner; `controller: true` marks the managing owner. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object as it travels over the wire. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A list response: items plus the list's resourceVersion and continue token. */
export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/**
 * Cache key of an object: `namespace/name`, or just `name` for cluster-scoped objects — the same
 * format as client-go's `MetaNamespaceKeyFunc`, so keys round-trip through {@link splitKey}.
 */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Inverse of {@link objectKey}: `'ns/name'` → `{ namespace: 'ns', name }`, `'name'` → no namespace. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
