import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { runCli } from '../../src/cli/program.js';
import { clusterInfo } from './support/cluster.js';
import {
  available,
  type EngineEnv,
  imageOf,
  type RolloutObject,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

const REPLICAS = 3;
const STEPS = [{ setWeight: 34 }, { pause: {} }];
const GENERATION = 'rollout.argoproj.io/workload-generation';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function deploymentManifest(name: string, image: string): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

function refRollout(name: string, deployment: string, scaleDown?: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: REPLICAS,
      workloadRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment,
        ...(scaleDown ? { scaleDown } : {}),
      },
      strategy: { canary: { steps: STEPS } },
    },
  };
}

const annotationOf = (r: RolloutObject) =>
  (r.metadata as { annotations?: Record<string, string> }).annotations?.[GENERATION];
const observedOf = (r: RolloutObject) =>
  (r.status as { workloadObservedGeneration?: string } | undefined)?.workloadObservedGeneration;

/** Runs the plugin in process (`kubectl vireo <args>` as the cluster admin); resolves with exit code and output. */
async function vireo(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const writer = { write: (text: string) => (out += text) };
  const io = {
    out: writer,
    err: writer,
    env: {},
    now: () => new Date(),
    signal: new AbortController().signal,
  };
  const code = await runCli([...args, `--kubeconfig=${clusterInfo().kubeconfigPath}`], io);
  return { code, out };
}

