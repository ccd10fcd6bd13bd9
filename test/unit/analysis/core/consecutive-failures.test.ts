import { describe, expect, it } from 'vitest';
import { failedStreak } from '../../../../src/analysis/core/consecutive-failures.js';
import { assessMetric } from '../../../../src/analysis/core/index.js';
import { buildAnalysisRun, carriedRunAnnotations } from '../../../../src/analysis/core/run-builder.js';
import {
  type AnalysisTemplateSpec,
  carriedConsecutiveFailureLimits,
  consecutiveFailureIssues,
  consecutiveFailureLimitOf,
  parseConsecutiveFailureLimits,
} from '../../../../src/api/index.js';
import { aMetric, aResult, done, inFlight } from './fixtures.js';

const KEY = 'vireo.dev/consecutive-failure-limit';
const S = (t = 0) => done('Successful', t);
const F = (t = 0) => done('Failed', t);
const I = (t = 0) => done('Inconclusive', t);

describe('vireo.dev/consecutive-failure-limit: parsing', () => {
  it.each<[string, unknown]>([
    ['error-rate=3', [{ metric: 'error-rate', limit: 3 }]],
    [
      ' a = 3 , b=2 ',
      [
        { metric: 'a', limit: 3 },
        { metric: 'b', limit: 2 },
      ],
    ],
    ['*=2', [{ metric: '*', limit: 2 }]],
  ])('%s parses', (text, rules) => {
    expect(parseConsecutiveFailureLimits(text)).toEqual({ ok: true, rules });
  });

  it.each(['', 'a', 'a=0', 'a=-1', 'a=x', 'a=3,a=2'])('%j is an error', (text) => {
    expect(parseConsecutiveFailureLimits(text).ok).toBe(false);
  });

  it('an explicit entry beats *; no annotation or a bad value gives no limit', () => {
    const annotations = { [KEY]: '*=4,latency=2' };
    expect(consecutiveFailureLimitOf(annotations, 'latency')).toBe(2);
    expect(consecutiveFailureLimitOf(annotations, 'errors')).toBe(4);
    expect(consecutiveFailureLimitOf(undefined, 'errors')).toBeUndefined();
    expect(consecutiveFailureLimitOf({ [KEY]: 'oops' }, 'errors')).toBeUndefined();
  });
});

describe('vireo.dev/consecutive-failure-limit: validation', () => {
  const spec = { metrics: [aMetric({ name: 'errors' })] };
  it('reports a value that does not parse, an unknown metric and a limit above retention, with the field path', () => {
    expect(consecutiveFailureIssues({ [KEY]: 'errors=x' }, spec)[0]?.message).toMatch(/whole number/);
    expect(consecutiveFailureIssues({ [KEY]: 'latency=2' }, spec)[0]?.message).toMatch(
      /names "latency", not a metric of this template/,
    );
    expect(consecutiveFailureIssues({ [KEY]: 'errors=11' }, spec)[0]?.message).toMatch(/only 10 are/);
    expect(consecutiveFailureIssues({ [KEY]: 'errors=3' }, spec)).toEqual([]);
    expect(consecutiveFailureIssues(undefined, spec)).toEqual([]);
    expect(consecutiveFailureIssues({ [KEY]: 'x' }, spec)[0]?.path).toBe(`metadata.annotations["${KEY}"]`);
  });

  it('a higher measurementRetention allows a higher limit', () => {
    const kept = { ...spec, measurementRetention: [{ metricName: 'errors', limit: 20 }] };
    expect(consecutiveFailureIssues({ [KEY]: 'errors=15' }, kept)).toEqual([]);
  });
});

describe('the rule carried from templates to the run', () => {
  const a: AnalysisTemplateSpec = { metrics: [aMetric({ name: 'a' }), aMetric({ name: 'b' })] };
  const b: AnalysisTemplateSpec = { metrics: [aMetric({ name: 'c' })] };
  it('expands * per template and joins in template order', () => {
    const carried = carriedConsecutiveFailureLimits([
      { spec: a, annotations: { [KEY]: '*=3,b=5' } },
      { spec: b, annotations: { [KEY]: 'c=2' } },
    ]);
    expect(carried).toEqual({ ok: true, value: 'b=5,a=3,c=2' });
    expect(carriedConsecutiveFailureLimits([{ spec: a }])).toEqual({ ok: true, value: undefined });
    expect(carriedRunAnnotations([{ spec: b, annotations: { [KEY]: 'c=' } }]).ok).toBe(false);
  });

  it('lands on the AnalysisRun, under the Rollout analysisRunMetadata', () => {
    const run = buildAnalysisRun({
      name: 'r',
      labels: {},
      rollout: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'demo', namespace: 'ns', uid: 'u' },
        spec: { selector: {}, template: {}, strategy: { canary: {} } },
      } as never,
      analysis: { templates: [{ templateName: 't' }], analysisRunMetadata: { annotations: { x: 'y' } } },
      templates: [b],
      stableHash: 's',
      latestHash: 'l',
      carried: { [KEY]: 'c=2' },
    });
    expect(run.ok && run.value.metadata.annotations).toEqual({ [KEY]: 'c=2', x: 'y' });
  });
});

describe('assessMetric with a consecutive-failure limit', () => {
  const metric = aMetric({ interval: '1m' });
  it('counts the streak at the end of the kept measurements, skipping one in flight', () => {
    expect(failedStreak(aResult('m', [F(), S(1), F(2), F(3), inFlight(4)]))).toBe(2);
    expect(failedStreak(aResult('m', [F(), I(1)]))).toBe(0);
  });

  it.each<[string, ReturnType<typeof aResult>, string, string]>([
    ['one blip keeps running', aResult('m', [S(), F(1), S(2)]), 'Running', ''],
    [
      'blips in total beyond failureLimit 0 keep running',
      aResult('m', [F(), S(1), F(2), S(3), F(4), S(5)]),
      'Running',
      '',
    ],
    ['two in a row of three keep running', aResult('m', [S(), F(1), F(2)]), 'Running', ''],
    [
      'three in a row fail the metric',
      aResult('m', [F(), S(1), F(2), F(3), F(4)]),
      'Failed',
      'consecutiveFailed (3) >= consecutiveFailureLimit (3)',
    ],
  ])('%s', (_, result, phase, reason) => {
    expect(assessMetric(metric, result, false, 3)).toEqual({ phase, reason });
  });

  it('an explicit failureLimit still caps failures in total', () => {
    const capped = aMetric({ interval: '1m', failureLimit: 2 });
    const result = aResult('m', [F(), S(1), F(2), S(3), F(4)]);
    expect(assessMetric(capped, result, false, 3)).toEqual({
      phase: 'Failed',
      reason: 'failed (3) > failureLimit (2)',
    });
  });

  it('without the rule Argo counts failures in total', () => {
    expect(assessMetric(metric, aResult('m', [S(), F(1), S(2)])).phase).toBe('Failed');
  });
});
