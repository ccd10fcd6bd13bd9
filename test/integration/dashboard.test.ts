import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, promMetric } from './support/analysis.js';
import { imagePatch } from './support/canary.js';
import { webRollout } from './support/cli.js';
import { clusterInfo } from './support/cluster.js';
import {
  type BrowserSession,
  type DashboardProcess,
  dashboardServiceAccountKubeconfig,
  ensureDashboardBuilt,
  launchBrowser,
  SCREENSHOT_DIR,
  serviceAccountToken,
  startDashboardProcess,
} from './support/dashboard.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';

const STEPS = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
const READ_ONLY = [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list'] }];
const OPERATOR = [
  { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list', 'patch'] },
  { apiGroups: ['argoproj.io'], resources: ['rollouts/status'], verbs: ['patch'] },
];

/** 5 measurements a second apart of a success rate that wanders between 0.40 and 0.46, against ≥ 0.95. */
const FAILING_METRIC = promMetric('success-rate', 'vector(0.40 + (time() % 7) / 100)', {
  count: 5,
  failureLimit: 2,
  successCondition: 'result[0] >= 0.95',
  failureCondition: 'result[0] < 0.5',
});

describe('kubectl vireo dashboard in headless Chromium (controller running, real API server)', () => {
  let env: EngineEnv;
  let dir: string;
  let local: DashboardProcess;
  let browser: BrowserSession;

  beforeAll(async () => {
    ensureDashboardBuilt();
    env = await startEngine('dashboard');
    dir = mkdtempSync(join(tmpdir(), 'vireo-dashboard-'));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await createTemplate(env, 'success-rate', { metrics: [FAILING_METRIC] });
    await env.api.create(webRollout('shop:1', STEPS, { replicas: 4 }));
    await env.api.waitFor('web', 'web Healthy', (r) => r.status?.phase === 'Healthy');
    local = await startDashboardProcess(clusterInfo().kubeconfigPath, ['-n', env.namespace]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the Rollout (local mode, the kubeconfig user)', async () => {
    const { page } = browser;
    await page.goto(`${local.url}#/ns/${env.namespace}`);
    const row = page.getByRole('row', { name: /web/ });
    await row.getByText('Healthy').waitFor();
    expect(await row.textContent()).toContain('shop:1');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-list.png') });
  });

  it('clicking promote on a paused Rollout advances it, and the page follows live', async () => {
    const { page } = browser;
    await env.api.patchSpec('web', imagePatch('shop:2'));
    await env.api.waitFor('web', 'paused at step 1', (r) => r.status?.phase === 'Paused');
    await page.getByRole('link', { name: 'web' }).click();
    await page.getByText('setWeight 25% (done)').waitFor();
    await page.getByText('pause (until promoted) (current)').first().waitFor();
    await page
      .getByText(/revision 2/)
      .first()
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-rollout-canary.png'), fullPage: true });
    await page.locator('[data-action="promote"]').click();
    await page.getByRole('status').filter({ hasText: "rollout 'web' promoted" }).waitFor();
    await env.api.waitFor(
      'web',
      'paused at step 3 (the second pause)',
      (r) => r.status?.currentStepIndex === 3 && r.status.phase === 'Paused',
    );
    await page.getByText('setWeight 50% (done)').waitFor();
  });

  it('abort asks for confirmation; a failing analysis shows its chart with the failing points', async () => {
    const { page } = browser;
    await page.locator('[data-action="abort"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Abort rollout web?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await env.api.get('web')).status?.abort).toBeFalsy();
    const analysisStep = { analysis: { templates: [{ templateName: 'success-rate' }] } };
    await env.api.patchSpec('web', {
      strategy: { canary: { steps: [{ setWeight: 50 }, analysisStep, { pause: {} }] } },
      ...imagePatch('shop:3'),
    });
    await env.api.waitFor('web', 'the automatic abort', (r) => r.status?.abort === true, undefined, 120_000);
    await page.getByText('over the limit').first().waitFor();
    await page.getByText('Degraded').first().waitFor();
    const failed = await page.locator('figure.metric .point-failed').count();
    expect(failed).toBeGreaterThanOrEqual(3);
    await page.locator('#analysis-h').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-failed-analysis.png'), fullPage: true });
  });

  describe('in-cluster mode (TokenReview and SubjectAccessReview on the real API server)', () => {
    let cluster: DashboardProcess;
    let viewerToken: string;
    let operatorToken: string;

    beforeAll(async () => {
      const kubeconfig = await dashboardServiceAccountKubeconfig(env.kc, join(dir, 'dashboard-sa.yaml'));
      viewerToken = await serviceAccountToken(env.kc, env.namespace, 'viewer', READ_ONLY);
      operatorToken = await serviceAccountToken(env.kc, env.namespace, 'operator', OPERATOR);
      cluster = await startDashboardProcess(kubeconfig, ['--in-cluster', '-n', env.namespace]);
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('answers 401 to a request without a valid token, and 403 to a write without the CSRF token', async () => {
      const api = `${cluster.url}api/namespaces/${env.namespace}`;
      expect((await fetch(`${cluster.url}api/session`)).status).toBe(401);
      expect((await fetch(`${api}/rollouts`)).status).toBe(401);
      const bogus = { authorization: 'Bearer not-a-token' };
      expect((await fetch(`${api}/rollouts`, { headers: bogus })).status).toBe(401);
      const post = (headers: Record<string, string>) =>
        fetch(`${api}/rollouts/web/actions/pause`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      expect((await post({})).status).toBe(401);
      const bearer = { authorization: `Bearer ${operatorToken}` };
      expect((await post(bearer)).status).toBe(403);
      const session = (await (await fetch(`${cluster.url}api/session`, { headers: bearer })).json()) as {
        user: string;
        csrfToken: string;
      };
      expect(session.user).toBe(`system:serviceaccount:${env.namespace}:operator`);
      const paused = await post({ ...bearer, 'x-vireo-csrf': session.csrfToken });
      expect(await paused.json()).toEqual({ ok: true, message: "rollout 'web' paused" });
      expect((await env.api.get('web')).spec.paused).toBe(true);
    });

    it('a read-only user sees the Rollout but gets a clear refusal on promote', async () => {
      const { page } = browser;
      await page.goto(`${cluster.url}#/ns/${env.namespace}`);
      await page.getByLabel('Token').fill(viewerToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`acting as system:serviceaccount:${env.namespace}:viewer`).waitFor();
      await page.getByRole('link', { name: 'web' }).click();
      await page.getByText(`you may not list replicasets in namespace ${env.namespace}`).waitFor();
      const before = await env.api.get('web');
      await page.locator('[data-action="promote"]').click();
      const refusal = page.getByRole('alert').filter({ hasText: /you may not patch rollouts/ });
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain(`in namespace ${env.namespace}`);
      expect((await env.api.get('web')).status?.currentStepIndex).toBe(before.status?.currentStepIndex);
    });
  });
});
