import { type KubernetesObject, ListWatch, type Watch } from '@kubernetes/client-node';
import type { KubeList, KubeObject } from './types.js';

/** The part of client-node's `Watch` the informer needs; `new Watch(kc)` satisfies it. */
export interface WatchApi {
  watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController>;
}

/** The part of client-node's `ListWatch` the informer drives. */
export interface ListWatchLike<T> {
  on(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  on(verb: 'error' | 'connect', cb: (err?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): ReadonlyArray<T>;
}

/** Builds the underlying list+watch cache; injectable so tests can substitute it. */
export type ListWatchFactory<T> = (args: {
  path: string;
  watch: WatchApi;
  list: () => Promise<KubeList<T>>;
  labelSelector?: string;
}) => ListWatchLike<T>;

/** The production factory: client-node's `ListWatch`, not auto-started. */
export function clientNodeListWatch<T extends KubeObject>(): ListWatchFactory<T> {
  return ({ path, watch, list, labelSelector }) => {
    const listFn = list as unknown as () => Promise<{ items: KubernetesObject[] }>;
    const lw = new ListWatch<KubernetesObject>(path, watch as Watch, listFn, false, labelSelector);
    return lw as unknown as ListWatchLike<T>;
  };
}
