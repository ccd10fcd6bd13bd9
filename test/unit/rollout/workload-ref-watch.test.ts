import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { observeWorkloadRef, type WorkloadCaches } from '../../../src/rollout/reconcile/observe-workload.js';
import { RolloutReferences } from '../../../src/rollout/reconcile/reference-index.js';
import { WorkloadWatch } from '../../../src/rollout/reconcile/workload-watch.js';
import { aRollout } from './fixtures.js';

const rolloutObject = (name: string, ref?: { kind: string; name: string }): KubeObject =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: 'ns' },
    spec: ref ? { workloadRef: { apiVersion: 'apps/v1', ...ref } } : {},
  }) as KubeObject;

const DEPLOYMENT = {
  metadata: { name: 'web', namespace: 'default', generation: 3 },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'demo' } },
    template: {
      metadata: { labels: { app: 'demo' } },
      spec: { containers: [{ name: 'demo', image: 'd:2' }] },
    },
  },
} as KubeObject;

/** A client whose `get` answers from `objects` (NotFound otherwise) and counts calls. */
function fakeClient(objects: Record<string, KubeObject>): KubeClient & { gets: string[] } {
  const gets: string[] = [];
  const get = async (res: { plural: string }, _ns: string | undefined, name: string) => {
    gets.push(`${res.plural}/${name}`);
    const found = objects[`${res.plural}/${name}`];
    if (!found) throw new ApiError(404, 'NotFound', 'not found');
    return found;
  };
  return { gets, get } as unknown as KubeClient & { gets: string[] };
}

const refRollout = (kind: string) => {
  const base = aRollout();
  const { template: _t, selector: _s, ...spec } = base.spec;
  return { ...base, spec: { ...spec, workloadRef: { apiVersion: 'apps/v1', kind, name: 'web' } } };
};

describe('observeWorkloadRef', () => {
  it('reads a watched kind from its cache and returns the effective Rollout', async () => {
    const client = fakeClient({});
    const caches: WorkloadCaches = {
      cache: (kind) => (kind === 'Deployment' ? { get: () => DEPLOYMENT } : undefined),
    };
    const { rollout, workload } = await observeWorkloadRef(client, caches, refRollout('Deployment'));
    expect(client.gets).toEqual([]);
    expect(rollout.spec.template?.spec?.containers[0]?.image).toBe('d:2');
    expect(workload?.object).toMatchObject({ generation: 3, replicas: 2 });
  });

  it('reads an unwatched kind from the API; NotFound is a missing workload', async () => {
    const client = fakeClient({ 'replicasets/web': DEPLOYMENT });
    const found = await observeWorkloadRef(client, undefined, refRollout('ReplicaSet'));
    expect(found.workload?.object?.replicas).toBeUndefined();
    expect(found.rollout.spec.selector).toEqual({ matchLabels: { app: 'demo' } });
    const missing = await observeWorkloadRef(fakeClient({}), undefined, refRollout('Deployment'));
    expect(missing.workload).toEqual({ ref: expect.objectContaining({ name: 'web' }) });
    expect(missing.rollout.spec.workloadRef).toBeDefined();
  });

  it('leaves a Rollout without workloadRef alone', async () => {
    const rollout = aRollout();
    expect(await observeWorkloadRef(fakeClient({}), undefined, rollout)).toEqual({ rollout });
  });
});

describe('WorkloadWatch', () => {
  /** A watch over a fake Rollout informer; the client's list (the probe) answers Forbidden and is recorded. */
  function forbiddenWatch() {
    const probes: string[] = [];
    const handlers: { onAdd?: (obj: KubeObject) => void }[] = [];
    const rollouts = { addHandlers: (h: (typeof handlers)[number]) => handlers.push(h) };
    const client = {
      list: async (res: { plural: string }) => {
        probes.push(res.plural);
        throw new ApiError(403, 'Forbidden', 'forbidden');
      },
    } as unknown as KubeClient;
    const logger = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} };
    const watch = new WorkloadWatch({
      kc: {} as never,
      client,
      clock: {} as never,
      logger: logger as never,
      rollouts: rollouts as never,
      references: new RolloutReferences(rollouts as never, () => {}),
    });
    const add = (obj: KubeObject) => {
      for (const h of handlers) h.onAdd?.(obj);
    };
    return { watch, probes, add };
  }

  it('watches nothing until a Rollout references a kind, then probes that kind once', async () => {
    const { watch, probes, add } = forbiddenWatch();
    add(rolloutObject('plain'));
    await watch.start();
    expect(probes).toEqual([]);
    add(rolloutObject('a', { kind: 'Deployment', name: 'web' }));
    add(rolloutObject('b', { kind: 'Deployment', name: 'api' }));
    add(rolloutObject('c', { kind: 'ReplicaSet', name: 'rs' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(probes).toEqual(['deployments']);
    expect(watch.cache('Deployment')).toBeUndefined();
    expect(watch.hasSynced()).toBe(true);
    await watch.stop();
  });

  it('starts the kinds referenced before start, and nothing after stop', async () => {
    const { watch, probes, add } = forbiddenWatch();
    add(rolloutObject('a', { kind: 'PodTemplate', name: 'web' }));
    await watch.start();
    expect(probes).toEqual(['podtemplates']);
    await watch.stop();
    add(rolloutObject('b', { kind: 'Deployment', name: 'web' }));
    expect(probes).toEqual(['podtemplates']);
  });
});
