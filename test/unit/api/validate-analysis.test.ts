import { describe, expect, it } from 'vitest';
import { checkAnalysisTemplate, type IssueKind, metricNameMatches } from '../../../src/api/index.js';
import { aTemplate, edited, type Json } from './fixtures.js';

type Case = [name: string, edit: (t: Json) => void, path: string, message: string | RegExp, kind?: IssueKind];

const metric = (t: Json): Json => t.spec.metrics[0];

const malformed: Case[] = [
  [
    'no metrics',
    (t) => {
      t.spec.metrics = [];
    },
    'spec.metrics',
    /at least one metric is required/,
  ],
  [
    'duplicate metric names',
    (t) => {
      t.spec.metrics.push(structuredClone(metric(t)));
    },
    'spec.metrics[1].name',
    'duplicate metric name "error-rate"',
  ],
  [
    'metric without provider',
    (t) => {
      delete metric(t).provider;
    },
    'spec.metrics[0].provider',
    'is required (an object)',
  ],
  [
    'two providers',
    (t) => {
      metric(t).provider.web = { url: 'http://x' };
    },
    'spec.metrics[0].provider',
    /exactly one provider .* found prometheus and web/,
  ],
  [
    'interval without unit',
    (t) => {
      metric(t).interval = '60';
    },
    'spec.metrics[0].interval',
    'must be a duration such as "30s", "1m" or "1h", got "60"',
  ],
  [
    'count above 1 without interval',
    (t) => {
      delete metric(t).interval;
    },
    'spec.metrics[0].interval',
    'is required when count is greater than 1 (count: 5)',
  ],
  [
    'count below failureLimit',
    (t) => {
      metric(t).failureLimit = 7;
    },
    'spec.metrics[0].count',
    'must be at least failureLimit + consecutiveSuccessLimit (7), got 5',
  ],
  [
    'count not an integer string',
    (t) => {
      metric(t).count = 'five';
    },
    'spec.metrics[0].count',
    /must be an integer or an \{\{args/,
  ],
  [
    'count as a float',
    (t) => {
      metric(t).count = 2.5;
    },
    'spec.metrics[0].count',
    'must be an integer or a string, got number 2.5',
  ],
  [
    'failureLimit -1 without consecutiveSuccessLimit',
    (t) => {
      metric(t).failureLimit = -1;
    },
    'spec.metrics[0].failureLimit',
    /-1 is allowed only with consecutiveSuccessLimit/,
  ],
  [
    'negative inconclusiveLimit',
    (t) => {
      metric(t).inconclusiveLimit = -2;
    },
    'spec.metrics[0].inconclusiveLimit',
    'must not be negative, got -2',
  ],
  [
    'prometheus without query',
    (t) => {
      delete metric(t).provider.prometheus.query;
    },
    'spec.metrics[0].provider.prometheus.query',
    /is required/,
  ],
  [
    'web with a bad method',
    (t) => {
      metric(t).provider = { web: { url: 'http://x', method: 'DELETE' } };
    },
    'spec.metrics[0].provider.web.method',
    'must be GET, POST, PUT, got "DELETE"',
  ],
  [
    'web body with GET',
    (t) => {
      metric(t).provider = { web: { url: 'http://x', body: '{}' } };
    },
    'spec.metrics[0].provider.web.method',
    'must be POST or PUT when a body is sent',
  ],
  [
    'web without url',
    (t) => {
      metric(t).provider = { web: { method: 'GET' } };
    },
    'spec.metrics[0].provider.web.url',
    'is required (a string)',
  ],
  [
    'job without pod template',
    (t) => {
      metric(t).provider = { job: { spec: { backoffLimit: 1 } } };
    },
    'spec.metrics[0].provider.job.spec.template',
    /is required/,
  ],
  [
    'argument with value and valueFrom',
    (t) => {
      t.spec.args = [{ name: 'a', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    },
    'spec.args[0]',
    /sets both value and valueFrom/,
  ],
  [
    'dryRun rule matching no metric',
    (t) => {
      t.spec.dryRun = [{ metricName: 'latency' }];
    },
    'spec.dryRun[0].metricName',
    '"latency" matches no metric of this template (use "*" for all)',
  ],
  [
    'negative measurementRetention limit',
    (t) => {
      t.spec.measurementRetention = [{ metricName: 'error-rate', limit: -1 }];
    },
    'spec.measurementRetention[0].limit',
    'must not be negative',
  ],
];

type Unsupported = [provider: string, edit: (t: Json) => void, path: string];

const unsupportedProviders: Unsupported[] = [
  [
    'datadog',
    (t) => {
      metric(t).provider = { datadog: { query: 'avg:x' } };
    },
    'spec.metrics[0].provider.datadog',
  ],
  [
    'newRelic',
    (t) => {
      metric(t).provider = { newRelic: { query: 'SELECT 1' } };
    },
    'spec.metrics[0].provider.newRelic',
  ],
  [
    'cloudWatch',
    (t) => {
      metric(t).provider = { cloudWatch: { metricDataQueries: [] } };
    },
    'spec.metrics[0].provider.cloudWatch',
  ],
  [
    'kayenta',
    (t) => {
      metric(t).provider = { kayenta: { address: 'http://k' } };
    },
    'spec.metrics[0].provider.kayenta',
  ],
  [
    'plugin',
    (t) => {
      metric(t).provider = { plugin: { 'argoproj-labs/sample': {} } };
    },
    'spec.metrics[0].provider.plugin["argoproj-labs/sample"]',
  ],
];

describe('validateAnalysisTemplate', () => {
  it('accepts the valid baseline and a ClusterAnalysisTemplate', () => {
    expect(checkAnalysisTemplate(aTemplate()).issues).toEqual([]);
    const cluster = edited(aTemplate(), (t) => {
      t.kind = 'ClusterAnalysisTemplate';
    });
    const result = checkAnalysisTemplate(cluster);
    expect(result.issues).toEqual([]);
    expect(result.template?.kind).toBe('ClusterAnalysisTemplate');
  });

  it.each(malformed)('%s', (_name, edit, path, message, kind = 'invalid') => {
    const issues = checkAnalysisTemplate(edited(aTemplate(), edit)).issues;
    const match = issues.find((i) => i.path === path);
    expect(match, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
    expect(match?.kind).toBe(kind);
    if (typeof message === 'string') expect(match?.message).toContain(message);
    else expect(match?.message).toMatch(message);
  });

  it.each(unsupportedProviders)('reports provider %s as unsupported', (provider, edit, path) => {
    const issues = checkAnalysisTemplate(edited(aTemplate(), edit)).issues;
    const supported =
      provider === 'plugin' ? 'vireo.dev/judge' : 'prometheus, web, job, plugin["vireo.dev/judge"]';
    expect(issues).toContainEqual({
      path,
      kind: 'unsupported',
      message: `${path} is not supported by Vireo (supported: ${supported})`,
    });
  });

  it('accepts {{args}} placeholders in counts, limits and durations', () => {
    const t = edited(aTemplate(), (x) => {
      metric(x).count = '{{args.count}}';
      metric(x).failureLimit = '{{args.limit}}';
      metric(x).initialDelay = '{{args.delay}}';
    });
    expect(checkAnalysisTemplate(t).issues).toEqual([]);
  });

  it('accepts failureLimit -1 together with consecutiveSuccessLimit', () => {
    const t = edited(aTemplate(), (x) => {
      metric(x).failureLimit = -1;
      metric(x).consecutiveSuccessLimit = 3;
    });
    expect(checkAnalysisTemplate(t).issues).toEqual([]);
  });

  it('skips dry-run matching when templates are composed in', () => {
    const t = edited(aTemplate(), (x) => {
      x.spec.templates = [{ templateName: 'base' }];
      x.spec.dryRun = [{ metricName: 'from-base' }];
    });
    expect(checkAnalysisTemplate(t).issues).toEqual([]);
  });

  it('matches dry-run rules by "*" and regular expression', () => {
    expect(metricNameMatches('*', 'anything')).toBe(true);
    expect(metricNameMatches('error-.*', 'error-rate')).toBe(true);
    expect(metricNameMatches('latency', 'error-rate')).toBe(false);
    expect(metricNameMatches('(', 'x')).toBe(false);
  });
});
