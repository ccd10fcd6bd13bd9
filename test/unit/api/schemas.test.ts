import { describe, expect, expectTypeOf, it } from 'vitest';
import { parse } from 'yaml';
import {
  type AnalysisRun,
  AnalysisRunSchema,
  type CanaryStep,
  checkAnalysisTemplate,
  checkRollout,
  ExperimentSchema,
  type IntOrString,
  parseObject,
  type Rollout,
  type RolloutSchema,
} from '../../../src/api/index.js';
import { exampleFiles, type Json, loadYaml } from './fixtures.js';

function checkDocument(doc: Json) {
  if (doc.kind === 'Rollout') return checkRollout(doc).issues;
  if (doc.kind === 'AnalysisTemplate' || doc.kind === 'ClusterAnalysisTemplate')
    return checkAnalysisTemplate(doc).issues;
  return [];
}

describe('examples/ validate with no issues', () => {
  it('has the required examples', () => {
    expect(exampleFiles()).toEqual(
      expect.arrayContaining([
        'examples/analysis-prometheus.yaml',
        'examples/beyond-argo.yaml',
        'examples/canary-basic.yaml',
        'examples/canary-gatewayapi.yaml',
        'examples/canary-istio.yaml',
        'examples/canary-nginx.yaml',
      ]),
    );
  });

  it.each([...exampleFiles(), 'examples/kustomize/base/rollout.yaml'])('%s', (file) => {
    const docs = loadYaml(file);
    expect(docs.some((d) => d.kind === 'Rollout' || d.kind === 'AnalysisTemplate')).toBe(true);
    for (const doc of docs) expect(checkDocument(doc), `${doc.kind}/${doc.metadata?.name}`).toEqual([]);
  });

  it('the analysis example matches the documented error-rate check', () => {
    const template = loadYaml('examples/analysis-prometheus.yaml').find(
      (d) => d.metadata.name === 'error-rate',
    );
    const metric = template?.spec.metrics[0];
    expect(metric).toMatchObject({ interval: '1m', failureLimit: 3, successCondition: 'result[0] < 0.05' });
    expect(metric.provider.prometheus.address).toMatch(/^http/);
    expect(metric.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    const rollout = loadYaml('examples/analysis-prometheus.yaml').find((d) => d.kind === 'Rollout');
    const steps = rollout?.spec.strategy.canary.steps as Json[];
    expect(steps.slice(0, 3).map((s) => Object.keys(s)[0])).toEqual(['setWeight', 'pause', 'analysis']);
    expect(steps[0]).toEqual({ setWeight: 20 });
    expect(steps[1]).toEqual({ pause: { duration: '5m' } });
    expect(steps.at(-1)).toEqual({ setWeight: 100 });
    expect(steps[2]?.analysis.args[0]).toEqual({
      name: 'canary-hash',
      valueFrom: { podTemplateHashValue: 'Latest' },
    });
  });
});

/** Argo-style manifests in the shapes users write them (written for these tests, not copied). */
const argoManifests = `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: guestbook}
spec:
  replicas: 5
  revisionHistoryLimit: 2
  selector: {matchLabels: {app: guestbook}}
  template:
    metadata: {labels: {app: guestbook}}
    spec:
      containers: [{name: guestbook, image: argoproj/rollouts-demo:blue, ports: [{containerPort: 8080}]}]
  strategy:
    canary:
      canaryMetadata: {labels: {role: canary}}
      stableMetadata: {labels: {role: stable}}
      analysis:
        templates: [{templateName: success-rate, clusterScope: true}]
        startingStep: 2
        args: [{name: service-name, value: guestbook-svc.default.svc.cluster.local}]
      steps:
      - setWeight: 20
      - pause: {}
      - setWeight: 40
      - pause: {duration: 40s}
      - setWeight: 60
      - pause: {duration: 20}
      - setWeight: 80
      - pause: {duration: "1h"}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata: {name: success-rate}
spec:
  args: [{name: service-name}, {name: api-token, valueFrom: {secretKeyRef: {name: token-secret, key: apiToken}}}]
  metrics:
  - name: success-rate
    interval: 5m
    successCondition: len(result) == 0 || result[0] >= 0.95
    failureLimit: 3
    provider:
      prometheus:
        address: http://prometheus.example.com:9090
        headers: [{key: Authorization, value: "Bearer {{args.api-token}}"}]
        query: sum(irate(istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}",response_code!~"5.*"}[5m])) / sum(irate(istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}"}[5m]))
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: load-test}
spec:
  args: [{name: host}]
  metrics:
  - name: load
    provider:
      job:
        metadata: {labels: {purpose: load-test}}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers: [{name: wrk, image: argoproj/load-tester:latest, command: [sh, -c, "wrk -t2 -c5 -d30s http://{{args.host}}/"]}]
  - name: web-json
    interval: 10s
    count: 3
    successCondition: result.ok == true && asInt(result.errors) < 5
    provider:
      web:
        method: POST
        url: https://status.example.com/api/check
        jsonBody: {service: "{{args.host}}", window: 5m}
        timeoutSeconds: 20
        jsonPath: "{$.data}"
`;

describe('realistic Argo manifests', () => {
  const docs = argoManifests
    .split(/^---$/m)
    .map((d) => parse(d) as Json)
    .filter(Boolean);

  it.each(
    docs
      .filter((d) => d.metadata.name !== 'guestbook')
      .map((d) => [`${d.kind}/${d.metadata.name}`, d] as const),
  )('%s parses and validates', (_name, doc) => {
    expect(checkDocument(doc)).toEqual([]);
  });

  it('Rollout/guestbook, with its background analysis, parses and validates', () => {
    expect(checkDocument(docs[0] as Json)).toEqual([]);
  });

  it('keeps int-or-string values as written', () => {
    const rollout = checkRollout(docs[0]).rollout;
    const durations = rollout?.spec.strategy.canary?.steps?.flatMap((s) =>
      s.pause?.duration === undefined ? [] : [s.pause.duration],
    );
    expect(durations).toEqual(['40s', 20, '1h']);
  });

  it('parses and accepts a blue-green Rollout', () => {
    const blueGreen = {
      ...docs[0],
      spec: {
        ...docs[0]?.spec,
        strategy: { blueGreen: { activeService: 'a', previewService: 'p', autoPromotionEnabled: false } },
      },
    };
    const result = checkRollout(blueGreen);
    expect(result.rollout?.spec.strategy.blueGreen?.activeService).toBe('a');
    expect(result.issues).toEqual([]);
  });

  it('strips fields Argo does not have (as the API server prunes them)', () => {
    const withTypo = { ...docs[0], spec: { ...docs[0]?.spec, replica: 3 } };
    const rollout = checkRollout(withTypo).rollout as Json;
    expect(rollout.spec.replica).toBeUndefined();
  });

  it('keeps unknown pod template fields', () => {
    const rollout = checkRollout(docs[0]).rollout;
    expect(rollout?.spec.template?.spec?.containers[0]?.ports).toEqual([{ containerPort: 8080 }]);
  });
});

describe('AnalysisRun and Experiment schemas', () => {
  it('parses an AnalysisRun with status written by Argo', () => {
    const run = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'guestbook-6c54544bf9-2-2' },
      spec: {
        metrics: [{ name: 'm', provider: { prometheus: { query: 'up' } } }],
        args: [{ name: 'service-name', value: 'svc' }],
      },
      status: {
        phase: 'Successful',
        startedAt: '2026-01-01T00:00:00Z',
        metricResults: [
          {
            name: 'm',
            phase: 'Successful',
            count: 1,
            successful: 1,
            measurements: [
              {
                phase: 'Successful',
                value: '[0.99]',
                startedAt: '2026-01-01T00:00:00Z',
                finishedAt: '2026-01-01T00:00:01Z',
              },
            ],
          },
        ],
        runSummary: { count: 1, successful: 1 },
      },
    };
    const result = parseObject(AnalysisRunSchema, run);
    expect(result.ok).toBe(true);
  });

  it('parses an Experiment', () => {
    const experiment = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'exp' },
      spec: {
        duration: '5m',
        templates: [
          {
            name: 'baseline',
            selector: { matchLabels: { app: 'x' } },
            template: {
              metadata: { labels: { app: 'x' } },
              spec: { containers: [{ name: 'c', image: 'i' }] },
            },
          },
        ],
        analyses: [{ name: 'a', templateName: 't' }],
      },
    };
    expect(parseObject(ExperimentSchema, experiment).issues).toEqual([]);
  });
});

describe('types come from the schemas', () => {
  it('infers the documented shapes', () => {
    expectTypeOf<Rollout>().toEqualTypeOf<ReturnType<typeof RolloutSchema.parse>>();
    expectTypeOf<CanaryStep['setWeight']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<CanaryStep['pause']>['duration']>().toEqualTypeOf<IntOrString | undefined>();
    expectTypeOf<IntOrString>().toEqualTypeOf<number | string>();
    expectTypeOf<AnalysisRun['spec']['metrics'][number]['name']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<NonNullable<Rollout['spec']['template']>['spec']>>().toHaveProperty(
      'containers',
    );
  });
});
