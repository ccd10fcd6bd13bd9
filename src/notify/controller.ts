import { createHash } from 'node:crypto';
import type { KubeClient } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { ResilientInformer } from '../kube/informer.js';
import type { KubeObject } from '../kube/types.js';
import { objectKey, splitKey } from '../kube/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { DEFAULT_POLICY, type ServiceConfig } from './config.js';
import { NotificationConfigSource } from './config-source.js';
import { type AttemptResult, sendRequest } from './delivery.js';
import {
  type AnalysisRunView,
  NOTIFIED_ANNOTATION,
  type RolloutView,
  SUBSCRIBE_PREFIX,
  type Subscription,
  type TriggeredEvent,
} from './model.js';
import { type DeliveryJob, type JobOutcome, Outbox } from './outbox.js';
import { buildPayload, buildRequest } from './payload.js';
import { NotifiedRecorder } from './recorder.js';
import { revisionOf } from './revision.js';
import { parseNotified, stateKey } from './state.js';
import { parseSubscriptions } from './subscriptions.js';
import { evaluateTriggers, isOwnedBy } from './triggers.js';

/** How the notification controller is wired. */
export interface NotificationControllerOptions {
  client: KubeClient;
  /** The shared informers of the Rollout controller (`rolloutInformer`, `analysisRunInformer`). */
  rollouts: ResilientInformer<KubeObject>;
  analysisRuns: ResilientInformer<KubeObject>;
  events?: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** Where `argo-rollouts-notification-configmap` and `-secret` live (the controller's namespace). */
  configNamespace: string;
  /** Deliveries in flight at once (default 4). */
  concurrency?: number;
  /** Called after every HTTP attempt (for metrics such as Argo's notification_send_success/error). */
  onSend?(attempt: SendAttempt): void;
}

/** One HTTP attempt, as reported to {@link NotificationControllerOptions.onSend}; no URL, no recipient. */
export interface SendAttempt {
  service: string;
  type: 'webhook' | 'slack';
  ok: boolean;
  durationMs: number;
}

/** A delivery of one event to one destination, as queued. */
interface Delivery extends DeliveryJob {
  rolloutKey: string;
  uid: string;
  stateKey: string;
  eventId: string;
  sub: Subscription;
  event: TriggeredEvent;
}

/**
 * The deterministic id of one event: the same for every observation, delivery attempt and controller
 * restart, and different for every other Rollout (uid), trigger or occurrence.
 */
export function eventIdOf(uid: string, trigger: string, onceKey: string): string {
  return createHash('sha256').update(`${uid}\n${trigger}\n${onceKey}`).digest('hex').slice(0, 32);
}

/**
 * Sends Argo-style notifications for Rollouts, level-based like notifications-engine: every observed
 * Rollout (and every change of its AnalysisRuns) is evaluated against its subscriptions, and each event
 * not yet recorded in `notified.notifications.argoproj.io` is queued for delivery. Invariants: handlers
 * only evaluate and queue, so reconciliation never waits on a receiver; a delivery is recorded on the
 * Rollout only after the receiver accepted it (at-least-once; a crash in between redelivers with the same
 * event id); URLs, headers and tokens never reach logs or Events.
 */
export class NotificationController {
  private readonly outbox: Outbox;
  private readonly recorder: NotifiedRecorder;
  private readonly config: NotificationConfigSource;
  /** Deliveries done (recorded or being recorded) or given up, until the cache shows them or they stop firing. */
  private readonly settled = new Set<string>();

  constructor(private readonly opts: NotificationControllerOptions) {
    const { client, clock, logger } = opts;
    this.config = new NotificationConfigSource({ client, clock, namespace: opts.configNamespace });
    this.recorder = new NotifiedRecorder({ client, clock, logger, liveKeys: (r) => this.liveKeys(r) });
    this.outbox = new Outbox({
      clock,
      concurrency: opts.concurrency,
      onDelivered: (job, attempts) => this.delivered(job as Delivery, attempts),
      onGaveUp: (job, attempts, reason) => this.gaveUp(job as Delivery, attempts, reason),
    });
    opts.rollouts.addHandlers({
      onAdd: (r) => this.observe(r),
      onUpdate: (r, old) => this.observe(r, old),
      onResync: (r) => this.observe(r),
      onDelete: (r) => this.forget(r),
    });
    const onRun = (run: KubeObject) => this.observeRun(run);
    opts.analysisRuns.addHandlers({ onAdd: onRun, onUpdate: onRun, onResync: onRun });
  }

  /**
   * Evaluates every cached Rollout once. The informers belong to the Rollout controller (start this after
   * it); observations made before this call were evaluated already, so this only catches up.
   */
  async start(): Promise<void> {
    for (const rollout of this.opts.rollouts.list()) this.observe(rollout);
  }

  /** True once the shared Rollout cache has synced. */
  hasSynced(): boolean {
    return this.opts.rollouts.hasSynced();
  }

  /** Stops delivering (pending deliveries are redone by the next leader) and finishes recording. */
  async stop(): Promise<void> {
    this.outbox.stop();
    await this.recorder.drain();
  }

  /** Deliveries queued, in flight or waiting for a retry. */
  get pendingDeliveries(): number {
    return this.outbox.size;
  }

  private observeRun(run: KubeObject): void {
    const owner = run.metadata?.ownerReferences?.find((o) => o.kind === 'Rollout' && o.controller);
    if (!owner) return;
    const rollout = this.opts.rollouts.get(run.metadata?.namespace, owner.name);
    if (rollout) this.observe(rollout);
  }

