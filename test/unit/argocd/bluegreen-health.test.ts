import { describe, expect, it } from 'vitest';
import type { BlueGreenStrategy, Rollout } from '../../../src/api/index.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { type HealthVerdict, type RolloutLike, rolloutHealth } from '../../support/argocd/health.js';
import { aRollout } from '../rollout/fixtures.js';
import { hashOf, update } from '../rollout/scenario-setup.js';
import { converge, pass, World } from '../rollout/world.js';

function blueGreen(strategy: Partial<BlueGreenStrategy> = {}): Rollout {
  const base = aRollout({ replicas: 3 });
  const bg = { activeService: 'active', previewService: 'preview', ...strategy };
  return { ...base, spec: { ...base.spec, strategy: { blueGreen: bg } } };
}

function deployedWorld(strategy: Partial<BlueGreenStrategy> = {}): World {
  const world = new World(blueGreen(strategy));
  world.services.set('active', undefined);
  world.services.set('preview', undefined);
  converge(world, []);
  return world;
}

/** Argo CD's verdict on the Rollout as it reads it from the API server: the JSON Vireo last wrote. */
const health = (world: World): HealthVerdict =>
  rolloutHealth(JSON.parse(JSON.stringify(world.rollout)) as RolloutLike);
const verdict = (world: World) => {
  const { status, message } = health(world);
  return `${status}: ${message}`;
};

/** Passes until the plan changes nothing, returning the distinct verdicts seen after each pass, in order. */
function verdictsUntilConverged(world: World): string[] {
  const seen: string[] = [];
  for (let n = 0; n < 50; n++) {
    const observed = JSON.stringify(world.rollout.status);
    const plan = pass(world, []);
    if (seen.at(-1) !== verdict(world)) seen.push(verdict(world));
    if (plan.actions.length === 0 && JSON.stringify(world.rollout.status) === observed) return seen;
  }
  throw new Error('blue-green world did not converge');
}

function promote(world: World): void {
  world.rollout = { ...world.rollout, status: { ...world.rollout.status, pauseConditions: undefined } };
}

describe('Argo CD health over Vireo blue-green statuses', () => {
  it('Healthy once the first ReplicaSet serves the active Service', () => {
    const world = deployedWorld();
    expect(world.rollout.status?.blueGreen?.activeSelector).toBe(hashOf(world.rollout));
    expect(health(world)).toEqual({ status: 'Healthy', message: '' });
  });

  it('Progressing while the generation is not observed yet', () => {
    const world = deployedWorld();
    update(world, 'demo:v2');
    world.rollout = { ...world.rollout, metadata: { ...world.rollout.metadata, generation: 9 } };
    expect(health(world)).toEqual({
      status: 'Progressing',
      message: 'Waiting for rollout spec update to be observed',
    });
  });

  it('first deploy: Progressing while pods become available, then Healthy', () => {
    const world = new World(blueGreen());
    world.services.set('active', undefined);
    world.readyDelayMs = 5_000;
    expect(verdictsUntilConverged(world)).toContain(
      'Progressing: updated replicas are still becoming available',
    );
    world.advance(5_000);
    verdictsUntilConverged(world);
    expect(health(world)).toEqual({ status: 'Healthy', message: '' });
  });

  it('update: Progressing adding preview replicas, Suspended on BlueGreenPause, cutover pending, Healthy', () => {
    const world = deployedWorld({ autoPromotionEnabled: false, previewReplicaCount: 1 });
    world.readyDelayMs = 5_000;
    update(world, 'demo:v2');
    expect(verdictsUntilConverged(world)).toEqual(['Progressing: more replicas need to be updated']);
    world.advance(5_000);
    expect(verdictsUntilConverged(world).at(-1)).toBe('Suspended: BlueGreenPause');
    promote(world);
    expect(verdictsUntilConverged(world)).toContain('Progressing: active service cutover pending');
    world.advance(60_000);
    verdictsUntilConverged(world);
    expect(health(world)).toEqual({ status: 'Healthy', message: '' });
  });

  it('Progressing while waiting for post-promotion analysis, Healthy once it succeeds', () => {
    const world = deployedWorld({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    const { canary } = update(world, 'demo:v2');
    verdictsUntilConverged(world);
    expect(world.services.get('active')).toBe(canary);
    expect(health(world)).toEqual({ status: 'Progressing', message: 'waiting for analysis to complete' });
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PostPromotion');
    world.analysisRuns.set(run?.name ?? '', { ...(run ?? { name: '', labels: {} }), phase: 'Successful' });
    world.advance(60_000);
    verdictsUntilConverged(world);
    expect(health(world).status).toBe('Healthy');
  });

  it('Degraded after a failed pre-promotion analysis aborts; the active Service stays on stable', () => {
    const world = deployedWorld({ prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    const { stable } = update(world, 'demo:v2');
    verdictsUntilConverged(world);
    expect(health(world).status).toBe('Progressing');
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PrePromotion');
    world.analysisRuns.set(run?.name ?? '', { ...(run ?? { name: '', labels: {} }), phase: 'Failed' });
    verdictsUntilConverged(world);
    expect(world.services.get('active')).toBe(stable);
    expect(health(world).status).toBe('Degraded');
    expect(health(world).message).toMatch(/^RolloutAborted: /);
    expect(planRollout(world.snapshot()).actions).toEqual([]);
  });
});
