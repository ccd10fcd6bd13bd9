import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/crds.js';
import { failsAt, metricsText } from '../../../scripts/demo/app.js';
import {
  applyImages,
  imageName,
  overrideImage,
  renderKustomization,
} from '../../../scripts/demo/kustomize.js';
import { routeWeights, WeightedPicker } from '../../../scripts/demo/mesh.js';
import { measurementLine, percent, stepLabel, weightsLabel } from '../../../scripts/demo/timeline.js';

describe('demo kustomize subset', () => {
  it('splits image names from tags and digests, keeping registry ports', () => {
    expect(imageName('ghcr.io/a/shop:v1')).toBe('ghcr.io/a/shop');
    expect(imageName('localhost:5000/shop')).toBe('localhost:5000/shop');
    expect(imageName('shop@sha256:abc')).toBe('shop');
  });

  it('applies images overrides like kustomize', () => {
    expect(overrideImage('ghcr.io/a/shop', [{ name: 'ghcr.io/a/shop', newTag: 'v2' }])).toBe(
      'ghcr.io/a/shop:v2',
    );
    expect(overrideImage('shop:v1', [{ name: 'shop', newName: 'r/shop' }])).toBe('r/shop:v1');
    expect(overrideImage('other:v1', [{ name: 'shop', newTag: 'v2' }])).toBe('other:v1');
    const [rollout] = applyImages(
      [{ kind: 'Rollout', spec: { template: { spec: { containers: [{ image: 'shop' }] } } } }],
      [{ name: 'shop', newTag: 'v3' }],
    );
    expect(JSON.stringify(rollout)).toContain('"shop:v3"');
  });

  it('renders the production overlay of the demo with v1.1.0', () => {
    const objects = renderKustomization(join(repoRoot, 'demo', 'manifests', 'overlays', 'production'));
    expect(objects.map((o) => o.kind)).toEqual([
      'Service',
      'Service',
      'VirtualService',
      'AnalysisTemplate',
      'Rollout',
    ]);
    expect(JSON.stringify(objects.at(-1))).toContain('"ghcr.io/vireo-demo/shop:v1.1.0"');
  });
});

describe('demo application and mesh stand-in', () => {
  it('fails exactly floor(n * rate) of the first n requests', () => {
    const failures = Array.from({ length: 100 }, (_, n) => failsAt(n, 0.08)).filter(Boolean).length;
    expect(failures).toBe(8);
    expect(Array.from({ length: 50 }, (_, n) => failsAt(n, 0)).some(Boolean)).toBe(false);
  });

  it('exports both status series from the start', () => {
    const text = metricsText('shop', 'v1', { ok: 0, errors: 0 });
    expect(text).toContain('http_requests_total{app="shop",version="v1",status="500"} 0');
  });

  it('splits picks by the weights and never picks a zero weight', () => {
    const picker = new WeightedPicker();
    const weights = [
      { host: 'stable', weight: 80 },
      { host: 'canary', weight: 20 },
    ];
    const picks = Array.from({ length: 100 }, () => picker.pick(weights));
    expect(picks.filter((p) => p === 'canary')).toHaveLength(20);
    expect(picker.pick([{ host: 'a', weight: 0 }])).toBeUndefined();
  });

  it('reads the destinations of a named route', () => {
    const spec = {
      http: [
        {
          name: 'primary',
          route: [{ destination: { host: 's' }, weight: 90 }, { destination: { host: 'c' } }],
        },
      ],
    };
    expect(routeWeights(spec, 'primary')).toEqual([
      { host: 's', weight: 90 },
      { host: 'c', weight: 0 },
    ]);
    expect(routeWeights(spec, 'other')).toEqual([]);
  });
});

describe('demo timeline', () => {
  it('labels steps, weights and measurements', () => {
    const steps = [{ setWeight: 20 }, { analysis: {} }, { pause: { duration: '3s' } }];
    const rollout = { spec: { strategy: { canary: { steps } } }, status: { currentStepIndex: 1 } };
    expect(stepLabel(rollout)).toBe('step 2/3 analysis');
    expect(stepLabel({ ...rollout, status: { currentStepIndex: 3 } })).toBe('steps done (3/3)');
    expect(
      weightsLabel([
        { host: 's', weight: 80 },
        { host: 'c', weight: 20 },
      ]),
    ).toBe('stable 80 / canary 20');
    expect(percent('[0.0741]')).toBe('7.4%');
    const metric = {
      name: 'error-rate',
      phase: 'Failed',
      measurements: [{ phase: 'Failed', value: '[0.08]' }],
    };
    expect(measurementLine(metric, 0, 2)).toBe('error-rate #1: 8.0% → Failed (1 failed, failureLimit 2)');
  });
});
