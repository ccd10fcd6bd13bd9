import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerProcess } from '../../harness/controller.js';
import { imagePatch } from './support/canary.js';
import { ensurePluginBuilt, runKubectl, startNamespaceController } from './support/cli.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi } from './support/rollouts.js';

/** Runs `kubectl vireo <args>` (the built plugin found on PATH) as the cluster admin. */
const vireo = (args: string[]) => runKubectl(['vireo', ...args], { timeoutMs: 110_000 }).done;

const blueGreenRollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'registry.example/web:1' }] },
    },
    strategy: {
      blueGreen: {
        activeService: 'web-active',
        previewService: 'web-preview',
        autoPromotionEnabled: false,
        previewMetadata: { labels: { role: 'preview' } },
        activeMetadata: { labels: { role: 'active' } },
      },
    },
  },
};

interface TaggedSet {
  hash?: string;
  tags: string[];
}
const tagsByHash = (info: { revisions: { replicaSets: TaggedSet[] }[] }) =>
  Object.fromEntries(info.revisions.flatMap((r) => r.replicaSets.map((s) => [s.hash, s.tags])));

describe('kubectl vireo on a blue-green Rollout, with the controller as the deploy ServiceAccount', () => {
  let kc: KubeConfig;
  let ns: string;
  let dir: string;
  let controller: ControllerProcess;
  let api: RolloutApi;
  const run = (...args: string[]) => vireo([...args, '-n', ns]);

  beforeAll(async () => {
    ensurePluginBuilt(true);
    kc = adminKubeConfig();
    ns = await createNamespace(kc, 'cli-bg');
    dir = mkdtempSync(join(tmpdir(), 'vireo-cli-bg-'));
    ({ controller } = await startNamespaceController(kc, ns, dir));
    api = new RolloutApi(kc, ns);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of ['web-active', 'web-preview']) {
      const spec = { selector: { app: 'web' }, ports: [{ port: 80 }] };
      await core.createNamespacedService({ namespace: ns, body: { metadata: { name }, spec } });
    }
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, ns);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('get shows active/preview while paused, promote switches the active Service, status exits 0', async () => {
    await api.create(blueGreenRollout);
    const v1 = await api.waitFor('web', 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    await api.patchSpec('web', imagePatch('registry.example/web:2', { app: 'web' }));
    const paused = await api.waitFor('web', 'BlueGreenPause', (r) => r.status?.phase === 'Paused');
    const [stable, preview] = [v1.status?.stableRS, paused.status?.currentPodHash];

    const text = await run('get', 'rollout', 'web', '--no-color');
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/Strategy:\s+BlueGreen/);
    expect(text.stdout).not.toMatch(/Step:|SetWeight:/);
    expect(text.stdout).toMatch(/registry\.example\/web:1 \(stable, active\)/);
    expect(text.stdout).toMatch(/registry\.example\/web:2 \(preview\)/);
    expect(text.stdout).toMatch(new RegExp(`Active:\\s+web-active → ${stable}`));
    expect(text.stdout).toMatch(new RegExp(`Preview:\\s+web-preview → ${preview}`));
    expect(text.stdout).toMatch(new RegExp(`web-${preview}\\s+ReplicaSet.*preview role=preview`));
    expect(text.stdout).toMatch(new RegExp(`web-${stable}\\s+ReplicaSet.*stable,active role=active`));
    const json = JSON.parse((await run('get', 'rollout', 'web', '-o', 'json')).stdout);
    expect(json).toMatchObject({ strategy: 'BlueGreen', activeSelector: stable, previewSelector: preview });
    expect(tagsByHash(json)).toMatchObject({
      [stable ?? '']: ['stable', 'active'],
      [preview ?? '']: ['preview'],
    });

    const skip = await run('skip-current-step', 'web');
    expect(skip.code).not.toBe(0);
    expect(skip.stderr).toMatch(/blueGreen strategy.*use promote/);

    expect(await run('promote', 'web')).toMatchObject({ code: 0, stdout: "rollout 'web' promoted\n" });
    const status = await run('status', 'web', '--timeout', '90s');
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout.trim().split('\n').at(-1)).toBe('Healthy');
    const after = JSON.parse((await run('get', 'rollout', 'web', '-o', 'json')).stdout);
    expect(after).toMatchObject({ phase: 'Healthy', activeSelector: preview });
    expect(tagsByHash(after)[preview ?? '']).toEqual(['stable', 'active']);
  });
});
