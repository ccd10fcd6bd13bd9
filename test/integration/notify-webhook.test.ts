import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { pollUntil } from '../../harness/wait.js';
import { createTemplate } from './support/analysis.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { adminKubeConfig } from './support/cluster.js';
import { errorRateMetric } from './support/exporter.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import {
  type Payload,
  patchRolloutMetadata,
  type Receiver,
  startReceiver,
  writeNotificationConfig,
} from './support/receiver.js';
import { RolloutApi } from './support/rollouts.js';

const CONFIG_NAMESPACE = 'vireo-system';
const NOTIFIED = 'notified.notifications.argoproj.io';
const TOKEN = `tok${randomBytes(8).toString('hex')}`;
const TRIGGERS = [
  'on-rollout-updated',
  'on-rollout-step-completed',
  'on-rollout-paused',
  'on-rollout-aborted',
  'on-rollout-completed',
  'on-analysis-run-running',
  'on-analysis-run-failed',
  'on-rollout-git-rollback',
];
const STEPS = [{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }];

function subscriptions(): Record<string, string> {
  const sub = (trigger: string, service: string) =>
    `notifications.argoproj.io/subscribe.${trigger}.${service}`;
  return {
    ...Object.fromEntries(TRIGGERS.map((t) => [sub(t, 'hooks'), ''])),
    [sub('on-rollout-step-completed', 'flaky')]: '',
    [sub('on-rollout-paused', 'hanging')]: '',
    [sub('on-rollout-completed', 'chat')]: '',
  };
}

/** The Secret holds every URL (the token is part of each path); the ConfigMap only references them. */
function notificationConfig(receiver: Receiver) {
  const secret = {
    'hooks-url': receiver.url(`/hooks/${TOKEN}`),
    'flaky-url': receiver.url(`/flaky/${TOKEN}`),
    'hang-url': receiver.url(`/hang/${TOKEN}`),
    'slack-url': receiver.url(`/slack/${TOKEN}`),
  };
  const data = {
    'service.webhook.hooks': 'url: $hooks-url\nheaders:\n- name: X-Token\n  value: $hooks-url',
    'service.webhook.flaky': 'url: $flaky-url\nretryWaitMin: 200ms\nretryWaitMax: 1s',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the braced Secret reference form.
    'service.webhook.hanging': 'url: ${hang-url}\ntimeout: 2s\nretryMax: 1\nretryWaitMin: 100ms',
    'service.slack.chat': 'webhookUrl: $slack-url',
  };
  return { secret, data };
}

