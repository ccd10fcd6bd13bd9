import type { CanaryStep, Rollout } from '../../api/index.js';
import { TRAFFIC_ROUTER_KEYS } from '../../api/traffic-routing.js';
import { age } from '../../cli/view/snapshot.js';
import { GIT_ANNOTATION, GIT_RECORD } from '../../gitops/annotations.js';
import { NOTIFIED_ANNOTATION } from '../../notify/model.js';
import { parseNotified } from '../../notify/state.js';
import { parseSubscriptions } from '../../notify/subscriptions.js';
import type { EventView, GitView, NotificationsView, StepView, WeightView } from '../model.js';

function pauseText(duration: string | number | undefined): string {
  if (duration === undefined) return 'pause (until promoted)';
  return `pause ${typeof duration === 'number' ? `${duration}s` : duration}`;
}

function scaleText(scale: NonNullable<CanaryStep['setCanaryScale']>): string {
  if (scale.matchTrafficWeight) return 'setCanaryScale: match traffic weight';
  if (scale.replicas !== undefined) return `setCanaryScale: ${scale.replicas} replicas`;
  return `setCanaryScale: ${scale.weight ?? 0}%`;
}

/** A canary step in words: `setWeight 20%`, `pause 30s`, `analysis: success-rate`, … */
export function stepText(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}%`;
  if (step.pause !== undefined) return pauseText(step.pause.duration);
  if (step.analysis !== undefined) {
    return `analysis: ${(step.analysis.templates ?? []).map((t) => t.templateName).join(', ')}`;
  }
  if (step.experiment !== undefined) {
    return `experiment: ${step.experiment.templates.map((t) => t.name).join(', ')}`;
  }
  if (step.setCanaryScale !== undefined) return scaleText(step.setCanaryScale);
  if (step.setHeaderRoute !== undefined) return `setHeaderRoute: ${step.setHeaderRoute.name}`;
  if (step.setMirrorRoute !== undefined) return `setMirrorRoute: ${step.setMirrorRoute.name}`;
  if (step.plugin !== undefined) return `plugin: ${step.plugin.name}`;
  return 'unknown step';
}

/**
 * The canary steps with their state: before `currentStepIndex` done, at it current, after it next; all
 * done once the index reaches the end. Empty for blue-green or a canary without steps.
 */
export function stepViews(rollout: Rollout): StepView[] {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  const current = rollout.status?.currentStepIndex ?? 0;
  return steps.map((step, index) => ({
    index,
    text: stepText(step),
    state: index < current ? 'done' : index === current ? 'current' : 'next',
  }));
}

function routerNames(rollout: Rollout): string[] {
  const routing = rollout.spec.strategy.canary?.trafficRouting;
  if (routing === undefined) return [];
  return TRAFFIC_ROUTER_KEYS.flatMap((key) => {
    if (routing[key] === undefined) return [];
    return key === 'plugins' ? Object.keys(routing.plugins ?? {}) : [key];
  });
}

/**
 * The traffic split per router from `status.canary.weights` (every router gets the same weights, as
 * the controller sets them all); without traffic routing one `replicas` entry from the available pods.
 * Blue-green has none.
 */
export function weightViews(rollout: Rollout, actualWeight: number | undefined): WeightView[] {
  if (rollout.spec.strategy.canary === undefined) return [];
  const routers = routerNames(rollout);
  if (routers.length === 0) {
    const canary = actualWeight ?? 0;
    return [{ router: 'replicas', canary, stable: 100 - canary, additional: 0 }];
  }
  const weights = rollout.status?.canary?.weights;
  const additional = (weights?.additional ?? []).reduce((sum, w) => sum + w.weight, 0);
  return routers.map((router) => ({
    router,
    canary: weights?.canary.weight ?? 0,
    stable: weights?.stable.weight ?? 100,
    additional,
    ...(weights?.verified === undefined ? {} : { verified: weights.verified }),
  }));
}

/** An Event as the API returns it (core/v1, with the fields the dashboard shows). */
export interface EventObject {
  metadata?: { name?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
}

function lastSeen(e: EventObject): string {
  return e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp || '';
}

/** The Rollout's Events (matched by uid, else by kind and name), newest first, at most `limit`. */
export function eventViews(events: readonly EventObject[], rollout: Rollout, now: Date, limit = 50) {
  const uid = rollout.metadata.uid;
  const about = (e: EventObject) =>
    uid !== undefined && e.involvedObject?.uid
      ? e.involvedObject.uid === uid
      : e.involvedObject?.kind === 'Rollout' && e.involvedObject.name === rollout.metadata.name;
  return events
    .filter(about)
    .map(
      (e): EventView => ({
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.count ?? 1,
        lastSeen: lastSeen(e),
        age: age(lastSeen(e) || undefined, now),
      }),
    )
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, limit);
}

/** The Git write-back settings and record, when the Rollout opted in (names a repository). */
export function gitView(rollout: Rollout): GitView | undefined {
  const annotations = rollout.metadata.annotations ?? {};
  const repo = annotations[GIT_ANNOTATION.repo];
  if (!repo) return undefined;
  const field = (key: string) => (annotations[key] ? annotations[key] : undefined);
  const record = {
    commit: field(GIT_RECORD.commit),
    branch: field(GIT_RECORD.branch),
    abortedAt: field(GIT_RECORD.abortedAt),
    error: field(GIT_RECORD.error),
  };
  return { repo, ...Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) };
}

/** Subscriptions and deliveries, when the Rollout subscribes to notifications or has been notified. */
export function notificationsView(rollout: Rollout): NotificationsView | undefined {
  const annotations = rollout.metadata.annotations;
  const subscriptions = parseSubscriptions(annotations);
  const delivered = Object.entries(parseNotified(annotations?.[NOTIFIED_ANNOTATION]))
    .map(([key, seconds]) => ({ key, at: new Date(seconds * 1000).toISOString() }))
    .sort((a, b) => b.at.localeCompare(a.at));
  if (subscriptions.length === 0 && delivered.length === 0) return undefined;
  return { subscriptions, delivered };
}
