import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import type { InformerHandlers, ResilientInformer } from '../../../src/kube/informer.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { RolloutReferences } from '../../../src/rollout/reconcile/reference-index.js';
import { routingToCleanUp } from '../../../src/rollout/reconcile/traffic-cleanup.js';
import { TrafficWatch } from '../../../src/rollout/reconcile/traffic-watch.js';
import { FakeClock } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';

/** A Rollout informer stand-in that only records the handler sets subscribed to it. */
function fakeRollouts() {
  const handlers: InformerHandlers<KubeObject>[] = [];
  const informer = { addHandlers: (h: InformerHandlers<KubeObject>) => handlers.push(h) };
  return { informer: informer as unknown as ResilientInformer<KubeObject>, handlers };
}

function routed(name: string, trafficRouting?: object): KubeObject {
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } },
      strategy: {
        canary: { canaryService: 'c', stableService: 's', ...(trafficRouting ? { trafficRouting } : {}) },
      },
    },
  };
  return rollout as KubeObject;
}

const ISTIO = { istio: { virtualService: { name: 'vs', routes: ['primary'] } } };

describe('TrafficWatch', () => {
  it('skips collections that are not served (404) or not readable (403) without blocking start', async () => {
    const probed: string[] = [];
    const client = {
      list: async (res: { plural: string }) => {
        probed.push(res.plural);
        throw res.plural === 'services'
          ? new ApiError(403, 'Forbidden', 'forbidden')
          : new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      },
    } as unknown as KubeClient;
    const logger = new MemoryLogger();
    const { informer } = fakeRollouts();
    const watch = new TrafficWatch({
      kc: new KubeConfig(),
      client,
      clock: new FakeClock(),
      logger,
      rollouts: informer,
      references: new RolloutReferences(informer, () => {}),
    });
    await watch.start();
    expect(probed.sort()).toEqual([
      'apisixroutes',
      'destinationrules',
      'httproutes',
      'ingresses',
      'mappings',
      'services',
      'traefikservices',
      'trafficsplits',
      'virtualnodes',
      'virtualrouters',
      'virtualservices',
      'virtualservices',
    ]);
    expect(watch.cache('virtualservices')).toBeUndefined();
    expect(watch.hasSynced()).toBe(true);
    expect(logger.lines.filter((l) => l.level === 'info')).toHaveLength(probed.length);
    await watch.stop();
  });
});

describe('routingToCleanUp', () => {
  it('cleans up when routing is removed or the Rollout deleted, not when it is kept or changed', () => {
    expect(routingToCleanUp(routed('a', ISTIO), routed('a'))?.metadata.name).toBe('a');
    expect(routingToCleanUp(routed('a', ISTIO), undefined)?.metadata.name).toBe('a');
    expect(
      routingToCleanUp(routed('a', ISTIO), routed('a', { nginx: { stableIngress: 'x' } })),
    ).toBeUndefined();
    expect(routingToCleanUp(routed('a'), undefined)).toBeUndefined();
    expect(routingToCleanUp(undefined, routed('a'))).toBeUndefined();
  });
});
