import { SUBSCRIBE_PREFIX, type Subscription } from './model.js';

/**
 * The subscriptions in a Rollout's annotations, Argo's way:
 * `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>[;<recipient>...]`. The trigger is
 * the part before the first dot, the service the rest; recipients are trimmed, empty ones dropped, and a
 * value with none (webhooks need none) yields one subscription with an empty recipient. Keys without both a
 * trigger and a service are ignored. Output order is stable: annotation key order, then recipient order.
 */
export function parseSubscriptions(annotations: Record<string, string> | undefined): Subscription[] {
  return Object.entries(annotations ?? {}).flatMap(([key, value]) => {
    if (!key.startsWith(SUBSCRIBE_PREFIX)) return [];
    const rest = key.slice(SUBSCRIBE_PREFIX.length);
    const dot = rest.indexOf('.');
    const trigger = dot > 0 ? rest.slice(0, dot) : '';
    const service = dot > 0 ? rest.slice(dot + 1) : '';
    if (!trigger || !service) return [];
    const recipients = value
      .split(';')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    return (recipients.length > 0 ? recipients : ['']).map((recipient) => ({ trigger, service, recipient }));
  });
}
