import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import {
  annotateRollout,
  annotationsOf,
  BareRepo,
  type CommitInfo,
  createFailingTemplate,
  createTokenSecret,
  type GitControllerEnv,
  kustomization,
  startGitController,
  vireoCommits,
} from './support/git.js';
import { startGitHttpServer } from './support/git-http.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { hashOf, type RolloutApi, type RolloutObject } from './support/rollouts.js';

const FAILING = { analysis: { templates: [{ templateName: 'always-fails' }] } };
const CANARY_THEN_FAILING = [{ setWeight: 50 }, FAILING, { setWeight: 100 }];

/** The opt-in annotations for a kustomize `images:` entry `registry.example/<app>` in `path`. */
function kustomizeOptIn(url: string, app: string, path: string): Record<string, string> {
  return {
    'vireo.dev/git-repo': url,
    'vireo.dev/git-path': path,
    'vireo.dev/git-image': `registry.example/${app}`,
  };
}

/** The rollback commit of `shop`: file change, author, parent and a message a reviewer can act on. */
function expectShopCommit(
  repo: BareRepo,
  upstream: string,
  aborted: RolloutObject,
  namespace: string,
): CommitInfo {
  const log = repo.log('main');
  const mine = vireoCommits(log);
  expect(mine).toHaveLength(1);
  const [commit] = mine as [CommitInfo];
  expect(log[0]?.sha).toBe(commit.sha);
  expect(commit.parents).toEqual([upstream]);
  expect(commit.author).toBe('Vireo');
  const file = repo.show('main', 'apps/shop/kustomization.yaml');
  expect(file).toBe(kustomization('shop', '1.2.0', 'namePrefix: prod-'));
  const message = commit.message;
  expect(message.split('\n')[0]).toBe(`Roll back ${namespace}/shop to registry.example/shop:1.2.0`);
  expect(message).toContain('Image:      registry.example/shop:1.3.0 -> registry.example/shop:1.2.0');
  expect(message).toMatch(/Reason: {5}AnalysisRun shop-\S+ Failed, metric "error-rate", measured \[?0\.5\]?/);
  expect(message).toContain('successCondition "result[0] < 0.05"');
  expect(message).toContain(`Aborted at: ${aborted.status?.abortedAt}`);
  expect(message).toContain(`Vireo-Rollback-Id: ${aborted.metadata.uid}@${aborted.status?.abortedAt}`);
  return commit;
}

