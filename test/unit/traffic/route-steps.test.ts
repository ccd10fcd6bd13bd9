import { describe, expect, it } from 'vitest';
import type { CanaryStep, Rollout, RolloutStatus } from '../../../src/api/index.js';
import { managedRoutesOf } from '../../../src/rollout/core/managed-routes.js';
import { aRollout, ISTIO } from '../rollout/fixtures.js';

const BETA = { headerName: 'x-beta', headerValue: { exact: 'yes' } };
const STEPS: CanaryStep[] = [
  { setWeight: 20 },
  { setHeaderRoute: { name: 'beta', match: [BETA] } },
  { setMirrorRoute: { name: 'shadow', match: [{ path: { prefix: '/api' } }] } },
  { pause: {} },
  { setHeaderRoute: { name: 'beta' } },
  { pause: {} },
];

function at(index: number, status: Partial<RolloutStatus> = {}): Rollout {
  const rollout = aRollout({
    steps: STEPS,
    trafficRouting: { ...ISTIO, managedRoutes: [{ name: 'shadow' }, { name: 'beta' }] },
  });
  return {
    ...rollout,
    status: { stableRS: 'old', currentPodHash: 'new', currentStepIndex: index, ...status },
  };
}

describe('managedRoutesOf', () => {
  it('has no route before the first route step', () => {
    expect(managedRoutesOf(at(0))).toEqual({ headerRoutes: [], mirrorRoutes: [] });
  });

  it('adds a header route when its step is reached and keeps it afterwards', () => {
    expect(managedRoutesOf(at(1)).headerRoutes).toEqual([{ name: 'beta', match: [BETA] }]);
    const later = managedRoutesOf(at(3));
    expect(later.headerRoutes.map((r) => r.name)).toEqual(['beta']);
    expect(later.mirrorRoutes).toEqual([
      { name: 'shadow', match: [{ path: { prefix: '/api' } }], percentage: 100 },
    ]);
  });

  it('removes a route at a step naming it without match', () => {
    expect(managedRoutesOf(at(4)).headerRoutes).toEqual([]);
    expect(managedRoutesOf(at(5)).mirrorRoutes.map((r) => r.name)).toEqual(['shadow']);
  });

  it('has no route when aborted, fully promoted or without managedRoutes', () => {
    expect(managedRoutesOf(at(3, { abort: true }))).toEqual({ headerRoutes: [], mirrorRoutes: [] });
    expect(managedRoutesOf(at(3, { stableRS: 'new' }))).toEqual({ headerRoutes: [], mirrorRoutes: [] });
    const plain = { ...aRollout({ steps: STEPS, trafficRouting: ISTIO }), status: at(3).status };
    expect(managedRoutesOf(plain)).toEqual({ headerRoutes: [], mirrorRoutes: [] });
  });
});
