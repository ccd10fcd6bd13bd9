import { describe, expect, it } from 'vitest';
import type { CanaryStep } from '../../../src/api/index.js';
import { desiredTrafficFor } from '../../../src/rollout/core/managed-routes.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { aRollout, ISTIO } from '../rollout/fixtures.js';
import { allInvariants } from '../rollout/invariants.js';
import { deployed, update } from '../rollout/scenario-setup.js';
import { converge } from '../rollout/world.js';

const BETA = { headerName: 'x-beta', headerValue: { exact: 'yes' } };
const STEPS: CanaryStep[] = [
  { setWeight: 20 },
  { setHeaderRoute: { name: 'beta', match: [BETA] } },
  { pause: {} },
];

describe('the plan decides all of the traffic (issue 17, item 3)', () => {
  it('puts the managed header route in force into the applyTraffic action; observe dry-runs the same rule', () => {
    const rollout = aRollout({
      trafficRouting: { ...ISTIO, managedRoutes: [{ name: 'beta' }] },
      steps: STEPS,
    });
    const world = deployed(rollout);
    update(world, 'demo:v2');
    converge(world, allInvariants(world));
    const snapshot = world.snapshot();
    expect(snapshot.rollout.status?.currentStepIndex).toBe(2);
    const drifted = {
      ...snapshot,
      traffic: { canaryWeight: 0, stableWeight: 100, drifted: true, issues: [] },
    };
    const action = planRollout(drifted).actions.find((a) => a.kind === 'applyTraffic');
    expect(action).toMatchObject({
      canaryWeight: 20,
      stableWeight: 80,
      headerRoutes: [{ name: 'beta', match: [BETA] }],
    });
    const { kind: _kind, services: _services, ...traffic } = action ?? { kind: 'applyTraffic' };
    expect(traffic).toEqual(desiredTrafficFor(snapshot.rollout, snapshot.rollout.status?.canary?.weights));
  });
});
