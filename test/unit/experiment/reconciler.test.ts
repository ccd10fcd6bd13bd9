import { describe, expect, it } from 'vitest';
import { reconcileExperiment } from '../../../src/experiment/reconcile/reconciler.js';
import type { ObjectRef, Patch, ResourceType } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import { EventRecorder } from '../../../src/kube/events.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { WriteExpectations } from '../../../src/kube/write-expectations.js';
import { FakeClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeKubeClient } from '../traffic/fake-kube-client.js';
import { anExperiment } from './world.js';

/** The fake API with patches recorded; `statusSubresource: false` answers /status like Argo's own CRD (404). */
class PatchingClient extends FakeKubeClient {
  readonly patches: string[] = [];
  constructor(private readonly statusSubresource: boolean) {
    super();
  }
  override async patch<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T> {
    this.patches.push(
      `patch ${res.plural}/${ref.name} ${JSON.stringify(patch.type === 'merge' ? patch.body : patch)}`,
    );
    return { metadata: { resourceVersion: '100' } } as T;
  }
  override async patchStatus<T extends KubeObject>(
    res: ResourceType,
    ref: ObjectRef,
    patch: Patch,
  ): Promise<T> {
    if (!this.statusSubresource)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    this.patches.push(
      `status ${res.plural}/${ref.name} ${JSON.stringify(patch.type === 'merge' ? patch.body : patch)}`,
    );
    return { metadata: { resourceVersion: '100' } } as T;
  }
}

function setup(statusSubresource: boolean) {
  const client = new PatchingClient(statusSubresource);
  const experiment = anExperiment() as unknown as KubeObject;
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const cache = (items: () => KubeObject[]) => ({
    get: (_ns: string | undefined, name: string) => items().find((o) => o.metadata?.name === name),
    list: () => items(),
  });
  const replicaSets = () =>
    [...client.objects].filter(([k]) => k.startsWith('apps/replicasets/')).map(([, v]) => v);
  const deps = {
    client,
    clock,
    logger: silentLogger,
    events: new EventRecorder({ sink: { create: async () => ({}), update: async () => ({}) }, clock }),
    experiments: cache(() => [experiment]),
    replicaSets: cache(replicaSets),
    analysisRuns: cache(() => []),
    expectations: new WriteExpectations({ clock }),
  };
  return { client, deps };
}

describe('Experiment reconciler (observe → plan → act → record)', () => {
  it('creates the template ReplicaSets and writes the status through the status subresource', async () => {
    const { client, deps } = setup(true);
    await reconcileExperiment(deps, 'ns/exp');
    expect(client.writes).toEqual([
      'create apps/replicasets/ns/exp-baseline',
      'create apps/replicasets/ns/exp-canary',
    ]);
    expect(client.patches).toHaveLength(1);
    expect(client.patches[0]).toMatch(/^status experiments\/exp .*"phase":"Pending"/);
  });

  it("falls back to a patch of the Experiment where Argo's CRD has no status subresource", async () => {
    const { client, deps } = setup(false);
    await reconcileExperiment(deps, 'ns/exp');
    expect(client.patches).toHaveLength(1);
    expect(client.patches[0]).toMatch(/^patch experiments\/exp \{"status":\{.*"phase":"Pending"/);
  });

  it('claims a ReplicaSet it created but the cache had not shown yet', async () => {
    const { client, deps } = setup(true);
    await reconcileExperiment(deps, 'ns/exp');
    const again = await reconcileExperiment(
      { ...deps, replicaSets: { get: () => undefined, list: () => [] } },
      'ns/exp',
    );
    expect(again).toEqual({ requeueAfterMs: 75 });
    deps.expectations.forget('ns/exp');
    await reconcileExperiment({ ...deps, replicaSets: { get: () => undefined, list: () => [] } }, 'ns/exp');
    expect(client.writes).toHaveLength(2);
  });
});
