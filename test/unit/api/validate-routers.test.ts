import { describe, expect, it } from 'vitest';
import { type Issue, type Rollout, validateRollout } from '../../../src/api/index.js';
import { aRollout, type Json } from './fixtures.js';

const ROUTING = 'spec.strategy.canary.trafficRouting';

function issuesWith(routing: Json, steps?: Json[]): Issue[] {
  const rollout = aRollout();
  rollout.spec.strategy.canary.trafficRouting = routing;
  if (steps !== undefined) rollout.spec.strategy.canary.steps = steps;
  return validateRollout(rollout as Rollout);
}

const paths = (issues: Issue[]) => issues.map((i) => `${i.path}: ${i.message}`);

describe('ALB, SMI and Traefik settings', () => {
  it('accept the documented shapes', () => {
    expect(issuesWith({ alb: { ingress: 'web', servicePort: 80, rootService: 'root' } })).toEqual([]);
    expect(issuesWith({ alb: { ingresses: ['a', 'b'], servicePort: 443 } })).toEqual([]);
    expect(issuesWith({ smi: {} })).toEqual([]);
    expect(issuesWith({ traefik: { weightedTraefikServiceName: 'web' } })).toEqual([]);
  });

  it('ALB: exactly one of ingress or ingresses, a port, a stickiness duration AWS accepts', () => {
    expect(paths(issuesWith({ alb: { ingress: 'a', ingresses: ['b'], servicePort: 80 } }))).toEqual([
      `${ROUTING}.alb: set exactly one of ingress or ingresses (a non-empty list)`,
    ]);
    expect(paths(issuesWith({ alb: { servicePort: 80 } }))).toHaveLength(1);
    expect(paths(issuesWith({ alb: { ingress: 'a', servicePort: 0 } }))).toEqual([
      `${ROUTING}.alb.servicePort: must be a port number > 0`,
    ]);
    const sticky = { enabled: true, durationSeconds: 604_801 };
    expect(paths(issuesWith({ alb: { ingress: 'a', servicePort: 80, stickinessConfig: sticky } }))).toEqual([
      `${ROUTING}.alb.stickinessConfig.durationSeconds: must be between 1 and 604800 seconds (7 days), got 604801`,
    ]);
  });

  it('ALB: header routes match exact values only', () => {
    const route = {
      setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { prefix: 'y' } }] },
    };
    const issues = issuesWith({ alb: { ingress: 'a', servicePort: 80 }, managedRoutes: [{ name: 'beta' }] }, [
      { setWeight: 10 },
      route,
    ]);
    expect(paths(issues)).toEqual([
      'spec.strategy.canary.steps[1].setHeaderRoute.match[0].headerValue: the ALB router matches header values exactly: use exact (not prefix or regex)',
    ]);
  });

  it('Traefik: the TraefikService is named', () => {
    expect(paths(issuesWith({ traefik: { weightedTraefikServiceName: '' } }))).toEqual([
      `${ROUTING}.traefik.weightedTraefikServiceName: must name a TraefikService`,
    ]);
  });
});