  /** Each subscribed (event, destination) that holds for `rollout`, with its state key. */
  private destinations(rollout: RolloutView, old?: RolloutView) {
    const subs = parseSubscriptions(rollout.metadata?.annotations);
    if (subs.length === 0) return [];
    const runs = (this.opts.analysisRuns.list(rollout.metadata?.namespace) as AnalysisRunView[]).filter(
      (run) => isOwnedBy(run, rollout),
    );
    return evaluateTriggers(rollout, runs, old).flatMap((event) =>
      subs
        .filter((s) => s.trigger === event.trigger)
        .map((sub) => ({ event, sub, skey: stateKey(event.onceKey, sub) })),
    );
  }

  private liveKeys(rollout: RolloutView): ReadonlySet<string> {
    return new Set(this.destinations(rollout).map((d) => d.skey));
  }

  private observe(obj: KubeObject, old?: KubeObject): void {
    const rollout = obj as RolloutView;
    const uid = rollout.metadata?.uid;
    if (!uid || !hasSubscriptions(rollout)) return;
    const key = objectKey(obj);
    const notified = parseNotified(rollout.metadata?.annotations?.[NOTIFIED_ANNOTATION]);
    const detectedAt = this.opts.clock.now().toISOString();
    for (const { event, sub, skey } of this.destinations(rollout, old as RolloutView | undefined)) {
      const id = `${key}|${skey}`;
      if (skey in notified) this.settled.delete(id);
      if (skey in notified || this.settled.has(id) || this.outbox.has(id)) continue;
      this.outbox.add(this.delivery(rollout, { key, uid, skey, id, event, sub, detectedAt }));
    }
  }

  private delivery(
    rollout: RolloutView,
    d: {
      key: string;
      uid: string;
      skey: string;
      id: string;
      event: TriggeredEvent;
      sub: Subscription;
      detectedAt: string;
    },
  ): Delivery {
    const eventId = eventIdOf(d.uid, d.event.trigger, d.event.onceKey);
    const job: Delivery = {
      key: d.id,
      rolloutKey: d.key,
      uid: d.uid,
      stateKey: d.skey,
      eventId,
      sub: d.sub,
      event: d.event,
      attempt: () => this.attempt(rollout, job, d.detectedAt),
    };
    return job;
  }

  /** The configured service of `sub`, or why there is none (safe to log). */
  private async serviceFor(sub: Subscription): Promise<ServiceConfig | string> {
    try {
      const config = await this.config.get();
      const service = config.services.get(sub.service);
      if (service) return service;
      const why = config.errors.find((e) => e.includes(`.${sub.service}:`)) ?? 'not configured';
      return `service "${sub.service}": ${why}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  private async attempt(rollout: RolloutView, job: Delivery, time: string): Promise<JobOutcome> {
    const service = await this.serviceFor(job.sub);
    const result: AttemptResult =
      typeof service === 'string'
        ? { ok: false, reason: service }
        : await this.send(rollout, job, time, service);
    if (result.ok) return result;
    this.opts.logger.info(this.describe(job, { reason: result.reason }), 'notification attempt failed');
    return { ...result, policy: typeof service === 'string' ? DEFAULT_POLICY : service.policy };
  }

  private async send(rollout: RolloutView, job: Delivery, time: string, service: ServiceConfig) {
    const revision = await revisionOf(this.opts.client, rollout);
    const payload = buildPayload(rollout, job.event, { eventId: job.eventId, revision, time });
    const startedMs = this.opts.clock.monotonicMs();
    const result = await sendRequest(
      buildRequest(service, payload, job.sub),
      service.policy.timeoutMs,
      service.secrets,
    );
    const durationMs = this.opts.clock.monotonicMs() - startedMs;
    this.opts.onSend?.({ service: service.name, type: service.type, ok: result.ok, durationMs });
    return result;
  }

  private describe(job: Delivery, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const { rolloutKey: rollout, eventId, sub } = job;
    return { rollout, trigger: sub.trigger, service: sub.service, eventId, ...extra };
  }

  private delivered(job: Delivery, attempts: number): void {
    this.settled.add(job.key);
    this.opts.logger.info(this.describe(job, { attempts }), 'notification delivered');
    this.recorder.record(job.rolloutKey, job.uid, job.stateKey);
  }

  private gaveUp(job: Delivery, attempts: number, reason: string): void {
    this.settled.add(job.key);
    this.opts.logger.warn(this.describe(job, { attempts, reason }), 'notification given up');
    const ref = splitKey(job.rolloutKey);
    const rollout = this.opts.rollouts.get(ref.namespace, ref.name);
    const message = `${job.sub.trigger} to service "${job.sub.service}" failed after ${attempts} attempts: ${reason}`;
    if (rollout) this.opts.events?.event(rollout, 'Warning', 'NotificationFailed', message);
  }

  private forget(obj: KubeObject): void {
    const prefix = `${objectKey(obj)}|`;
    this.outbox.dropPrefix(prefix);
    for (const id of this.settled) if (id.startsWith(prefix)) this.settled.delete(id);
  }
}

function hasSubscriptions(rollout: RolloutView): boolean {
  return Object.keys(rollout.metadata?.annotations ?? {}).some((k) => k.startsWith(SUBSCRIBE_PREFIX));
}
