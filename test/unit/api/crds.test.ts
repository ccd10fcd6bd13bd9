import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { toCrdSchema } from '../../../src/api/crd/crd-schema.js';
import { renderCrdFiles, rolloutCrd } from '../../../src/api/crd/crds.js';
import { intOrString, preserveUnknown } from '../../../src/api/index.js';
import { type Json, repoRoot } from './fixtures.js';

const files = renderCrdFiles();

/** Every schema node with its path, depth-first. */
function* nodes(node: Json, path = '$'): Generator<[string, Json]> {
  yield [path, node];
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
    yield* nodes(child, `${path}.${key}`);
  }
  if (node.items) yield* nodes(node.items, `${path}[]`);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    yield* nodes(node.additionalProperties, `${path}{}`);
  }
}

describe('golden: crds/ matches the schemas', () => {
  it('has exactly the generated files', () => {
    const committed = readdirSync(join(repoRoot, 'crds')).sort();
    expect(committed).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(files))('crds/%s is up to date (run `npm run gen:crds`)', (name) => {
    expect(readFileSync(join(repoRoot, 'crds', name), 'utf8')).toBe(files[name]);
  });
});

describe.each(Object.entries(files).filter(([name]) => name !== 'kustomization.yaml'))(
  '%s',
  (_name, text) => {
    const crd = parse(text) as Json;
    const version = crd.spec.versions[0];
    const schema = version.schema.openAPIV3Schema as Json;

    it('is argoproj.io/v1alpha1, served and stored', () => {
      expect(crd.spec.group).toBe('argoproj.io');
      expect(crd.spec.versions).toHaveLength(1);
      expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true });
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.argoproj.io`);
    });

    it('is structural: a type (or int-or-string) on every node, no $ref or free-form unions', () => {
      for (const [path, node] of nodes(schema)) {
        const text = JSON.stringify(node);
        expect(text, path).not.toContain('$ref');
        expect(node.oneOf, path).toBeUndefined();
        expect(node.allOf, path).toBeUndefined();
        expect(node.default, path).toBeUndefined();
        if (node['x-kubernetes-int-or-string']) {
          expect(node.anyOf, path).toEqual([{ type: 'integer' }, { type: 'string' }]);
          expect(node.type, path).toBeUndefined();
        } else {
          expect(node.anyOf, path).toBeUndefined();
          expect(typeof node.type, path).toBe('string');
        }
        if (node.properties) expect(node.additionalProperties, path).toBeUndefined();
        if (node['x-kubernetes-preserve-unknown-fields'])
          expect(node).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      }
    });

    it('requires spec and keeps metadata opaque', () => {
      expect(schema.required).toEqual(['spec']);
      expect(schema.properties.metadata).toEqual({ type: 'object' });
    });
  },
);

describe('Rollout CRD', () => {
  const crd = parse(files['rollouts.yaml'] ?? '') as Json;
  const version = crd.spec.versions[0];
  const spec = version.schema.openAPIV3Schema.properties.spec as Json;
  const canary = spec.properties.strategy.properties.canary as Json;

  it('has the short name ro, status and scale subresources', () => {
    expect(crd.spec.names).toMatchObject({ kind: 'Rollout', plural: 'rollouts', shortNames: ['ro'] });
    expect(version.subresources).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.HPAReplicas',
        labelSelectorPath: '.status.selector',
      },
    });
  });

  it("has Argo's printer columns plus Phase and Step", () => {
    const columns = (version.additionalPrinterColumns as Json[]).map((c) => [c.name, c.jsonPath]);
    expect(columns).toEqual([
      ['Desired', '.spec.replicas'],
      ['Current', '.status.replicas'],
      ['Up-to-date', '.status.updatedReplicas'],
      ['Available', '.status.availableReplicas'],
      ['Phase', '.status.phase'],
      ['Step', '.status.currentStepIndex'],
      ['Age', '.metadata.creationTimestamp'],
    ]);
  });

  it('marks int-or-string fields and the pod template', () => {
    const intOrStringNode = {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
    expect(canary.properties.maxSurge).toEqual(intOrStringNode);
    expect(canary.properties.maxUnavailable).toEqual(intOrStringNode);
    expect(canary.properties.steps.items.properties.pause.properties.duration).toEqual(intOrStringNode);
    expect(canary.properties.steps.items.properties.setWeight).toEqual({ type: 'integer', format: 'int32' });
    expect(spec.properties.template).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(spec.properties.replicas).toEqual({ type: 'integer', format: 'int32' });
  });

  it('keeps unsupported Argo fields so they can be reported', () => {
    const routing = canary.properties.trafficRouting.properties;
    for (const key of ['alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'])
      expect(routing[key], key).toBeDefined();
    expect(spec.properties.strategy.properties.blueGreen).toBeDefined();
    expect(spec.properties.workloadRef).toBeDefined();
  });

  it('makes the selector immutable with CEL', () => {
    expect(spec.properties.selector['x-kubernetes-validations']).toEqual([
      { rule: 'self == oldSelf', message: 'spec.selector is immutable' },
    ]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(rolloutCrd())).toBe(JSON.stringify(rolloutCrd()));
  });
});

describe('short names, scopes and columns of the other CRDs', () => {
  it.each([
    ['analysistemplates.yaml', 'AnalysisTemplate', 'at', 'Namespaced'],
    ['clusteranalysistemplates.yaml', 'ClusterAnalysisTemplate', 'cat', 'Cluster'],
    ['analysisruns.yaml', 'AnalysisRun', 'ar', 'Namespaced'],
    ['experiments.yaml', 'Experiment', 'exp', 'Namespaced'],
  ])('%s', (file, kind, short, scope) => {
    const crd = parse(files[file] ?? '') as Json;
    expect(crd.spec.names.kind).toBe(kind);
    expect(crd.spec.names.shortNames).toEqual([short]);
    expect(crd.spec.scope).toBe(scope);
  });

  it('shows the AnalysisRun phase and counts/limits as int-or-string', () => {
    const crd = parse(files['analysisruns.yaml'] ?? '') as Json;
    const version = crd.spec.versions[0];
    expect(version.additionalPrinterColumns[0]).toMatchObject({ name: 'Status', jsonPath: '.status.phase' });
    const metric = version.schema.openAPIV3Schema.properties.spec.properties.metrics.items;
    for (const key of [
      'count',
      'failureLimit',
      'inconclusiveLimit',
      'consecutiveErrorLimit',
      'consecutiveSuccessLimit',
    ]) {
      expect(metric.properties[key]['x-kubernetes-int-or-string'], key).toBe(true);
    }
    expect(metric.required).toEqual(['name', 'provider']);
    expect(version.subresources).toEqual({ status: {} });
  });

  it('lists every CRD in crds/kustomization.yaml', () => {
    const kustomization = parse(files['kustomization.yaml'] ?? '') as Json;
    expect(kustomization.resources).toEqual([
      'rollouts.yaml',
      'analysistemplates.yaml',
      'clusteranalysistemplates.yaml',
      'analysisruns.yaml',
      'experiments.yaml',
    ]);
  });
});

describe('toCrdSchema', () => {
  it('rewrites int-or-string and preserve-unknown, drops defaults and bounds', () => {
    const schema = z.object({
      a: intOrString().optional(),
      b: preserveUnknown(),
      c: z.int32().default(3),
      d: z.int(),
      e: z.record(z.string(), z.string()),
    });
    expect(toCrdSchema(schema)).toEqual({
      type: 'object',
      properties: {
        a: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        b: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        c: { type: 'integer', format: 'int32' },
        d: { type: 'integer', format: 'int64' },
        e: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['b', 'd', 'e'],
    });
  });

  it('rejects what a structural schema cannot express', () => {
    expect(() => toCrdSchema(z.object({ u: z.union([z.string(), z.boolean()]) }))).toThrow(/anyOf/);
    expect(() => toCrdSchema(z.object({ m: z.record(z.string(), z.unknown()) }))).toThrow(
      /untyped map values/,
    );
    expect(() => toCrdSchema(z.object({ d: z.date() }))).toThrow();
  });
});
