import { describe, expect, it } from 'vitest';
import {
  mergeArgs,
  REDACTED,
  type ResolvedArgs,
  redactSecrets,
  resolveArgs,
  resolveMetric,
  substituteArgs,
} from '../../../../src/analysis/core/index.js';
import { metricSettings } from '../../../../src/api/index.js';
import { aMetric } from './fixtures.js';

const args: ResolvedArgs = [
  { name: 'service', value: 'api', secret: false },
  { name: 'token', value: 's3cr3t-token', secret: true },
  { name: 'quoted', value: 'say "hi"\nbye\\', secret: false },
];

describe('substituteArgs', () => {
  it.each<[string, string, string]>([
    ['plain', 'rate{svc="{{args.service}}"}', 'rate{svc="api"}'],
    ['whitespace inside the braces', 'x-{{ args.service }}-{{args.service  }}', 'x-api-api'],
    ['JSON-escaped values round-trip', '{{args.quoted}}', 'say "hi"\nbye\\'],
    ['no tags', 'sum(up)', 'sum(up)'],
    ['secret values are real when not redacting', 'Bearer {{args.token}}', 'Bearer s3cr3t-token'],
  ])('%s', (_name, template, expected) => {
    expect(substituteArgs(template, args)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, string, string]>([
    ['unknown argument', '{{args.missing}}', 'failed to resolve {{args.missing}}'],
    [
      'not an argument tag',
      '{{templates.x.podTemplateHash}}',
      'failed to resolve {{templates.x.podTemplateHash}}',
    ],
    ['unterminated tag', 'a-{{args.service', 'cannot find end tag "}}" after "{{args.service"'],
  ])('%s is an error', (_name, template, error) => {
    expect(substituteArgs(template, args)).toEqual({ ok: false, error });
  });

  it('substitutes in object keys and array items and leaves numbers and booleans alone', () => {
    const body = { '{{args.service}}': ['{{args.service}}', 1, true, null], n: 2 };
    expect(substituteArgs(body, args)).toEqual({ ok: true, value: { api: ['api', 1, true, null], n: 2 } });
  });

  it('redacts secrets on request', () => {
    expect(substituteArgs('Bearer {{args.token}} for {{args.service}}', args, { redact: true })).toEqual({
      ok: true,
      value: `Bearer ${REDACTED} for api`,
    });
  });

  it('substitutes across a whole metric, including int-or-string counts, without mutating it', () => {
    const metric = aMetric({
      interval: '{{args.every}}',
      count: '{{args.count}}',
      successCondition: 'result[0] < {{args.max}}',
      provider: { prometheus: { address: 'http://p', query: 'q{a="{{args.service}}"}' } },
    });
    const before = structuredClone(metric);
    const values: ResolvedArgs = [
      { name: 'every', value: '10s', secret: false },
      { name: 'count', value: '3', secret: false },
      { name: 'max', value: '0.05', secret: false },
      { name: 'service', value: 'api', secret: false },
    ];
    const out = resolveMetric(metric, values);
    expect(out.ok && out.value.provider.prometheus?.query).toBe('q{a="api"}');
    expect(out.ok && out.value.successCondition).toBe('result[0] < 0.05');
    expect(out.ok && metricSettings(out.value)).toMatchObject({ count: 3, intervalMs: 10_000 });
    expect(metric).toEqual(before);
  });
});

describe('resolveArgs', () => {
  it('takes values, resolved valueFrom values and placeholders', () => {
    const out = resolveArgs(
      [
        { name: 'a', value: '1' },
        { name: 'b', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        { name: 'c', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'd', valueFrom: { secretKeyRef: { name: 's', key: 'k2' } } },
      ],
      { b: 'pw', c: 'my-rollout' },
    );
    expect(out).toEqual({
      ok: true,
      value: [
        { name: 'a', value: '1', secret: false },
        { name: 'b', value: 'pw', secret: true },
        { name: 'c', value: 'my-rollout', secret: false },
        { name: 'd', value: REDACTED, secret: true },
      ],
    });
  });

  it('rejects an argument with no value, even an unused one', () => {
    expect(resolveArgs([{ name: 'a', value: '1' }, { name: 'x' }])).toEqual({
      ok: false,
      error: 'argument "x" was not supplied',
    });
  });

  it('accepts no arguments', () => {
    expect(resolveArgs(undefined)).toEqual({ ok: true, value: [] });
  });
});

describe('redactSecrets', () => {
  it('replaces every secret value and leaves the rest', () => {
    expect(redactSecrets('token=s3cr3t-token svc=api s3cr3t-token', args)).toBe(
      `token=${REDACTED} svc=api ${REDACTED}`,
    );
  });
});

describe('mergeArgs', () => {
  it('overrides template args by name, ignores unknown incoming ones', () => {
    const out = mergeArgs(
      [
        { name: 'svc', value: 'api' },
        { name: 'extra', value: 'x' },
        { name: 'tok', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
      [{ name: 'svc' }, { name: 'window', value: '5m' }, { name: 'tok' }],
    );
    expect(out).toEqual({
      ok: true,
      value: [
        { name: 'svc', value: 'api' },
        { name: 'window', value: '5m' },
        { name: 'tok', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
    });
  });

  it('fails on a template arg nobody supplied', () => {
    expect(mergeArgs([], [{ name: 'svc' }])).toEqual({ ok: false, error: 'args.svc was not resolved' });
  });
});
