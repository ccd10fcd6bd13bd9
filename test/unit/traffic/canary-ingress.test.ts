import { describe, expect, it } from 'vitest';
import {
  buildCanaryIngress,
  buildCanaryIngresses,
  type CanaryIngressInput,
  canaryIngressName,
  canaryIngressNeedsUpdate,
  type Ingress,
  observedCanaryWeight,
  stableIngressNames,
} from '../../../src/traffic/nginx/canary-ingress.js';
import { desired, frozenCopy } from './helpers.js';

const input: CanaryIngressInput = {
  rolloutName: 'ro',
  canaryService: 'canary',
  stableService: 'stable',
  nginx: { stableIngress: 'web' },
};

const stable = (name = 'web', service = 'stable'): Ingress =>
  frozenCopy({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'ns', labels: { a: 'b' }, annotations: { unrelated: 'x' } },
    spec: {
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  });

const build = (canaryWeight: number, options = {}, nginx = input.nginx, max?: number) =>
  buildCanaryIngress(
    stable(),
    { ...input, nginx },
    desired({ canaryWeight, ...(max ? { maxTrafficWeight: max } : {}) }),
    options,
  );

describe('buildCanaryIngress', () => {
  it.each([0, 20, 100])('weight %i → canary-weight annotation', (weight) => {
    const ann = build(weight).object?.metadata?.annotations;
    expect(ann?.['nginx.ingress.kubernetes.io/canary']).toBe('true');
    expect(ann?.['nginx.ingress.kubernetes.io/canary-weight']).toBe(String(weight));
    expect(ann?.['nginx.ingress.kubernetes.io/canary-weight-total']).toBeUndefined();
  });

  it.each([
    ['default', {}, {}, 'nginx.ingress.kubernetes.io'],
    ['from the spec', {}, { annotationPrefix: 'spec.prefix' }, 'spec.prefix'],
    [
      'from options (wins)',
      { annotationPrefix: 'opt.prefix' },
      { annotationPrefix: 'spec.prefix' },
      'opt.prefix',
    ],
  ])('annotation prefix %s', (_name, options, nginxExtra, prefix) => {
    const nginx = {
      ...input.nginx,
      ...nginxExtra,
      additionalIngressAnnotations: { 'canary-by-header': 'X-C' },
    };
    const ann = build(5, options, nginx).object?.metadata?.annotations ?? {};
    expect(Object.keys(ann).sort()).toEqual([
      `${prefix}/canary`,
      `${prefix}/canary-by-header`,
      `${prefix}/canary-weight`,
    ]);
  });

  it('lets canaryIngressAnnotations win over additional ones but never over canary-weight', () => {
    const nginx = {
      ...input.nginx,
      additionalIngressAnnotations: { 'canary-by-header': 'a' },
      canaryIngressAnnotations: {
        'nginx.ingress.kubernetes.io/canary-by-header': 'b',
        'nginx.ingress.kubernetes.io/canary-weight': '99',
      },
    };
    const ann = build(7, {}, nginx).object?.metadata?.annotations;
    expect(ann?.['nginx.ingress.kubernetes.io/canary-by-header']).toBe('b');
    expect(ann?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('7');
  });

  it('writes canary-weight-total when the total is not 100', () => {
    const ann = build(30, {}, input.nginx, 300).object?.metadata?.annotations;
    expect(ann?.['nginx.ingress.kubernetes.io/canary-weight-total']).toBe('300');
  });

  it('leaves labels and owner references to the adapter', () => {
    const meta = build(1).object?.metadata;
    expect(meta?.labels).toBeUndefined();
    expect(meta?.ownerReferences).toBeUndefined();
    expect(meta?.annotations?.unrelated).toBeUndefined();
  });
});

describe('several stable Ingresses', () => {
  it('builds one canary Ingress per stable Ingress', () => {
    const results = buildCanaryIngresses(
      [stable('web'), stable('api'), stable('bad', 'other')],
      input,
      desired({ canaryWeight: 15 }),
    );
    expect(results.map((r) => r.object?.metadata?.name)).toEqual([
      'ro-web-canary',
      'ro-api-canary',
      undefined,
    ]);
    expect(results.map((r) => r.issues.map((i) => i.reason))).toEqual([[], [], ['BackendNotFound']]);
    expect(results[1]?.object?.spec?.rules?.[0]?.host).toBe('api.example.com');
  });

  it.each([
    [{ stableIngress: 'a' }, ['a']],
    [{ stableIngresses: ['a', 'b'] }, ['a', 'b']],
    [{}, []],
  ])('stableIngressNames(%j) → %j', (nginx, expected) => {
    expect(stableIngressNames(nginx)).toEqual(expected);
  });
});

describe('canaryIngressName', () => {
  it.each([
    ['ro', 'web', 'ro-web-canary'],
    ['r'.repeat(200), 'i'.repeat(100), `${'r'.repeat(200)}-${'i'.repeat(45)}-canary`],
  ])('(%s, %s)', (rollout, ingress, expected) => {
    const name = canaryIngressName(rollout, ingress);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(253);
  });
});

describe('canaryIngressNeedsUpdate', () => {
  const want = build(20).object as Ingress;
  const withAnn = (extra: Record<string, string | undefined>): Ingress => {
    const annotations = { ...want.metadata?.annotations, ...extra };
    for (const [k, v] of Object.entries(annotations)) if (v === undefined) delete annotations[k];
    return { ...want, metadata: { ...want.metadata, annotations: annotations as Record<string, string> } };
  };

  it.each([
    ['identical', want, false],
    ['annotation added by someone else', withAnn({ 'other/thing': 'x' }), false],
    ['labels added by someone else', { ...want, metadata: { ...want.metadata, labels: { x: 'y' } } }, false],
    ['weight drifted', withAnn({ 'nginx.ingress.kubernetes.io/canary-weight': '50' }), true],
    ['canary annotation removed', withAnn({ 'nginx.ingress.kubernetes.io/canary': undefined }), true],
    ['stale weight total', withAnn({ 'nginx.ingress.kubernetes.io/canary-weight-total': '1000' }), true],
    ['spec changed', { ...want, spec: { rules: [] } }, true],
  ])('%s → %s', (_name, current, expected) => {
    expect(canaryIngressNeedsUpdate(current, want)).toBe(expected);
  });
});

describe('observedCanaryWeight', () => {
  it.each([
    [{ 'nginx.ingress.kubernetes.io/canary-weight': '35' }, 35],
    [{ 'nginx.ingress.kubernetes.io/canary-weight': '' }, undefined],
    [{ 'nginx.ingress.kubernetes.io/canary-weight': 'abc' }, undefined],
    [{}, undefined],
  ])('%j → %s', (annotations, expected) => {
    expect(observedCanaryWeight({ metadata: { annotations } })).toBe(expected);
  });
});
