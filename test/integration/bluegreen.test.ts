import { CoreV1Api, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from './support/analysis.js';
import { imagePatch } from './support/canary.js';
import { clusterInfo } from './support/cluster.js';
import {
  available,
  type EngineEnv,
  hashOf,
  type RolloutObject,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

let env: EngineEnv;
let core: CoreV1Api;

function blueGreenRollout(name: string, blueGreen: object, replicas = 3): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'shop:v1' }] },
      },
      strategy: {
        blueGreen: { activeService: `${name}-active`, previewService: `${name}-preview`, ...blueGreen },
      },
    },
  };
}

async function services(name: string): Promise<void> {
  for (const svc of [`${name}-active`, `${name}-preview`]) {
    await core.createNamespacedService({
      namespace: env.namespace,
      body: { metadata: { name: svc }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
    });
  }
}

async function selectorHash(service: string): Promise<string | undefined> {
  const svc = await core.readNamespacedService({ name: service, namespace: env.namespace });
  return svc.spec?.selector?.['rollouts-pod-template-hash'];
}

/**
 * On every observation: the active Service selects a ReplicaSet with available pods. The Service is read
 * before the ReplicaSets (a new ReplicaSet's availability only grows), so a stale read cannot fake a violation.
 */
async function activeServes(name: string): Promise<void> {
  const hash = await selectorHash(`${name}-active`);
  if (hash === undefined) return;
  const rs = (await env.api.replicaSets(name)).find((s) => hashOf(s) === hash);
  expect(rs && available(rs), `active → ${hash}`).toBeGreaterThan(0);
}

async function waitFor(
  name: string,
  what: string,
  predicate: (r: RolloutObject, sets: V1ReplicaSet[]) => boolean,
) {
  let checks: Promise<void> = Promise.resolve();
  const r = await env.api.waitFor(name, what, predicate, () => {
    checks = checks.then(() => activeServes(name));
  });
  await checks;
  return r;
}

/** Deploys `name` and updates it to shop:v2; returns the two hashes. */
async function deployAndUpdate(name: string, blueGreen: object) {
  await services(name);
  await env.api.create(blueGreenRollout(name, blueGreen));
  const v1 = await waitFor(name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
  await env.api.patchSpec(name, imagePatch('shop:v2', { app: name }));
  const v2 = await waitFor(
    name,
    'a new revision',
    (r) => Boolean(r.status?.currentPodHash) && r.status?.currentPodHash !== v1.status?.stableRS,
  );
  return { stable: v1.status?.stableRS ?? '', next: v2.status?.currentPodHash ?? '' };
}

/** A one-measurement template passing when the PromQL constant `vector(value)` is 1. */
function analysisTemplateSpec(value: number): object {
  const provider = { prometheus: { address: clusterInfo().prometheusUrl, query: `vector(${value})` } };
  return { metrics: [{ name: 'smoke', count: 1, successCondition: 'result[0] == 1', provider }] };
}

beforeAll(async () => {
  env = await startEngine('bluegreen');
  core = env.kc.makeApiClient(CoreV1Api);
  for (const [name, value] of [
    ['passes', 1],
    ['fails', 0],
  ] as const) {
    await createTemplate(env, name, analysisTemplateSpec(value));
  }
});

afterAll(async () => env?.stop());

describe('blue-green on the real control plane (controller as the deploy ServiceAccount)', () => {
  it('previews the new version, pauses until promoted, switches active, scales the old one down after the delay', async () => {
    const name = 'manual';
    const { stable, next } = await deployAndUpdate(name, {
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 2,
      previewReplicaCount: 1,
    });
    const paused = await waitFor(name, 'BlueGreenPause', (r) => r.status?.phase === 'Paused');
    expect(paused.status?.pauseConditions?.[0]?.reason).toBe('BlueGreenPause');
    expect(await selectorHash(`${name}-preview`)).toBe(next);
    expect(await selectorHash(`${name}-active`)).toBe(stable);
    expect((await env.api.replicaSets(name)).find((rs) => hashOf(rs) === next)?.spec?.replicas).toBe(1);
    await env.api.patchStatus(name, { pauseConditions: null });
    const done = await waitFor(
      name,
      'promoted',
      (r) => r.status?.phase === 'Healthy' && r.status?.stableRS === next,
    );
    expect(done.status?.blueGreen?.activeSelector).toBe(next);
    expect(await selectorHash(`${name}-active`)).toBe(next);
    await waitFor(name, 'old scaled down', (_r, sets) =>
      sets.some((rs) => hashOf(rs) === stable && specReplicas(rs) === 0),
    );
  });

  it('auto-promotes after autoPromotionSeconds', async () => {
    const name = 'auto';
    const { next } = await deployAndUpdate(name, { autoPromotionSeconds: 2 });
    await waitFor(
      name,
      'paused before promotion',
      (r) => r.status?.pauseConditions?.[0]?.reason === 'BlueGreenPause',
    );
    const done = await waitFor(
      name,
      'auto-promoted',
      (r) => r.status?.stableRS === next && r.status?.phase === 'Healthy',
    );
    expect(done.status?.pauseConditions ?? []).toEqual([]);
  });

  it('pre-promotion analysis that passes lets the switch happen; post-promotion analysis gates stable', async () => {
    const name = 'analysed';
    const analysis = { templates: [{ templateName: 'passes' }] };
    const { next } = await deployAndUpdate(name, {
      prePromotionAnalysis: analysis,
      postPromotionAnalysis: analysis,
    });
    const done = await waitFor(
      name,
      'promoted',
      (r) => r.status?.stableRS === next && r.status?.phase === 'Healthy',
    );
    expect(done.status?.blueGreen?.prePromotionAnalysisRunStatus?.status).toBe('Successful');
    expect(done.status?.blueGreen?.postPromotionAnalysisRunStatus?.status).toBe('Successful');
  });

  it('pre-promotion analysis that fails aborts: the active Service stays on the old version', async () => {
    const name = 'rejected';
    const { stable, next } = await deployAndUpdate(name, {
      prePromotionAnalysis: { templates: [{ templateName: 'fails' }] },
      abortScaleDownDelaySeconds: 1,
    });
    const aborted = await waitFor(name, 'aborted', (r) => r.status?.phase === 'Degraded');
    expect(aborted.status?.abort).toBe(true);
    expect(aborted.status?.message).toContain('PrePromotion analysis phase failed');
    expect(await selectorHash(`${name}-active`)).toBe(stable);
    await waitFor(name, 'preview scaled down', (_r, sets) =>
      sets.some((rs) => hashOf(rs) === next && specReplicas(rs) === 0),
    );
    expect(
      (await env.api.replicaSets(name)).find((rs) => hashOf(rs) === stable)?.status?.availableReplicas,
    ).toBe(3);
  });
});
