import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import {
  analysisRunView,
  numericValue,
  thresholdsOf,
} from '../../../src/dashboard/server/analysis-charts.js';
import {
  eventViews,
  gitView,
  notificationsView,
  stepViews,
  weightViews,
} from '../../../src/dashboard/server/rollout-parts.js';
import { listView, rolloutPage } from '../../../src/dashboard/server/views.js';
import { aReplicaSet, aRollout, BLUE_GREEN_PAUSED } from '../cli/fixtures.js';
import { failedRun } from './fixtures.js';

const NOW = new Date('2026-01-01T01:00:00Z');

describe('analysis charts', () => {
  it('reads threshold lines from simple comparisons, mirrored when the number comes first', () => {
    expect(thresholdsOf('result[0] >= 0.95 && result[0] < 2', 'success')).toEqual([
      { value: 0.95, op: '>=', of: 'success' },
      { value: 2, op: '<', of: 'success' },
    ]);
    expect(thresholdsOf('0.5 > asFloat(result)', 'failure')).toEqual([
      { value: 0.5, op: '<', of: 'failure' },
    ]);
    expect(thresholdsOf('result.rate <= -1', 'failure')).toEqual([{ value: -1, op: '<=', of: 'failure' }]);
  });

  it('draws no line for conditions it cannot place, or that do not parse', () => {
    expect(thresholdsOf('len(result) > 0 ? true : false', 'success')).toEqual([]);
    expect(thresholdsOf('result ==', 'success')).toEqual([]);
    expect(thresholdsOf(undefined, 'success')).toEqual([]);
  });

  it('plots numbers and one-number lists, nothing else', () => {
    expect(numericValue('0.5')).toBe(0.5);
    expect(numericValue('[0.93]')).toBe(0.93);
    expect(numericValue(' -1e3 ')).toBe(-1000);
    expect(numericValue('[1, 2]')).toBeUndefined();
    expect(numericValue('NaN')).toBeUndefined();
    expect(numericValue('')).toBeUndefined();
  });

  it('gives every finished measurement a point, with the limits of the metric', () => {
    const view = analysisRunView(failedRun(), 2, NOW);
    const chart = view.metrics[0];
    expect(view).toMatchObject({ name: 'web-h2-2', type: 'Step', phase: 'Failed', revision: 2, age: '10m' });
    expect(chart?.points.map((p) => [p.value, p.phase])).toEqual([
      [0.99, 'Successful'],
      [0.42, 'Failed'],
      [0.41, 'Failed'],
      [undefined, 'Error'],
      [0.4, 'Failed'],
    ]);
    expect(chart).toMatchObject({ failureLimit: 2, failed: 3, errors: 1, consecutiveErrorLimit: 4 });
    expect(chart?.thresholds).toEqual([
      { value: 0.95, op: '>=', of: 'success' },
      { value: 0.5, op: '<', of: 'failure' },
    ]);
  });
});

