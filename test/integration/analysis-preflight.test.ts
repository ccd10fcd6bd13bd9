import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { createTemplate } from './support/analysis.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { clusterInfo } from './support/cluster.js';
import { type EngineEnv, hashOf, type RolloutObject, specReplicas, startEngine } from './support/rollouts.js';

/**
 * Issue 21 item 1 on the real control plane, through the controller running as the deploy/ ServiceAccount:
 * a Rollout whose analysis names a template that is missing, uses a provider Vireo does not implement, or
 * has a condition that does not compile gets `InvalidSpec` naming the path before any canary ReplicaSet is
 * created, and proceeds once the template is fixed (its watch event enqueues the Rollout). The figures are
 * how long after the fix (the API call that creates or edits the template returned) the condition cleared
 * and the canary ReplicaSet appeared; the 20 s re-check would show as ≥ 20 s.
 */

let env: EngineEnv;
let custom: CustomObjectsApi;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const timings: { scenario: string; clearedMs: number; proceededMs: number }[] = [];
const clusterTemplates: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: template specs are written as users write YAML
type Spec = Record<string, any>;

const prom = (query: string) => ({ prometheus: { address: clusterInfo().prometheusUrl, query } });
const metric = (extra: Spec = {}): Spec => ({
  name: 'error-rate',
  count: 1,
  successCondition: 'result[0] < 1',
  provider: prom('vector(0)'),
  ...extra,
});
const GOOD: Spec = { metrics: [metric()] };
const steps = (templateName: string, clusterScope?: boolean) => [
  { setWeight: 50 },
  { analysis: { templates: [{ templateName, ...(clusterScope ? { clusterScope } : {}) }] } },
];

const invalidSpec = (r: RolloutObject) =>
  r.status?.conditions?.find((c) => c.type === 'InvalidSpec' && c.status === 'True');

const templateRef = (namespace: string, name: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'analysistemplates',
  name,
});

/** Replaces the metrics of AnalysisTemplate `name` (a merge patch replaces the whole list). */
async function patchTemplate(name: string, spec: Spec): Promise<void> {
  await custom.patchNamespacedCustomObject(
    { ...templateRef(env.namespace, name), body: { spec } },
    mergePatch,
  );
}

/** Waits for `InvalidSpec` on the Rollout's current generation; returns the Rollout and its ReplicaSets. */
async function heldInvalid(name: string, message: RegExp) {
  let sets: V1ReplicaSet[] = [];
  const r = await env.api.waitFor(name, 'InvalidSpec on the current generation', (ro, rs) => {
    sets = rs;
    return invalidSpec(ro) !== undefined && ro.status?.observedGeneration === String(ro.metadata.generation);
  });
  expect(invalidSpec(r)?.message).toMatch(message);
  expect(r.status?.phase).toBe('Degraded');
  expect(r.status?.message).toMatch(/^InvalidSpec: /);
  return { r, sets };
}

/**
 * After `fix` (which makes the referenced template usable), how long until the condition cleared and a
 * ReplicaSet of the new revision was scaled up, polled every 25 ms; then waits until the Rollout is Healthy
 * on the new revision.
 */
async function proceedsAfter(
  scenario: string,
  name: string,
  stable: string | undefined,
  fix: () => Promise<void>,
) {
  await fix();
  const fixedAt = performance.now();
  const fast = { timeoutMs: 60_000, intervalMs: 25 };
  await pollUntil(async () => invalidSpec(await env.api.get(name)) === undefined, {
    ...fast,
    description: `${name}: InvalidSpec cleared`,
  });
  const clearedMs = performance.now() - fixedAt;
  await pollUntil(
    async () => (await env.api.replicaSets(name)).some((rs) => hashOf(rs) !== stable && specReplicas(rs) > 0),
    { ...fast, description: `${name}: a ReplicaSet of the new revision scaled up` },
  );
  const proceededMs = performance.now() - fixedAt;
  timings.push({ scenario, clearedMs: Math.round(clearedMs), proceededMs: Math.round(proceededMs) });
  expect(proceededMs, 'proceeded through the template watch, not the 20 s re-check').toBeLessThan(10_000);
  const done = await env.api.waitFor(name, 'Healthy on the new revision', (r) => {
    const s = r.status ?? {};
    return s.phase === 'Healthy' && s.stableRS === s.currentPodHash && s.stableRS !== stable;
  });
  expect(done.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
}

beforeAll(async () => {
  env = await startEngine('preflight');
  custom = env.kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  for (const name of clusterTemplates) {
    await custom
      .deleteClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'clusteranalysistemplates',
        name,
      })
      .catch(() => {});
  }
  if (timings.length > 0)
    console.log(`analysis pre-flight timings (ms after the fix):\n${JSON.stringify(timings, null, 1)}`);
  await env?.stop();
});

