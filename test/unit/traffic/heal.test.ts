import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/kube/client.js';
import { Resources } from '../../../src/kube/client.js';
import { isApiError } from '../../../src/kube/errors.js';
import {
  cachedReadClient as cachedRouteReader,
  type ObjectCache as TrafficCache,
} from '../../../src/kube/object-cache.js';
import type { KubeObject } from '../../../src/kube/types.js';
import type { RolloutSnapshot, TrafficView } from '../../../src/rollout/core/snapshot.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { planWithReferences, referenceIssues } from '../../../src/rollout/plan/reference-check.js';
import { routeIssueAsReference } from '../../../src/rollout/reconcile/observe-traffic.js';
import { ReferenceIndex, rolloutRefsOf } from '../../../src/rollout/reconcile/reference-index.js';
import { trafficRefsOf } from '../../../src/rollout/reconcile/traffic-ref-index.js';
import { aRollout, ISTIO } from '../rollout/fixtures.js';
import { allInvariants } from '../rollout/invariants.js';
import { deployed, update } from '../rollout/scenario-setup.js';
import { converge } from '../rollout/world.js';

const STEPS = [{ setWeight: 20 }, { pause: {} }];

/** A routed Rollout paused at 20% canary (status records 20/80), and its snapshot. */
function pausedAt20(): RolloutSnapshot {
  const world = deployed(aRollout({ trafficRouting: ISTIO, steps: STEPS, replicas: 5 }));
  update(world, 'demo:v2');
  converge(world, allInvariants(world));
  const snapshot = world.snapshot();
  expect(snapshot.rollout.status?.canary?.weights?.canary.weight).toBe(20);
  const services = ['demo-stable', 'demo-canary'].map((name) => ({ name, podTemplateHash: undefined }));
  return { ...snapshot, services };
}

const withTraffic = (s: RolloutSnapshot, traffic: TrafficView): RolloutSnapshot => ({ ...s, traffic });

describe('self-healing of routed weights', () => {
  it('re-applies the recorded weights when the routers drifted, with a TrafficWeightRestored event', () => {
    const snapshot = pausedAt20();
    const plan = planRollout(
      withTraffic(snapshot, { canaryWeight: 0, stableWeight: 100, drifted: true, issues: [] }),
    );
    expect(plan.actions).toContainEqual(
      expect.objectContaining({ kind: 'applyTraffic', canaryWeight: 20, stableWeight: 80 }),
    );
    expect(plan.actions).toContainEqual(
      expect.objectContaining({ kind: 'emitEvent', reason: 'TrafficWeightRestored' }),
    );
    expect(plan.status.canary?.weights).toEqual(snapshot.rollout.status?.canary?.weights);
  });

  it('plans nothing for traffic when the routers show the record', () => {
    const plan = planRollout(
      withTraffic(pausedAt20(), { canaryWeight: 20, stableWeight: 80, drifted: false, issues: [] }),
    );
    expect(plan.actions.filter((a) => a.kind === 'applyTraffic')).toEqual([]);
  });
});

describe('route problems as InvalidSpec', () => {
  const issue = {
    path: 'spec.strategy.canary.trafficRouting.istio',
    message: 'VirtualService "demo" not found in namespace "default"',
    kind: 'reference' as const,
  };

  it('holds everything (no action) and reports Degraded with the path', () => {
    const snapshot = withTraffic(pausedAt20(), { drifted: true, issues: [issue] });
    const plan = planWithReferences(snapshot);
    expect(plan.actions).toEqual([]);
    expect(plan.requeueAfterMs).toBe(20_000);
    expect(plan.status.phase).toBe('Degraded');
    expect(plan.status.message).toBe(`InvalidSpec: ${issue.path}: ${issue.message}`);
    expect(plan.status.canary?.weights?.canary.weight).toBe(20);
  });

  it('names a canaryService the cache does not hold', () => {
    const snapshot = { ...pausedAt20(), services: [{ name: 'demo-stable', podTemplateHash: 'x' }] };
    expect(referenceIssues(snapshot)).toEqual([
      {
        path: 'spec.strategy.canary.canaryService',
        message: 'Invalid value: "demo-canary": service "demo-canary" not found',
        kind: 'reference',
      },
    ]);
  });

  it('maps route issues to the router field and the object path', () => {
    const mapped = routeIssueAsReference(
      {
        reason: 'UnexpectedDestination',
        object: { kind: 'HTTPRoute', name: 'web', namespace: 'shop' },
        path: 'spec.rules[0].backendRefs[2].weight',
        message: 'backend "other" has weight 10',
      },
      'gatewayAPI',
    );
    expect(mapped).toEqual({
      path: 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]',
      message: 'HTTPRoute "shop/web" spec.rules[0].backendRefs[2].weight: backend "other" has weight 10',
      kind: 'reference',
    });
  });

  it('names the router that raised an issue, whatever the kind (an App Mesh VirtualService is not Istio)', () => {
    const issue = {
      reason: 'ObjectNotFound' as const,
      object: { kind: 'VirtualService', name: 'web', namespace: 'shop' },
      path: 'metadata.name',
      message: 'VirtualService "web" not found in namespace "shop"',
    };
    expect(routeIssueAsReference(issue, 'appMesh').path).toBe('spec.strategy.canary.trafficRouting.appMesh');
    expect(routeIssueAsReference(issue, 'istio').path).toBe('spec.strategy.canary.trafficRouting.istio');
  });
});

