import type { KubernetesObject } from '@kubernetes/client-node';
import type { ConfigRepo } from './config-repo.js';

/** The demo's notification service name in the controller-wide configuration. */
export const DEMO_SERVICE = 'demo-webhook';

/** The triggers the demo Rollout subscribes to. */
export const DEMO_TRIGGERS = [
  'on-rollout-aborted',
  'on-rollout-completed',
  'on-rollout-git-rollback',
  'on-rollout-paused',
];

/**
 * The Secret and ConfigMap (Argo's names, in the controller namespace) that send the demo's notifications to
 * `url`; the URL sits in the Secret, as a real webhook URL with a token would.
 */
export function notificationConfig(url: string, namespace = 'vireo-system'): KubernetesObject[] {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'argo-rollouts-notification-secret', namespace },
    stringData: { 'demo-url': url },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argo-rollouts-notification-configmap', namespace },
    data: { [`service.webhook.${DEMO_SERVICE}`]: 'url: $demo-url\nretryWaitMin: 200ms\n' },
  };
  return [secret, configMap];
}

/** The subscription annotations of the demo Rollout. */
export function subscriptions(): Record<string, string> {
  return Object.fromEntries(
    DEMO_TRIGGERS.map((trigger) => [`notifications.argoproj.io/subscribe.${trigger}.${DEMO_SERVICE}`, '']),
  );
}

/** `trigger` and `eventId` of a received payload, when it is one of Vireo's. */
export function payloadSummary(body: unknown): { trigger: string; eventId: string } | undefined {
  const payload = body as { trigger?: unknown; eventId?: unknown } | null;
  if (typeof payload?.trigger !== 'string') return undefined;
  return { trigger: payload.trigger, eventId: String(payload.eventId ?? '') };
}

/** The Git write-back annotations pointing Vireo at the demo's config repository (kustomize mode). */
export function gitWriteBack(url: string, path: string): Record<string, string> {
  return {
    'vireo.dev/git-repo': url,
    'vireo.dev/git-branch': 'main',
    'vireo.dev/git-path': path,
    'vireo.dev/git-image': 'ghcr.io/vireo-demo/shop',
  };
}

/** Everything the demo Rollout carries to opt into notifications and Git write-back. */
export function demoAnnotations(repo: ConfigRepo): Record<string, string> {
  return { ...subscriptions(), ...gitWriteBack(repo.url, repo.overlayPath) };
}
