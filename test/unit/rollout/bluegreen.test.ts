import { describe, expect, it } from 'vitest';
import type { BlueGreenStrategy, Rollout } from '../../../src/api/index.js';
import { rolloutPhase } from '../../../src/rollout/core/phase.js';
import { aRollout } from './fixtures.js';
import { noRedundantActions } from './invariants.js';
import { hashOf, update } from './scenario-setup.js';
import { converge, type Invariant, pass, World } from './world.js';

function blueGreen(strategy: Partial<BlueGreenStrategy> = {}, replicas = 3): Rollout {
  const base = aRollout({ replicas });
  return {
    ...base,
    spec: {
      ...base.spec,
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview', ...strategy } },
    },
  };
}

/** The active Service never selects a ReplicaSet without all its pods available. */
const activeAlwaysServes: Invariant = (before, _plan, world) => {
  const hash = world.services.get('active');
  if (hash === undefined) return;
  const rs = before.replicaSets.find((r) => r.podTemplateHash === hash);
  expect(rs?.availableReplicas ?? 0, `active → ${hash}`).toBeGreaterThan(0);
};

function worldOf(rollout: Rollout): World {
  const world = new World(rollout);
  world.services.set('active', undefined);
  world.services.set('preview', undefined);
  converge(world, [activeAlwaysServes, noRedundantActions(world)]);
  return world;
}

const checks = (world: World) => [activeAlwaysServes, noRedundantActions(world)];
const phaseOf = (world: World) => rolloutPhase(world.rollout.spec, world.rollout.status ?? {});

describe('blue-green planner', () => {
  it('first deploy: one ReplicaSet at full size behind both Services, Healthy', () => {
    const world = worldOf(blueGreen());
    const hash = hashOf(world.rollout);
    expect(world.rs(hash)?.specReplicas).toBe(3);
    expect(world.services.get('active')).toBe(hash);
    expect(world.rollout.status?.blueGreen?.activeSelector).toBe(hash);
    expect(phaseOf(world).phase).toBe('Healthy');
  });

  it('update: preview first, active switched once the new ReplicaSet is full, old one scaled down after the delay', () => {
    const world = worldOf(blueGreen({ scaleDownDelaySeconds: 30 }));
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.services.get('preview')).toBe(canary);
    expect(world.services.get('active')).toBe(canary);
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect(world.rs(stable)?.specReplicas).toBe(3);
    expect(world.rs(stable)?.annotations['scale-down-deadline']).toBeDefined();
    world.advance(31_000);
    converge(world, checks(world));
    expect(world.rs(stable)?.specReplicas).toBe(0);
    expect(phaseOf(world).phase).toBe('Healthy');
  });

  it('autoPromotionEnabled false: pauses with BlueGreenPause until resumed, active stays on stable', () => {
    const world = worldOf(blueGreen({ autoPromotionEnabled: false, previewReplicaCount: 1 }));
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.rollout.status?.pauseConditions?.[0]?.reason).toBe('BlueGreenPause');
    expect(phaseOf(world)).toEqual({ phase: 'Paused', message: 'BlueGreenPause' });
    expect(world.rs(canary)?.specReplicas).toBe(1);
    expect(world.services.get('active')).toBe(stable);
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, pauseConditions: undefined } };
    converge(world, checks(world));
    expect(world.rs(canary)?.specReplicas).toBe(3);
    expect(world.services.get('active')).toBe(canary);
    expect(world.rollout.status?.stableRS).toBe(canary);
  });

  it('autoPromotionSeconds: promotes by itself once the time has passed', () => {
    const world = worldOf(blueGreen({ autoPromotionSeconds: 20 }));
    const { canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(phaseOf(world).phase).toBe('Paused');
    world.advance(19_000);
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).not.toBe(canary);
    world.advance(2_000);
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(canary);
  });

  it('failed pre-promotion analysis aborts: active never leaves stable, preview scaled down after the abort delay', () => {
    const pre = { templates: [{ templateName: 'smoke' }] };
    const world = worldOf(blueGreen({ prePromotionAnalysis: pre, abortScaleDownDelaySeconds: 10 }));
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PrePromotion');
    expect(run?.name).toBe(`demo-${canary}-2-pre`);
    world.analysisRuns.set(run?.name ?? '', {
      ...(run ?? { name: '', labels: {} }),
      phase: 'Failed',
      message: 'smoke failed',
    });
    converge(world, checks(world));
    expect(world.rollout.status?.abort).toBe(true);
    expect(phaseOf(world).phase).toBe('Degraded');
    expect(world.services.get('active')).toBe(stable);
    world.advance(11_000);
    converge(world, checks(world));
    expect(world.rs(canary)?.specReplicas).toBe(0);
    expect(world.rs(stable)?.specReplicas).toBe(3);
  });

  it('post-promotion analysis gates marking the new ReplicaSet stable; a failure switches active back', () => {
    const post = { templates: [{ templateName: 'smoke' }] };
    const world = worldOf(blueGreen({ postPromotionAnalysis: post }));
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.services.get('active')).toBe(canary);
    expect(world.rollout.status?.stableRS).toBe(stable);
    expect(phaseOf(world).message).toBe('waiting for analysis to complete');
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PostPromotion');
    world.analysisRuns.set(run?.name ?? '', { ...(run ?? { name: '', labels: {} }), phase: 'Failed' });
    const plan = pass(world, checks(world));
    const kinds = plan.actions.map((a) => a.kind);
    expect(kinds.indexOf('setServiceSelector')).toBeLessThan(kinds.indexOf('scaleReplicaSet') >>> 0);
    converge(world, checks(world));
    expect(world.services.get('active')).toBe(stable);
    expect(world.rollout.status?.abort).toBe(true);
  });

  it('a successful post-promotion analysis completes the update', () => {
    const post = { templates: [{ templateName: 'smoke' }] };
    const world = worldOf(blueGreen({ postPromotionAnalysis: post }));
    const { canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PostPromotion');
    world.analysisRuns.set(run?.name ?? '', { ...(run ?? { name: '', labels: {} }), phase: 'Successful' });
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect(world.events.some((e) => e.includes('Completed blue-green update'))).toBe(true);
  });
});
