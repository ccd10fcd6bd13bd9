import type { CanaryStep } from '../api/index.js';
import { setWeightAt } from '../rollout/core/steps.js';
import type { ServiceConfig } from './config.js';
import type { RolloutView, Subscription, TriggeredEvent } from './model.js';

/** The header carrying the event id on every request, whatever the body. */
export const EVENT_ID_HEADER = 'X-Vireo-Event-Id';

/** The generic webhook body (JSON). The same `eventId` on every delivery attempt of one event. */
export interface NotificationPayload {
  eventId: string;
  trigger: string;
  rollout: { name: string; namespace: string; uid: string };
  /** The Rollout's revision number when known, and the desired pod-template hash. */
  revision?: number;
  podTemplateHash?: string;
  step?: { index: number; count: number };
  phase?: string;
  message: string;
  weights: { canary: number; stable: number };
  images: { container: string; image: string }[];
  analysisRun?: { name: string; phase: string; message?: string };
  gitCommit?: string;
  /** When Vireo detected the event (RFC 3339). */
  time: string;
}

/** One HTTP request to send; `url` and header values are secret. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function weightsOf(rollout: RolloutView): { canary: number; stable: number } {
  const status = rollout.status ?? {};
  const routed = status.canary?.weights;
  if (routed?.canary?.weight !== undefined) {
    return { canary: routed.canary.weight, stable: routed.stable?.weight ?? 100 - routed.canary.weight };
  }
  const promoted = status.currentPodHash !== undefined && status.stableRS === status.currentPodHash;
  if (promoted || status.abort) return { canary: 0, stable: 100 };
  const steps = (rollout.spec?.strategy?.canary?.steps ?? []) as CanaryStep[];
  const canary = setWeightAt(steps, status.currentStepIndex ?? 0, 100);
  return { canary, stable: 100 - canary };
}

/**
 * The webhook payload of `event` about `rollout`. Pure: everything, including the id, the revision and
 * the detection time, comes from the arguments.
 */
export function buildPayload(
  rollout: RolloutView,
  event: TriggeredEvent,
  ids: { eventId: string; revision?: number; time: string },
): NotificationPayload {
  const status = rollout.status ?? {};
  const count = rollout.spec?.strategy?.canary?.steps?.length ?? 0;
  const index = event.stepIndex ?? status.currentStepIndex;
  const containers = rollout.spec?.template?.spec?.containers ?? [];
  return {
    eventId: ids.eventId,
    trigger: event.trigger,
    rollout: {
      name: rollout.metadata?.name ?? '',
      namespace: rollout.metadata?.namespace ?? '',
      uid: rollout.metadata?.uid ?? '',
    },
    ...(ids.revision !== undefined ? { revision: ids.revision } : {}),
    podTemplateHash: status.currentPodHash,
    ...(count > 0 && index !== undefined ? { step: { index, count } } : {}),
    phase: status.phase,
    message: event.message,
    weights: weightsOf(rollout),
    images: containers.map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
    ...(event.analysisRun ? { analysisRun: event.analysisRun } : {}),
    ...(event.gitCommit ? { gitCommit: event.gitCommit } : {}),
    time: ids.time,
  };
}

/** Slack's body: `text` for notifications, blocks with the details, and the event id in a context block. */
export function slackBody(payload: NotificationPayload, channel?: string): Record<string, unknown> {
  const facts = [
    `*Rollout:* ${payload.rollout.namespace}/${payload.rollout.name}`,
    `*Phase:* ${payload.phase ?? 'unknown'}`,
    `*Weights:* canary ${payload.weights.canary}% / stable ${payload.weights.stable}%`,
    ...payload.images.map((i) => `*Image (${i.container}):* \`${i.image}\``),
  ];
  return {
    ...(channel ? { channel } : {}),
    text: `[${payload.trigger}] ${payload.message}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${payload.trigger}*\n${payload.message}` } },
      { type: 'section', text: { type: 'mrkdwn', text: facts.join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `event ${payload.eventId} · ${payload.time}` }] },
    ],
  };
}

function slackRequest(
  service: Extract<ServiceConfig, { type: 'slack' }>,
  payload: NotificationPayload,
  sub: Subscription,
) {
  const base = { [EVENT_ID_HEADER]: payload.eventId, 'Content-Type': 'application/json' };
  if (service.webhookUrl) {
    return {
      method: 'POST',
      url: service.webhookUrl,
      headers: base,
      body: JSON.stringify(slackBody(payload)),
    };
  }
  const url = `${service.apiURL.replace(/\/+$/, '')}/chat.postMessage`;
  const body = { ...slackBody(payload, sub.recipient), username: service.username, icon_emoji: service.icon };
  const headers = { ...base, Authorization: `Bearer ${service.token ?? ''}` };
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

/**
 * The request that delivers `payload` through `service` to `sub.recipient`: the JSON payload for a
 * webhook (with its configured headers), Slack's message body for Slack (an incoming webhook, or
 * `chat.postMessage` on the recipient channel with the token). Every request carries {@link EVENT_ID_HEADER}.
 */
export function buildRequest(
  service: ServiceConfig,
  payload: NotificationPayload,
  sub: Subscription,
): OutgoingRequest {
  if (service.type === 'slack') return slackRequest(service, payload, sub);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const h of service.headers) headers[h.name] = h.value;
  headers[EVENT_ID_HEADER] = payload.eventId;
  return { method: service.method, url: service.url, headers, body: JSON.stringify(payload) };
}
