import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/client.js';
import { ResilientInformer } from '../../kube/informer.js';
import { type ResourceType, resourcePath } from '../../kube/resources.js';
import type { KubeObject } from '../../kube/types.js';
import type { CacheFactory, WatchedCache } from './feeds.js';

/**
 * Watched caches over the controller's {@link ResilientInformer} (restart with backoff, stall watchdog,
 * re-list on 410), listing through `client` and watching with `kc`'s credentials: the user's own in local
 * mode, the dashboard's ServiceAccount in-cluster. A failed list is kept as the cache's `error()` (a 403
 * becomes "you may not list pods" on the page) until a list succeeds.
 */
export function informerCaches(kc: KubeConfig, client: KubeClient): CacheFactory {
  return (res: ResourceType, namespace: string, onChange: () => void): WatchedCache => {
    let lastError: unknown;
    let failed: () => void = () => {};
    const firstFailure = new Promise<void>((resolve) => {
      failed = resolve;
    });
    const informer = new ResilientInformer<KubeObject>({
      name: `dashboard-${res.plural}`,
      path: resourcePath(res, namespace),
      list: async () => {
        try {
          const result = await client.list<KubeObject>(res, namespace);
          lastError = undefined;
          return result;
        } catch (err) {
          lastError = err;
          failed();
          onChange();
          throw err;
        }
      },
      watch: new Watch(kc),
      resyncPeriodMs: 0,
      restartBackoff: { baseMs: 1000, maxMs: 15_000, jitter: 0.5 },
      handlers: { onAdd: onChange, onUpdate: onChange, onDelete: onChange },
    });
    void informer.start();
    return {
      list: () => informer.list(namespace),
      waitForSync: () => Promise.race([informer.waitForSync(), firstFailure]),
      error: () => lastError,
      stop: () => informer.stop(),
    };
  };
}
