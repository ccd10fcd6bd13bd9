import { describe, expect, it } from 'vitest';
import type { AnalysisRun, Rollout } from '../../../src/api/index.js';
import {
  abortPatch,
  promoteFullPatch,
  promotePatch,
  retryPatch,
  skipCurrentStepPatch,
  UserCommandError,
} from '../../../src/api/user-commands.js';
import { formatProblem, lintText } from '../../../src/cli/lint/lint.js';
import { renderHeader } from '../../../src/cli/view/header.js';
import { rolloutRows } from '../../../src/cli/view/list.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { rolloutInfo } from '../../../src/cli/view/rollout-info.js';
import { renderTree, rolloutTree } from '../../../src/cli/view/tree.js';
import { aReplicaSet, aRollout, BLUE_GREEN_PAUSED, blueGreenManifest } from './fixtures.js';

const NOW = new Date('2026-01-01T00:05:00Z');
const BLUE_GREEN = {
  strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview' } },
};
const PAUSED = {
  ...BLUE_GREEN_PAUSED,
  replicas: 8,
  updatedReplicas: 4,
  readyReplicas: 8,
  availableReplicas: 4,
};

function blueGreen(status: Rollout['status']): Rollout {
  return aRollout(status, BLUE_GREEN as Partial<Rollout['spec']>);
}

function promotionRun(name: string, type: string, value: string): AnalysisRun {
  const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u1' };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      labels: { 'rollouts-pod-template-hash': 'h2', 'rollout-type': type },
      ownerReferences: [owner],
    },
    spec: { metrics: [] },
    status: {
      phase: 'Successful',
      metricResults: [
        {
          name: 'errors',
          phase: 'Successful',
          successful: 1,
          measurements: [{ phase: 'Successful', value }],
        },
      ],
    },
  } as AnalysisRun;
}

const snapshot = {
  rollout: blueGreen(PAUSED),
  replicaSets: [aReplicaSet(1, 'h1', 'web:1', [4, 4]), aReplicaSet(2, 'h2', 'web:2', [4, 4])],
  pods: [],
  analysisRuns: [promotionRun('web-h2-2-pre', 'PrePromotion', '0.01')],
  now: NOW,
};

describe('get rollout on a blue-green Rollout', () => {
  it('tags the active RS stable,active and the new one preview; no step or weights', () => {
    const info = rolloutInfo(snapshot);
    expect(info).toMatchObject({ strategy: 'BlueGreen', activeSelector: 'h1', previewSelector: 'h2' });
    expect(info).not.toHaveProperty('step');
    expect(info).not.toHaveProperty('setWeight');
    expect(info).not.toHaveProperty('actualWeight');
    expect(info.images).toEqual([
      { image: 'web:1', tags: ['stable', 'active'] },
      { image: 'web:2', tags: ['preview'] },
    ]);
    const tags = info.revisions.map((r) => r.replicaSets.map((s) => s.tags));
    expect(tags).toEqual([[['preview']], [['stable', 'active']]]);
  });

  it('prints BlueGreen in the header without step or weight lines', () => {
    const header = renderHeader(rolloutInfo(snapshot), noPaint);
    expect(header).toContain('Strategy:        BlueGreen');
    expect(header.some((l) => /Step|Weight/.test(l))).toBe(false);
    expect(header).toContain('Images:          web:1 (stable, active)');
    expect(header).toContain('                 web:2 (preview)');
  });

  it('shows pre- and post-promotion runs with their type and metric values under the new revision', () => {
    const runs = [promotionRun('web-h2-2-pre', 'PrePromotion', '0.01')];
    runs.push(promotionRun('web-h2-2-post', 'PostPromotion', '0.02'));
    const promoted = { ...PAUSED, phase: 'Progressing', pauseConditions: [] };
    const selectors = { blueGreen: { activeSelector: 'h2', previewSelector: 'h2' } };
    const info = rolloutInfo({
      ...snapshot,
      rollout: blueGreen({ ...promoted, ...selectors }),
      analysisRuns: runs,
    });
    expect(info.revisions[0]?.replicaSets[0]?.tags).toEqual(['active']);
    expect(info.revisions[0]?.analysisRuns.map((r) => [r.type, r.metrics[0]?.value])).toEqual([
      ['PrePromotion', '0.01'],
      ['PostPromotion', '0.02'],
    ]);
    const lines = renderTree(rolloutTree(info), noPaint).join('\n');
    expect(lines).toMatch(/web-h2-2-post\s+AnalysisRun\s+✔ Successful/);
    expect(lines).toMatch(/· errors\s+Metric\s+✔ Successful\s+latest:0\.02/);
  });

  it('serialises the -o json model with the blue-green selectors and run types', () => {
    const json = JSON.parse(JSON.stringify(rolloutInfo(snapshot)));
    expect(json.strategy).toBe('BlueGreen');
    expect(json.revisions[0].analysisRuns[0]).toMatchObject({ type: 'PrePromotion', phase: 'Successful' });
  });

  it('lists the strategy with - for step and weight', () => {
    expect(rolloutRows([blueGreen(PAUSED)])[0]).toMatchObject({
      strategy: 'BlueGreen',
      status: 'Paused',
      step: '-',
      setWeight: '-',
    });
  });
});

describe('verbs on a blue-green Rollout', () => {
  it('promote clears the BlueGreenPause and never touches a step index', () => {
    expect(promotePatch(blueGreen(PAUSED))).toEqual({ status: { pauseConditions: null } });
    const userPaused = aRollout(PAUSED, { ...BLUE_GREEN, paused: true } as Partial<Rollout['spec']>);
    expect(promotePatch(userPaused)).toEqual({ spec: { paused: false }, status: { pauseConditions: null } });
  });

  it('promote sends nothing when nothing is paused (no steps to skip)', () => {
    expect(promotePatch(blueGreen({ ...PAUSED, pauseConditions: [] }))).toEqual({});
  });

  it('promote --full sets promoteFull until stable is the desired RS', () => {
    expect(promoteFullPatch(blueGreen(PAUSED))).toEqual({ status: { promoteFull: true } });
    expect(promoteFullPatch(blueGreen({ ...PAUSED, stableRS: 'h2' }))).toEqual({});
  });

  it('abort and retry patch the abort flag as for canaries', () => {
    expect(abortPatch()).toEqual({ status: { abort: true } });
    expect(retryPatch()).toEqual({ status: { abort: false } });
  });

  it('skip-current-step is refused with a message pointing at promote', () => {
    expect(() => skipCurrentStepPatch(blueGreen(PAUSED))).toThrow(UserCommandError);
    expect(() => skipCurrentStepPatch(blueGreen(PAUSED))).toThrow(/blueGreen strategy.*use promote/);
  });
});

const BAD_BLUE_GREEN = blueGreenManifest(`      activeService: web
      previewService: web
`);

describe('lint on a blue-green manifest', () => {
  it('reports previewService equal to activeService with file, line and field path', () => {
    const { problems, checked } = lintText('bg.yaml', BAD_BLUE_GREEN);
    expect(checked).toBe(1);
    expect(problems.map(formatProblem)).toEqual([
      'bg.yaml:19: spec.strategy.blueGreen.previewService: must differ from activeService',
    ]);
  });
});
