import { rolloutSettings } from './defaults.js';
import { type FieldPath, type Issue, invalid, parseObject } from './issues.js';
import { type Rollout, RolloutSchema } from './rollout.js';
import type { RolloutSpec } from './rollout-spec.js';
import { isEmptySelector, SELECTOR_OPERATORS, selectorMatches } from './selector.js';
import { isSupported, unsupportedFieldIssues, unsupportedIn } from './unsupported.js';
import { validateBlueGreen } from './validate-blue-green.js';
import { validateCanary } from './validate-canary.js';
import { ephemeralLabelIssues } from './validate-pod-metadata.js';
import { workloadRefIssues } from './validate-workload-ref.js';
import { vireoRolloutIssues } from './vireo-rollout.js';

const SPEC: FieldPath = ['spec'];

function strategyIssues(spec: RolloutSpec, revisionHistoryLimit: number): Issue[] {
  const { canary, blueGreen } = spec.strategy;
  if ((canary === undefined) === (blueGreen === undefined)) {
    return [invalid([...SPEC, 'strategy'], 'set exactly one of canary or blueGreen')];
  }
  if (blueGreen !== undefined && !isSupported('strategies', 'blueGreen')) {
    return [unsupportedIn('strategies', [...SPEC, 'strategy', 'blueGreen'])];
  }
  if (blueGreen !== undefined)
    return validateBlueGreen(blueGreen, [...SPEC, 'strategy', 'blueGreen'], revisionHistoryLimit);
  return canary ? validateCanary(canary, revisionHistoryLimit, [...SPEC, 'strategy', 'canary']) : [];
}

function numberIssues(spec: RolloutSpec): Issue[] {
  const issues: Issue[] = [];
  const fields = ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'] as const;
  for (const field of fields) {
    const value = spec[field];
    if (value !== undefined && value < 0)
      issues.push(invalid([...SPEC, field], `must not be negative, got ${value}`));
  }
  for (const field of ['successfulRunHistoryLimit', 'unsuccessfulRunHistoryLimit'] as const) {
    const value = spec.analysis?.[field];
    if (value !== undefined && value < 0) {
      issues.push(invalid([...SPEC, 'analysis', field], `must not be negative, got ${value}`));
    }
  }
  const { minReadySeconds, progressDeadlineSeconds } = rolloutSettings(spec);
  if (progressDeadlineSeconds <= minReadySeconds) {
    issues.push(
      invalid(
        [...SPEC, 'progressDeadlineSeconds'],
        `must be greater than minReadySeconds (${minReadySeconds}), got ${progressDeadlineSeconds}`,
      ),
    );
  }
  return issues;
}

function selectorIssues(spec: RolloutSpec): Issue[] {
  const selector = spec.selector;
  if (selector === undefined)
    return [invalid([...SPEC, 'selector'], 'is required (a label selector matching spec.template labels)')];
  if (isEmptySelector(selector))
    return [invalid([...SPEC, 'selector'], 'must not be empty (it would select every pod)')];
  const issues: Issue[] = [];
  (selector.matchExpressions ?? []).forEach((req, i) => {
    if (!(SELECTOR_OPERATORS as readonly string[]).includes(req.operator)) {
      const ops = SELECTOR_OPERATORS.join(', ');
      issues.push(
        invalid(
          [...SPEC, 'selector', 'matchExpressions', i, 'operator'],
          `must be one of ${ops}, got "${req.operator}"`,
        ),
      );
    }
  });
  return issues;
}

function templateIssues(spec: RolloutSpec): Issue[] {
  const template = spec.template;
  if (template === undefined) return [invalid([...SPEC, 'template'], 'is required (the pod template)')];
  const issues: Issue[] = [];
  const containers = template.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    issues.push(invalid([...SPEC, 'template', 'spec', 'containers'], 'at least one container is required'));
  }
  const labels = template.metadata?.labels ?? {};
  if (spec.selector && !isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
    issues.push(invalid([...SPEC, 'template', 'metadata', 'labels'], 'must match spec.selector'));
  }
  return issues;
}

/** With `workloadRef`: the reference's own problems, and the selector's when one is given (else it comes from the workload). */
function workloadRefSpecIssues(spec: RolloutSpec): Issue[] {
  return [...workloadRefIssues(spec), ...(spec.selector === undefined ? [] : selectorIssues(spec))];
}

/**
 * All spec problems of a parsed Rollout, each with a field path (`spec.strategy.canary.steps[2].setWeight`),
 * and those of Vireo's `vireo.dev/*` opt-in annotations (`vireoRolloutIssues`).
 * Empty means valid; `invalid` and `unsupported` issues are terminal until the spec changes. Pure: does not
 * look at other objects (see `validateRolloutReferences`).
 */
export function validateRollout(rollout: Rollout): Issue[] {
  const spec = rollout.spec;
  const unsupported = unsupportedFieldIssues(rollout);
  const usesWorkloadRef = spec.workloadRef !== undefined;
  return [
    ...unsupported,
    ...numberIssues(spec),
    ...(usesWorkloadRef ? workloadRefSpecIssues(spec) : [...selectorIssues(spec), ...templateIssues(spec)]),
    ...strategyIssues(spec, rolloutSettings(spec).revisionHistoryLimit),
    ...ephemeralLabelIssues(spec),
    ...vireoRolloutIssues(rollout),
  ];
}

/**
 * Parses an untyped object as a Rollout and validates it: schema problems first (then no further checks),
 * otherwise the issues of `validateRollout`. `rollout` is set whenever parsing succeeded.
 */
export function checkRollout(input: unknown): { rollout: Rollout | undefined; issues: Issue[] } {
  const parsed = parseObject(RolloutSchema, input);
  if (!parsed.ok) return { rollout: undefined, issues: parsed.issues };
  return { rollout: parsed.value, issues: validateRollout(parsed.value) };
}
