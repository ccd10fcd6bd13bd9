import type { KubeClient } from '../kube/client.js';
import { Resources } from '../kube/client.js';
import { isApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { Clock } from '../util/clock.js';
import {
  NOTIFICATION_CONFIGMAP,
  NOTIFICATION_SECRET,
  type NotificationConfig,
  parseNotificationConfig,
  secretStrings,
} from './config.js';

type DataObject = KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };

/** Construction options; the ConfigMap and the Secret live in `namespace` (the controller's). */
export interface ConfigSourceOptions {
  client: KubeClient;
  clock: Clock;
  namespace: string;
  /** How long a read is reused (default 3 s), so bursts of deliveries read once. */
  ttlMs?: number;
}

/**
 * Reads the notification ConfigMap and Secret with two `get`s (no list, no watch, no cache of other
 * objects), at most once per TTL. A missing object counts as empty; any other API error rejects with a
 * message naming the object and the HTTP code only.
 */
export class NotificationConfigSource {
  private cached: { atMs: number; config: Promise<NotificationConfig> } | undefined;

  constructor(private readonly opts: ConfigSourceOptions) {}

  /** The current configuration (possibly up to the TTL old). */
  get(): Promise<NotificationConfig> {
    const now = this.opts.clock.monotonicMs();
    if (this.cached && now - this.cached.atMs < (this.opts.ttlMs ?? 3000)) return this.cached.config;
    const config = this.load();
    this.cached = { atMs: now, config };
    config.catch(() => {
      if (this.cached?.config === config) this.cached = undefined;
    });
    return config;
  }

  private async load(): Promise<NotificationConfig> {
    const [configMap, secret] = await Promise.all([
      this.read(Resources.configMaps, NOTIFICATION_CONFIGMAP),
      this.read(Resources.secrets, NOTIFICATION_SECRET),
    ]);
    return parseNotificationConfig(configMap?.data, secret ? secretStrings(secret) : {});
  }

  private async read(res: typeof Resources.configMaps | typeof Resources.secrets, name: string) {
    try {
      return await this.opts.client.get<DataObject>(res, this.opts.namespace, name);
    } catch (err) {
      if (isApiError(err, 'NotFound')) return undefined;
      const code = isApiError(err) ? err.code : 'unknown';
      throw new Error(`cannot read ${res.plural.slice(0, -1)} ${this.opts.namespace}/${name} (${code})`);
    }
  }
}
