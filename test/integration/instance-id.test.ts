import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi } from './support/rollouts.js';

const kc = adminKubeConfig();
const dir = mkdtempSync(join(tmpdir(), 'vireo-instance-'));
let namespace: string;
let api: RolloutApi;
let kubeconfig: string;

const INSTANCE_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

function controller(name: string, args: string[]): Promise<ControllerProcess> {
  return startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: join(dir, `${name}.log`),
    args: [`--namespace=${namespace}`, '--no-leader-elect', ...args],
  });
}

beforeAll(async () => {
  namespace = await createNamespace(kc, 'instance-id');
  api = new RolloutApi(kc, namespace);
  kubeconfig = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
});

afterAll(async () => {
  await deleteNamespace(kc, namespace);
  if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
});

describe('--instance-id sharding (Argo controller-instance label)', () => {
  it('each controller reconciles only its own Rollouts', async () => {
    const labelled = canaryRollout('sharded', 'shop:v1', { replicas: 1 }) as { metadata: object };
    labelled.metadata = { name: 'sharded', labels: { [INSTANCE_LABEL]: 'blue' } };
    await api.create(labelled);
    await api.create(canaryRollout('unsharded', 'shop:v1', { replicas: 1 }));
    const blue = await controller('blue', ['--instance-id=blue']);
    try {
      await api.waitFor('sharded', 'blue reconciles its Rollout', (r) => r.status?.phase === 'Healthy');
      expect((await api.get('unsharded')).status).toBeUndefined();
      expect(await api.replicaSets('unsharded')).toEqual([]);
    } finally {
      await blue.process.stop();
    }
    const plain = await controller('plain', []);
    try {
      const before = await api.get('sharded');
      await api.patchSpec('sharded', imagePatch('shop:v2'));
      await api.patchSpec('unsharded', imagePatch('shop:v2'));
      await api.waitFor(
        'unsharded',
        'the unsharded controller reconciles the other',
        (r) => r.status?.phase === 'Healthy',
      );
      const moved = await api.waitFor(
        'unsharded',
        'v2 picked up',
        (r) => (r.status?.observedGeneration ?? '') === '2',
      );
      expect(moved.status?.observedGeneration).toBe('2');
      const after = await api.get('sharded');
      expect(after.status?.observedGeneration).toBe(before.status?.observedGeneration);
      expect((await api.replicaSets('sharded')).length).toBe(1);
    } finally {
      await plain.process.stop();
    }
  });
});
