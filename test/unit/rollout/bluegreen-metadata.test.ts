import { describe, expect, it } from 'vitest';
import type { BlueGreenStrategy, Rollout } from '../../../src/api/index.js';
import { ephemeralSpecOf } from '../../../src/rollout/core/ephemeral-spec.js';
import { comparableTemplate } from '../../../src/rollout/core/template-match.js';
import { analysisPreflightIssues } from '../../../src/rollout/plan/analysis-preflight.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { planWithReferences } from '../../../src/rollout/plan/reference-check.js';
import { aRollout } from './fixtures.js';
import { noRedundantActions } from './invariants.js';
import { hashOf, update } from './scenario-setup.js';
import { converge, type Invariant, pass, World } from './world.js';

const METADATA = {
  previewMetadata: { labels: { role: 'preview' }, annotations: { 'example.com/track': 'preview' } },
  activeMetadata: { labels: { role: 'active' } },
};

function blueGreen(strategy: Partial<BlueGreenStrategy> = {}): Rollout {
  const base = aRollout({ replicas: 3 });
  const bg = { activeService: 'active', previewService: 'preview', ...METADATA, ...strategy };
  return { ...base, spec: { ...base.spec, strategy: { blueGreen: bg } } };
}

/** The active Service never selects a ReplicaSet without an available pod. */
const activeServes: Invariant = (before, _plan, world) => {
  const hash = world.services.get('active');
  if (hash === undefined) return;
  const rs = before.replicaSets.find((r) => r.podTemplateHash === hash);
  expect(rs?.availableReplicas ?? 0, `active → ${hash}`).toBeGreaterThan(0);
};
const checks = (world: World) => [activeServes, noRedundantActions(world)];

function deployed(strategy: Partial<BlueGreenStrategy> = {}): World {
  const world = new World(blueGreen(strategy));
  world.services.set('active', undefined);
  world.services.set('preview', undefined);
  converge(world, checks(world));
  return world;
}

const labelsOf = (world: World, hash: string) => world.rs(hash)?.template?.metadata?.labels ?? {};
const record = (world: World, hash: string) =>
  world.rs(hash)?.annotations['rollout.argoproj.io/ephemeral-metadata'];

describe('blue-green previewMetadata / activeMetadata', () => {
  it('first deploy: the ReplicaSet is created with activeMetadata and records it', () => {
    const world = deployed();
    const hash = hashOf(world.rollout);
    expect(labelsOf(world, hash)).toMatchObject({ role: 'active' });
    expect(record(world, hash)).toBe('{"labels":{"role":"active"}}');
  });

  it('preview pods carry previewMetadata until the new ReplicaSet is stable, then activeMetadata', () => {
    const world = deployed({ autoPromotionEnabled: false });
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.rollout.status?.phase).toBe('Paused');
    expect(labelsOf(world, canary)).toMatchObject({ role: 'preview' });
    expect(world.rs(canary)?.template?.metadata?.annotations).toEqual({ 'example.com/track': 'preview' });
    expect(labelsOf(world, stable)).toMatchObject({ role: 'active' });
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, pauseConditions: undefined } };
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect(labelsOf(world, canary)).toMatchObject({ role: 'active' });
    expect(world.rs(canary)?.template?.metadata?.annotations ?? {}).toEqual({});
    expect(labelsOf(world, stable)).not.toHaveProperty('role');
    expect(record(world, stable)).toBe('{}');
    expect(planRollout(world.snapshot()).actions).toEqual([]);
  });

  it('keeps previewMetadata while post-promotion analysis runs behind the active Service (as Argo)', () => {
    const world = deployed({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    const { canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.services.get('active')).toBe(canary);
    expect(labelsOf(world, canary)).toMatchObject({ role: 'preview' });
  });

  it('Rollouts without metadata never get the record annotation', () => {
    const world = deployed({ previewMetadata: undefined, activeMetadata: undefined });
    update(world, 'demo:v2');
    converge(world, checks(world));
    for (const rs of world.replicaSets.values())
      expect(rs.view.annotations['rollout.argoproj.io/ephemeral-metadata']).toBeUndefined();
  });

  it('template matching ignores injected preview/active labels', () => {
    const spec = ephemeralSpecOf(blueGreen().spec.strategy);
    const base = { metadata: { labels: { app: 'web' } } };
    const injected = { metadata: { labels: { app: 'web', role: 'preview' } } };
    expect(comparableTemplate(injected, spec)).toBe(comparableTemplate(base, spec));
  });
});