describe('rollout parts', () => {
  it('marks steps done, current and next', () => {
    const rollout = aRollout({ currentStepIndex: 1 });
    expect(stepViews(rollout).map((s) => `${s.text}:${s.state}`)).toEqual([
      'setWeight 25%:done',
      'pause (until promoted):current',
      'setWeight 50%:next',
      'pause (until promoted):next',
    ]);
  });

  it('reports weights per router from status, or from replicas without traffic routing', () => {
    const plain = aRollout({ currentStepIndex: 1 });
    expect(weightViews(plain, 25)).toEqual([{ router: 'replicas', canary: 25, stable: 75, additional: 0 }]);
    const routed = aRollout({
      canary: { weights: { canary: { weight: 20 }, stable: { weight: 80 }, verified: true } },
    });
    const canary = routed.spec.strategy.canary as NonNullable<Rollout['spec']['strategy']['canary']>;
    canary.trafficRouting = { nginx: { stableIngress: 'web' }, plugins: { 'argoproj-labs/gatewayAPI': {} } };
    expect(weightViews(routed, 20)).toEqual([
      { router: 'nginx', canary: 20, stable: 80, additional: 0, verified: true },
      { router: 'argoproj-labs/gatewayAPI', canary: 20, stable: 80, additional: 0, verified: true },
    ]);
  });

  it('shows Git write-back and notifications only when the Rollout has them', () => {
    const rollout = aRollout();
    expect(gitView(rollout)).toBeUndefined();
    expect(notificationsView(rollout)).toBeUndefined();
    rollout.metadata.annotations = {
      'vireo.dev/git-repo': 'https://git.example/cfg.git',
      'vireo.dev/git-rollback-commit': 'abc123',
      'vireo.dev/git-rollback-branch': 'main',
      'notifications.argoproj.io/subscribe.on-rollout-aborted.webhook': '',
      'notified.notifications.argoproj.io': '{"k:on-rollout-aborted:webhook:":1767229200}',
    };
    expect(gitView(rollout)).toEqual({
      repo: 'https://git.example/cfg.git',
      commit: 'abc123',
      branch: 'main',
    });
    expect(notificationsView(rollout)).toEqual({
      subscriptions: [{ trigger: 'on-rollout-aborted', service: 'webhook', recipient: '' }],
      delivered: [{ key: 'k:on-rollout-aborted:webhook:', at: '2026-01-01T01:00:00.000Z' }],
    });
  });

  it("keeps the Rollout's events, newest first", () => {
    const rollout = aRollout();
    const event = (uid: string, reason: string, last: string) => ({
      involvedObject: { kind: 'Rollout', name: 'web', uid },
      reason,
      type: 'Normal',
      message: reason,
      lastTimestamp: last,
    });
    const events = [
      event('u1', 'Old', '2026-01-01T00:10:00Z'),
      event('other', 'NotMine', '2026-01-01T00:20:00Z'),
      event('u1', 'New', '2026-01-01T00:30:00Z'),
    ];
    expect(eventViews(events, rollout, NOW).map((e) => `${e.reason} ${e.age}`)).toEqual([
      'New 30m',
      'Old 50m',
    ]);
  });
});

describe('pages', () => {
  it('lists rows sorted by name with images and age', () => {
    const a = aRollout({ currentStepIndex: 1, phase: 'Paused', message: 'CanaryPauseStep' });
    const b = { ...aRollout(), metadata: { ...aRollout().metadata, name: 'api' } };
    const view = listView('shop', [a, b], NOW);
    expect(view.rows.map((r) => r.name)).toEqual(['api', 'web']);
    expect(view.rows[1]).toMatchObject({ phase: 'Paused', step: '1/4', setWeight: '25', images: ['web:1'] });
  });

  it('builds the Rollout page: the get-rollout tree plus charts tied to their revision', () => {
    const rollout = aRollout({ currentStepIndex: 1, stableRS: 'h1', currentPodHash: 'h2' });
    const page = rolloutPage({
      rollout,
      replicaSets: [aReplicaSet(1, 'h1', 'web:1', [3, 3]), aReplicaSet(2, 'h2', 'web:2', [1, 1])],
      pods: [],
      analysisRuns: [failedRun()],
      events: [],
      now: NOW,
    });
    expect(page.info.revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(page.analysisRuns.map((r) => [r.name, r.revision])).toEqual([['web-h2-2', 2]]);
    expect(page.containers).toEqual(['app']);
    expect(page.denied).toEqual({});
  });

  it('builds a blue-green page: active and preview, no steps, no weights', () => {
    const spec = { strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview' } } };
    const rollout = aRollout(BLUE_GREEN_PAUSED as Rollout['status'], spec as Partial<Rollout['spec']>);
    const page = rolloutPage({
      rollout,
      replicaSets: [aReplicaSet(1, 'h1', 'web:1', [4, 4]), aReplicaSet(2, 'h2', 'web:2', [4, 4])],
      pods: [],
      analysisRuns: [],
      events: [],
      now: NOW,
    });
    expect(page.info).toMatchObject({
      strategy: 'BlueGreen',
      activeService: 'web-active',
      previewSelector: 'h2',
    });
    expect(page.info.revisions.map((r) => r.replicaSets[0]?.tags)).toEqual([
      ['preview'],
      ['stable', 'active'],
    ]);
    expect([page.steps, page.weights]).toEqual([[], []]);
  });
});
