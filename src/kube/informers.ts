import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { KubeClient, ResourceType } from './client.js';
import { resourcePath } from './client.js';
import { type InformerOptions, ResilientInformer } from './informer.js';
import type { KubeObject } from './types.js';

/** What varies between informers built by {@link createInformer}. */
export type CreateInformerOptions<T> = Omit<InformerOptions<T>, 'path' | 'list' | 'watch' | 'name'> & {
  /** Watch one namespace only; default all namespaces. */
  namespace?: string;
  name?: string;
};

/**
 * A {@link ResilientInformer} for `res`, listing through `client` (raw JSON, the same shape as watch
 * events) and watching through client-node's `Watch`. The label selector applies to both.
 */
export function createInformer<T extends KubeObject>(
  kc: KubeConfig,
  client: KubeClient,
  res: ResourceType,
  opts: CreateInformerOptions<T> = {},
): ResilientInformer<T> {
  const { namespace, name, ...rest } = opts;
  return new ResilientInformer<T>({
    ...rest,
    name: name ?? res.plural,
    path: resourcePath(res, namespace),
    list: ({ labelSelector }) => client.list<T>(res, namespace, { labelSelector }),
    watch: new Watch(kc),
  });
}
