import { VIREO_ANALYSIS_FAILURE_ACTION, VIREO_ANNOTATION } from './argo-constants.js';
import { type FieldPath, formatPath, type Issue, invalid } from './issues.js';
import type { Rollout } from './rollout.js';

/** What a Failed/Error analysis leads to: Argo's abort, or Vireo's pause (`vireo.dev/analysis-failure-action`). */
export type AnalysisFailureAction =
  (typeof VIREO_ANALYSIS_FAILURE_ACTION)[keyof typeof VIREO_ANALYSIS_FAILURE_ACTION];

type Annotated = Pick<Rollout, 'metadata'>;

function annotation(rollout: Annotated, key: string): string | undefined {
  return rollout.metadata.annotations?.[key];
}

/** `pause` when the Rollout's `vireo.dev/analysis-failure-action` says so, else Argo's `abort`. */
export function analysisFailureAction(rollout: Annotated): AnalysisFailureAction {
  const value = annotation(rollout, VIREO_ANNOTATION.analysisFailureAction);
  return value === VIREO_ANALYSIS_FAILURE_ACTION.pause ? 'pause' : 'abort';
}

/** True when the Rollout's `vireo.dev/capacity-aware-rollback` is `"true"`. */
export function capacityAwareRollback(rollout: Annotated): boolean {
  return annotation(rollout, VIREO_ANNOTATION.capacityAwareRollback) === 'true';
}

function at(key: string): FieldPath {
  return ['metadata', 'annotations', key];
}

function needsRouting(rollout: Rollout, key: string, what: string): Issue[] {
  const { canary, blueGreen } = rollout.spec.strategy;
  if (blueGreen !== undefined) {
    const where = formatPath(at(key));
    const message = `${what} is not supported by Vireo for blueGreen (supported: canary with trafficRouting)`;
    return [{ path: where, message, kind: 'unsupported' }];
  }
  if (canary === undefined || canary.trafficRouting !== undefined) return [];
  const message = `${what} needs spec.strategy.canary.trafficRouting: without a traffic router the canary's pods take their share of traffic for as long as they run`;
  return [invalid(at(key), message)];
}

function failureActionIssues(rollout: Rollout): Issue[] {
  const key = VIREO_ANNOTATION.analysisFailureAction;
  const value = annotation(rollout, key);
  if (value === undefined || value === VIREO_ANALYSIS_FAILURE_ACTION.abort) return [];
  if (value !== VIREO_ANALYSIS_FAILURE_ACTION.pause)
    return [invalid(at(key), `must be "abort" or "pause", got "${value}"`)];
  return needsRouting(rollout, key, 'pause');
}

function capacityIssues(rollout: Rollout): Issue[] {
  const key = VIREO_ANNOTATION.capacityAwareRollback;
  const value = annotation(rollout, key);
  if (value === undefined || value === 'false') return [];
  if (value !== 'true') return [invalid(at(key), `must be "true" or "false", got "${value}"`)];
  return needsRouting(rollout, key, 'a capacity-aware rollback');
}

/**
 * The problems of Vireo's opt-in annotations on a Rollout, at `metadata.annotations["vireo.dev/…"]`: a value
 * other than `abort`/`pause` (`analysis-failure-action`) or `true`/`false` (`capacity-aware-rollback`); and
 * either opt-in on a Rollout it cannot serve — a canary without `trafficRouting` (its canary pods take traffic
 * while they run, so neither "traffic back, canary kept" nor a paced return exists), or blueGreen (reported
 * as not supported). Empty without the annotations: such a Rollout behaves as under Argo.
 */
export function vireoRolloutIssues(rollout: Rollout): Issue[] {
  return [...failureActionIssues(rollout), ...capacityIssues(rollout)];
}
