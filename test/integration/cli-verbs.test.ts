import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerProcess } from '../../harness/controller.js';
import {
  ensurePluginBuilt,
  readOnlyKubeconfig,
  runKubectl,
  startNamespaceController,
  webRollout,
} from './support/cli.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi, type RolloutObject } from './support/rollouts.js';

/** Runs `kubectl vireo <args>` (the built plugin found on PATH) as the cluster admin unless `kubeconfig` is given. */
const vireo = (args: string[], kubeconfig?: string) =>
  runKubectl(['vireo', ...args], { kubeconfig, timeoutMs: 110_000 }).done;

const IMAGE = (v: string) => `registry.example/web:${v}`;
const imageOf = (r: RolloutObject) =>
  (r.spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]?.image;

const rollout = () =>
  webRollout(IMAGE('1'), [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);

describe('kubectl vireo verbs change the Rollout as Argo’s plugin does, and the controller follows', () => {
  let kc: KubeConfig;
  let ns: string;
  let dir: string;
  let controller: ControllerProcess;
  let api: RolloutApi;
  const run = (...args: string[]) => vireo([...args, '-n', ns]);
  const waitPaused = (index: number) =>
    api.waitFor(
      'web',
      `Paused at step ${index}`,
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === index,
    );
  const waitHealthy = (image: string) =>
    api.waitFor(
      'web',
      `Healthy on ${image}`,
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        imageOf(r) === image,
    );

  beforeAll(async () => {
    ensurePluginBuilt();
    kc = adminKubeConfig();
    ns = await createNamespace(kc, 'cli-verbs');
    dir = mkdtempSync(join(tmpdir(), 'vireo-cli-verbs-'));
    ({ controller } = await startNamespaceController(kc, ns, dir));
    api = new RolloutApi(kc, ns);
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, ns);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('status watches a new Rollout until Healthy and exits 0', async () => {
    await api.create(rollout());
    const r = await run('status', 'web', '--timeout', '90s');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim().split('\n').at(-1)).toBe('Healthy');
  });

  it('set image starts an update; promote clears the pause and the controller moves to the next pause', async () => {
    expect(await run('set', 'image', 'web', `app=${IMAGE('2')}`)).toMatchObject({
      code: 0,
      stdout: "rollout 'web' image updated\n",
    });
    expect(imageOf(await api.get('web'))).toBe(IMAGE('2'));
    await waitPaused(1);
    const promoted = await run('promote', 'web', '-o', 'json');
    expect(promoted.code).toBe(0);
    const sent = JSON.parse(promoted.stdout) as RolloutObject;
    expect(sent.status?.pauseConditions).toBeUndefined();
    expect(sent.status?.currentStepIndex).toBe(1);
    await waitPaused(3);
  });

  it('skip-current-step moves past the last pause to Healthy', async () => {
    expect(await run('skip-current-step', 'web')).toMatchObject({ code: 0 });
    const r = await waitHealthy(IMAGE('2'));
    expect(r.status?.currentStepIndex).toBe(4);
  });

  it('pause sets spec.paused; resume clears it and the pause conditions', async () => {
    expect(await run('set', 'image', 'web', `*=${IMAGE('3')}`)).toMatchObject({ code: 0 });
    await waitPaused(1);
    expect(await run('pause', 'web')).toMatchObject({ code: 0, stdout: "rollout 'web' paused\n" });
    expect((await api.get('web')).spec.paused).toBe(true);
    await api.waitFor('web', 'manually paused', (r) => r.status?.message === 'manually paused');
    const r = await run('resume', 'web', '-o', 'json');
    expect(r.code).toBe(0);
    const resumed = JSON.parse(r.stdout) as RolloutObject;
    expect(resumed.spec.paused).toBe(false);
    expect(resumed.status?.pauseConditions).toBeUndefined();
    await waitPaused(3);
  });

  it('abort makes status exit 1 (Degraded); retry restarts the steps; status times out with exit 2', async () => {
    expect(await run('abort', 'web')).toMatchObject({ code: 0, stdout: "rollout 'web' aborted\n" });
    expect((await api.get('web')).status?.abort).toBe(true);
    const degraded = await run('status', 'web', '--timeout', '90s');
    expect(degraded.code).toBe(1);
    expect(degraded.stdout).toMatch(/^Degraded - RolloutAborted: /m);
    expect(degraded.stderr).toMatch(/^error: rollout "web" is Degraded: RolloutAborted: .*\n$/);
    expect(await run('retry', 'rollout', 'web')).toMatchObject({
      code: 0,
      stdout: "rollout 'web' retried\n",
    });
    await waitPaused(1);
    const timedOut = await run('status', 'web', '--timeout', '2s');
    expect(timedOut.code).toBe(2);
    expect(timedOut.stdout).toBe('Paused - CanaryPauseStep\n');
    expect(timedOut.stderr).toContain('did not become Healthy within the timeout');
  });

  it('promote --full skips the remaining steps', async () => {
    expect(await run('promote', 'web', '--full')).toMatchObject({
      code: 0,
      stdout: "rollout 'web' fully promoted\n",
    });
    await waitHealthy(IMAGE('3'));
  });

  it('undo restores a previous pod template; an unknown revision is one clear error', async () => {
    expect(await run('undo', 'web')).toMatchObject({
      code: 0,
      stdout: "rollout 'web' rolled back to revision 2\n",
    });
    expect(imageOf(await api.get('web'))).toBe(IMAGE('2'));
    expect(await run('undo', 'web', '--to-revision', '1')).toMatchObject({ code: 0 });
    expect(imageOf(await api.get('web'))).toBe(IMAGE('1'));
    const missing = await run('undo', 'web', '--to-revision', '99');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'error: unable to find specified revision 99 in history\n',
    });
  });

  it('restart sets spec.restartAt to now', async () => {
    const before = Date.now();
    expect(await run('restart', 'web')).toMatchObject({ code: 0, stdout: "rollout 'web' restarts\n" });
    const at = Date.parse(String((await api.get('web')).spec.restartAt));
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('names the missing permission when a status change is forbidden', async () => {
    const kubeconfig = await readOnlyKubeconfig(kc, ns, join(dir, 'viewer.yaml'));
    const r = await vireo(['abort', 'web'], kubeconfig);
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `error: forbidden: cannot patch rollouts/status in namespace ${ns}\n`,
    });
  });
});
