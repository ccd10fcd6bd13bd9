import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeClient, ResourceType } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import type { InformerHandlers, ResilientInformer } from '../../../src/kube/informer.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { NotificationController, type SendAttempt } from '../../../src/notify/controller.js';
import { NOTIFIED_ANNOTATION, type RolloutView } from '../../../src/notify/model.js';
import { systemClock } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';

/** The informer surface the controller uses: handler sets, list, get. */
class FakeInformer {
  readonly handlers: InformerHandlers<KubeObject>[] = [];
  readonly objects: KubeObject[] = [];
  addHandlers(h: InformerHandlers<KubeObject>): void {
    this.handlers.push(h);
  }
  list(): KubeObject[] {
    return [...this.objects];
  }
  get(_ns: string | undefined, name: string): KubeObject | undefined {
    return this.objects.find((o) => o.metadata?.name === name);
  }
  hasSynced(): boolean {
    return true;
  }
  update(obj: KubeObject, old?: KubeObject): void {
    this.objects.splice(0, this.objects.length, obj);
    for (const h of this.handlers) h.onUpdate?.(obj, old);
  }
}

/** An API holding one Rollout, one ReplicaSet and the notification ConfigMap; records patches. */
function fakeClient(state: { rollout: RolloutView; patches: object[]; url: string }): KubeClient {
  const get = async (res: ResourceType) => {
    if (res.plural === 'configmaps') return { data: { 'service.webhook.hooks': `url: ${state.url}` } };
    if (res.plural === 'secrets') throw new ApiError(404, 'NotFound', 'not found');
    return structuredClone(state.rollout);
  };
  return {
    get,
    list: async () => ({
      items: [
        {
          metadata: {
            annotations: { 'rollout.argoproj.io/revision': '7' },
            ownerReferences: [{ uid: 'u1' }],
          },
        },
      ],
    }),
    patch: async (
      _res: ResourceType,
      _ref: object,
      patch: { body?: { metadata: { annotations: Record<string, string> } } },
    ) => {
      state.patches.push(patch);
      const annotations = { ...state.rollout.metadata?.annotations, ...patch.body?.metadata.annotations };
      state.rollout = { ...state.rollout, metadata: { ...state.rollout.metadata, annotations } };
      return {};
    },
  } as unknown as KubeClient;
}

const SUBSCRIBED = {
  'notifications.argoproj.io/subscribe.on-rollout-completed.hooks': '',
  'notifications.argoproj.io/subscribe.on-rollout-step-completed.hooks': '',
};

function rollout(annotations: Record<string, string>, status: RolloutView['status']): RolloutView {
  return {
    metadata: { name: 'shop', namespace: 'apps', uid: 'u1', annotations },
    spec: { strategy: { canary: { steps: [{ setWeight: 50 }] } } },
    status,
  };
}

describe('NotificationController', () => {
  let server: Server;
  const bodies: { eventId: string; trigger: string; revision?: number }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('delivers subscribed events once, records them, and skips what the annotation records', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const promoted = rollout(SUBSCRIBED, {
      currentPodHash: 'h2',
      stableRS: 'h2',
      currentStepIndex: 1,
      phase: 'Healthy',
    });
    const state = { rollout: promoted, patches: [] as object[], url };
    const rollouts = new FakeInformer();
    const logger = new MemoryLogger();
    const sends: SendAttempt[] = [];
    const controller = new NotificationController({
      client: fakeClient(state),
      rollouts: rollouts as unknown as ResilientInformer<KubeObject>,
      analysisRuns: new FakeInformer() as unknown as ResilientInformer<KubeObject>,
      clock: systemClock,
      logger,
      configNamespace: 'vireo-system',
      onSend: (attempt) => sends.push(attempt),
    });
    const midUpdate = rollout(SUBSCRIBED, { currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 0 });
    rollouts.update(promoted as KubeObject, midUpdate as KubeObject);
    rollouts.update(promoted as KubeObject, midUpdate as KubeObject);
    const recordedKeys = () =>
      Object.keys(JSON.parse(state.rollout.metadata?.annotations?.[NOTIFIED_ANNOTATION] ?? '{}'));
    await vi.waitFor(() => expect(recordedKeys()).toHaveLength(2), { timeout: 5000, interval: 20 });
    await controller.stop();
    expect(bodies.map((b) => b.trigger).sort()).toEqual([
      'on-rollout-completed',
      'on-rollout-step-completed',
    ]);
    expect(bodies.every((b) => b.revision === 7 && /^[0-9a-f]{32}$/.test(b.eventId))).toBe(true);
    expect(recordedKeys().sort()).toEqual([
      'h2/step-0:on-rollout-step-completed:hooks:',
      'h2:on-rollout-completed:hooks:',
    ]);
    rollouts.update(state.rollout as KubeObject, midUpdate as KubeObject);
    expect(controller.pendingDeliveries).toBe(0);
    expect(JSON.stringify(logger.lines)).not.toContain(url);
    expect(sends.map((a) => [a.service, a.type, a.ok])).toEqual([
      ['hooks', 'webhook', true],
      ['hooks', 'webhook', true],
    ]);
  });

  it('ignores Rollouts without subscriptions', () => {
    const rollouts = new FakeInformer();
    const controller = new NotificationController({
      client: {} as KubeClient,
      rollouts: rollouts as unknown as ResilientInformer<KubeObject>,
      analysisRuns: new FakeInformer() as unknown as ResilientInformer<KubeObject>,
      clock: systemClock,
      logger: new MemoryLogger(),
      configNamespace: 'vireo-system',
    });
    rollouts.update(rollout({}, { currentPodHash: 'h1', stableRS: 'h1', phase: 'Healthy' }) as KubeObject);
    expect(controller.pendingDeliveries).toBe(0);
  });
});
