import type { KubeClient } from '../kube/client.js';
import { Resources } from '../kube/client.js';
import { isApiError } from '../kube/errors.js';
import { splitKey } from '../kube/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { NOTIFIED_ANNOTATION, type RolloutView } from './model.js';
import { addNotified, type NotifiedState, parseNotified } from './state.js';

/** Construction options. */
export interface RecorderOptions {
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  /** Tries per write before the batch is dropped (default 5); the deliveries are then redone later. */
  maxTries?: number;
  /** State keys whose trigger still holds for this (freshly read) Rollout: kept longest when truncating. */
  liveKeys?(rollout: RolloutView): ReadonlySet<string>;
}

/**
 * Records deliveries in the Rollout's `notified.notifications.argoproj.io` annotation. Invariants: writes
 * of one Rollout are serialised and batched (one merge patch carries every delivery recorded meanwhile);
 * each write re-reads the Rollout, so no entry written before is lost; a Rollout recreated under the same
 * name (another uid) is left alone; the patch touches only that annotation.
 */
export class NotifiedRecorder {
  private readonly pending = new Map<string, { uid: string; entries: NotifiedState }>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly opts: RecorderOptions) {}

  /** Queues `stateKey` as delivered now for the Rollout `key` (namespace/name) with `uid`. */
  record(key: string, uid: string, stateKey: string): void {
    const batch = this.pending.get(key) ?? { uid, entries: {} };
    batch.entries[stateKey] = Math.floor(this.opts.clock.now().getTime() / 1000);
    this.pending.set(key, batch);
    const chain = (this.chains.get(key) ?? Promise.resolve()).then(() => this.flush(key));
    this.chains.set(key, chain);
    void chain.finally(() => {
      if (this.chains.get(key) === chain) this.chains.delete(key);
    });
  }

  /** Resolves once every queued write has been attempted. */
  async drain(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private async flush(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    const tries = this.opts.maxTries ?? 5;
    for (let attempt = 1; attempt <= tries; attempt++) {
      try {
        await this.write(key, batch.uid, batch.entries);
        return;
      } catch (err) {
        if (isApiError(err, 'NotFound')) return;
        const code = isApiError(err) ? err.code : 'unknown';
        this.opts.logger.warn({ rollout: key, attempt, code }, 'could not record delivered notifications');
      }
    }
  }

  private async write(key: string, uid: string, entries: NotifiedState): Promise<void> {
    const ref = splitKey(key);
    const rollout = await this.opts.client.get<RolloutView & { metadata?: object }>(
      Resources.rollouts,
      ref.namespace,
      ref.name,
    );
    if (rollout.metadata?.uid !== uid) return;
    const current = parseNotified(rollout.metadata?.annotations?.[NOTIFIED_ANNOTATION]);
    const state = addNotified(current, entries, this.opts.liveKeys?.(rollout));
    const body = { metadata: { annotations: { [NOTIFIED_ANNOTATION]: JSON.stringify(state) } } };
    await this.opts.client.patch(Resources.rollouts, ref, { type: 'merge', body });
  }
}