describe('Git write-back of automatic rollbacks (file:// remotes, real git, controller as the deploy ServiceAccount)', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let env: GitControllerEnv;
  let api: RolloutApi;

  const deploy = async (name: string, annotations: Record<string, string>, steps: object[]) => {
    const body = canaryRollout(name, `registry.example/${name}:1.2.0`, { replicas: 2, steps }) as {
      metadata: Record<string, unknown>;
    };
    body.metadata.annotations = annotations;
    await api.create(body);
    await api.waitFor(name, `${name} Healthy at 1.2.0`, (r) => r.status?.phase === 'Healthy');
  };
  const waitForAbort = (name: string) =>
    api.waitFor(name, `${name} aborted`, (r) => r.status?.abort === true && r.status.phase === 'Degraded');
  const waitForRecord = (name: string) =>
    api.waitFor(name, `${name} write-back recorded`, (r) =>
      Boolean(annotationsOf(r)['vireo.dev/git-rollback-commit']),
    );

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'gitops');
    dir = mkdtempSync(join(tmpdir(), 'vireo-gitops-'));
    await createFailingTemplate(kc, namespace, clusterInfo().prometheusUrl);
    env = await startGitController(kc, namespace, dir, 'controller');
    api = env.api;
  });
  afterAll(async () => {
    await env?.controller.process.stop();
    if (namespace) await deleteNamespace(kc, namespace);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('an automatic abort makes exactly one commit, rebased over a concurrent upstream commit', async () => {
    const repo = BareRepo.create(dir, 'shop', {
      'apps/shop/kustomization.yaml': kustomization('shop', '1.3.0'),
    });
    const upstream = repo.commit(
      'main',
      { 'apps/shop/kustomization.yaml': kustomization('shop', '1.3.0', 'namePrefix: prod-') },
      'Concurrent change by a teammate',
      'upstream-next',
    );
    repo.raceFirstPushWith('refs/heads/upstream-next');
    await deploy(
      'shop',
      kustomizeOptIn(repo.url, 'shop', 'apps/shop/kustomization.yaml'),
      CANARY_THEN_FAILING,
    );
    await api.patchSpec('shop', imagePatch('registry.example/shop:1.3.0'));
    const aborted = await waitForAbort('shop');
    const recorded = await waitForRecord('shop');

    expect(repo.raced()).toBe(true);
    const commit = expectShopCommit(repo, upstream, aborted, namespace);

    const notes = annotationsOf(recorded);
    expect(notes['vireo.dev/git-rollback-commit']).toBe(commit.sha);
    expect(notes['vireo.dev/git-rollback-aborted-at']).toBe(aborted.status?.abortedAt);
    expect(notes['vireo.dev/git-rollback-error']).toBeUndefined();
    const events = await api.waitForEvents('shop', ['GitRollbackCommitted']);
    expect(events.filter((e) => e.reason === 'GitRollbackCommitted')).toHaveLength(1);
    expect(events.find((e) => e.reason === 'GitRollbackCommitted')?.message).toContain(commit.sha);
  }, 180_000);

  it('a user abort makes no commit; the later automatic abort goes to a review branch', async () => {
    const repo = BareRepo.create(dir, 'cart', {
      'cart/rollout.yaml': `kind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example/cart:1.3.0 # CI\n`,
    });
    await deploy(
      'cart',
      {
        'vireo.dev/git-repo': repo.url,
        'vireo.dev/git-path': 'cart/rollout.yaml',
        'vireo.dev/git-field': 'spec.template.spec.containers[name=app].image',
        'vireo.dev/git-push-branch': 'vireo/rollback-cart',
      },
      [{ setWeight: 50 }, { pause: {} }, FAILING, { setWeight: 100 }],
    );
    await api.patchSpec('cart', imagePatch('registry.example/cart:1.3.0'));
    await api.waitFor('cart', 'cart paused', (r) => (r.status?.pauseConditions ?? []).length > 0);
    await api.patchStatus('cart', { abort: true });
    await waitForAbort('cart');
    await api.patchStatus('cart', { abort: false });
    await api.waitFor(
      'cart',
      'cart retried and paused',
      (r) => !r.status?.abortedAt && (r.status?.pauseConditions ?? []).length > 0,
    );
    await api.patchStatus('cart', { pauseConditions: null });
    const automatic = await waitForAbort('cart');
    const recorded = await waitForRecord('cart');

    const branch = annotationsOf(recorded)['vireo.dev/git-rollback-branch'] ?? '';
    expect(branch).toMatch(/^vireo\/rollback-cart-\d{8}T\d{6}Z-r2$/);
    expect(vireoCommits(repo.log('main'))).toHaveLength(0);
    const mine = vireoCommits(repo.log(branch));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.message).toContain(`@${automatic.status?.abortedAt}`);
    expect(repo.branches().filter((b) => b.startsWith('vireo/'))).toEqual([branch]);
    expect(repo.show(branch, 'cart/rollout.yaml')).toContain('image: registry.example/cart:1.2.0 # CI');
  }, 180_000);

  it('an unreachable repository: Warning event and message, and the cluster still rolls back', async () => {
    const missing = `file://${join(dir, 'missing.git')}`;
    await deploy('api', kustomizeOptIn(missing, 'api', 'kustomization.yaml'), CANARY_THEN_FAILING);
    await api.patchSpec('api', imagePatch('registry.example/api:1.3.0'));
    const rolledBack = await api.waitFor(
      'api',
      'api rolled back in the cluster with the write-back failing',
      (r, sets) => {
        const canary = sets.find((rs) => hashOf(rs) === r.status?.currentPodHash);
        const stable = sets.find((rs) => hashOf(rs) === r.status?.stableRS);
        return (
          r.status?.abort === true &&
          (canary?.spec?.replicas ?? 0) === 0 &&
          (stable?.status?.availableReplicas ?? 0) === 2 &&
          (annotationsOf(r)['vireo.dev/git-rollback-error'] ?? '').includes('missing.git')
        );
      },
    );
    expect(annotationsOf(rolledBack)['vireo.dev/git-rollback-commit']).toBeUndefined();
    const [failed] = (await api.waitForEvents('api', ['GitRollbackFailed'])).filter(
      (e) => e.reason === 'GitRollbackFailed',
    );
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toMatch(
      /Git write-back of the rollback failed: git clone failed: .*missing\.git/,
    );
  }, 180_000);

  it('bad credentials: Warning event and message, no secret anywhere; the right token then commits', async () => {
    const [wrong, right] = ['wr0ng-token-0815', 's3cr3t-token-4711'];
    const repo = BareRepo.create(dir, 'api', { 'kustomization.yaml': kustomization('api', '1.3.0') });
    const server = await startGitHttpServer(dir, 'x-access-token', right);
    try {
      await createTokenSecret(kc, namespace, 'api-git-wrong', wrong);
      await createTokenSecret(kc, namespace, 'api-git', right);
      const url = `${server.baseUrl}/api.git`;
      await annotateRollout(kc, namespace, 'api', {
        'vireo.dev/git-repo': url,
        'vireo.dev/git-secret': 'api-git-wrong',
      });
      const refused = await api.waitFor('api', 'the refused credentials recorded', (r) =>
        (annotationsOf(r)['vireo.dev/git-rollback-error'] ?? '').includes(
          'the remote refused the credentials',
        ),
      );
      expect(server.refused).toBeGreaterThan(0);
      expect(refused.status?.abort).toBe(true);
      await annotateRollout(kc, namespace, 'api', { 'vireo.dev/git-secret': 'api-git' });
      const recorded = await waitForRecord('api');
      expect(vireoCommits(repo.log('main')).map((c) => c.sha)).toEqual([
        annotationsOf(recorded)['vireo.dev/git-rollback-commit'],
      ]);
      const texts = [
        JSON.stringify(recorded),
        JSON.stringify(await api.events('api')),
        readFileSync(env.logPath, 'utf8'),
      ];
      for (const secret of [wrong, right]) {
        const basic = Buffer.from(`x-access-token:${secret}`).toString('base64');
        for (const text of texts) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(basic);
        }
      }
    } finally {
      await server.close();
    }
  }, 180_000);

  it('a controller that dies after pushing and before recording does not commit twice after a restart', async () => {
    await env.controller.process.stop();
    const repo = BareRepo.create(dir, 'web', { 'kustomization.yaml': kustomization('web', '1.3.0') });
    const crashing = await startGitController(kc, namespace, dir, 'crashing', {
      VIREO_TEST_CRASH_AFTER_GIT_PUSH: '1',
    });
    await deploy('web', kustomizeOptIn(repo.url, 'web', 'kustomization.yaml'), CANARY_THEN_FAILING);
    await api.patchSpec('web', imagePatch('registry.example/web:1.3.0'));
    await pollUntil(async () => !crashing.controller.process.running, {
      timeoutMs: 90_000,
      intervalMs: 200,
      description: 'the controller to crash right after its push',
    });
    expect(await crashing.controller.process.exited()).toBe(86);
    const pushed = vireoCommits(repo.log('main'));
    expect(pushed).toHaveLength(1);
    expect(annotationsOf(await api.get('web'))['vireo.dev/git-rollback-commit']).toBeUndefined();

    env = await startGitController(kc, namespace, dir, 'restarted');
    const recorded = await waitForRecord('web');
    expect(annotationsOf(recorded)['vireo.dev/git-rollback-commit']).toBe(pushed[0]?.sha);
    expect(vireoCommits(repo.log('main'))).toHaveLength(1);
    const events = (await api.waitForEvents('web', ['GitRollbackCommitted'])).filter(
      (e) => e.reason === 'GitRollbackCommitted',
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toMatch(/^Found \S+ already on/);
  }, 300_000);
});
