import type { KubeClient, ListOptions } from './client.js';
import { ApiError } from './errors.js';
import { qualifiedResource, type ResourceType } from './resources.js';
import type { KubeList, KubeObject } from './types.js';

/**
 * Read access to one informer-backed collection (a synced `ResilientInformer` in production, a map in
 * tests). Invariant: answers from memory, never from the API; objects are shared, callers must not mutate.
 */
export interface ObjectCache<T extends KubeObject = KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string): T[];
}

/**
 * Synced caches by key (a qualified resource name, a workload kind…): `cache(key)` is undefined while that
 * collection is not watched or not synced, and it is then read from the API. `C` narrows what callers need.
 */
export interface CacheSet<K extends string, C = ObjectCache> {
  cache(key: K): C | undefined;
}

async function readOnly(): Promise<never> {
  throw new Error('the cached read client is read-only');
}

/**
 * A read-only {@link KubeClient} that answers `get` (and unfiltered `list`) of every collection `caches`
 * holds, keyed by `qualifiedResource` (two groups' `virtualservices` never share a cache), from a copy of
 * the cached objects (a missing object is a NotFound `ApiError`, as the API would answer), and everything
 * else from `client`. Writes throw: it serves observation and dry edits only.
 */
export function cachedReadClient(client: KubeClient, caches: CacheSet<string>): KubeClient {
  return {
    get: async <T extends KubeObject>(res: ResourceType, namespace: string | undefined, name: string) => {
      const cache = caches.cache(qualifiedResource(res));
      if (cache === undefined) return client.get<T>(res, namespace, name);
      const found = cache.get(namespace, name);
      if (found === undefined) throw new ApiError(404, 'NotFound', `${res.plural} "${name}" not found`);
      return structuredClone(found) as T;
    },
    list: async <T extends KubeObject>(res: ResourceType, namespace?: string, opts?: ListOptions) => {
      const cache = caches.cache(qualifiedResource(res));
      if (cache === undefined || opts?.labelSelector || opts?.fieldSelector)
        return client.list<T>(res, namespace, opts);
      return { items: cache.list(namespace).map((o) => structuredClone(o) as T) } as KubeList<T>;
    },
    create: readOnly,
    replace: readOnly,
    patch: readOnly,
    patchStatus: readOnly,
    delete: readOnly,
  };
}
