import { describe, expect, it } from 'vitest';
import {
  type CanaryStrategy,
  canaryServiceNames,
  otherSide,
  serviceRolesOf,
  stableSideOf,
  validateRollout,
  validateRolloutReferences,
} from '../../../src/api/index.js';
import { aRollout, ISTIO } from '../rollout/fixtures.js';

const PING_PONG = { pingService: 'web-ping', pongService: 'web-pong' };
const GATEWAY = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } };

/** A valid Istio canary whose canary strategy is replaced by `canary` (services dropped unless given). */
function withCanary(canary: Partial<CanaryStrategy>) {
  const rollout = aRollout({ trafficRouting: ISTIO, steps: [{ setWeight: 20 }, { pause: {} }] });
  const base = rollout.spec.strategy.canary ?? {};
  const { canaryService: _c, stableService: _s, ...rest } = base;
  return { ...rollout, spec: { ...rollout.spec, strategy: { canary: { ...rest, ...canary } } } };
}

const issuesOf = (canary: Partial<CanaryStrategy>) =>
  validateRollout(withCanary(canary)).map((i) => `${i.path}: ${i.message}`);

describe('ping-pong roles', () => {
  it.each([
    [undefined, 'pong'],
    [{}, 'pong'],
    [{ canary: {} }, 'pong'],
    [{ canary: { stablePingPong: 'pong' as const } }, 'pong'],
    [{ canary: { stablePingPong: 'ping' as const } }, 'ping'],
  ])('stableSideOf(%j) = %s (Argo: anything but ping is pong)', (status, side) => {
    expect(stableSideOf(status)).toBe(side);
  });

  it('swaps sides', () => {
    expect(otherSide('ping')).toBe('pong');
    expect(otherSide('pong')).toBe('ping');
  });

  it('maps the stable side to the Service roles', () => {
    const canary = { pingPong: PING_PONG };
    expect(serviceRolesOf(canary, 'ping')).toEqual({ stableService: 'web-ping', canaryService: 'web-pong' });
    expect(serviceRolesOf(canary, 'pong')).toEqual({ stableService: 'web-pong', canaryService: 'web-ping' });
  });

  it('without pingPong, the roles are stableService and canaryService (absent ones left out)', () => {
    expect(serviceRolesOf({ canaryService: 'c', stableService: 's' }, 'ping')).toEqual({
      stableService: 's',
      canaryService: 'c',
    });
    expect(serviceRolesOf({}, 'pong')).toEqual({});
    expect(serviceRolesOf(undefined, 'pong')).toEqual({});
  });

  it('lists every Service the canary strategy names', () => {
    expect(canaryServiceNames({ canaryService: 'c', stableService: 's' })).toEqual(['c', 's']);
    expect(canaryServiceNames({ pingPong: PING_PONG })).toEqual(['web-ping', 'web-pong']);
    expect(canaryServiceNames(undefined)).toEqual([]);
  });
});

describe('validating pingPong', () => {
  it('accepts pingPong with Istio host-level routing and with the Gateway API plugin', () => {
    expect(issuesOf({ pingPong: PING_PONG })).toEqual([]);
    expect(issuesOf({ pingPong: PING_PONG, trafficRouting: GATEWAY })).toEqual([]);
    const alb = { alb: { ingress: 'web', servicePort: 80, rootService: 'web-root' } };
    expect(issuesOf({ pingPong: PING_PONG, trafficRouting: alb })).toEqual([]);
  });

  it.each([
    [
      'no trafficRouting',
      { pingPong: PING_PONG, trafficRouting: undefined },
      'spec.strategy.canary.pingPong: pingPong needs trafficRouting with istio (host-level split), alb or plugins["argoproj-labs/gatewayAPI"]',
    ],
    [
      'NGINX only',
      { pingPong: PING_PONG, trafficRouting: { nginx: { stableIngress: 'web' } } },
      'spec.strategy.canary.pingPong: pingPong needs trafficRouting with istio (host-level split), alb or plugins["argoproj-labs/gatewayAPI"]',
    ],
    [
      'ALB without rootService',
      { pingPong: PING_PONG, trafficRouting: { alb: { ingress: 'web', servicePort: 80 } } },
      'spec.strategy.canary.trafficRouting.alb.rootService: is required with pingPong: the ALB action is written for this Service, which the ping and pong Services share',
    ],
    [
      'SMI next to Istio',
      { pingPong: PING_PONG, trafficRouting: { ...ISTIO, smi: {} } },
      'spec.strategy.canary.trafficRouting.smi: the SMI router needs canaryService and stableService; it cannot be combined with pingPong',
    ],
    [
      'NGINX next to Istio',
      { pingPong: PING_PONG, trafficRouting: { ...ISTIO, nginx: { stableIngress: 'web' } } },
      'spec.strategy.canary.trafficRouting.nginx: the NGINX router needs canaryService and stableService; it cannot be combined with pingPong',
    ],
    [
      'a DestinationRule subset split',
      {
        pingPong: PING_PONG,
        trafficRouting: {
          istio: {
            virtualService: { name: 'vs' },
            destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
          },
        },
      },
      'spec.strategy.canary.trafficRouting.istio.destinationRule: pingPong splits traffic between the ping and pong Service hosts; it cannot be combined with a DestinationRule subset split',
    ],
    [
      'the same Service twice',
      { pingPong: { pingService: 'web', pongService: 'web' } },
      'spec.strategy.canary.pingPong.pongService: must differ from pingService ("web")',
    ],
    [
      'an empty pingService',
      { pingPong: { pingService: '', pongService: 'web-pong' } },
      'spec.strategy.canary.pingPong.pingService: must name a Service',
    ],
    [
      'canaryService next to it',
      { pingPong: PING_PONG, canaryService: 'web-canary' },
      'spec.strategy.canary.canaryService: canaryService cannot be combined with pingPong: the ping and pong Services take the canary and stable roles',
    ],
  ])('rejects %s', (_name, canary, message) => {
    expect(issuesOf(canary as Partial<CanaryStrategy>)).toContain(message);
  });

  it('reports missing ping and pong Services as references at their field paths', () => {
    const rollout = withCanary({ pingPong: PING_PONG });
    const issues = validateRolloutReferences(rollout, { services: new Set(['web-ping']) });
    expect(issues).toEqual([
      {
        path: 'spec.strategy.canary.pingPong.pongService',
        message: 'Invalid value: "web-pong": service "web-pong" not found',
        kind: 'reference',
      },
    ]);
  });
});
