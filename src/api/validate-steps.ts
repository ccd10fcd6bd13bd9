import {
  type CanaryStep,
  type SetCanaryScale,
  type SetHeaderRoute,
  type SetMirrorRoute,
  STEP_KINDS,
  type StringMatch,
  stepKinds,
} from './canary-steps.js';
import { pauseDurationMs } from './duration.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import type { IntOrString } from './primitives.js';
import { routersWith } from './router-capabilities.js';
import { isSupported, unsupportedIn } from './unsupported.js';
import { validateRolloutAnalysis } from './validate-analysis-ref.js';
import { experimentStepIssues } from './validate-experiment-step.js';

/** What step checks need to know about the canary's traffic routing. */
export interface StepContext {
  hasTrafficRouting: boolean;
  maxTrafficWeight: number;
  managedRoutes: ReadonlySet<string>;
  /** Whether some configured router can carry `setHeaderRoute` / `setMirrorRoute` steps (`ROUTER_CAPABILITIES`). */
  routeCapabilities: { headerRouting: boolean; mirroring: boolean };
  /** ALB conditions match header values exactly: `setHeaderRoute` values must then be `exact` (Argo's rule). */
  exactHeaderValuesOnly?: boolean;
  /** The configured routers that cannot route experiment template weights. */
  routersWithoutExperimentWeights: readonly string[];
}

function weightIssues(weight: number, max: number, path: FieldPath): Issue[] {
  return weight < 0 || weight > max ? [invalid(path, `must be between 0 and ${max}, got ${weight}`)] : [];
}

function pauseIssues(duration: IntOrString | undefined, path: FieldPath): Issue[] {
  if (duration === undefined) return [];
  const ms = pauseDurationMs(duration);
  if (ms === undefined) {
    return [
      invalid(
        path,
        `must be seconds (e.g. 30) or a duration such as "30s", "5m", "1h"; got ${JSON.stringify(duration)}`,
      ),
    ];
  }
  return ms < 0 ? [invalid(path, 'must not be negative')] : [];
}

function canaryScaleIssues(scale: SetCanaryScale, ctx: StepContext, path: FieldPath): Issue[] {
  if (!ctx.hasTrafficRouting)
    return [invalid(path, 'setCanaryScale requires spec.strategy.canary.trafficRouting')];
  const set = [scale.weight !== undefined, scale.replicas !== undefined, scale.matchTrafficWeight === true];
  if (set.filter(Boolean).length !== 1) {
    return [invalid(path, 'set exactly one of weight, replicas or matchTrafficWeight: true')];
  }
  if (scale.weight !== undefined) return weightIssues(scale.weight, 100, [...path, 'weight']);
  if (scale.replicas !== undefined && scale.replicas < 0)
    return [invalid([...path, 'replicas'], 'must not be negative')];
  return [];
}

/** Issues for a StringMatch that does not set exactly one of exact, prefix or regex. */
export function stringMatchIssues(match: StringMatch, path: FieldPath): Issue[] {
  const set = [match.exact, match.prefix, match.regex].filter((v) => v !== undefined).length;
  return set === 1 ? [] : [invalid(path, 'set exactly one of exact, prefix or regex')];
}

const ROUTE_STEPS = {
  setHeaderRoute: { capability: 'headerRouting', what: 'header routing' },
  setMirrorRoute: { capability: 'mirroring', what: 'mirroring' },
} as const;

function managedRouteIssues(
  name: string | undefined,
  ctx: StepContext,
  path: FieldPath,
  kind: keyof typeof ROUTE_STEPS,
): Issue[] {
  const { capability, what } = ROUTE_STEPS[kind];
  if (!ctx.routeCapabilities[capability]) {
    return [
      invalid(path, `${kind} requires a traffic router that supports ${what} (${routersWith(capability)})`),
    ];
  }
  if (name === undefined || name === '')
    return [invalid([...path, 'name'], 'is required (a managed route name)')];
  if (!ctx.managedRoutes.has(name)) {
    return [
      invalid(
        [...path, 'name'],
        `"${name}" must be listed in spec.strategy.canary.trafficRouting.managedRoutes`,
      ),
    ];
  }
  return [];
}

