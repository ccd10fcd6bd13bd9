import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, hashOf, type RolloutObject, specReplicas, startEngine } from './support/rollouts.js';
import { createServices, type TrafficEnv, trafficEnvOf } from './support/traffic.js';

const PREFIX = 'alb.ingress.kubernetes.io';
const NAME = 'albr';
const ACTION = `${PREFIX}/actions.${NAME}-root`;
const BETA_ACTION = `${PREFIX}/actions.beta`;
const BETA_CONDITIONS = `${PREFIX}/conditions.beta`;

type Ingress = KubeObject & {
  spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
};

const STEPS = [
  { setCanaryScale: { replicas: 3 } },
  { setWeight: 40 },
  { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } },
  { pause: {} },
];

function ingress(): KubeObject {
  const backend = { service: { name: `${NAME}-root`, port: { name: 'use-annotation' } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: NAME, annotations: { team: 'web' } },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: [{ path: '/*', pathType: 'ImplementationSpecific', backend }] } }],
    },
  } as KubeObject;
}

const pausedAtRoute = (r: RolloutObject) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 3;

describe('ALB header routes and setCanaryScale, through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;
  const read = () => t.client.get<Ingress>(Resources.ingresses, t.namespace, NAME);
  const pathServices = async () =>
    (await read()).spec.rules[0]?.http.paths.map((p) => p.backend.service.name);
  const routeInForce = async () => {
    const annotations = (await read()).metadata?.annotations ?? {};
    return BETA_ACTION in annotations && BETA_CONDITIONS in annotations;
  };
  const until = (what: string, check: () => Promise<boolean>) =>
    pollUntil(check, { timeoutMs: 30_000, intervalMs: 100, description: what });

  beforeAll(async () => {
    env = await startEngine('alb-routes');
    t = trafficEnvOf(env);
    const services = [`${NAME}-root`, `${NAME}-stable`, `${NAME}-canary`];
    await createServices(t.client, t.namespace, NAME, services);
    await t.client.create(Resources.ingresses, t.namespace, ingress());
    const canary = {
      canaryService: `${NAME}-canary`,
      stableService: `${NAME}-stable`,
      trafficRouting: {
        alb: { ingress: NAME, servicePort: 80, rootService: `${NAME}-root` },
        managedRoutes: [{ name: 'beta' }],
      },
    };
    await env.api.create(
      canaryRollout(NAME, 'registry.example/albr:1', { replicas: 4, steps: STEPS, canary }),
    );
    await env.api.waitFor(NAME, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('scales the canary to setCanaryScale (3, not the 2 of 40%) while the action carries 40, and adds the header route', async () => {
    await env.api.patchSpec(NAME, imagePatch('registry.example/albr:2'));
    const paused = await env.api.waitFor(NAME, 'paused after the header route', pausedAtRoute);
    await until('the header route in force', routeInForce);
    const ing = await read();
    const annotations = ing.metadata?.annotations ?? {};
    expect(JSON.parse(annotations[ACTION] ?? '{}').ForwardConfig.TargetGroups).toEqual([
      { ServiceName: `${NAME}-canary`, ServicePort: '80', Weight: 40 },
      { ServiceName: `${NAME}-stable`, ServicePort: '80', Weight: 60 },
    ]);
    expect(JSON.parse(annotations[BETA_CONDITIONS] ?? '[]')).toEqual([
      { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'x-beta', values: ['yes'] } },
    ]);
    expect(JSON.parse(annotations[BETA_ACTION] ?? '{}').ForwardConfig.TargetGroups).toEqual([
      { ServiceName: `${NAME}-canary`, ServicePort: '80', Weight: 100 },
    ]);
    expect(await pathServices()).toEqual(['beta', `${NAME}-root`]);
    expect(annotations.team).toBe('web');
    const canaryRs = (await env.api.replicaSets(NAME)).find(
      (rs) => hashOf(rs) === paused.status?.currentPodHash,
    );
    expect(specReplicas(canaryRs as NonNullable<typeof canaryRs>)).toBe(3);
  });

  it('heals a header route removed by hand', async () => {
    const body = { metadata: { annotations: { [BETA_CONDITIONS]: null } } };
    await t.client.patch(
      Resources.ingresses,
      { namespace: t.namespace, name: NAME },
      { type: 'merge', body },
    );
    await until('the conditions annotation restored', routeInForce);
  });

  it('removes the managed route (annotations and path) on promotion', async () => {
    await env.api.patchStatus(NAME, { pauseConditions: null });
    await env.api.waitFor(NAME, 'v2 Healthy', (r) => r.status?.phase === 'Healthy');
    await until('the header route removed', async () => !(await routeInForce()));
    expect(await pathServices()).toEqual([`${NAME}-root`]);
    const annotations = (await read()).metadata?.annotations ?? {};
    expect(JSON.parse(annotations['rollouts.argoproj.io/managed-alb-annotations'] ?? '{}')).toEqual({
      [NAME]: [ACTION],
    });
  });

  it('cleans up the action and the header route when trafficRouting is removed mid-update', async () => {
    await env.api.patchSpec(NAME, imagePatch('registry.example/albr:3'));
    await env.api.waitFor(NAME, 'paused after the header route again', pausedAtRoute);
    await until('the header route in force again', routeInForce);
    const basic = {
      strategy: { canary: { trafficRouting: null, steps: [{ setWeight: 40 }, { pause: {} }] } },
    };
    await env.api.patchSpec(NAME, basic);
    await until('the header route removed', async () => !(await routeInForce()));
    await until('all traffic to stable', async () => {
      const action = JSON.parse((await read()).metadata?.annotations?.[ACTION] ?? '{}');
      const groups = action.ForwardConfig?.TargetGroups ?? [];
      return groups.length === 2 && groups[0].Weight === 0 && groups[1].Weight === 100;
    });
    expect(await pathServices()).toEqual([`${NAME}-root`]);
    expect((await read()).metadata?.annotations?.team).toBe('web');
  });
});
