import { describe, expect, it } from 'vitest';
import {
  canarySettings,
  checkRollout,
  formatPath,
  intOrStringToInt,
  isIntOrPercent,
  metricSettings,
  parseGoDuration,
  pauseDurationMs,
  type Rollout,
  resolveSurgeUnavailable,
  rolloutSettings,
  scaledIntOrPercent,
  selectorMatches,
  validateRolloutReferences,
  withDefaultReplicas,
} from '../../../src/api/index.js';
import { aRollout } from './fixtures.js';

describe('parseGoDuration', () => {
  it.each([
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    ['-2s', -2000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '10', '5 m', 'm', '1d', 'abc', '1h 30m'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('pauseDurationMs', () => {
  it.each([
    [30, 30_000],
    ['30', 30_000],
    ['40s', 40_000],
    ['1h', 3_600_000],
  ] as const)('%j → %d ms', (value, ms) => {
    expect(pauseDurationMs(value)).toBe(ms);
  });

  it('rejects nonsense', () => {
    expect(pauseDurationMs('soon')).toBeUndefined();
  });
});

describe('int-or-string', () => {
  it('scales percentages like Kubernetes', () => {
    expect(scaledIntOrPercent('25%', 10, true)).toBe(3);
    expect(scaledIntOrPercent('25%', 10, false)).toBe(2);
    expect(scaledIntOrPercent(1, 10, true)).toBe(1);
    expect(scaledIntOrPercent('x', 10, true)).toBeUndefined();
  });

  it('resolves fenceposts (both zero → unavailable 1)', () => {
    expect(resolveSurgeUnavailable('25%', '25%', 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveSurgeUnavailable('0%', 0, 10)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveSurgeUnavailable('10%', '10%', 1)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('reads integers from strings', () => {
    expect(intOrStringToInt('3')).toBe(3);
    expect(intOrStringToInt(4)).toBe(4);
    expect(intOrStringToInt('{{args.n}}')).toBeUndefined();
    expect(isIntOrPercent('25%')).toBe(true);
    expect(isIntOrPercent(-1)).toBe(false);
    expect(isIntOrPercent('25')).toBe(false);
  });
});

describe('defaults are applied in code', () => {
  const rollout = checkRollout(aRollout()).rollout as Rollout;

  it('gives Argo defaults for omitted Rollout fields', () => {
    const spec = { ...rollout.spec, replicas: undefined };
    expect(rolloutSettings(spec)).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      successfulRunHistoryLimit: 5,
      unsuccessfulRunHistoryLimit: 5,
    });
    expect(canarySettings({})).toMatchObject({
      maxSurge: '25%',
      maxUnavailable: '25%',
      scaleDownDelaySeconds: 30,
      abortScaleDownDelaySeconds: 30,
      maxTrafficWeight: 100,
      nginxAnnotationPrefix: 'nginx.ingress.kubernetes.io',
    });
  });

  it('fills spec.replicas without touching the input', () => {
    const { replicas: _omit, ...spec } = rollout.spec;
    const input: Rollout = { ...rollout, spec };
    expect(withDefaultReplicas(input).spec.replicas).toBe(1);
    expect('replicas' in input.spec).toBe(false);
  });

  it('computes effective metric counts and limits', () => {
    const provider = { prometheus: { query: 'up' } };
    expect(metricSettings({ name: 'a', provider })).toMatchObject({
      count: 1,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 0,
    });
    expect(metricSettings({ name: 'a', interval: '1m', provider })).toMatchObject({
      count: undefined,
      intervalMs: 60_000,
    });
    expect(
      metricSettings({ name: 'a', interval: '1m', count: '5', failureLimit: 3, provider }),
    ).toMatchObject({
      count: 5,
      failureLimit: 3,
    });
  });
});

describe('formatPath', () => {
  it('renders dots, indexes and quoted keys', () => {
    expect(formatPath(['spec', 'strategy', 'canary', 'steps', 2, 'setWeight'])).toBe(
      'spec.strategy.canary.steps[2].setWeight',
    );
    expect(formatPath(['plugins', 'argoproj-labs/gatewayAPI', 'httpRoute'])).toBe(
      'plugins["argoproj-labs/gatewayAPI"].httpRoute',
    );
    expect(formatPath([])).toBe('');
  });
});

describe('selectorMatches', () => {
  it('implements matchLabels and matchExpressions', () => {
    const labels = { app: 'a', tier: 'web' };
    expect(selectorMatches({ matchLabels: { app: 'a' } }, labels)).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels),
    ).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels)).toBe(false);
  });
});

describe('validateRolloutReferences', () => {
  const rollout = checkRollout(aRollout()).rollout as Rollout;

  it('reports missing objects as reference issues', () => {
    const issues = validateRolloutReferences(rollout, {
      services: new Set(['demo-stable']),
      virtualServices: new Set(['demo']),
    });
    expect(issues).toEqual([
      {
        path: 'spec.strategy.canary.canaryService',
        message: 'Invalid value: "demo-canary": service "demo-canary" not found',
        kind: 'reference',
      },
    ]);
  });

  it('checks nothing it was not told about', () => {
    expect(validateRolloutReferences(rollout, {})).toEqual([]);
  });

  it('reports a Service another Rollout manages; one it manages itself, or nobody does, is fine', () => {
    const services = new Set(['demo-stable', 'demo-canary']);
    const serviceManagers = new Map([
      ['demo-stable', rollout.metadata.name ?? ''],
      ['demo-canary', 'checkout'],
    ]);
    expect(validateRolloutReferences(rollout, { services, serviceManagers })).toEqual([
      {
        path: 'spec.strategy.canary.canaryService',
        message: 'Service "demo-canary" is managed by another Rollout ("checkout")',
        kind: 'reference',
      },
    ]);
    expect(validateRolloutReferences(rollout, { services, serviceManagers: new Map() })).toEqual([]);
  });
});
