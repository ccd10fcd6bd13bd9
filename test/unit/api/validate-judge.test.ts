import { describe, expect, it } from 'vitest';
import { checkAnalysisTemplate, JUDGE_PLUGIN, judgeSettings } from '../../../src/api/index.js';
import { aTemplate, edited, type Json } from './fixtures.js';

const PATH = `spec.metrics[0].provider.plugin["${JUDGE_PLUGIN}"]`;
const judge = (config: Json = {}): Json => ({
  canary: '{{args.canary-hash}}',
  baseline: '{{args.stable-hash}}',
  metrics: [{ name: 'error-rate', query: 'errors{rollouts_pod_template_hash="{{role}}"}' }],
  ...config,
});
const withJudge = (config: Json, extra: Json = {}) =>
  edited(aTemplate(), (t) => {
    t.spec.args = [{ name: 'canary-hash' }, { name: 'stable-hash' }];
    t.spec.metrics[0] = {
      name: 'judge',
      successCondition: 'result >= 100',
      ...extra,
      provider: { plugin: { [JUDGE_PLUGIN]: config } },
    };
  });
const issuesOf = (config: Json) =>
  checkAnalysisTemplate(withJudge(config)).issues.map((i) => `${i.path}: ${i.message}`);

describe('the vireo.dev/judge plugin config', () => {
  it('is accepted with its defaults and with every field set (placeholders allowed in numbers)', () => {
    expect(issuesOf(judge())).toEqual([]);
    const full = judge({
      address: 'http://prometheus:9090',
      window: '5m',
      step: '15s',
      confidence: 0.99,
      timeout: 10,
      headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
      metrics: [
        {
          name: 'errors',
          query: 'e{h="{{ role }}"}',
          direction: 'increase',
          tolerance: 0.01,
          minSamples: 20,
          weight: 2,
        },
        {
          name: 'latency',
          query: 'l{h="{{role}}"}',
          direction: 'either',
          relativeTolerance: '{{args.slack}}',
        },
      ],
    });
    expect(issuesOf(full)).toEqual([]);
  });

  it.each<[string, Json, string]>([
    [
      'no role tag',
      judge({ metrics: [{ name: 'e', query: 'errors' }] }),
      `${PATH}.metrics[0].query: must contain {{role}} (replaced by each role's pod-template hash)`,
    ],
    ['no metrics', judge({ metrics: [] }), `${PATH}.metrics: must be at least 1, got a list`],
    ['missing canary', { baseline: 'b', metrics: judge().metrics }, `${PATH}.canary: is required (a string)`],
    ['a typo', judge({ tolerence: 1 }), `${PATH}: Unrecognized key: "tolerence"`],
    [
      'a bad direction',
      judge({ metrics: [{ name: 'e', query: '{{role}}', direction: 'up' }] }),
      `${PATH}.metrics[0].direction: must be increase, decrease, either, got "up"`,
    ],
    [
      'a negative tolerance',
      judge({ metrics: [{ name: 'e', query: '{{role}}', tolerance: -1 }] }),
      `${PATH}.metrics[0].tolerance: must be at least 0, got -1`,
    ],
    [
      'minSamples 0',
      judge({ metrics: [{ name: 'e', query: '{{role}}', minSamples: 0 }] }),
      `${PATH}.metrics[0].minSamples: must be an integer of at least 1, got 0`,
    ],
    [
      'a text weight',
      judge({ metrics: [{ name: 'e', query: '{{role}}', weight: 'heavy' }] }),
      `${PATH}.metrics[0].weight: must be a number, got "heavy"`,
    ],
    [
      'confidence 1',
      judge({ confidence: 1 }),
      `${PATH}.confidence: must be between 0 and 1 (exclusive), got 1`,
    ],
    [
      'a bad window',
      judge({ window: '5' }),
      `${PATH}.window: must be a positive duration such as "5m", got "5"`,
    ],
    [
      'duplicate names',
      judge({
        metrics: [
          { name: 'e', query: '{{role}}' },
          { name: 'e', query: '{{role}}' },
        ],
      }),
      `${PATH}.metrics[1].name: duplicate name "e"`,
    ],
  ])('reports %s with its field path', (_name, config, issue) => {
    expect(issuesOf(config)).toContain(issue);
  });

  it('reports two plugins, and other plugin names as unsupported', () => {
    const two = edited(aTemplate(), (t) => {
      t.spec.metrics[0].provider = { plugin: { [JUDGE_PLUGIN]: judge(), other: {} } };
    });
    expect(checkAnalysisTemplate(two).issues.map((i) => i.message)).toContain(
      'set exactly one plugin (supported: vireo.dev/judge); found vireo.dev/judge and other',
    );
  });

  it('judgeSettings applies the defaults and refuses leftover placeholders', () => {
    const settings = judgeSettings({
      canary: 'c',
      baseline: 'b',
      metrics: [{ name: 'e', query: '{{role}}', tolerance: '0.02' }],
    });
    expect(settings).toEqual({
      ok: true,
      value: {
        canary: 'c',
        baseline: 'b',
        confidence: 0.95,
        timeoutMs: 30_000,
        headers: {},
        metrics: [
          {
            name: 'e',
            query: '{{role}}',
            direction: 'increase',
            tolerance: 0.02,
            relativeTolerance: 0,
            minSamples: 10,
            weight: 1,
          },
        ],
      },
    });
    expect(
      judgeSettings({ canary: '{{args.x}}', baseline: 'b', metrics: [{ name: 'e', query: '{{role}}' }] }),
    ).toEqual({
      ok: false,
      error: 'unresolved placeholder {{args.x}}',
    });
  });
});
