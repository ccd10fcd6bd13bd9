import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { KubeClient, ResourceType } from './client.js';
import { resourcePath } from './client.js';
import { type InformerOptions, ResilientInformer } from './informer.js';
import type { KubeObject } from './types.js';

let processWatchTimeoutSeconds: number | undefined;

/**
 * Sets the server-side watch timeout of every informer {@link createInformer} builds from now on (the
 * controller's `--watch-timeout`); `undefined` restores the default (random in [300, 600) s per informer).
 * The stall watchdog of each informer fires after twice its timeout, so this also bounds how long a
 * silently dropped watch goes unnoticed. Informers already built keep their timeout.
 */
export function setWatchTimeoutSeconds(seconds: number | undefined): void {
  processWatchTimeoutSeconds = seconds;
}

/** What varies between informers built by {@link createInformer}. */
export type CreateInformerOptions<T> = Omit<InformerOptions<T>, 'path' | 'list' | 'watch' | 'name'> & {
  /** Watch one namespace only; default all namespaces. */
  namespace?: string;
  name?: string;
};

/**
 * A {@link ResilientInformer} for `res`, listing through `client` (raw JSON, the same shape as watch
 * events) and watching through client-node's `Watch`. The label selector applies to both. Its watch
 * timeout is `opts.timeoutSeconds`, else the one set by {@link setWatchTimeoutSeconds}, else random.
 */
export function createInformer<T extends KubeObject>(
  kc: KubeConfig,
  client: KubeClient,
  res: ResourceType,
  opts: CreateInformerOptions<T> = {},
): ResilientInformer<T> {
  const { namespace, name, ...rest } = opts;
  const timeoutSeconds = rest.timeoutSeconds ?? processWatchTimeoutSeconds;
  return new ResilientInformer<T>({
    ...rest,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    name: name ?? res.plural,
    path: resourcePath(res, namespace),
    list: ({ labelSelector }) => client.list<T>(res, namespace, { labelSelector }),
    watch: new Watch(kc),
  });
}
