import { describe, expect, it } from 'vitest';
import { mergeTemplates } from '../../../../src/analysis/core/index.js';
import { aMetric } from './fixtures.js';

const a = aMetric({ name: 'a' });
const b = aMetric({ name: 'b' });

describe('mergeTemplates', () => {
  it('concatenates metrics and merges args, dry-run and retention', () => {
    const out = mergeTemplates({
      templates: [
        {
          metrics: [a],
          args: [{ name: 'svc' }, { name: 'window', value: '5m' }],
          dryRun: [{ metricName: 'a' }],
        },
        {
          metrics: [b],
          args: [{ name: 'window', value: '5m' }],
          measurementRetention: [{ metricName: 'b', limit: 3 }],
        },
      ],
      args: [{ name: 'svc', value: 'api' }],
      dryRun: [{ metricName: 'b' }],
    });
    expect(out).toEqual({
      ok: true,
      value: {
        metrics: [a, b],
        args: [
          { name: 'svc', value: 'api' },
          { name: 'window', value: '5m' },
        ],
        dryRun: [{ metricName: 'b' }, { metricName: 'a' }],
        measurementRetention: [{ metricName: 'b', limit: 3 }],
      },
    });
  });

  it('omits empty lists', () => {
    expect(mergeTemplates({ templates: [{ metrics: [a] }] })).toEqual({ ok: true, value: { metrics: [a] } });
  });

  it('lets a valued template arg win over a valueless one', () => {
    const out = mergeTemplates({
      templates: [
        { metrics: [a], args: [{ name: 'x' }] },
        { metrics: [b], args: [{ name: 'x', value: '1' }] },
      ],
    });
    expect(out.ok && out.value.args).toEqual([{ name: 'x', value: '1' }]);
  });

  it.each<[string, Parameters<typeof mergeTemplates>[0], string]>([
    [
      'duplicate metric names',
      { templates: [{ metrics: [a] }, { metrics: [a] }] },
      "two metrics have the same name 'a'",
    ],
    [
      'conflicting arg values',
      {
        templates: [
          { metrics: [a], args: [{ name: 'x', value: '1' }] },
          { metrics: [b], args: [{ name: 'x', value: '2' }] },
        ],
      },
      "Argument `x` specified multiple times with different values: '1', '2'",
    ],
    [
      'an unresolved arg',
      { templates: [{ metrics: [a], args: [{ name: 'svc' }] }] },
      'args.svc was not resolved',
    ],
    [
      'a dry-run rule twice',
      { templates: [{ metrics: [a], dryRun: [{ metricName: 'a' }] }], dryRun: [{ metricName: 'a' }] },
      "two Dry-Run metric rules have the same name 'a'",
    ],
    [
      'a retention rule twice',
      {
        templates: [
          { metrics: [a], measurementRetention: [{ metricName: 'a', limit: 1 }] },
          { metrics: [b], measurementRetention: [{ metricName: 'a', limit: 2 }] },
        ],
      },
      "two Measurement Retention metric rules have the same name 'a'",
    ],
  ])('rejects %s', (_name, sources, error) => {
    expect(mergeTemplates(sources)).toEqual({ ok: false, error });
  });
});
