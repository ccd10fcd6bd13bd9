import { describe, expect, it } from 'vitest';
import {
  GATEWAY_API_PLUGIN,
  type Issue,
  ROUTER_CAPABILITIES,
  type Rollout,
  validateRollout,
} from '../../../src/api/index.js';
import { createTrafficRouters } from '../../../src/traffic/create-routers.js';
import { FakeKubeClient } from '../traffic/fake-kube-client.js';
import { aHeaderRouteStep, aRollout, type Json } from './fixtures.js';

const MIRROR_STEP = { setMirrorRoute: { name: 'header', match: [{ path: { prefix: '/' } }] } };
const GATEWAY = { [GATEWAY_API_PLUGIN]: { httpRoute: 'demo' } };

function withRouting(routing: Json, step: Json): Rollout {
  const rollout = aRollout();
  rollout.spec.strategy.canary.trafficRouting = { managedRoutes: [{ name: 'header' }], ...routing };
  rollout.spec.strategy.canary.steps.push(step);
  return rollout as Rollout;
}

function stepIssues(rollout: Rollout, kind: string): Issue[] {
  return validateRollout(rollout).filter((issue) => issue.path.endsWith(`steps[4].${kind}`));
}

describe('one capability table per router (ROUTER_CAPABILITIES), read by validation and the routers', () => {
  it.each([
    ['istio', 'setMirrorRoute', { istio: { virtualService: { name: 'demo' } } }, MIRROR_STEP, 0],
    ['istio', 'setHeaderRoute', { istio: { virtualService: { name: 'demo' } } }, aHeaderRouteStep(), 0],
    ['the Gateway API plugin', 'setHeaderRoute', { plugins: GATEWAY }, aHeaderRouteStep(), 0],
    ['the Gateway API plugin', 'setMirrorRoute', { plugins: GATEWAY }, MIRROR_STEP, 1],
    ['nginx', 'setHeaderRoute', { nginx: { stableIngress: 'demo' } }, aHeaderRouteStep(), 1],
    ['nginx', 'setMirrorRoute', { nginx: { stableIngress: 'demo' } }, MIRROR_STEP, 1],
    ['alb', 'setHeaderRoute', { alb: { ingress: 'demo', servicePort: 80 } }, aHeaderRouteStep(), 0],
    ['alb', 'setMirrorRoute', { alb: { ingress: 'demo', servicePort: 80 } }, MIRROR_STEP, 1],
    ['smi', 'setHeaderRoute', { smi: {} }, aHeaderRouteStep(), 1],
    ['traefik', 'setHeaderRoute', { traefik: { weightedTraefikServiceName: 'demo' } }, aHeaderRouteStep(), 1],
  ])('with %s, a %s step gets %i issue(s) about the router', (_name, kind, routing, step, count) => {
    const issues = stepIssues(withRouting(routing, step), kind);
    expect(issues).toHaveLength(count as number);
    if (count === 1) expect(issues[0]?.message).toMatch(new RegExp(`^${kind} requires a traffic router`));
  });

  it('refuses a Gateway API mirror step at validation instead of failing at run time', () => {
    const [issue] = stepIssues(withRouting({ plugins: GATEWAY }, MIRROR_STEP), 'setMirrorRoute');
    expect(issue?.message).toBe('setMirrorRoute requires a traffic router that supports mirroring (istio)');
  });

  it('each router adapter declares its table row as its capabilities', () => {
    const rollout = withRouting(
      {
        istio: { virtualService: { name: 'demo' } },
        nginx: { stableIngress: 'demo' },
        plugins: GATEWAY,
      },
      { setWeight: 50 },
    );
    const routers = createTrafficRouters(new FakeKubeClient(), rollout);
    expect(routers.map((r) => r.type)).toEqual(['istio', 'nginx', 'gatewayAPI']);
    for (const router of routers) expect(router.capabilities).toBe(ROUTER_CAPABILITIES[router.type]);
  });
});