describe('blue-green fast rollback', () => {
  it('reverting to the version still inside its scale-down delay skips pre-promotion analysis and the pause', () => {
    const strategy = {
      autoPromotionEnabled: false,
      prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
      scaleDownDelaySeconds: 60,
    };
    const world = deployed(strategy);
    const v1 = world.rollout;
    world.advance(1_000);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    const run = [...world.analysisRuns.values()].find((r) => r.labels['rollout-type'] === 'PrePromotion');
    world.analysisRuns.set(run?.name ?? '', { ...(run ?? { name: '', labels: {} }), phase: 'Successful' });
    converge(world, checks(world));
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, pauseConditions: undefined } };
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect(world.rs(stable)?.annotations['scale-down-deadline']).toBeTruthy();
    const runs = world.analysisRuns.size;
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template: v1.spec.template } };
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(stable);
    expect(world.services.get('active')).toBe(stable);
    expect(world.analysisRuns.size).toBe(runs);
    expect(world.events.some((e) => e.includes('Fast rollback'))).toBe(true);
    expect(world.rollout.status?.phase).toBe('Healthy');
  });
});

describe('blue-green restart and promote --full', () => {
  it('spec.restartAt replaces every pod, at most maxUnavailable at a time, then records restartedAt', () => {
    const world = deployed({ maxUnavailable: 1 });
    world.readyDelayMs = 5_000;
    world.advance(60_000);
    const restartAt = new Date(world.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, restartAt } };
    const before = new Set([...world.pods.values()].flat().map((p) => p.uid));
    let deletes = 0;
    for (let round = 0; round < 10 && world.rollout.status?.restartedAt === undefined; round++) {
      const count = pass(world, checks(world)).actions.filter((a) => a.kind === 'deletePod').length;
      expect(count).toBeLessThanOrEqual(1);
      deletes += count;
      world.advance(5_000);
    }
    expect(deletes).toBe(3);
    expect([...world.pods.values()].flat().some((p) => before.has(p.uid))).toBe(false);
    converge(world, checks(world));
    expect(world.rollout.status).toMatchObject({ restartedAt: restartAt, phase: 'Healthy' });
  });

  it('promote --full skips analysis and the pause and completes with "Full promotion requested"', () => {
    const world = deployed({
      autoPromotionEnabled: false,
      prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
    });
    const { canary } = update(world, 'demo:v2');
    converge(world, checks(world));
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, promoteFull: true } };
    converge(world, checks(world));
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect(world.services.get('active')).toBe(canary);
    expect(world.events.some((e) => e.includes('Full promotion requested'))).toBe(true);
  });
});

describe('blue-green references and status', () => {
  it('reports a missing activeService or previewService as InvalidSpec, with no action', () => {
    const world = new World(blueGreen());
    world.services.set('active', undefined);
    const plan = planWithReferences(world.snapshot());
    expect(plan.actions).toEqual([]);
    expect(plan.status.phase).toBe('Degraded');
    expect(plan.status.message).toContain(
      'spec.strategy.blueGreen.previewService: Invalid value: "preview": service "preview" not found',
    );
  });

  it('checks pre/post-promotion AnalysisTemplates by name', () => {
    const rollout = blueGreen({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    const issues = analysisPreflightIssues(rollout, { namespaced: new Map() });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [
        'spec.strategy.blueGreen.postPromotionAnalysis.templates',
        `Invalid value: "smoke": AnalysisTemplate 'smoke' not found`,
      ],
    ]);
  });

  it('status.selector and the counts follow the active ReplicaSet (what an HPA scales)', () => {
    const world = deployed({ autoPromotionEnabled: false });
    const { stable } = update(world, 'demo:v2');
    converge(world, checks(world));
    const status = world.rollout.status;
    expect(status?.selector).toContain(`rollouts-pod-template-hash=${stable}`);
    expect(status?.availableReplicas).toBe(3);
    expect(status?.HPAReplicas).toBe(3);
  });
});
