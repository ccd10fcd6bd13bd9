import { describe, expect, it } from 'vitest';
import {
  analysisFailureAction,
  capacityAwareRollback,
  type Rollout,
  validateRollout,
} from '../../../src/api/index.js';
import { aRollout, ISTIO } from '../rollout/fixtures.js';

const PATH = (key: string) => `metadata.annotations["${key}"]`;

function annotated(annotations: Record<string, string>, routed = true): Rollout {
  const base = aRollout({ steps: [{ setWeight: 20 }], ...(routed ? { trafficRouting: ISTIO } : {}) });
  return { ...base, metadata: { ...base.metadata, annotations } };
}

const issues = (r: Rollout) =>
  validateRollout(r)
    .filter((i) => i.path.includes('vireo.dev'))
    .map((i) => `${i.path}: ${i.message}`);

describe('Vireo opt-in annotations on a Rollout', () => {
  it('read pause and capacity-aware only from the exact values; anything else is Argo’s behaviour', () => {
    expect(analysisFailureAction(annotated({ 'vireo.dev/analysis-failure-action': 'pause' }))).toBe('pause');
    expect(analysisFailureAction(annotated({}))).toBe('abort');
    expect(capacityAwareRollback(annotated({ 'vireo.dev/capacity-aware-rollback': 'true' }))).toBe(true);
    expect(capacityAwareRollback(annotated({}))).toBe(false);
  });

  it('accept the documented values with traffic routing, and no annotation at all', () => {
    const ok = { 'vireo.dev/analysis-failure-action': 'pause', 'vireo.dev/capacity-aware-rollback': 'true' };
    expect(issues(annotated(ok))).toEqual([]);
    expect(issues(annotated({ 'vireo.dev/analysis-failure-action': 'abort' }))).toEqual([]);
    expect(issues(annotated({}, false))).toEqual([]);
  });

  it('report a bad value or a Rollout without trafficRouting with the annotation’s field path', () => {
    const action = 'vireo.dev/analysis-failure-action';
    const capacity = 'vireo.dev/capacity-aware-rollback';
    expect(issues(annotated({ [action]: 'Pause' }))).toEqual([
      `${PATH(action)}: must be "abort" or "pause", got "Pause"`,
    ]);
    expect(issues(annotated({ [capacity]: 'yes' }))).toEqual([
      `${PATH(capacity)}: must be "true" or "false", got "yes"`,
    ]);
    expect(issues(annotated({ [action]: 'pause' }, false))[0]).toMatch(
      /needs spec\.strategy\.canary\.trafficRouting/,
    );
    expect(issues(annotated({ [capacity]: 'true' }, false))[0]).toMatch(
      /needs spec\.strategy\.canary\.trafficRouting/,
    );
  });
});