describe('spec.workloadRef against the real control plane, as the deploy/ ServiceAccount', () => {
  let env: EngineEnv;
  let apps: AppsV1Api;

  const deployment = (name: string) => apps.readNamespacedDeployment({ name, namespace: env.namespace });

  /** Creates the Deployment and waits until all its pods are available (the app the Rollout adopts). */
  async function runningDeployment(name: string, image: string): Promise<void> {
    await apps.createNamespacedDeployment({
      namespace: env.namespace,
      body: deploymentManifest(name, image),
    });
    await pollUntil(async () => (await deployment(name)).status?.availableReplicas === REPLICAS, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: `Deployment ${name} available`,
    });
  }

  /** Polls the Deployment's spec.replicas until `wanted`; returns every value seen on the way. */
  async function deploymentReplicas(name: string, wanted: number): Promise<number[]> {
    const seen: number[] = [];
    await pollUntil(
      async () => {
        const replicas = (await deployment(name)).spec?.replicas ?? 1;
        if (seen.at(-1) !== replicas) seen.push(replicas);
        return replicas === wanted;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: `Deployment ${name} at ${wanted} replicas` },
    );
    return seen;
  }

  /** Adopts Deployment `name` with a Rollout of the same name; resolves once Healthy with the generation observed. */
  async function adopt(name: string, scaleDown?: string): Promise<RolloutObject> {
    await runningDeployment(name, 'registry.example/web:1.0.0');
    await env.api.create(refRollout(name, name, scaleDown));
    return env.api.waitFor(
      name,
      `Rollout ${name} Healthy with the workload generation observed`,
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        sets.length === 1 &&
        available(sets[0] ?? {}) === REPLICAS &&
        annotationOf(r) !== undefined &&
        annotationOf(r) === observedOf(r),
    );
  }

  beforeAll(async () => {
    env = await startEngine('workloadref');
    apps = env.kc.makeApiClient(AppsV1Api);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('scaleDown never: adopts the running Deployment and leaves it at full size', async () => {
    const r = await adopt('web-never', 'never');
    const live = await deployment('web-never');
    expect(annotationOf(r)).toBe(String(live.metadata?.generation));
    const [rs] = await env.api.replicaSets('web-never');
    expect(rs && imageOf(rs)).toBe('registry.example/web:1.0.0');
    expect(rs?.spec?.selector?.matchLabels?.app).toBe('web-never');
    expect(r.status?.selector).toBe('app=web-never');
    expect(live.spec?.replicas).toBe(REPLICAS);
    expect(live.status?.availableReplicas).toBe(REPLICAS);
  });

  it('scaleDown onsuccess: scales the Deployment to 0 once the Rollout is Healthy', async () => {
    await adopt('web-onsuccess', 'onsuccess');
    expect((await deploymentReplicas('web-onsuccess', 0)).at(-1)).toBe(0);
    const r = await env.api.waitFor('web-onsuccess', 'the scale-down generation observed', (r) => {
      return annotationOf(r) === observedOf(r) && r.status?.phase === 'Healthy';
    });
    expect(annotationOf(r)).toBe(String((await deployment('web-onsuccess')).metadata?.generation));
  });

  it('scaleDown progressively: hands the Deployment pods over to the Rollout, ending at 0', async () => {
    await adopt('web-progressive', 'progressively');
    const seen = await deploymentReplicas('web-progressive', 0);
    expect(seen.at(-1)).toBe(0);
    expect(seen.every((n, i) => i === 0 || n < (seen[i - 1] ?? 0))).toBe(true);
  });

  it("rolls a change of the Deployment's template through the canary steps", async () => {
    const name = 'web-onsuccess';
    const before = await env.api.get(name);
    await apps.patchNamespacedDeployment(
      {
        name,
        namespace: env.namespace,
        body: {
          spec: {
            template: { spec: { containers: [{ name: 'app', image: 'registry.example/web:2.0.0' }] } },
          },
        },
      },
      mergePatch,
    );
    const generation = String((await deployment(name)).metadata?.generation);
    const paused = await env.api.waitFor(
      name,
      'the canary of the new Deployment template paused at 34%',
      (r, sets) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        observedOf(r) === generation &&
        sets.some((rs) => imageOf(rs) === 'registry.example/web:2.0.0' && available(rs) === 1),
    );
    expect(annotationOf(paused)).toBe(generation);
    expect(paused.status?.stableRS).toBe(before.status?.stableRS);
    await env.api.patchStatus(name, { pauseConditions: null });
    await env.api.waitFor(
      name,
      'the new template promoted',
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        sets.filter((rs) => specReplicas(rs) > 0).every((rs) => imageOf(rs) === 'registry.example/web:2.0.0'),
    );
    expect((await deployment(name)).spec?.replicas).toBe(0);
  });

  it('kubectl vireo get/set image/undo act on the referenced Deployment', async () => {
    const name = 'web-onsuccess';
    const ns = ['-n', env.namespace];
    const shown = await vireo(['get', 'rollout', name, ...ns]);
    expect(shown.out).toMatch(/WorkloadRef:\s+Deployment\/web-onsuccess \(scaleDown: onsuccess\)/);

    const set = await vireo(['set', 'image', name, 'app=registry.example/web:3.0.0', ...ns]);
    expect(set).toMatchObject({ code: 0 });
    const image = (await deployment(name)).spec?.template?.spec?.containers[0]?.image;
    expect(image).toBe('registry.example/web:3.0.0');
    expect((await env.api.get(name)).spec.template).toBeUndefined();
    await env.api.waitFor(
      name,
      'the canary of 3.0.0 paused',
      (r, sets) =>
        r.status?.phase === 'Paused' && sets.some((rs) => imageOf(rs) === 'registry.example/web:3.0.0'),
    );

    const undo = await vireo(['undo', name, ...ns]);
    expect(undo).toMatchObject({ code: 0 });
    const restored = (await deployment(name)).spec?.template;
    expect(restored?.spec?.containers[0]?.image).toBe('registry.example/web:2.0.0');
    expect(restored?.metadata?.labels?.['rollouts-pod-template-hash']).toBeUndefined();
    await env.api.waitFor(
      name,
      'the undo back to the stable 2.0.0',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
    );
  });

  it('takes the template from a PodTemplate (with its own selector) and follows its edits', async () => {
    const core = env.kc.makeApiClient(CoreV1Api);
    const template = (image: string) => ({
      metadata: { labels: { app: 'tmpl' } },
      spec: { containers: [{ name: 'app', image }] },
    });
    await core.createNamespacedPodTemplate({
      namespace: env.namespace,
      body: { metadata: { name: 'tmpl' }, template: template('registry.example/web:1.0.0') },
    });
    const rollout = refRollout('tmpl', 'tmpl') as { spec: Record<string, unknown> };
    rollout.spec.workloadRef = { apiVersion: 'v1', kind: 'PodTemplate', name: 'tmpl' };
    rollout.spec.selector = { matchLabels: { app: 'tmpl' } };
    await env.api.create(rollout);
    await env.api.waitFor('tmpl', 'the PodTemplate Rollout Healthy', (r) => r.status?.phase === 'Healthy');
    await core.patchNamespacedPodTemplate(
      { name: 'tmpl', namespace: env.namespace, body: { template: template('registry.example/web:2.0.0') } },
      mergePatch,
    );
    await env.api.waitFor(
      'tmpl',
      'the canary of the edited PodTemplate',
      (r, sets) =>
        r.status?.phase === 'Paused' && sets.some((rs) => imageOf(rs) === 'registry.example/web:2.0.0'),
    );
  });

  it('reports a missing Deployment as InvalidSpec on spec.workloadRef.name and creates nothing', async () => {
    await env.api.create(refRollout('orphan', 'absent', 'onsuccess'));
    const r = await env.api.waitFor('orphan', 'the InvalidSpec condition', (r) =>
      (r.status?.conditions ?? []).some((c) => c.type === 'InvalidSpec' && c.status === 'True'),
    );
    const condition = r.status?.conditions?.find((c) => c.type === 'InvalidSpec');
    expect(condition?.message).toMatch(/^spec\.workloadRef\.name: Deployment "absent" not found/);
    expect(r.status?.phase).toBe('Degraded');
    expect(await env.api.replicaSets('orphan')).toEqual([]);

    // Not runningDeployment: with scaleDown onsuccess the Rollout may become Healthy, and scale the
    // Deployment to 0, before the Deployment's own pods are available.
    await apps.createNamespacedDeployment({
      namespace: env.namespace,
      body: deploymentManifest('absent', 'registry.example/web:1.0.0'),
    });
    await env.api.waitFor(
      'orphan',
      'the Rollout recovered once the Deployment exists',
      (r) => r.status?.phase === 'Healthy',
    );
    expect(await deploymentReplicas('absent', 0)).toContain(0);
  });
});
