import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { experimentHealth } from '../support/argocd/health.js';
import { createTemplate } from './support/analysis.js';
import { canaryRollout } from './support/canary.js';
import { jobMetric } from './support/jobs.js';
import { available, type EngineEnv, hashOf, type RolloutObject, startEngine } from './support/rollouts.js';
import {
  createServices,
  selectedHash,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

interface ExperimentObject extends KubeObject {
  spec: { terminate?: boolean; duration?: string; templates: { name: string; service?: object }[] };
  status?: {
    phase?: string;
    message?: string;
    templateStatuses?: { name: string; serviceName?: string }[];
  };
}

/** An `experiment` step: a baseline (stable) and a canary copy at 5% each, and one job analysis. */
function experimentStep(analysisTemplate: string, duration: string): object {
  return {
    experiment: {
      duration,
      scaleDownDelaySeconds: 5,
      templates: [
        { name: 'baseline', specRef: 'stable', replicas: 1, weight: 5 },
        { name: 'canary', specRef: 'canary', replicas: 1, weight: 5 },
      ],
      analyses: [{ name: 'check', templateName: analysisTemplate }],
    },
  };
}

const stepsWith = (analysisTemplate: string, duration: string) => [
  { setWeight: 20 },
  experimentStep(analysisTemplate, duration),
  { setWeight: 100 },
];

/** A route of the user's that Vireo must leave alone. */
const ADMIN_ROUTE = {
  name: 'admin',
  match: [{ uri: { prefix: '/admin' } }],
  route: [{ destination: { host: 'shop-stable' } }],
};

interface CanaryStatus {
  currentExperiment?: string;
  weights?: { additional?: { serviceName?: string; weight: number }[] };
}

/** `status.canary` of the Rollout (not in the shared `RolloutObject` type). */
const canaryStatus = (r: RolloutObject): CanaryStatus =>
  (r.status as { canary?: CanaryStatus } | undefined)?.canary ?? {};

/**
 * The pod template of `image` with an HTTP port: an Experiment creates a template's Service only when its
 * pods expose ports (as Argo), and the weights go to those Services. A merge patch replaces the container
 * list, so every update restates the port.
 */
const podTemplate = (image: string) => ({
  metadata: { labels: { app: 'shop' } },
  spec: { containers: [{ name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }] }] },
});
const imagePatch = (image: string) => ({ template: podTemplate(image) });

/** What one observation saw: the route (read first), then the ReplicaSets and the Rollout. */
interface Observation {
  weights: Record<string, number>;
  sets: V1ReplicaSet[];
  rollout: RolloutObject;
}

