import { describe, expect, it } from 'vitest';
import { checkRollout } from '../../../src/api/index.js';
import { aRollout, edited, type Json } from './fixtures.js';

const ROUTING = 'spec.strategy.canary.trafficRouting';

/** The baseline Rollout routed only through `routing` (its header-route step dropped). */
function routedBy(routing: Json): Json {
  return edited(aRollout(), (r) => {
    r.spec.strategy.canary.trafficRouting = routing;
  });
}

const issuesOf = (routing: Json) => checkRollout(routedBy(routing)).issues.map((i) => [i.path, i.kind]);

const nodes = { canaryVirtualNodeRef: { name: 'c' }, stableVirtualNodeRef: { name: 's' } };

describe('validateRollout: Ambassador, App Mesh and APISIX settings', () => {
  it('accepts each router configured as in Argo', () => {
    expect(issuesOf({ ambassador: { mappings: ['a', 'b'] } })).toEqual([]);
    expect(
      issuesOf({ appMesh: { virtualService: { name: 'v', routes: ['r'] }, virtualNodeGroup: nodes } }),
    ).toEqual([]);
    expect(issuesOf({ apisix: { route: { name: 'r', rules: ['x'] } } })).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ['no Mapping', { ambassador: { mappings: [] } }, `${ROUTING}.ambassador.mappings`],
    ['a repeated Mapping', { ambassador: { mappings: ['a', 'a'] } }, `${ROUTING}.ambassador.mappings[1]`],
    ['no VirtualService', { appMesh: { virtualNodeGroup: nodes } }, `${ROUTING}.appMesh.virtualService.name`],
    [
      'no VirtualNodes',
      { appMesh: { virtualService: { name: 'v' } } },
      `${ROUTING}.appMesh.virtualNodeGroup`,
    ],
    [
      'one VirtualNode for both roles',
      {
        appMesh: {
          virtualService: { name: 'v' },
          virtualNodeGroup: { canaryVirtualNodeRef: { name: 'n' }, stableVirtualNodeRef: { name: 'n' } },
        },
      },
      `${ROUTING}.appMesh.virtualNodeGroup.stableVirtualNodeRef.name`,
    ],
    ['no ApisixRoute', { apisix: {} }, `${ROUTING}.apisix.route.name`],
    [
      'a repeated APISIX rule',
      { apisix: { route: { name: 'r', rules: ['x', 'x'] } } },
      `${ROUTING}.apisix.route.rules[1]`,
    ],
  ])('%s is invalid at its field path', (_name, routing, path) => {
    expect(issuesOf(routing)).toContainEqual([path, 'invalid']);
  });

  it('needs canaryService and stableService, as Argo does (requireCanaryStableServices)', () => {
    const withoutServices = edited(routedBy({ ambassador: { mappings: ['a'] } }), (r) => {
      delete r.spec.strategy.canary.canaryService;
    });
    expect(checkRollout(withoutServices).issues.map((i) => i.path)).toContain(
      'spec.strategy.canary.canaryService',
    );
  });

  it('refuses a setMirrorRoute step none of them can carry, and a setHeaderRoute step with App Mesh', () => {
    const mirror = edited(routedBy({ apisix: { route: { name: 'r' } } }), (r) => {
      r.spec.strategy.canary.trafficRouting.managedRoutes = [{ name: 'm' }];
      r.spec.strategy.canary.steps.push({ setMirrorRoute: { name: 'm', percentage: 10 } });
    });
    expect(checkRollout(mirror).issues.length).toBeGreaterThan(0);
    const header = edited(
      routedBy({ appMesh: { virtualService: { name: 'v' }, virtualNodeGroup: nodes } }),
      (r) => {
        r.spec.strategy.canary.trafficRouting.managedRoutes = [{ name: 'h' }];
        r.spec.strategy.canary.steps.push({
          setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] },
        });
      },
    );
    expect(checkRollout(header).issues.length).toBeGreaterThan(0);
  });
});
