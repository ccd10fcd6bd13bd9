import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createProviderRegistry } from '../../../src/analysis/providers/registry.js';
import { formatPath, type Metric, MetricProviderSchema, validateMetric } from '../../../src/api/index.js';
import { planWithReferences } from '../../../src/rollout/plan/reference-check.js';
import { aRollout } from '../rollout/fixtures.js';

/**
 * Every field of `metric.provider`, as the zod schema (and so the CRD) declares it, must be either
 * implemented or reported — never accepted and ignored — and a reported one is reported by validation
 * (`kubectl vireo lint`), by the measurement, and on every Rollout using the template before its first
 * canary pod (the analysis pre-flight). A new schema field fails this test until it is listed below as one
 * or the other.
 */
const IMPLEMENTED = [
  'prometheus.address',
  'prometheus.query',
  'prometheus.authentication.oauth2.tokenUrl',
  'prometheus.authentication.oauth2.clientId',
  'prometheus.authentication.oauth2.clientSecret',
  'prometheus.authentication.oauth2.scopes',
  'prometheus.authentication.basicAuth.username',
  'prometheus.authentication.basicAuth.password',
  'prometheus.timeout',
  'prometheus.insecure',
  'prometheus.headers',
  'prometheus.rangeQuery.start',
  'prometheus.rangeQuery.end',
  'prometheus.rangeQuery.step',
  'web.url',
  'web.method',
  'web.headers',
  'web.body',
  'web.jsonBody',
  'web.timeoutSeconds',
  'web.jsonPath',
  'web.insecure',
  'web.authentication.oauth2.tokenUrl',
  'web.authentication.oauth2.clientId',
  'web.authentication.oauth2.clientSecret',
  'web.authentication.oauth2.scopes',
  // The job provider is accepted by validation; its runtime provider comes with issue 15.
  'job.metadata.labels',
  'job.metadata.annotations',
  'job.spec',
];

const REPORTED = [
  'prometheus.authentication.sigv4.region',
  'prometheus.authentication.sigv4.profile',
  'prometheus.authentication.sigv4.roleArn',
  'web.authentication.sigv4.region',
  'web.authentication.sigv4.profile',
  'web.authentication.sigv4.roleArn',
  'web.authentication.basicAuth.username',
  'web.authentication.basicAuth.password',
  'kayenta',
  'datadog',
  'wavefront',
  'newRelic',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  // Only `plugin["vireo.dev/judge"]` is implemented (test/unit/api/validate-judge.test.ts); any other plugin
  // name is reported.
  'plugin',
];

type Leaf = { path: string[]; type: string };

/** The leaves of a zod object schema: scalars, arrays, records and opaque (preserve-unknown) objects. */
function leaves(schema: z.core.$ZodType, path: string[] = []): Leaf[] {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; shape?: object };
  if (def.type === 'optional' && def.innerType) return leaves(def.innerType, path);
  if (def.type === 'object' && def.shape && Object.keys(def.shape).length > 0) {
    return Object.entries(def.shape).flatMap(([key, child]) => leaves(child, [...path, key]));
  }
  return [{ path, type: def.type === 'object' ? 'opaque' : def.type }];
}

const SAMPLE: Record<string, unknown> = {
  string: 'http://127.0.0.1:1/x',
  boolean: true,
  number: 5,
  array: ['x'],
  record: { a: 'b' },
  opaque: { a: 1 },
};