describe('Istio canary with an experiment step (weights to the Experiment Services), end to end', () => {
  let env: EngineEnv;
  let t: TrafficEnv;

  const allReplicaSets = async (): Promise<V1ReplicaSet[]> =>
    (await t.client.list<KubeObject & V1ReplicaSet>(Resources.replicaSets, t.namespace)).items;

  const experiments = async (): Promise<ExperimentObject[]> =>
    (await t.client.list<ExperimentObject>(Resources.experiments, t.namespace)).items;

  const experiment = async (name: string): Promise<ExperimentObject> =>
    t.client.get<ExperimentObject>(Resources.experiments, t.namespace, name);

  /** Available pods behind the Service `name` (the ReplicaSet its pod-template-hash selects). */
  const availableBehind = async (name: string, sets: V1ReplicaSet[]): Promise<number> => {
    const hash = await selectedHash(t, name).catch(() => undefined);
    return sets
      .filter((rs) => hash !== undefined && hashOf(rs) === hash)
      .reduce((n, rs) => n + available(rs), 0);
  };

  /**
   * The safety invariants on one observation: the route's weights sum to 100, and every destination with
   * weight (stable, canary, Experiment Services) has available pods behind it. The route is read before the
   * ReplicaSets: pods are scaled up before traffic moves to them and scaled down only after it left.
   */
  const observe = async (): Promise<Observation> => {
    const weights = await vsWeights(t, 'shop', 'primary');
    const sets = await allReplicaSets();
    const rollout = await env.api.get('shop');
    const total = Object.values(weights).reduce((sum, w) => sum + w, 0);
    expect(total, JSON.stringify(weights)).toBe(100);
    for (const [host, weight] of Object.entries(weights)) {
      if (weight > 0)
        expect(await availableBehind(host, sets), `${host} has ${weight}% and no pod`).toBeGreaterThan(0);
    }
    return { weights, sets, rollout };
  };

  /** Polls `observe` until `done` holds, checking the invariants at every observation; a timeout says what it saw last. */
  const watch = <T>(
    description: string,
    done: (o: Observation) => T | false,
    seen?: (o: Observation) => void,
  ) => {
    let last: Observation | undefined;
    return pollUntil(
      async () => {
        const o = await observe();
        last = o;
        seen?.(o);
        return done(o);
      },
      { timeoutMs: 200_000, intervalMs: 250, description },
    ).catch(async (err: Error) => {
      const seenExperiments = (await experiments()).map((e) => [
        e.metadata?.name,
        e.status?.phase,
        e.spec.terminate,
      ]);
      const detail = { weights: last?.weights, status: last?.rollout.status, experiments: seenExperiments };
      throw new Error(`${err.message}; last seen: ${JSON.stringify(detail)}`);
    });
  };

  beforeAll(async () => {
    env = await startEngine('istio-experiment');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'shop', ['shop-stable', 'shop-canary']);
    const vs = virtualService('shop', [
      ADMIN_ROUTE,
      { ...splitRoute('primary', 'shop-stable', 'shop-canary'), timeout: '5s' },
    ]);
    await t.client.create(Resources.virtualServices, t.namespace, vs);
    await createTemplate(env, 'job-pass', { metrics: [jobMetric('job', 0)] });
    await createTemplate(env, 'job-fail', { metrics: [jobMetric('job', 1)] });
    const canary = {
      canaryService: 'shop-canary',
      stableService: 'shop-stable',
      abortScaleDownDelaySeconds: 2,
      trafficRouting: { istio: { virtualService: { name: 'shop', routes: ['primary'] } } },
    };
    const steps = stepsWith('job-pass', '8s');
    const rollout = canaryRollout('shop', 'registry.example/shop:1', { replicas: 4, steps, canary });
    await env.api.create({
      ...rollout,
      spec: { ...(rollout as { spec: object }).spec, ...imagePatch('registry.example/shop:1') },
    });
    await env.api.waitFor('shop', 'a Healthy first deploy', (r) => r.status?.phase === 'Healthy');
  }, 300_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('runs the Experiment with 5% + 5% routed to its Services, then promotes when it succeeds', async () => {
    await env.api.patchSpec('shop', imagePatch('registry.example/shop:2'));
    const running = await watch('the Experiment to carry traffic', (o) => {
      const name = canaryStatus(o.rollout).currentExperiment;
      const routed = Object.keys(o.weights).filter((h) => h !== 'shop-stable' && h !== 'shop-canary');
      return name !== undefined && routed.length === 2 && { name, o };
    });
    const canaryHash = running.o.rollout.status?.currentPodHash ?? '';
    expect(running.name).toBe(`shop-${canaryHash}-2-1`);
    expect(running.o.weights).toEqual({
      'shop-stable': 70,
      'shop-canary': 20,
      [`${running.name}-baseline`]: 5,
      [`${running.name}-canary`]: 5,
    });
    expect(
      canaryStatus(running.o.rollout).weights?.additional?.map((w) => [w.serviceName, w.weight]),
    ).toEqual([
      [`${running.name}-baseline`, 5],
      [`${running.name}-canary`, 5],
    ]);
    const ex = await experiment(running.name);
    expect(ex.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Rollout',
      name: 'shop',
      controller: true,
    });
    expect(ex.metadata?.labels?.['rollouts-pod-template-hash']).toBe(canaryHash);
    expect(ex.metadata?.annotations?.['rollout.argoproj.io/revision']).toBe('2');
    expect(ex.spec.duration).toBe('8s');

    const done = await watch('promotion after the Experiment succeeded', (o) => {
      const s = o.rollout.status;
      // The pass that promotes records Healthy; the next one moves the weights back to the new stable.
      return s?.phase === 'Healthy' && s.stableRS === canaryHash && o.weights['shop-stable'] === 100 && o;
    });
    expect(done.weights).toEqual({ 'shop-stable': 100, 'shop-canary': 0 });
    const finished = await experiment(running.name);
    expect(finished.status?.phase).toBe('Successful');
    expect(finished.spec.terminate).toBeUndefined();
    expect(experimentHealth({ status: finished.status }).status).toBe('Healthy');
    expect(canaryStatus(done.rollout).currentExperiment).toBeUndefined();
    const reasons = (await env.api.events('shop')).map((e) => e.reason);
    expect(reasons).toContain('ExperimentCreated');
  }, 300_000);

  it('terminates the running Experiment when the Rollout is updated, and aborts when the next one fails', async () => {
    const stable = (await env.api.get('shop')).status?.stableRS ?? '';
    await env.api.patchSpec('shop', {
      ...imagePatch('registry.example/shop:3'),
      strategy: { canary: { steps: stepsWith('job-pass', '1h') } },
    });
    const held = await watch('the v3 Experiment to carry traffic', (o) => {
      const name = canaryStatus(o.rollout).currentExperiment;
      return name !== undefined && (o.weights[`${name}-canary`] ?? 0) === 5 && name;
    });

    await env.api.patchSpec('shop', {
      ...imagePatch('registry.example/shop:4'),
      strategy: { canary: { steps: stepsWith('job-fail', '1h') } },
    });
    let canaryDownWhileRouted = false;
    const aborted = await watch(
      'the abort of v4 after its Experiment failed',
      (o) => {
        const s = o.rollout.status;
        const canary = o.sets.find(
          (rs) => hashOf(rs) === s?.currentPodHash && rs.metadata?.name?.startsWith('shop-'),
        );
        return s?.abort === true && (canary?.spec?.replicas ?? 0) === 0 && o;
      },
      (o) => {
        const canary = o.sets.find((rs) => rs.metadata?.name === `shop-${o.rollout.status?.currentPodHash}`);
        if ((o.weights['shop-canary'] ?? 0) > 0 && canary && (canary.spec?.replicas ?? 0) === 0)
          canaryDownWhileRouted = true;
      },
    );
    expect(canaryDownWhileRouted).toBe(false);
    expect(aborted.rollout.status?.stableRS).toBe(stable);
    expect(aborted.weights).toEqual({ 'shop-stable': 100, 'shop-canary': 0 });
    // What the user wrote outside the managed weights is untouched: the other route, the route's timeout.
    const vs = await t.client.get<KubeObject & { spec: { http: { timeout?: string }[] } }>(
      Resources.virtualServices,
      t.namespace,
      'shop',
    );
    expect(vs.spec.http[0]).toEqual(ADMIN_ROUTE);
    expect(vs.spec.http[1]?.timeout).toBe('5s');
    expect(aborted.rollout.status?.message).toContain('Metric "job" assessed Failed');
    expect(canaryStatus(aborted.rollout).weights?.additional).toBeUndefined();

    const old = await experiment(held);
    expect(old.spec.terminate).toBe(true);
    const v4 = (await experiments()).find(
      (e) => e.metadata?.labels?.['rollouts-pod-template-hash'] === aborted.rollout.status?.currentPodHash,
    );
    expect(v4?.status?.phase).toBe('Failed');
    expect(experimentHealth({ status: v4?.status }).status).toBe('Degraded');
  }, 400_000);
});