function headerRouteIssues(route: SetHeaderRoute, ctx: StepContext, path: FieldPath): Issue[] {
  const issues = managedRouteIssues(route.name, ctx, path, 'setHeaderRoute');
  (route.match ?? []).forEach((m, i) => {
    if (m.headerName === '') issues.push(invalid([...path, 'match', i, 'headerName'], 'must not be empty'));
    if (m.headerValue === undefined)
      issues.push(invalid([...path, 'match', i, 'headerValue'], 'is required'));
    else issues.push(...stringMatchIssues(m.headerValue, [...path, 'match', i, 'headerValue']));
    if (ctx.exactHeaderValuesOnly && m.headerValue !== undefined && m.headerValue.exact === undefined) {
      const message = 'the ALB router matches header values exactly: use exact (not prefix or regex)';
      issues.push(invalid([...path, 'match', i, 'headerValue'], message));
    }
  });
  return issues;
}

function mirrorRouteIssues(route: SetMirrorRoute, ctx: StepContext, path: FieldPath): Issue[] {
  const issues = managedRouteIssues(route.name, ctx, path, 'setMirrorRoute');
  if (route.percentage !== undefined)
    issues.push(...weightIssues(route.percentage, 100, [...path, 'percentage']));
  (route.match ?? []).forEach((m, i) => {
    const at = [...path, 'match', i];
    if (m.method) issues.push(...stringMatchIssues(m.method, [...at, 'method']));
    if (m.path) issues.push(...stringMatchIssues(m.path, [...at, 'path']));
    for (const [header, value] of Object.entries(m.headers ?? {})) {
      issues.push(...stringMatchIssues(value, [...at, 'headers', header]));
    }
  });
  return issues;
}

function kindIssues(step: CanaryStep, ctx: StepContext, path: FieldPath, canaryWeight: number): Issue[] {
  if (step.setWeight !== undefined)
    return weightIssues(step.setWeight, ctx.maxTrafficWeight, [...path, 'setWeight']);
  if (step.pause) return pauseIssues(step.pause.duration, [...path, 'pause', 'duration']);
  if (step.analysis) return validateRolloutAnalysis(step.analysis, [...path, 'analysis']);
  if (step.setCanaryScale) return canaryScaleIssues(step.setCanaryScale, ctx, [...path, 'setCanaryScale']);
  if (step.setHeaderRoute) return headerRouteIssues(step.setHeaderRoute, ctx, [...path, 'setHeaderRoute']);
  if (step.setMirrorRoute) return mirrorRouteIssues(step.setMirrorRoute, ctx, [...path, 'setMirrorRoute']);
  if (step.experiment) {
    const { hasTrafficRouting, maxTrafficWeight, routersWithoutExperimentWeights } = ctx;
    const experimentCtx = {
      hasTrafficRouting,
      maxTrafficWeight,
      routersWithoutExperimentWeights,
      canaryWeight,
    };
    return experimentStepIssues(step.experiment, experimentCtx, [...path, 'experiment']);
  }
  return [];
}

/**
 * Checks one canary step at `path` (e.g. `spec.strategy.canary.steps[2]`): exactly one kind, the kind is
 * supported, and its fields are valid (`setWeight` within 0..maxTrafficWeight, parseable pause duration, …).
 * `canaryWeight` is the weight of the last `setWeight` at or before the step (an experiment's weights add
 * to it).
 */
export function validateStep(step: CanaryStep, ctx: StepContext, path: FieldPath, canaryWeight = 0): Issue[] {
  const kinds = stepKinds(step);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(' and ');
    return [invalid(path, `a step must set exactly one of ${STEP_KINDS.join(', ')}; found ${found}`)];
  }
  const kind = kinds[0] as (typeof kinds)[number];
  if (!isSupported('stepKinds', kind)) return [unsupportedIn('stepKinds', [...path, kind])];
  return kindIssues(step, ctx, path, canaryWeight);
}