/** Each case: the template an update names, as created before the update (undefined: not created). */
const UPDATE_CASES: [scenario: string, bad: Spec | undefined, message: (t: string) => RegExp][] = [
  [
    'missing template',
    undefined,
    (t) =>
      new RegExp(
        `^spec\\.strategy\\.canary\\.steps\\[1\\]\\.analysis\\.templates: Invalid value: "${t}": AnalysisTemplate '${t}' not found$`,
      ),
  ],
  [
    'unsupported provider',
    { metrics: [metric({ provider: { datadog: { query: 'avg:errors{*}' } } })] },
    (t) =>
      new RegExp(
        `^spec\\.strategy\\.canary\\.steps\\[1\\]\\.analysis\\.templates\\[0\\]: AnalysisTemplate '${t}': spec\\.metrics\\[0\\]\\.provider\\.datadog is not supported by Vireo`,
      ),
  ],
  [
    'non-compiling condition',
    { metrics: [metric({ successCondition: 'result[0] <' })] },
    (t) =>
      new RegExp(
        `^spec\\.strategy\\.canary\\.steps\\[1\\]\\.analysis\\.templates\\[0\\]: AnalysisTemplate '${t}': spec\\.metrics\\[0\\]\\.successCondition: .*\\(line 1, column \\d+\\)`,
      ),
  ],
];

describe('analysis pre-flight on the real control plane', () => {
  it.each(UPDATE_CASES)(
    'an update naming a template with a %s is InvalidSpec with the path, scales nothing, and proceeds once fixed',
    async (scenario, bad, message) => {
      const name = scenario.replace(/[^a-z]+/g, '-');
      const template = `${name}-t`;
      await createTemplate(env, `${name}-ok`, GOOD);
      await env.api.create(canaryRollout(name, 'shop:v1', { replicas: 2, steps: steps(`${name}-ok`) }));
      const v1 = await env.api.waitFor(name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
      const stable = v1.status?.stableRS;
      if (bad !== undefined) await createTemplate(env, template, bad);
      await env.api.patchSpec(name, {
        ...imagePatch('shop:v2'),
        strategy: { canary: { steps: steps(template) } },
      });
      const { r, sets } = await heldInvalid(name, message(template));
      expect(sets.map(hashOf), 'only the stable ReplicaSet exists').toEqual([stable]);
      expect(sets.map(specReplicas)).toEqual([2]);
      expect(r.status?.stableRS).toBe(stable);
      await proceedsAfter(scenario, name, stable, () =>
        bad === undefined ? createTemplate(env, template, GOOD) : patchTemplate(template, GOOD),
      );
    },
  );

  it('a first deploy naming a missing template creates no ReplicaSet; creating the template clears it', async () => {
    const name = 'first-deploy';
    const background = { templates: [{ templateName: 'created-later' }] };
    await env.api.create(canaryRollout(name, 'shop:v1', { replicas: 2, canary: { analysis: background } }));
    const { sets } = await heldInvalid(
      name,
      /^spec\.strategy\.canary\.analysis\.templates: Invalid value: "created-later": AnalysisTemplate 'created-later' not found$/,
    );
    expect(sets).toEqual([]);
    await proceedsAfter('template created after the Rollout (first deploy)', name, undefined, () =>
      createTemplate(env, 'created-later', { metrics: [metric({ interval: '5s', count: undefined })] }),
    );
  });

  it('a ClusterAnalysisTemplate created after the Rollout clears the condition', async () => {
    const name = 'cluster-scope';
    const cat = `late-${env.namespace}`;
    clusterTemplates.push(cat);
    await env.api.create(canaryRollout(name, 'shop:v1', { replicas: 2, steps: steps(cat, true) }));
    await heldInvalid(
      name,
      new RegExp(`templates: Invalid value: "${cat}": ClusterAnalysisTemplate '${cat}' not found$`),
    );
    await proceedsAfter('ClusterAnalysisTemplate created after the Rollout', name, undefined, async () => {
      await custom.createClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'clusteranalysistemplates',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ClusterAnalysisTemplate',
          metadata: { name: cat },
          spec: GOOD,
        },
      });
    });
  });

  it('a template that turns bad mid-update freezes the Rollout where it is (as Argo), and the fix resumes it', async () => {
    const name = 'mid-update';
    const template = `${name}-t`;
    await createTemplate(env, template, GOOD);
    const shape = { replicas: 2, steps: [{ setWeight: 50 }, { pause: {} }, ...steps(template).slice(1)] };
    await env.api.create(canaryRollout(name, 'shop:v1', shape));
    const v1 = await env.api.waitFor(name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    await env.api.patchSpec(name, imagePatch('shop:v2'));
    const paused = await env.api.waitFor(name, 'paused at step 1', (r) => r.status?.phase === 'Paused');
    const canaryBefore = (await env.api.replicaSets(name)).map((rs) => [hashOf(rs), specReplicas(rs)]).sort();
    await patchTemplate(template, { metrics: [metric({ provider: { newRelic: { query: 'SELECT 1' } } })] });
    const { r, sets } = await heldInvalid(name, /provider\.newRelic is not supported by Vireo/);
    expect(sets.map((rs) => [hashOf(rs), specReplicas(rs)]).sort()).toEqual(canaryBefore);
    expect(r.status?.currentStepIndex).toBe(paused.status?.currentStepIndex);
    await patchTemplate(template, GOOD);
    await env.api.waitFor(name, 'Paused again', (ro) => ro.status?.phase === 'Paused' && !invalidSpec(ro));
    await env.api.patchStatus(name, { pauseConditions: null });
    const done = await env.api.waitFor(name, 'Healthy on v2', (ro) => {
      const s = ro.status ?? {};
      return s.phase === 'Healthy' && s.stableRS === s.currentPodHash && s.stableRS !== v1.status?.stableRS;
    });
    expect(done.status?.stableRS).not.toBe(v1.status?.stableRS);
  });
});
