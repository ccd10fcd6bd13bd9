import { CoreV1Api, CustomObjectsApi, type V1Pod, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { type HealthVerdict, rolloutHealth } from '../support/argocd/health.js';
import { createTemplate, runsOf } from './support/analysis.js';
import { imagePatch } from './support/canary.js';
import { clusterInfo } from './support/cluster.js';
import { available, type EngineEnv, hashOf, type RolloutObject, startEngine } from './support/rollouts.js';

let env: EngineEnv;
let core: CoreV1Api;

const METADATA = {
  previewMetadata: { labels: { role: 'preview' }, annotations: { 'example.com/track': 'preview' } },
  activeMetadata: { labels: { role: 'active' } },
};

function blueGreenRollout(name: string, blueGreen: object): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'shop:v1' }] },
      },
      strategy: {
        blueGreen: {
          activeService: `${name}-active`,
          previewService: `${name}-preview`,
          ...METADATA,
          ...blueGreen,
        },
      },
    },
  };
}

/** A one-measurement template passing when the PromQL constant `vector(value)` is 1. */
function templateSpec(value: number): object {
  const provider = { prometheus: { address: clusterInfo().prometheusUrl, query: `vector(${value})` } };
  return { metrics: [{ name: 'smoke', count: 1, successCondition: 'result[0] == 1', provider }] };
}

async function deleteTemplate(name: string): Promise<void> {
  await env.kc.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: env.namespace,
    plural: 'analysistemplates',
    name,
  });
}

async function services(name: string): Promise<void> {
  for (const svc of [`${name}-active`, `${name}-preview`]) {
    const spec = { selector: { app: name }, ports: [{ port: 80 }] };
    await core.createNamespacedService({ namespace: env.namespace, body: { metadata: { name: svc }, spec } });
  }
}

async function selectorHash(service: string): Promise<string | undefined> {
  const svc = await core.readNamespacedService({ name: service, namespace: env.namespace });
  return svc.spec?.selector?.['rollouts-pod-template-hash'];
}

/**
 * Watches Rollout `name` by polling with a deadline. On every observation the active Service (read first,
 * so a stale read cannot fake a violation: availability of a ReplicaSet it points at only grows) must select
 * a ReplicaSet with available pods, and Argo CD's verdict is recorded when it changes.
 */
class Observer {
  readonly verdicts: string[] = [];
  constructor(readonly name: string) {}

  async until(what: string, predicate: (r: RolloutObject, sets: V1ReplicaSet[]) => boolean) {
    return pollUntil(
      async () => {
        const active = await selectorHash(`${this.name}-active`);
        const sets = await env.api.replicaSets(this.name);
        const r = await env.api.get(this.name);
        if (active !== undefined) {
          const rs = sets.find((s) => hashOf(s) === active);
          expect(rs && available(rs), `active → ${active} (${what})`).toBeGreaterThan(0);
        }
        const v: HealthVerdict = rolloutHealth(r);
        const text = `${v.status}: ${v.message}`;
        if (this.verdicts.at(-1) !== text) this.verdicts.push(text);
        return predicate(r, sets) && r;
      },
      { timeoutMs: 120_000, intervalMs: 200, description: `${this.name}: ${what}` },
    );
  }
}

async function podsOf(name: string, hash: string | undefined): Promise<V1Pod[]> {
  const rs = (await env.api.replicaSets(name)).find((s) => hashOf(s) === hash);
  return rs ? env.api.pods(rs.metadata?.name ?? '') : [];
}

/** Polls until every pod of the ReplicaSet `hash` (at least `count`) satisfies `ok`. */
async function podsUntil(
  name: string,
  hash: string | undefined,
  count: number,
  what: string,
  ok: (p: V1Pod) => boolean,
) {
  return pollUntil(
    async () => {
      const pods = await podsOf(name, hash);
      return pods.length >= count && pods.every(ok) && pods;
    },
    { timeoutMs: 60_000, intervalMs: 250, description: `${name}: ${what}` },
  );
}

const role = (value: string | undefined) => (p: V1Pod) => p.metadata?.labels?.role === value;

beforeAll(async () => {
  env = await startEngine('bg-meta');
  core = env.kc.makeApiClient(CoreV1Api);
  await createTemplate(env, 'passes', templateSpec(1));
  await createTemplate(env, 'gate', templateSpec(0));
});

afterAll(async () => env?.stop());