describe('notifications from the controller process, to receivers on 127.0.0.1', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let kubeconfigPath: string;
  let controller: ControllerProcess | undefined;
  let receiver: Receiver;
  let api: RolloutApi;
  const logPath = () => join(dir, 'controller.log');
  const hooks = () => receiver.json<Payload>('/hooks/');
  const startController = async () => {
    controller = await startControllerProcess({
      kubeconfigPath,
      logPath: logPath(),
      args: [
        `--namespace=${namespace}`,
        '--no-leader-elect',
        '--log-level=debug',
        '--metrics-addr=127.0.0.1:0',
      ],
      env: { POD_NAMESPACE: CONFIG_NAMESPACE },
    });
  };
  const waitForHooks = (description: string, predicate: (seen: Payload[]) => boolean) =>
    pollUntil(() => predicate(hooks()) && hooks(), { timeoutMs: 60_000, intervalMs: 100, description });
  const annotations = async () =>
    ((await api.get('shop')) as { metadata: { annotations?: Record<string, string> } }).metadata
      .annotations ?? {};

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'notify');
    dir = mkdtempSync(join(tmpdir(), 'vireo-notify-'));
    kubeconfigPath = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
    receiver = await startReceiver({
      '/flaky/': { kind: 'fail-then-ok', failures: 2 },
      '/hang/': { kind: 'hang' },
    });
    await writeNotificationConfig(kc, CONFIG_NAMESPACE, notificationConfig(receiver));
    await createTemplate({ kc, namespace }, 'always-fails', {
      metrics: [errorRateMetric({ query: 'vector(0.9)' }, { count: 2 })],
    });
    api = new RolloutApi(kc, namespace);
    await startController();
  });

  afterAll(async () => {
    await controller?.process.stop();
    await receiver?.close();
    if (kc) await writeNotificationConfig(kc, CONFIG_NAMESPACE, undefined);
    if (namespace) await deleteNamespace(kc, namespace);
    if (dir && process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('a first deploy sends updated and completed to the webhook and completed to Slack', async () => {
    const body = canaryRollout('shop', 'registry.example/shop:1.0', { replicas: 2, steps: STEPS }) as {
      metadata: Record<string, unknown>;
    };
    body.metadata.annotations = subscriptions();
    const created = await api.create(body);
    await api.waitFor('shop', 'a Healthy first deploy', (r) => r.status?.phase === 'Healthy');
    const seen = await waitForHooks('updated and completed', (s) => s.length >= 2);
    expect(seen.map((p) => p.trigger).sort()).toEqual(['on-rollout-completed', 'on-rollout-updated']);
    for (const p of seen) {
      expect(p.__eventId).toBe(p.eventId);
      expect(p.rollout).toEqual({ name: 'shop', namespace, uid: created.metadata.uid });
      expect(p.revision).toBe(1);
      expect(p.images).toEqual([{ container: 'app', image: 'registry.example/shop:1.0' }]);
      expect(p.weights).toEqual({ canary: 0, stable: 100 });
    }
    const slack = await pollUntil(() => receiver.json<{ text: string; blocks: unknown[] }>('/slack/')[0], {
      timeoutMs: 30_000,
      description: 'the Slack message',
    });
    expect(slack.text).toContain('on-rollout-completed');
    expect(JSON.stringify(slack.blocks)).toContain(
      seen.find((p) => p.trigger === 'on-rollout-completed')?.eventId,
    );
  });

  it('an update sends updated, every step, the pause and the completion, each once', async () => {
    await api.patchSpec('shop', imagePatch('registry.example/shop:1.1'));
    await api.waitFor('shop', 'the pause step', (r) => r.status?.phase === 'Paused');
    await api.patchStatus('shop', { pauseConditions: null });
    const done = await api.waitFor(
      'shop',
      'the promotion of 1.1',
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        r.status.currentStepIndex === 3,
    );
    const hash = done.status?.currentPodHash;
    const ofUpdate = (s: Payload[]) => s.filter((p) => p.podTemplateHash === hash);
    const seen = ofUpdate(await waitForHooks('the update events', (s) => ofUpdate(s).length >= 6));
    const steps = seen.filter((p) => p.trigger === 'on-rollout-step-completed').map((p) => p.step?.index);
    expect(steps.sort()).toEqual([0, 1, 2]);
    expect(
      seen
        .map((p) => p.trigger)
        .filter((t) => t !== 'on-rollout-step-completed')
        .sort(),
    ).toEqual(['on-rollout-completed', 'on-rollout-paused', 'on-rollout-updated']);
    expect(seen.every((p) => p.revision === 2 && p.images[0]?.image === 'registry.example/shop:1.1')).toBe(
      true,
    );
    expect(new Set(hooks().map((p) => p.eventId)).size).toBe(hooks().length);
  });

  it('meanwhile a receiver answering 500 twice got retries with the same id and body, and a hanging one timed out', async () => {
    const flaky = await pollUntil(
      () => {
        const all = receiver.json<Payload>('/flaky/');
        const ids = new Set(all.map((p) => p.eventId));
        return (
          ids.size === 3 &&
          [...ids].every((id) => all.some((p) => p.eventId === id && p.__status === 200)) &&
          all
        );
      },
      { timeoutMs: 60_000, description: 'every step event through the flaky receiver' },
    );
    expect(flaky.filter((p) => p.__status === 500)).toHaveLength(2);
    const retried = flaky.filter((p) => p.eventId === flaky[0]?.eventId);
    expect(retried.length).toBeGreaterThan(1);
    expect(new Set(retried.map((p) => JSON.stringify({ ...p, __status: 0 }))).size).toBe(1);

    const failed = await api.waitForEvents('shop', ['NotificationFailed']);
    const warning = failed.find((e) => e.reason === 'NotificationFailed');
    expect(warning?.type).toBe('Warning');
    expect(warning?.message).toMatch(
      /on-rollout-paused to service "hanging" failed after 2 attempts: timed out/,
    );
    const hung = receiver.received.filter((r) => r.path.startsWith('/hang/'));
    expect(hung).toHaveLength(2);
    expect(new Set(hung.map((r) => r.headers['x-vireo-event-id'])).size).toBe(1);
  });

  it('a failing analysis aborts the rollout: analysis-run-running, -failed and aborted are sent', async () => {
    await api.patchSpec('shop', {
      ...imagePatch('registry.example/shop:1.2'),
      strategy: {
        canary: {
          steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'always-fails' }] } }],
        },
      },
    });
    const aborted = await api.waitFor(
      'shop',
      'the abort',
      (r) => r.status?.phase === 'Degraded' && r.status.abort === true,
    );
    const hash = aborted.status?.currentPodHash;
    const wanted = [
      'on-analysis-run-failed',
      'on-analysis-run-running',
      'on-rollout-aborted',
      'on-rollout-updated',
    ];
    const ofAbort = (s: Payload[]) =>
      s.filter((p) => p.podTemplateHash === hash && wanted.includes(p.trigger));
    const seen = ofAbort(
      await waitForHooks('the abort events', (s) => new Set(ofAbort(s).map((p) => p.trigger)).size === 4),
    );
    const abort = seen.find((p) => p.trigger === 'on-rollout-aborted');
    expect(abort?.revision).toBe(3);
    expect(abort?.weights).toEqual({ canary: 0, stable: 100 });
    expect(seen.find((p) => p.trigger === 'on-analysis-run-failed')?.analysisRun?.phase).toBe('Failed');
  });

  it('a restart re-sends nothing already recorded on the Rollout', async () => {
    const recorded = await pollUntil(
      async () => {
        const state = JSON.parse((await annotations())[NOTIFIED] ?? '{}') as Record<string, number>;
        const keys = Object.keys(state).filter((k) => k.includes(':hooks:'));
        return keys.length === new Set(hooks().map((p) => p.eventId)).size && keys;
      },
      { timeoutMs: 30_000, description: 'every webhook delivery recorded on the Rollout' },
    );
    expect(recorded.some((k) => k.includes(':on-rollout-aborted:hooks:'))).toBe(true);
    const before = hooks();
    await controller?.process.stop();
    await startController();
    await patchRolloutMetadata(kc, namespace, 'shop', {
      annotations: { 'vireo.dev/git-rollback-commit': '0123abcd' },
    });
    await waitForHooks('the git rollback event', (s) =>
      s.some((p) => p.trigger === 'on-rollout-git-rollback'),
    );
    expect(hooks().slice(0, before.length)).toEqual(before);
    expect(hooks()).toHaveLength(before.length + 1);
    expect(hooks().at(-1)?.gitCommit).toBe('0123abcd');
  });

  it('with the record lost (annotation removed), a restarted controller redelivers with the same event ids', async () => {
    const firstIds = new Map(
      hooks().map((p) => [`${p.trigger}/${p.podTemplateHash}/${p.analysisRun?.name}`, p.eventId]),
    );
    await controller?.process.stop();
    await patchRolloutMetadata(kc, namespace, 'shop', { annotations: { [NOTIFIED]: null } });
    const count = hooks().length;
    await startController();
    const again = (
      await waitForHooks('the redelivery', (s) =>
        s.slice(count).some((p) => p.trigger === 'on-rollout-aborted'),
      )
    ).slice(count);
    for (const p of again) {
      expect(p.eventId, p.trigger).toBe(
        firstIds.get(`${p.trigger}/${p.podTemplateHash}/${p.analysisRun?.name}`),
      );
    }
  });

  it('the Secret’s URLs never reach the controller log, Events or the Rollout status', async () => {
    const log = readFileSync(logPath(), 'utf8');
    expect(log).toContain('notification delivered');
    expect(log).not.toContain(TOKEN);
    expect(JSON.stringify(await api.events('shop'))).not.toContain(TOKEN);
    expect(JSON.stringify((await api.get('shop')).status)).not.toContain(TOKEN);
  });
});