function rolloutObject(name: string, canary: object): KubeObject {
  return { metadata: { name, namespace: 'apps' }, spec: { strategy: { canary } } } as KubeObject;
}

describe('traffic references in the Rollout reference index', () => {
  const routing = {
    canaryService: 'c',
    stableService: 's',
    trafficRouting: {
      istio: { virtualServices: [{ name: 'vs1' }, { name: 'vs2.mesh' }], destinationRule: { name: 'dr' } },
      nginx: { stableIngress: 'web' },
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'r1' }], namespace: 'gw' } },
    },
  };

  it('lists every referenced object, the derived canary Ingress included', () => {
    const names = trafficRefsOf(rolloutObject('a', routing)).map((r) => `${r.kind}:${r.namespace}/${r.name}`);
    expect(names).toEqual([
      'services:apps/c',
      'services:apps/s',
      'virtualservices:apps/vs1',
      'virtualservices:mesh/vs2',
      'destinationrules:apps/dr',
      'ingresses:apps/web',
      'ingresses:apps/a-web-canary',
      'httproutes:gw/r1',
    ]);
  });

  it('maps objects to Rollout keys and forgets replaced and removed references', () => {
    const index = new ReferenceIndex();
    index.set('apps/a', rolloutRefsOf(rolloutObject('a', routing)));
    index.set('apps/b', rolloutRefsOf(rolloutObject('b', { canaryService: 'c' })));
    expect(index.referrersOf('services', 'apps', 'c').sort()).toEqual(['apps/a', 'apps/b']);
    expect(index.referrersOf('virtualservices', 'mesh', 'vs2')).toEqual(['apps/a']);
    index.set('apps/a', rolloutRefsOf(rolloutObject('a', { stableService: 's' })));
    expect(index.referrersOf('virtualservices', 'mesh', 'vs2')).toEqual([]);
    index.delete('apps/b');
    expect(index.referrersOf('services', 'apps', 'c')).toEqual([]);
  });

  it('ignores malformed fields', () => {
    const bad = rolloutObject('x', {
      canaryService: 3,
      trafficRouting: { istio: { virtualServices: 'no' } },
    });
    expect(trafficRefsOf(bad)).toEqual([]);
  });
});

describe('cachedRouteReader', () => {
  const vs = Object.freeze({ metadata: Object.freeze({ name: 'vs', namespace: 'apps' }) }) as KubeObject;
  const cache: TrafficCache = {
    get: (ns, name) => (ns === 'apps' && name === 'vs' ? vs : undefined),
    list: () => [vs],
  };
  const calls: string[] = [];
  const client = {
    get: async (res: { plural: string }, _ns: string, name: string) => {
      calls.push(`${res.plural}/${name}`);
      return { metadata: { name } };
    },
  } as unknown as KubeClient;
  const reader = cachedRouteReader(client, {
    cache: (kind) => (kind === 'virtualservices.networking.istio.io' ? cache : undefined),
  });

  it('answers watched kinds from a copy of the cache and NotFound when absent', async () => {
    const got = await reader.get(Resources.virtualServices, 'apps', 'vs');
    expect(got).toEqual(vs);
    expect(got).not.toBe(vs);
    const missing = await reader.get(Resources.virtualServices, 'apps', 'other').catch((e: unknown) => e);
    expect(isApiError(missing, 'NotFound')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('reads unwatched kinds from the API and refuses writes', async () => {
    await reader.get(Resources.httpRoutes, 'apps', 'r');
    expect(calls).toEqual(['httproutes/r']);
    await expect(reader.replace(Resources.virtualServices, 'apps', vs)).rejects.toThrow(/read-only/);
  });
});
