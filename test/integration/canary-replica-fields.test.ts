import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import {
  available,
  type EngineEnv,
  hashOf,
  kubectl,
  type RolloutObject,
  specReplicas,
  startEngine,
} from './support/rollouts.js';
import {
  createServices,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

/** Pods of a template with this label run but never become Ready (harness/kwok-stages.yaml). */
const NEVER_READY = { 'vireo.test/ready': 'false' };

describe('canary replica fields on the real control plane', () => {
  let env: EngineEnv;
  let t: TrafficEnv;

  /** An Istio canary `name` (Services `<name>-stable`/`<name>-canary`, VirtualService `<name>`) with extra fields. */
  async function createIstioRollout(
    name: string,
    replicas: number,
    steps: object[],
    extra: object,
    labels = {},
  ) {
    await createServices(t.client, t.namespace, name, [`${name}-stable`, `${name}-canary`]);
    const vs = virtualService(name, [splitRoute('primary', `${name}-stable`, `${name}-canary`)]);
    await t.client.create(Resources.virtualServices, t.namespace, vs);
    const istio = { virtualService: { name, routes: ['primary'] } };
    const canary = {
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      trafficRouting: { istio },
      ...extra,
    };
    await env.api.create(
      canaryRollout(name, `registry.example/${name}:1`, { replicas, steps, canary, labels }),
    );
    return env.api.waitFor(name, `${name} v1 Healthy`, (r) => r.status?.phase === 'Healthy');
  }

  /**
   * One consistent observation: VirtualService weights read before and after the ReplicaSets (`undefined`
   * when the weights moved in between, so the ReplicaSets cannot be judged against them).
   */
  async function observe(name: string) {
    const before = await vsWeights(t, name, 'primary');
    const sets = await env.api.replicaSets(name);
    const after = await vsWeights(t, name, 'primary');
    const r = await env.api.get(name);
    const stable = before[`${name}-stable`] ?? 0;
    return { r, sets, stableWeight: stable === (after[`${name}-stable`] ?? 0) ? stable : undefined, after };
  }

  /** Stable share safety: the stable ReplicaSet has the available pods for the share the router gives it. */
  function expectStableCarries(sets: V1ReplicaSet[], r: RolloutObject, stableWeight: number | undefined) {
    if (stableWeight === undefined || stableWeight === 0) return;
    const replicas = Number(r.spec.replicas ?? 1);
    const stable = sets.find((rs) => hashOf(rs) === r.status?.stableRS);
    expect(available(stable ?? {}), `stable share ${stableWeight}%`).toBeGreaterThanOrEqual(
      Math.ceil((replicas * stableWeight) / 100),
    );
  }

  /** Polls until `done` holds, checking stable share safety on every observation. */
  async function watchUntil(
    name: string,
    description: string,
    done: (o: Awaited<ReturnType<typeof observe>>) => boolean,
  ) {
    return pollUntil(
      async () => {
        const o = await observe(name);
        expectStableCarries(o.sets, o.r, o.stableWeight);
        return done(o) && o;
      },
      { timeoutMs: 90_000, intervalMs: 150, description },
    );
  }

  const countsOf = (sets: V1ReplicaSet[], hash: string | undefined) => {
    const rs = sets.find((s) => hashOf(s) === hash);
    return [specReplicas(rs ?? {}), available(rs ?? {})];
  };

  beforeAll(async () => {
    env = await startEngine('replica-fields');
    t = trafficEnvOf(env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('dynamicStableScale + minPodsPerReplicaSet: counts at each step, stable never short of its share', async () => {
    const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];
    const extra = {
      dynamicStableScale: true,
      minPodsPerReplicaSet: 2,
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 30 } },
    };
    const v1 = await createIstioRollout('dss', 5, steps, extra);
    const stable = v1.status?.stableRS;
    await env.api.patchSpec('dss', imagePatch('registry.example/dss:2'));
    // [step index, canary spec/available, stable spec/available, canary weight]
    const expected: [number, number[], number[], number][] = [
      [1, [2, 2], [4, 4], 20],
      [3, [3, 3], [2, 2], 60],
    ];
    for (const [i, [index, canaryCounts, stableCounts, weight]] of expected.entries()) {
      if (i > 0) await env.api.patchStatus('dss', { pauseConditions: null });
      const o = await watchUntil('dss', `paused at ${weight}% with the stable scaled`, (x) => {
        const s = x.r.status;
        return (
          s?.phase === 'Paused' &&
          s.currentStepIndex === index &&
          countsOf(x.sets, stable)[0] === stableCounts[0] &&
          countsOf(x.sets, stable)[1] === stableCounts[1]
        );
      });
      expect(countsOf(o.sets, o.r.status?.currentPodHash)).toEqual(canaryCounts);
      expect(o.after).toEqual({ 'dss-stable': 100 - weight, 'dss-canary': weight });
    }
    const sets = await env.api.replicaSets('dss');
    const canaryRs = sets.find((rs) => hashOf(rs) !== stable);
    const term =
      canaryRs?.spec?.template?.spec?.affinity?.podAntiAffinity
        ?.preferredDuringSchedulingIgnoredDuringExecution?.[0];
    expect(term?.weight).toBe(30);
    expect(term?.podAffinityTerm.labelSelector?.matchExpressions?.[0]?.values).toEqual([stable]);
    await env.api.patchStatus('dss', { pauseConditions: null });
    const done = await watchUntil('dss', 'v2 Healthy with the old stable at 0', (x) => {
      return x.r.status?.phase === 'Healthy' && countsOf(x.sets, stable)[0] === 0;
    });
    expect(countsOf(done.sets, done.r.status?.stableRS)).toEqual([5, 5]);
  });

  it('minPodsPerReplicaSet alone: the canary floor at each step, the stable kept whole', async () => {
    const steps = [{ setWeight: 10 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];
    const v1 = await createIstioRollout('mpr', 4, steps, { minPodsPerReplicaSet: 2 });
    const stable = v1.status?.stableRS;
    await env.api.patchSpec('mpr', imagePatch('registry.example/mpr:2'));
    // [step index, canary spec/available, canary weight]: 10% of 4 is 1 pod, floored to 2; 60% is 3.
    const expected: [number, number[], number][] = [
      [1, [2, 2], 10],
      [3, [3, 3], 60],
    ];
    for (const [i, [index, canaryCounts, weight]] of expected.entries()) {
      if (i > 0) await env.api.patchStatus('mpr', { pauseConditions: null });
      const o = await watchUntil('mpr', `paused at ${weight}%`, (x) => {
        const s = x.r.status;
        return s?.phase === 'Paused' && s.currentStepIndex === index && x.after['mpr-canary'] === weight;
      });
      expect(countsOf(o.sets, o.r.status?.currentPodHash)).toEqual(canaryCounts);
      expect(countsOf(o.sets, stable)).toEqual([4, 4]);
    }
  });

  it('dynamicStableScale abort: the weight steps back through the setWeights as stable pods return', async () => {
    const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: {} }];
    const v1 = await createIstioRollout('dab', 4, steps, { dynamicStableScale: true });
    const stable = v1.status?.stableRS;
    await env.api.patchSpec('dab', imagePatch('registry.example/dab:2'));
    await env.api.waitFor('dab', 'paused at 25%', (r) => r.status?.currentStepIndex === 1);
    await env.api.patchStatus('dab', { pauseConditions: null });
    await watchUntil('dab', 'paused at 75% with the stable at 1', (x) => {
      return x.r.status?.currentStepIndex === 3 && countsOf(x.sets, stable)[1] === 1;
    });
    await env.api.patchStatus('dab', { abort: true });
    const weights: number[] = [];
    await watchUntil('dab', 'all traffic back on a full stable, canary at 0', (x) => {
      const w = x.after['dab-canary'] ?? 0;
      if (weights.at(-1) !== w) weights.push(w);
      return (
        w === 0 && countsOf(x.sets, stable)[1] === 4 && countsOf(x.sets, x.r.status?.currentPodHash)[0] === 0
      );
    });
    // Observed every 150 ms, so a short-lived 25% can be missed: the weights seen start at 75, end at 0 and
    // only step down through the setWeight values (the stable's share is checked at every observation).
    expect(weights[0]).toBe(75);
    expect(weights.at(-1)).toBe(0);
    expect(weights.every((w) => [75, 25, 0].includes(w))).toBe(true);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
  });

  it('replicaProgressThreshold lets a step complete with some canary pods not ready', async () => {
    const steps = [{ setWeight: 50 }, { pause: {} }];
    const extra = { replicaProgressThreshold: { type: 'Pods', value: 1 } };
    await createIstioRollout('rpt', 4, steps, extra);
    await env.api.patchSpec('rpt', imagePatch('registry.example/rpt:2', NEVER_READY));
    const pods = await pollUntil(
      async () => {
        const r = await env.api.get('rpt');
        const canary = (await env.api.replicaSets('rpt')).find(
          (rs) => hashOf(rs) === r.status?.currentPodHash,
        );
        const list = canary ? await env.api.pods(canary.metadata?.name ?? '') : [];
        return list.length === 2 && list;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'two canary pods' },
    );
    const r = await env.api.get('rpt');
    expect(r.status?.currentStepIndex).toBe(0);
    const ready = JSON.stringify({
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'ContainersReady', status: 'True' },
        ],
      },
    });
    const pod = pods[0]?.metadata?.name ?? '';
    await kubectl([
      '-n',
      env.namespace,
      'patch',
      'pod',
      pod,
      '--subresource=status',
      '--type=strategic',
      '-p',
      ready,
    ]);
    const paused = await env.api.waitFor(
      'rpt',
      'the pause after setWeight 50',
      (x) => x.status?.currentStepIndex === 1,
    );
    const sets = await env.api.replicaSets('rpt');
    expect(countsOf(sets, paused.status?.currentPodHash)).toEqual([2, 1]);
    expect(await vsWeights(t, 'rpt', 'primary')).toEqual({ 'rpt-stable': 50, 'rpt-canary': 50 });
  });

  it('scaleDownDelayRevisionLimit 1: only the newest old ReplicaSet waits for its deadline', async () => {
    const extra = { scaleDownDelaySeconds: 300, scaleDownDelayRevisionLimit: 1 };
    const v1 = await createIstioRollout('sdl', 2, [], extra);
    await env.api.patchSpec('sdl', imagePatch('registry.example/sdl:2'));
    const v2 = await env.api.waitFor(
      'sdl',
      'v2 Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS !== v1.status?.stableRS,
    );
    await env.api.patchSpec('sdl', imagePatch('registry.example/sdl:3'));
    const v3 = await env.api.waitFor(
      'sdl',
      'v3 Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS !== v2.status?.stableRS,
    );
    const sets = await pollUntil(
      async () => {
        const list = await env.api.replicaSets('sdl');
        return countsOf(list, v1.status?.stableRS)[0] === 0 && list;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'v1 scaled down past the limit' },
    );
    const v2rs = sets.find((rs) => hashOf(rs) === v2.status?.stableRS);
    expect(specReplicas(v2rs ?? {})).toBe(2);
    expect(v2rs?.metadata?.annotations?.['scale-down-deadline']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(countsOf(sets, v3.status?.stableRS)).toEqual([2, 2]);
  });
});