/** A provider block valid apart from `leaf`, with `leaf` (and the rest of its auth mode) set. */
function providerWith(leaf: Leaf): Metric['provider'] {
  const [provider = '', ...rest] = leaf.path;
  const base: Record<string, Record<string, unknown>> = {
    prometheus: { address: 'http://127.0.0.1:1', query: 'up' },
    web: { url: 'http://127.0.0.1:1/x', method: 'POST' },
    job: { spec: { template: {} } },
  };
  const block: Record<string, unknown> = structuredClone(base[provider] ?? {});
  if (rest[0] === 'authentication' && rest[1]) {
    const mode = { tokenUrl: 'http://t', clientId: 'c', clientSecret: 's', username: 'u', password: 'p' };
    block.authentication = { [rest[1]]: { ...mode, [rest[2] ?? '']: SAMPLE[leaf.type] } };
  } else if (rest.length > 0) {
    let target = block;
    for (const key of rest.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    const field = rest.at(-1) ?? '';
    const special: Record<string, unknown> = { headers: [{ key: 'k', value: 'v' }], method: 'PUT' };
    target[field] = special[field] ?? SAMPLE[leaf.type];
  } else {
    return { [provider]: SAMPLE[leaf.type] } as Metric['provider'];
  }
  return { [provider]: block } as Metric['provider'];
}

const all = leaves(MetricProviderSchema);

/**
 * The Rollout pre-flight reports the field too, before a canary pod exists: a first deploy whose step
 * analysis uses a template with `metric` plans no action at all (no ReplicaSet), only `InvalidSpec` naming
 * the analysis reference and the template's field.
 */
function expectReportedOnTheRollout(metric: Metric, templateField: string): void {
  const rollout = aRollout({
    steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 't' }] } }],
  });
  const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 't' } };
  const namespaced = new Map([['t', { ...template, spec: { metrics: [metric] } }]]);
  const snapshot = { rollout, replicaSets: [], analysisRuns: [], now: new Date(0) };
  const plan = planWithReferences({ ...snapshot, analysisTemplates: { namespaced } });
  expect(plan.actions).toEqual([]);
  const invalid = plan.status.conditions?.find((c) => c.type === 'InvalidSpec');
  expect(invalid?.message).toContain(
    `spec.strategy.canary.steps[1].analysis.templates[0]: AnalysisTemplate 't': ${templateField}`,
  );
  expect(invalid?.message).toContain('is not supported by Vireo');
}

describe('every metric provider and authentication field is implemented or reported', () => {
  it('the lists name exactly the fields of the schema', () => {
    expect(all.map((l) => l.path.join('.')).sort()).toEqual([...IMPLEMENTED, ...REPORTED].sort());
  });

  it.each(all.filter((l) => REPORTED.includes(l.path.join('.'))).map((l) => [l.path.join('.'), l] as const))(
    '%s is reported as unsupported by validation, at run time and on the Rollout before a canary pod',
    async (_name, leaf) => {
      const metric: Metric = { name: 'm', provider: providerWith(leaf) };
      const issues = validateMetric(metric, ['metrics', 0]);
      const unsupported = issues.filter((i) => i.kind === 'unsupported');
      expect(unsupported).toHaveLength(1);
      const where = formatPath(['metrics', 0, 'provider', ...leaf.path]);
      // The report names the field or a key inside it (`plugin.<name>` for a plugin Vireo does not ship).
      const reported = unsupported[0]?.path ?? '-';
      expect(where.startsWith(reported) || reported.startsWith(where), reported).toBe(true);
      expect(unsupported[0]?.message).toContain('is not supported by Vireo (supported: ');
      const context = { args: [], signal: AbortSignal.timeout(5000), now: new Date(0) };
      const measured = await createProviderRegistry().measure(metric, context);
      expect(measured.ok ? '' : measured.error).toContain('is not supported by Vireo');
      expectReportedOnTheRollout(metric, reported.replace(/^metrics/, 'spec.metrics'));
    },
  );

  it.each(
    all.filter((l) => IMPLEMENTED.includes(l.path.join('.'))).map((l) => [l.path.join('.'), l] as const),
  )('%s is accepted by validation', (_name, leaf) => {
    const metric: Metric = { name: 'm', provider: providerWith(leaf) };
    expect(validateMetric(metric, ['metrics', 0]).filter((i) => i.kind === 'unsupported')).toEqual([]);
  });
});

describe('an implemented authentication mode needs all its fields', () => {
  it.each<[string, Metric['provider'], string[]]>([
    [
      'Prometheus OAuth2 without client secret',
      { prometheus: { query: 'up', authentication: { oauth2: { tokenUrl: 'http://t', clientId: 'c' } } } },
      ['metrics[0].provider.prometheus.authentication.oauth2.clientSecret'],
    ],
    [
      'web OAuth2 with scopes only',
      { web: { url: 'http://w', authentication: { oauth2: { scopes: ['a'] } } } },
      ['tokenUrl', 'clientId', 'clientSecret'].map(
        (f) => `metrics[0].provider.web.authentication.oauth2.${f}`,
      ),
    ],
    [
      'Prometheus basic auth without username',
      { prometheus: { query: 'up', authentication: { basicAuth: { password: 'p' } } } },
      ['metrics[0].provider.prometheus.authentication.basicAuth.username'],
    ],
  ])('%s', (_name, provider, paths) => {
    const issues = validateMetric({ name: 'm', provider }, ['metrics', 0]);
    expect(issues.map((i) => [i.kind, i.path])).toEqual(paths.map((p) => ['invalid', p]));
  });
});
