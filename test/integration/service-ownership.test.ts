import type { V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../src/api/index.js';
import { Resources } from '../../src/kube/client.js';
import { canaryRollout } from './support/canary.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';
import { type TrafficEnv, trafficEnvOf } from './support/traffic.js';

const SERVICES = { canaryService: 'shared-canary', stableService: 'shared-stable' };

/** A two-replica canary Rollout `name` on the shared Services, its pods labelled `tier: shared`. */
const sharedRollout = (name: string) =>
  canaryRollout(name, `registry.example/${name}:1`, {
    replicas: 2,
    steps: [{ setWeight: 50 }, { pause: {} }],
    labels: { tier: 'shared' },
    canary: SERVICES,
  });

/**
 * Argo's Service ownership (`argo-rollouts.argoproj.io/managed-by-rollouts`), through the controller: the
 * Rollout that points a Service marks it in the same patch; another Rollout naming that Service is held
 * (InvalidSpec with the field path, nothing created, the owner's selectors untouched) until the owner is
 * deleted and its Services are given back.
 */
describe('Service ownership between Rollouts', () => {
  let env: EngineEnv;
  let t: TrafficEnv;
  const service = (name: string) => t.client.get<V1Service>(Resources.services, t.namespace, name);

  beforeAll(async () => {
    env = await startEngine('service-owner');
    t = trafficEnvOf(env);
    for (const name of Object.values(SERVICES)) {
      const body = { metadata: { name }, spec: { selector: { tier: 'shared' }, ports: [{ port: 80 }] } };
      await t.client.create(Resources.services, t.namespace, { apiVersion: 'v1', kind: 'Service', ...body });
    }
  });
  afterAll(async () => env?.stop());

  it('marks its Services, holds a second Rollout naming them, and gives them back when deleted', async () => {
    await env.api.create(sharedRollout('owner'));
    const owner = await env.api.waitFor('owner', 'owner Healthy', (r) => r.status?.phase === 'Healthy');
    const stable = await service('shared-stable');
    expect(stable.metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBe('owner');
    expect(stable.spec?.selector).toEqual({
      tier: 'shared',
      [POD_TEMPLATE_HASH_LABEL]: owner.status?.stableRS,
    });

    await env.api.create(sharedRollout('intruder'));
    const held = await env.api.waitFor('intruder', 'intruder held', (r) => r.status?.phase === 'Degraded');
    expect(held.status?.message).toContain(
      'spec.strategy.canary.canaryService: Service "shared-canary" is managed by another Rollout ("owner")',
    );
    expect(await env.api.replicaSets('intruder')).toEqual([]);
    expect((await service('shared-stable')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL]).toBe(
      owner.status?.stableRS,
    );

    await env.api.delete('owner');
    const freed = await env.api.waitFor('intruder', 'intruder Healthy', (r) => r.status?.phase === 'Healthy');
    expect(freed.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
    await pollUntil(
      async () =>
        (await service('shared-stable')).metadata?.annotations?.[MANAGED_BY_ANNOTATION] === 'intruder',
      { timeoutMs: 30_000, description: 'the stable Service marked by the intruder' },
    );
  });
});