describe('blue-green metadata and Argo CD health on the real control plane', () => {
  it('preview pods carry previewMetadata, active pods activeMetadata; Argo CD follows every phase', async () => {
    const name = 'meta';
    const analysis = { templates: [{ templateName: 'passes' }] };
    await services(name);
    await env.api.create(
      blueGreenRollout(name, {
        autoPromotionEnabled: false,
        previewReplicaCount: 1,
        prePromotionAnalysis: analysis,
        postPromotionAnalysis: analysis,
        scaleDownDelaySeconds: 30,
      }),
    );
    const watch = new Observer(name);
    const v1 = await watch.until('v1 Healthy', (r) => r.status?.phase === 'Healthy');
    const stable = v1.status?.stableRS;
    await podsUntil(name, stable, 2, 'v1 pods active', role('active'));
    expect(watch.verdicts.at(-1)).toBe('Healthy: ');
    watch.verdicts.length = 0;

    await env.api.patchSpec(name, imagePatch('shop:v2', { app: name }));
    const paused = await watch.until('BlueGreenPause', (r) => r.status?.phase === 'Paused');
    const next = paused.status?.currentPodHash;
    expect(paused.status?.blueGreen?.prePromotionAnalysisRunStatus?.status).toBe('Successful');
    expect(rolloutHealth(paused)).toEqual({ status: 'Suspended', message: 'BlueGreenPause' });
    const preview = await podsUntil(name, next, 1, 'preview pods labelled', role('preview'));
    expect(preview[0]?.metadata?.annotations?.['example.com/track']).toBe('preview');
    expect((await podsOf(name, stable)).map((p) => p.metadata?.labels?.role)).toEqual(['active', 'active']);
    expect(await selectorHash(`${name}-active`)).toBe(stable);
    expect(await selectorHash(`${name}-preview`)).toBe(next);

    await env.api.patchStatus(name, { pauseConditions: null });
    const done = await watch.until(
      'promoted',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === next,
    );
    expect(done.status?.blueGreen?.postPromotionAnalysisRunStatus?.status).toBe('Successful');
    expect(done.status?.blueGreen?.activeSelector).toBe(next);
    expect(done.status?.selector).toContain(`rollouts-pod-template-hash=${next}`);
    await podsUntil(
      name,
      next,
      2,
      'promoted pods relabelled active',
      (p) => role('active')(p) && !p.metadata?.annotations?.['example.com/track'],
    );
    await podsUntil(name, stable, 1, 'old active pods lose the active label', role(undefined));
    // Argo CD through the update: Progressing (spec not observed yet, preview scaling, analysis) → Suspended
    // → Progressing (cutover, post-promotion analysis) → Healthy, and nothing else.
    const seen = watch.verdicts;
    expect(seen[0]).toMatch(/^Progressing: /);
    expect(seen.at(-1)).toBe('Healthy: ');
    const suspended = seen.indexOf('Suspended: BlueGreenPause');
    expect(suspended).toBeGreaterThan(0);
    expect(seen.filter((v) => v.startsWith('Suspended'))).toEqual(['Suspended: BlueGreenPause']);
    expect(seen.slice(0, -1).every((v) => /^(Progressing|Suspended): /.test(v))).toBe(true);
    expect(seen.slice(suspended + 1, -1).length).toBeGreaterThan(0);
  });

  it('a failing pre-promotion analysis aborts (Degraded, active kept on the old version); retry re-runs it', async () => {
    const name = 'gated';
    await services(name);
    await env.api.create(
      blueGreenRollout(name, {
        prePromotionAnalysis: { templates: [{ templateName: 'gate' }] },
        abortScaleDownDelaySeconds: 0,
      }),
    );
    const watch = new Observer(name);
    const v1 = await watch.until('v1 Healthy', (r) => r.status?.phase === 'Healthy');
    const stable = v1.status?.stableRS;
    await env.api.patchSpec(name, imagePatch('shop:v2', { app: name }));
    const aborted = await watch.until('aborted', (r) => r.status?.phase === 'Degraded');
    const next = aborted.status?.currentPodHash;
    expect(rolloutHealth(aborted).status).toBe('Degraded');
    expect(rolloutHealth(aborted).message).toMatch(/^RolloutAborted: .*PrePromotion/);
    expect(await selectorHash(`${name}-active`)).toBe(stable);
    expect(aborted.status?.blueGreen?.activeSelector).toBe(stable);
    await podsUntil(name, next, 2, 'aborted preview kept (abortScaleDownDelaySeconds 0)', role('preview'));

    await deleteTemplate('gate');
    await createTemplate(env, 'gate', templateSpec(1));
    await env.api.patchStatus(name, { abort: false });
    const done = await watch.until(
      'retried and promoted',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === next,
    );
    expect(done.status?.blueGreen?.activeSelector).toBe(next);
    const pre = (await runsOf(env, name)).filter(
      (run) => run.metadata.labels?.['rollout-type'] === 'PrePromotion',
    );
    expect(pre.map((run) => run.status?.phase).sort()).toEqual(['Failed', 'Successful']);
    expect(watch.verdicts.at(-1)).toBe('Healthy: ');
  });
});
