import { describe, expect, it } from 'vitest';
import { checkRollout, validateRollout } from '../../../src/api/index.js';
import { aHeaderRouteStep, aRollout, edited, type Json } from './fixtures.js';

const canary = (r: Json): Json => r.spec.strategy.canary;

function check(raw: Json) {
  return checkRollout(raw).issues;
}

type Unsupported = [feature: string, edit: (r: Json) => void, path: string, supported: string];

/** The step kinds Vireo drives, as listed in "(supported: …)". */
const STEP_KINDS =
  '(supported: setWeight, pause, analysis, experiment, setCanaryScale, setHeaderRoute, setMirrorRoute)';

const unsupportedCases: Unsupported[] = [
  [
    'another router plugin',
    (r) => {
      canary(r).trafficRouting.plugins = { 'argoproj-labs/contour': { httpProxy: 'x' } };
    },
    'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/contour"]',
    'argoproj-labs/gatewayAPI',
  ],
  [
    'gatewayAPI grpcRoute',
    (r) => {
      canary(r).trafficRouting = {
        plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'h', grpcRoute: 'g' } },
      };
      canary(r).steps = [{ setWeight: 5 }];
    },
    'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].grpcRoute',
    'httpRoute, httpRoutes, namespace, configMap',
  ],
  [
    'plugin step',
    (r) => {
      canary(r).steps.push({ plugin: { name: 'argoproj-labs/step-exec', config: {} } });
    },
    'spec.strategy.canary.steps[4].plugin',
    STEP_KINDS,
  ],
];

describe('validateRollout: unsupported Argo features', () => {
  it.each(unsupportedCases)('%s', (_feature, edit, path, supported) => {
    const issues = check(edited(aRollout(), edit));
    const match = issues.find((i) => i.path === path);
    expect(match, JSON.stringify(issues)).toBeDefined();
    expect(match?.kind).toBe('unsupported');
    expect(match?.message).toMatch(/^.+ is not supported by Vireo \(supported: .+\)$/);
    expect(match?.message.startsWith(`${path} is not supported by Vireo`)).toBe(true);
    expect(match?.message).toContain(supported);
  });

  it('accepts valid setHeaderRoute / setMirrorRoute steps with managedRoutes, and a background analysis', () => {
    const all = edited(aRollout(), (r) => {
      canary(r).steps.push(aHeaderRouteStep(), { setMirrorRoute: { name: 'header', percentage: 10 } });
      canary(r).analysis = { templates: [{ templateName: 'error-rate' }], startingStep: 2 };
    });
    expect(check(all)).toEqual([]);
  });

  it('reports the invalid fields of a background analysis, which is supported', () => {
    const r = edited(aRollout(), (x) => {
      canary(x).analysis = { templates: [], startingStep: 9 };
    });
    const issues = check(r);
    expect(issues.filter((i) => i.kind === 'unsupported')).toEqual([]);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'spec.strategy.canary.analysis.templates',
        'spec.strategy.canary.analysis.startingStep',
      ]),
    );
  });

  // Header and mirror steps are supported: a malformed one gets `invalid` issues under its own path.
  it.each<[string, (r: Json) => void, string]>([
    [
      'header route not in managedRoutes',
      (r) => {
        canary(r).steps.push({ setHeaderRoute: { ...aHeaderRouteStep().setHeaderRoute, name: 'other' } });
      },
      'setHeaderRoute',
    ],
    [
      'header match with two string matches',
      (r) => {
        const step = aHeaderRouteStep();
        step.setHeaderRoute.match[0].headerValue = { exact: 'a', prefix: 'b' };
        canary(r).steps.push(step);
      },
      'setHeaderRoute',
    ],
    [
      'header route with nginx',
      (r) => {
        canary(r).trafficRouting = { nginx: { stableIngress: 'demo' }, managedRoutes: [{ name: 'header' }] };
        canary(r).steps.push(aHeaderRouteStep());
      },
      'setHeaderRoute',
    ],
    [
      'mirror percentage above 100',
      (r) => {
        canary(r).steps.push({ setMirrorRoute: { name: 'header', percentage: 150 } });
      },
      'setMirrorRoute',
    ],
    [
      'experiment template with an unknown specRef',
      (r) => {
        canary(r).steps.push({ experiment: { templates: [{ name: 'c', specRef: 'newest' }] } });
      },
      'experiment',
    ],
    [
      'experiment weight with nginx',
      (r) => {
        canary(r).trafficRouting = { nginx: { stableIngress: 'demo' } };
        canary(r).steps.push({ experiment: { templates: [{ name: 'c', specRef: 'canary', weight: 5 }] } });
      },
      'experiment',
    ],
    [
      'experiment weights leaving stable a negative share',
      (r) => {
        canary(r).steps.push({ experiment: { templates: [{ name: 'c', specRef: 'canary', weight: 95 }] } });
      },
      'experiment',
    ],
    [
      'experiment with a bad duration',
      (r) => {
        canary(r).steps.push({
          experiment: { duration: 'soon', templates: [{ name: 'c', specRef: 'stable' }] },
        });
      },
      'experiment',
    ],
  ])('%s: invalid issues under the step only', (_name, edit, kind) => {
    const path = `spec.strategy.canary.steps[4].${kind}`;
    const issues = check(edited(aRollout(), edit));
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.kind).toBe('invalid');
      expect(issue.path.startsWith(path)).toBe(true);
    }
  });

  it('does not report dynamicStableScale: false', () => {
    const r = edited(aRollout(), (x) => {
      canary(x).dynamicStableScale = false;
    });
    expect(check(r)).toEqual([]);
  });
});

describe('validateRollout on typed input', () => {
  it('reports nothing for a parsed valid Rollout and is pure (same result twice)', () => {
    const parsed = checkRollout(aRollout());
    expect(parsed.rollout).toBeDefined();
    if (!parsed.rollout) return;
    expect(validateRollout(parsed.rollout)).toEqual([]);
    expect(validateRollout(parsed.rollout)).toEqual(validateRollout(parsed.rollout));
  });

  it('reports schema errors without running semantic checks', () => {
    const result = checkRollout(
      edited(aRollout(), (r) => {
        r.spec.replicas = 'three';
      }),
    );
    expect(result.rollout).toBeUndefined();
    expect(result.issues).toEqual([
      { path: 'spec.replicas', message: 'must be a number, got the string "three"', kind: 'invalid' },
    ]);
  });
});
